import type { BlameRow } from '../../worker/protocol';
import { Link } from '../router';
import { useWindow, windowRows } from '../useWindow';
import type { BlameTarget } from './StateTables';

/** The events up to the cursor that wrote the chosen field, each a link that moves there. */
export function BlamePanel({ target, at }: { target: BlameTarget; at: number }) {
  const window = useWindow({ kind: 'blame', ...target, at });
  const rows = windowRows<BlameRow>(window);
  const name = `Who wrote ${target.field} of ${target.key}`;
  return (
    <section className="card blame" role="region" aria-label={name}>
      <h3>{name}</h3>
      {window.loaded && rows.length === 0 && (
        <p className="hint">No event up to position {at} wrote it.</p>
      )}
      <ol>
        {rows.map((r) => (
          <li key={r.position}>
            <Link href={`/timeline?at=${String(r.position)}`}>
              Position {r.position}: {r.type}
            </Link>{' '}
            → <code>{r.value === undefined ? '(removed)' : JSON.stringify(r.value)}</code>
          </li>
        ))}
      </ol>
    </section>
  );
}
