import type { EventDetail } from '../../worker/protocol';
import { Link } from '../router';
import { useWindow, windowRows } from '../useWindow';

/** The event at the cursor: payload, metadata, schema version, and what its command did. */
export function EventDetailPanel({
  position,
  onSkip,
}: {
  position: number;
  onSkip: (position: number) => void;
}) {
  const window = useWindow({ kind: 'timelineEvent', position });
  const [detail] = windowRows<EventDetail>(window);
  if (position === 0)
    return (
      <section className="card">
        <p className="hint">The log is empty.</p>
      </section>
    );
  if (detail === undefined)
    return (
      <section className="card">
        <p className="hint">Loading event {position}…</p>
      </section>
    );
  const { event } = detail;
  return (
    <section
      className="card event-detail"
      role="region"
      aria-label={`Event at position ${String(position)}`}
    >
      <h3>
        {event.type} <span className="hint">schema version {event.schemaVersion}</span>
      </h3>
      <dl>
        <dt>Stream</dt>
        <dd>
          {event.streamId} (version {event.version})
        </dd>
        {detail.upcast === null ? (
          <>
            <dt>Payload</dt>
            <dd>
              <pre>{JSON.stringify(event.data, null, 2)}</pre>
            </dd>
          </>
        ) : (
          <div className="dl-row side-by-side">
            <dt>Payload</dt>
            <dd>
              <figure aria-label="Stored payload">
                <figcaption>As stored (schema version {event.schemaVersion})</figcaption>
                <pre>{JSON.stringify(event.data, null, 2)}</pre>
              </figure>
              <figure aria-label="Upcast payload">
                <figcaption>
                  As the read models see it, upcast (schema version {detail.upcast.schemaVersion})
                </figcaption>
                <pre>{JSON.stringify(detail.upcast.data, null, 2)}</pre>
              </figure>
            </dd>
          </div>
        )}
        {Object.entries(event.metadata).map(([k, v]) => (
          <div key={k} className="dl-row">
            <dt>{k}</dt>
            <dd>
              <code>{v}</code>
            </dd>
          </div>
        ))}
      </dl>
      {detail.fault !== null && (
        <p role="alert">A read model could not fold this event: {detail.fault}</p>
      )}
      <button
        type="button"
        onClick={() => {
          onSkip(position);
        }}
      >
        Skip this event
      </button>
      <h4>Caused by command {event.metadata.commandId}</h4>
      {detail.command !== null && (
        <p>
          {detail.command.type} <code>{JSON.stringify(detail.command.data)}</code>
        </p>
      )}
      <p className="hint">
        It recorded{' '}
        {detail.commandEvents.length === 1
          ? 'this event only'
          : `${String(detail.commandEvents.length)} events`}
        :
      </p>
      <ul>
        {detail.commandEvents.map((e) => (
          <li key={e.position}>
            <Link href={`/timeline?at=${String(e.position)}`}>
              Position {e.position}: {e.type}
            </Link>{' '}
            on {e.streamId}
          </li>
        ))}
      </ul>
      <p className="hint">
        Read-model rows it touched:{' '}
        {detail.writes.length === 0
          ? 'none'
          : detail.writes.map((w) => `${w.projection} ${w.key}`).join(', ')}
      </p>
    </section>
  );
}
