import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { USER_EVENT_TYPES } from '../../domain';
import type { EventSummaryRow } from '../../worker/protocol';
import { countOf, formatTime } from '../format';
import { useVirtualRows, WINDOW_SIZE } from '../useVirtualRows';
import { useWindow, windowRows } from '../useWindow';
import { Link } from '../router';
import { moveCursor } from './cursor';
import { TIMELINE_LOADING } from './loading';

const ROW_HEIGHT = 30;

/** Every event, virtualized: only the rows in view are ever asked of the worker. */
export function EventsList({ position }: { position: number }) {
  const [type, setType] = useState('');
  const [stream, setStream] = useState('');
  const [text, setText] = useState('');
  const [offset, setOffset] = useState(0);
  const id = useId();
  const window = useWindow({
    kind: 'timelineEvents',
    type,
    stream,
    text,
    offset,
    limit: WINDOW_SIZE,
  });
  const rows = useMemo(() => windowRows<EventSummaryRow>(window), [window]);
  const filtered = type !== '' || stream !== '' || text !== '';
  const { scrollToIndex, scrollRef, items, padTop, padBottom, reset } = useVirtualRows(
    window.total,
    ROW_HEIGHT,
    offset,
    setOffset,
  );
  // Unfiltered, row i is position i + 1: keep the cursor's row in view as it moves, and
  // bring it into view once the list first holds it (a deep link opens before the list
  // knows its length). A list that only grows leaves the reader's scrolling alone.
  const shown = useRef(0);
  const listed = !filtered && position > 0 && window.total >= position;
  useEffect(() => {
    if (!listed) {
      if (filtered) shown.current = 0;
      return;
    }
    if (shown.current === position) return;
    shown.current = position;
    scrollToIndex(position - 1);
  }, [filtered, listed, position, scrollToIndex]);

  return (
    <section className="card events-list" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Events</h2>
      <div className="filters">
        <label>
          Event type
          <select
            value={type}
            onChange={(e) => {
              setType(e.target.value);
              reset();
            }}
          >
            <option value="">All types</option>
            {USER_EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Stream
          <input
            type="search"
            value={stream}
            placeholder="user-user123"
            onChange={(e) => {
              setStream(e.target.value);
              reset();
            }}
          />
        </label>
        <label>
          Payload text
          <input
            type="search"
            value={text}
            placeholder="example.com"
            onChange={(e) => {
              setText(e.target.value);
              reset();
            }}
          />
        </label>
        <span className="count">
          {window.answered ? countOf(window.total, 'event') : TIMELINE_LOADING}
        </span>
      </div>
      <div className="table-scroll short" ref={scrollRef}>
        <table aria-label="Events" aria-rowcount={window.total + 1}>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">Position</th>
              <th scope="col">Type</th>
              <th scope="col">Stream</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {padTop > 0 && <tr aria-hidden="true" style={{ height: padTop }} />}
            {items.map((item) => {
              const row = rows[item.index - window.offset];
              if (row === undefined) {
                return (
                  <tr
                    key={`pending-${String(item.index)}`}
                    aria-rowindex={item.index + 2}
                    style={{ height: ROW_HEIGHT }}
                  >
                    <td colSpan={4} className="pending">
                      Loading…
                    </td>
                  </tr>
                );
              }
              return (
                <EventRow
                  key={row.position}
                  row={row}
                  rowIndex={item.index + 2}
                  current={row.position === position}
                />
              );
            })}
            {padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** One event's row, drawn again only when it, its place or whether it is the cursor's changes. */
const EventRow = memo(function EventRow({
  row,
  rowIndex,
  current,
}: {
  row: EventSummaryRow;
  rowIndex: number;
  current: boolean;
}) {
  return (
    <tr
      aria-rowindex={rowIndex}
      aria-selected={current}
      className={current ? 'clickable current' : 'clickable'}
      style={{ height: ROW_HEIGHT }}
      onClick={() => {
        moveCursor(row.position);
      }}
    >
      <td>
        {/* The row's way in from the keyboard: a link to the timeline at this event. */}
        <Link
          href={`/timeline?at=${String(row.position)}`}
          replace // a step of the cursor, as the row's click is
          onClick={(event) => {
            event.stopPropagation(); // the row would move the cursor again
          }}
        >
          {row.position}
        </Link>
      </td>
      <td>{row.type}</td>
      <td>{row.streamId}</td>
      <td>{formatTime(row.recordedAt)}</td>
    </tr>
  );
});
