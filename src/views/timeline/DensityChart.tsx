import { USER_EVENT_TYPES } from '../../domain';
import type { DensityBucket } from '../../worker/protocol';
import { formatCount } from '../format';
import { useWindow, windowRows } from '../useWindow';
import { moveCursor } from './cursor';

const BUCKETS = 120;
const COLORS: Readonly<Record<string, string>> = {
  UserCreated: '#2563eb',
  UserEmailUpdated: '#d97706',
  UserRenamed: '#7c3aed',
  UserLoggedIn: '#10b981',
  OrderPlaced: '#f43f5e',
  UserDeactivated: '#475569',
};

/**
 * Events by type across the log, as stacked bars of equal stretches; a bar is a button that
 * moves the cursor to the start of its stretch. Drawn with plain elements: a chart library
 * would add weight for one chart of one shape.
 */
export function DensityChart({ position }: { position: number }) {
  const window = useWindow({ kind: 'density', buckets: BUCKETS });
  const buckets = windowRows<DensityBucket>(window);
  const peak = Math.max(1, ...buckets.map((b) => b.to - b.from + 1));
  return (
    <section className="card density" aria-labelledby="density-heading">
      <h3 id="density-heading">Events by type across the log</h3>
      <div className="density-bars">
        {buckets.map((b) => {
          const total = b.to - b.from + 1;
          const label = `Positions ${String(b.from)} to ${String(b.to)}: ${Object.entries(b.counts)
            .map(([type, n]) => `${formatCount(n)} ${type}`)
            .join(', ')}`;
          const here = position >= b.from && position <= b.to;
          return (
            <button
              key={b.from}
              type="button"
              className={here ? 'density-bar here' : 'density-bar'}
              title={label}
              aria-label={label}
              onClick={() => {
                moveCursor(b.from);
              }}
            >
              <span className="stack" style={{ height: `${String((total / peak) * 100)}%` }}>
                {USER_EVENT_TYPES.map((type) => {
                  const n = b.counts[type] ?? 0;
                  return n === 0 ? null : (
                    <span key={type} style={{ flexGrow: n, background: COLORS[type] }} />
                  );
                })}
              </span>
            </button>
          );
        })}
      </div>
      <ul className="legend">
        {USER_EVENT_TYPES.map((type) => (
          <li key={type}>
            <span className="swatch" style={{ background: COLORS[type] }} /> {type}
          </li>
        ))}
      </ul>
    </section>
  );
}
