import { PROJECTION_NAMES } from '../../projections';
import { formatCount, formatMoney, formatTime } from '../format';
import { ReadModelLag } from '../ReadModelLag';
import { Link } from '../router';
import { useWindow, windowRows } from '../useWindow';
import type { UserDetail } from '../../worker/protocol';

/** One user: profile, activity summary, and the user's own events in order. */
export function UserPage({ userId }: { userId: string }) {
  const window = useWindow({ kind: 'user', userId });
  const [detail] = windowRows<UserDetail>(window);
  const row = detail?.row ?? null;

  return (
    <div className="user-page">
      <p>
        <Link href="/">← All users</Link>
      </p>
      <h2>User {userId}</h2>
      <ReadModelLag names={PROJECTION_NAMES} />
      {window.loaded && row === null && (
        <p role="alert">There is no user {userId} in the read models.</p>
      )}
      {row !== null && (
        <div className="detail-grid">
          <section className="card" aria-labelledby="profile-heading">
            <h3 id="profile-heading">Profile</h3>
            <dl>
              <dt>User ID</dt>
              <dd>{row.userId}</dd>
              <dt>Email</dt>
              <dd>{row.email}</dd>
              <dt>Name</dt>
              <dd>{row.name}</dd>
              <dt>Status</dt>
              <dd>{row.status}</dd>
              <dt>Created</dt>
              <dd>{formatTime(row.createdAt)}</dd>
              <dt>Updated</dt>
              <dd>{formatTime(row.updatedAt)}</dd>
            </dl>
          </section>
          <section className="card" aria-labelledby="activity-heading">
            <h3 id="activity-heading">Activity</h3>
            <dl>
              <dt>Logins</dt>
              <dd>{formatCount(row.loginCount)}</dd>
              <dt>Last login</dt>
              <dd>{formatTime(row.lastLogin)}</dd>
              <dt>Orders</dt>
              <dd>{formatCount(row.ordersCount)}</dd>
              <dt>Order total</dt>
              <dd>{formatMoney(row.orderTotalCents)}</dd>
            </dl>
          </section>
        </div>
      )}
      {detail !== undefined && detail.events.length > 0 && (
        <section className="card" aria-labelledby="events-heading">
          <h3 id="events-heading">Events of {userId}</h3>
          <table aria-label={`Events of ${userId}`} className="compact">
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Version</th>
                <th scope="col">Type</th>
                <th scope="col">Time</th>
                <th scope="col">Data</th>
              </tr>
            </thead>
            <tbody>
              {detail.events.map((e) => (
                <tr key={e.position}>
                  <td>
                    <Link href={`/timeline?at=${e.position}`}>{e.position}</Link>
                  </td>
                  <td>{e.version}</td>
                  <td>{e.type}</td>
                  <td>{formatTime(e.recordedAt)}</td>
                  <td>
                    <code>{JSON.stringify(e.data)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
