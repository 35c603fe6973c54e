import type { RejectionRow } from '../../worker/protocol';
import { formatTime } from '../format';
import { Link } from '../router';
import { useWindow, windowRows } from '../useWindow';

const LIMIT = 200;

/** Refused commands in a lane of their own: what was asked, after which event, and why not. */
export function RejectionsLane() {
  const window = useWindow({ kind: 'rejections', limit: LIMIT });
  const rows = windowRows<RejectionRow>(window);
  return (
    <section className="card rejections" aria-labelledby="rejections-heading">
      <h2 id="rejections-heading">Rejected commands</h2>
      <p className="hint">
        Refused commands write nothing to the log; they are kept here with their reason.
      </p>
      {window.loaded && rows.length === 0 && <p className="hint">No command has been refused.</p>}
      {rows.length > 0 && (
        <div className="side-scroll short-list">
          <table aria-label="Rejected commands" className="compact">
            <thead>
              <tr>
                <th scope="col">After position</th>
                <th scope="col">Command</th>
                <th scope="col">Reason</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.afterPosition === 0 ? (
                      'start'
                    ) : (
                      <Link href={`/timeline?at=${String(r.afterPosition)}`}>
                        {r.afterPosition}
                      </Link>
                    )}
                  </td>
                  <td>
                    {r.commandType} <code>{JSON.stringify(r.data)}</code>
                  </td>
                  <td>{r.message}</td>
                  <td>{formatTime(r.recordedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
