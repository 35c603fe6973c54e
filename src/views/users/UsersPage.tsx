import { PROJECTION_NAMES } from '../../projections';
import { ReadModelLag } from '../ReadModelLag';
import { COMMAND_FORMS } from './commandForms';
import { CommandForm } from './CommandForm';
import { DemoData } from './DemoData';
import { LogPanel } from './LogPanel';
import { DomainQuery } from './DomainQuery';
import { UsersTable } from './UsersTable';

export function UsersPage() {
  return (
    <div className="users-page">
      <div className="users-main">
        <ReadModelLag names={PROJECTION_NAMES} />
        <UsersTable />
        <section aria-labelledby="commands-heading">
          <h2 id="commands-heading">Commands</h2>
          <p className="hint">
            Each form sends a command. The handler folds the user&apos;s own events, decides, and
            appends the result to the log in IndexedDB; the projection worker then folds it into the
            read models above.
          </p>
          <div className="command-grid">
            {COMMAND_FORMS.map((spec) => (
              <CommandForm key={spec.title} spec={spec} />
            ))}
          </div>
        </section>
      </div>
      <div className="users-side">
        <DemoData />
        <LogPanel />
        <DomainQuery />
      </div>
    </div>
  );
}
