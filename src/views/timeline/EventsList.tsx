import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { USER_EVENT_TYPES } from '../../domain';
import type { EventSummaryRow } from '../../worker/protocol';
import { formatCount, formatTime } from '../format';
import { useWindow, windowRows } from '../useWindow';
import { moveCursor } from './cursor';

const ROW_HEIGHT = 30;
const WINDOW_STEP = 50;
const WINDOW_SIZE = 200;

/** Every event, virtualized: only the rows in view are ever asked of the worker. */
export function EventsList({ position }: { position: number }) {
  const [type, setType] = useState('');
  const [stream, setStream] = useState('');
  const [text, setText] = useState('');
  const [offset, setOffset] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
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
  const virtualizer = useVirtualizer({
    count: window.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    onChange: (v) => {
      const first = v.range?.startIndex ?? 0;
      const wanted = Math.max(0, Math.floor((first - WINDOW_SIZE / 4) / WINDOW_STEP) * WINDOW_STEP);
      if (wanted !== offset) setOffset(wanted);
    },
  });
  // Unfiltered, row i is position i + 1: keep the cursor's row in view as it moves.
  useEffect(() => {
    if (!filtered && position > 0) virtualizer.scrollToIndex(position - 1, { align: 'auto' });
  }, [filtered, position, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const reset = () => {
    setOffset(0);
    scrollRef.current?.scrollTo({ top: 0 });
  };

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
        <span className="count">{formatCount(window.total)} events</span>
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
              const current = row.position === position;
              return (
                <tr
                  key={row.position}
                  aria-rowindex={item.index + 2}
                  aria-selected={current}
                  className={current ? 'clickable current' : 'clickable'}
                  style={{ height: ROW_HEIGHT }}
                  onClick={() => {
                    moveCursor(row.position);
                  }}
                >
                  <td>{row.position}</td>
                  <td>{row.type}</td>
                  <td>{row.streamId}</td>
                  <td>{formatTime(row.recordedAt)}</td>
                </tr>
              );
            })}
            {padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />}
          </tbody>
        </table>
      </div>
    </section>
  );
}
