import { memo, useId, useState } from 'react';
import type { ProjectionName } from '../../projections';
import type { WriteRow } from '../../worker/protocol';
import { countOf, formatCount, formatMoney, formatTime } from '../format';
import { TIMELINE_LOADING } from './loading';
import { useWindow } from '../useWindow';

export interface BlameTarget {
  readonly projection: ProjectionName;
  readonly key: string;
  readonly field: string;
}

interface Column {
  readonly field: string;
  readonly header: string;
  readonly format?: (value: unknown) => string;
}

const time = (v: unknown) => formatTime(typeof v === 'string' ? v : null);
const count = (v: unknown) => (typeof v === 'number' ? formatCount(v) : '');

export const MODELS: readonly {
  projection: ProjectionName;
  title: string;
  columns: readonly Column[];
}[] = [
  {
    projection: 'userProfiles',
    title: 'Users',
    columns: [
      { field: 'userId', header: 'User ID' },
      { field: 'email', header: 'Email' },
      { field: 'name', header: 'Name' },
      { field: 'status', header: 'Status' },
      { field: 'createdAt', header: 'Created', format: time },
      { field: 'updatedAt', header: 'Updated', format: time },
    ],
  },
  {
    projection: 'usersByDomain',
    title: 'Users by email domain',
    columns: [
      { field: 'domain', header: 'Domain' },
      { field: 'userId', header: 'User ID' },
      { field: 'email', header: 'Email' },
    ],
  },
  {
    projection: 'activitySummary',
    title: 'Activity summary',
    columns: [
      { field: 'userId', header: 'User ID' },
      { field: 'loginCount', header: 'Logins', format: count },
      { field: 'lastLogin', header: 'Last login', format: time },
      { field: 'ordersCount', header: 'Orders', format: count },
      {
        field: 'orderTotalCents',
        header: 'Order total',
        format: (v) => (typeof v === 'number' ? formatMoney(v) : ''),
      },
    ],
  },
];

const LIMIT = 100;

/** One read model as it stood right after event `at`; a cell click asks who wrote it. */
export function StateTable({
  model,
  at,
  onBlame,
  blamed,
  writes,
}: {
  model: (typeof MODELS)[number];
  at: number;
  onBlame: (target: BlameTarget) => void;
  blamed: BlameTarget | null;
  /** What the event at `at` wrote, in every read model. */
  writes: readonly WriteRow[];
}) {
  const [filter, setFilter] = useState('');
  const id = useId();
  const window = useWindow({
    kind: 'timelineModel',
    projection: model.projection,
    at,
    filter,
    limit: LIMIT,
  });
  const shown = window.keys.filter((key) => window.rows.has(key)).length;
  // The rows event `at` wrote are tinted: what the Changes panel lists, seen in place. Rows
  // it removed are not in the table; the ones it added or changed are.
  const written = new Set(
    writes
      .filter((w) => w.projection === model.projection && w.after !== undefined)
      .map((w) => w.key),
  );
  const name = `${model.title} at position ${String(at)}`;
  return (
    <section className="card state-table" aria-labelledby={`${id}-h`}>
      <div className="table-toolbar">
        <h3 id={`${id}-h`}>{name}</h3>
        <input
          type="search"
          aria-label={`Filter ${model.title}`}
          placeholder="filter"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
          }}
        />
        <span className="count">
          {!window.answered
            ? TIMELINE_LOADING
            : window.total > LIMIT
              ? `first ${formatCount(LIMIT)} of ${formatCount(window.total)} rows`
              : countOf(window.total, 'row')}
          {/* Rows the event wrote past the first ones come after them (see `modelAt`). */}
          {shown > LIMIT && `, and ${formatCount(shown - LIMIT)} more written by this event`}
          {written.size > 0 && `, ${formatCount(written.size)} marked: written by this event`}
        </span>
      </div>
      <div className="side-scroll">
        <table aria-label={name} className="compact">
          <thead>
            <tr>
              {model.columns.map((c) => (
                <th key={c.field} scope="col">
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {window.keys.map((key) => {
              const row = window.rows.get(key) as Record<string, unknown> | undefined;
              if (row === undefined) return null;
              return (
                <StateRow
                  key={key}
                  model={model}
                  rowKey={key}
                  row={row}
                  written={written.has(key)}
                  blamedField={
                    blamed?.projection === model.projection && blamed.key === key
                      ? blamed.field
                      : null
                  }
                  onBlame={onBlame}
                />
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * One row, drawn again only when its own row, mark or blamed cell changes: a patch keeps the
 * rows it did not touch as they were. Following the head while events were generated, every
 * table's hundred rows were drawn again at each step, which kept the page's thread busy.
 */
const StateRow = memo(function StateRow({
  model,
  rowKey,
  row,
  written,
  blamedField,
  onBlame,
}: {
  model: (typeof MODELS)[number];
  rowKey: string;
  row: Record<string, unknown>;
  written: boolean;
  blamedField: string | null;
  onBlame: (target: BlameTarget) => void;
}) {
  return (
    <tr className={written ? 'written' : undefined}>
      {model.columns.map((c) => {
        const selected = blamedField === c.field;
        return (
          <td key={c.field} className={selected ? 'blamed' : undefined}>
            <button
              type="button"
              className="cell"
              aria-pressed={selected}
              title={`Who wrote ${c.header} of ${rowKey}?`}
              onClick={() => {
                onBlame({ projection: model.projection, key: rowKey, field: c.field });
              }}
            >
              {(c.format ?? String)(row[c.field] ?? '')}
            </button>
          </td>
        );
      })}
    </tr>
  );
});
