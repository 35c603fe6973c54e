import { COMMAND_FORMS } from './commandForms';
import { CommandForm } from './CommandForm';
import { DemoData } from './DemoData';

export function UsersPage() {
  return (
    <div className="users-page">
      <section aria-labelledby="commands-heading">
        <h2 id="commands-heading">Commands</h2>
        <p className="hint">
          Each form sends a command. The handler folds the user&apos;s own events, decides, and
          appends the result to the log in IndexedDB.
        </p>
        <div className="command-grid">
          {COMMAND_FORMS.map((spec) => (
            <CommandForm key={spec.title} spec={spec} />
          ))}
        </div>
      </section>
      <DemoData />
    </div>
  );
}
