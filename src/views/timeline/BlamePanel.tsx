import type { BlameRow } from '../../worker/protocol';
import { Link } from '../router';
import { useWindow, windowRows } from '../useWindow';
import { MODELS, type BlameTarget } from './StateTables';

/** The events up to the cursor that wrote the chosen field, each a link that moves there. */
export function BlamePanel({ target, at }: { target: BlameTarget; at: number }) {
  const window = useWindow({ kind: 'blame', ...target, at });
  const rows = windowRows<BlameRow>(window);
  // The field and its values as the table the cell was clicked in names and shows them.
  const model = MODELS.find((m) => m.projection === target.projection);
  const column = model?.columns.find((c) => c.field === target.field);
  const show = (value: unknown) =>
    column?.format === undefined ? JSON.stringify(value) : column.format(value);
  const name = `Who wrote ${column?.header ?? target.field} of ${target.key} in ${model?.title ?? target.projection}`;
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
            → <code>{r.value === undefined ? '(removed)' : show(r.value)}</code>
          </li>
        ))}
      </ol>
    </section>
  );
}
