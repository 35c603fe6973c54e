import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createRuntime } from './runtime';
import { App } from './views/App';
import { RuntimeContext } from './views/RuntimeContext';
import './views/app.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

createRuntime().then(
  (runtime) => {
    root.render(
      <StrictMode>
        <RuntimeContext.Provider value={runtime}>
          <App />
        </RuntimeContext.Provider>
      </StrictMode>,
    );
  },
  (error: unknown) => {
    root.render(
      <div role="alert" className="fatal">
        <p>
          The browser could not open the stored log, so nothing can be shown or recorded. This
          happens when the disk is full or the browser blocks this site&apos;s storage: make room,
          then try again.
        </p>
        <p>The browser said: {String(error)}</p>
        <button
          type="button"
          onClick={() => {
            window.location.reload();
          }}
        >
          Try again
        </button>
      </div>,
    );
  },
);
