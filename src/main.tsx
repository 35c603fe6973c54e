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
      <p role="alert" className="fatal">
        The event store could not be opened: {String(error)}
      </p>,
    );
  },
);
