import { projectionTitle as title } from '../../projections';
import type { WhatIfRow } from '../../worker/protocol';
import { useWindow, windowRows } from '../useWindow';
import { countOf } from '../format';

const show = (row: unknown) => (row === undefined ? '(absent)' : JSON.stringify(row));

/** The read models folded in a sandbox without one event, against the real ones. */
export function WhatIfPanel({ skip, onClose }: { skip: number; onClose: () => void }) {
  const window = useWindow({ kind: 'whatIf', skip });
  const rows = windowRows<WhatIfRow>(window);
  const name = `What if event ${String(skip)} had not happened`;
  return (
    <section className="card what-if" role="region" aria-label={name}>
      <div className="table-toolbar">
        <h3>{name}</h3>
        <button type="button" onClick={onClose}>
          Close sandbox
        </button>
      </div>
      <p className="hint">
        Every read model folded again in a sandbox without event {skip}, everything else unchanged.
        The log and the live read models are not touched.
      </p>
      {!window.loaded && <p className="hint">Folding the sandbox…</p>}
      {window.loaded && rows.length === 0 && (
        <p role="status">The read models would be the same without it.</p>
      )}
      {rows.length > 0 && (
        <div className="side-scroll">
          <table aria-label={`Without event ${String(skip)}`} className="compact">
            <thead>
              <tr>
                <th scope="col">Read model</th>
                <th scope="col">Row</th>
                <th scope="col">Real</th>
                <th scope="col">Without event {skip}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.projection}:${r.key}`}>
                  <td>{title(r.projection)}</td>
                  <td>{r.key}</td>
                  <td>
                    <code>{show(r.real)}</code>
                  </td>
                  <td>
                    <code>{show(r.sandbox)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {window.total > rows.length && (
            <p className="hint">
              {countOf(window.total - rows.length, 'more row')}{' '}
              {window.total - rows.length === 1 ? 'differs' : 'differ'}.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
