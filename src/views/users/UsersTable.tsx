import {
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { useId, useMemo, useState } from 'react';
import { USER_COLUMNS, type UserRow, type UserSort } from '../../worker/protocol';
import { formatCount, formatTime } from '../format';
import { Link, navigate, queryOf, useLocation } from '../router';
import { useVirtualRows, WINDOW_SIZE } from '../useVirtualRows';
import { useWindow, windowRows } from '../useWindow';

// Sorting is done by the worker: the table only holds the sort state and draws the headers.
const features = tableFeatures({ rowSortingFeature });
const column = createColumnHelper<typeof features, UserRow>();
const columns = column.columns([
  column.accessor('userId', {
    header: 'User ID',
    cell: (c) => (
      <Link
        href={`/users/${encodeURIComponent(c.getValue())}`}
        onClick={(e) => {
          e.stopPropagation();
        }}
      >
        {c.getValue()}
      </Link>
    ),
  }),
  column.accessor('email', { header: 'Email' }),
  column.accessor('name', { header: 'Name' }),
  column.accessor('status', { header: 'Status' }),
  column.accessor('loginCount', { header: 'Logins', cell: (c) => formatCount(c.getValue()) }),
  column.accessor('lastLogin', { header: 'Last login', cell: (c) => formatTime(c.getValue()) }),
  column.accessor('ordersCount', { header: 'Orders', cell: (c) => formatCount(c.getValue()) }),
  column.accessor('createdAt', { header: 'Created', cell: (c) => formatTime(c.getValue()) }),
  column.accessor('updatedAt', { header: 'Updated', cell: (c) => formatTime(c.getValue()) }),
]);

const ROW_HEIGHT = 34;

/**
 * The table's sort and filter live in the address (`/?sort=email&order=desc&filter=acme`), so
 * a reload, Back from a user's page, or a copied link shows the same view.
 */
function viewOf(location: string): { sort: UserSort; filter: string } {
  const params = queryOf(location);
  const asked = params.get('sort');
  return {
    sort: {
      column: USER_COLUMNS.find((c) => c === asked) ?? 'userId',
      descending: params.get('order') === 'desc',
    },
    filter: params.get('filter') ?? '',
  };
}

function showView(sorting: SortingState, filter: string): void {
  const params = new URLSearchParams();
  const sort = sorting[0];
  if (sort !== undefined && (sort.id !== 'userId' || sort.desc)) {
    params.set('sort', sort.id);
    if (sort.desc) params.set('order', 'desc');
  }
  if (filter !== '') params.set('filter', filter);
  const query = params.toString();
  navigate(query === '' ? '/' : `/?${query}`, { replace: true });
}

/**
 * The "Users" table: every user profile joined with its activity, sorted and filtered in
 * the worker. Only the rows in view (and a margin) are ever sent to the page; they are drawn
 * inside a real <table> with spacer rows, so screen readers still get a table.
 */
export function UsersTable() {
  const location = useLocation();
  const { sort, filter } = useMemo(() => viewOf(location), [location]);
  const sorting = useMemo<SortingState>(() => [{ id: sort.column, desc: sort.descending }], [sort]);
  const [offset, setOffset] = useState(0);
  const filterId = useId();

  const window = useWindow({
    kind: 'users',
    filter,
    sort,
    offset,
    limit: WINDOW_SIZE,
  });
  const rows = useMemo(() => windowRows<UserRow>(window), [window]);
  const { scrollRef, items, padTop, padBottom, reset } = useVirtualRows(
    window.total,
    ROW_HEIGHT,
    offset,
    setOffset,
  );

  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.userId,
    manualSorting: true,
    sortDescFirst: false,
    enableSortingRemoval: false,
    enableMultiSort: false,
    state: { sorting },
    onSortingChange: (change: Updater<SortingState>) => {
      showView(typeof change === 'function' ? change(sorting) : change, filter);
    },
  });
  const tableRows = table.getRowModel().rows;

  return (
    <section className="card users-table" aria-labelledby="users-heading">
      <div className="table-toolbar">
        <h2 id="users-heading">Users</h2>
        <label htmlFor={filterId}>Filter users</label>
        <input
          id={filterId}
          type="search"
          value={filter}
          placeholder="id, email or name"
          onChange={(e) => {
            showView(sorting, e.target.value);
            reset();
          }}
        />
        <span className="count">
          {formatCount(window.total)} {window.total === 1 ? 'user' : 'users'}
        </span>
      </div>
      <div className="table-scroll" ref={scrollRef}>
        <table aria-label="Users" aria-rowcount={window.total + 1}>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} aria-rowindex={1}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={
                        sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
                      }
                    >
                      <button
                        type="button"
                        className="sort"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        <table.FlexRender header={header} />
                        <span aria-hidden="true">
                          {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                        </span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {padTop > 0 && <tr aria-hidden="true" style={{ height: padTop }} />}
            {items.map((item) => {
              const row = tableRows[item.index - window.offset];
              if (row === undefined) {
                return (
                  <tr
                    key={`pending-${item.index}`}
                    aria-rowindex={item.index + 2}
                    style={{ height: ROW_HEIGHT }}
                  >
                    <td colSpan={columns.length} className="pending">
                      Loading…
                    </td>
                  </tr>
                );
              }
              return (
                <tr
                  key={row.id}
                  aria-rowindex={item.index + 2}
                  style={{ height: ROW_HEIGHT }}
                  className="clickable"
                  onClick={() => {
                    navigate(`/users/${encodeURIComponent(row.id)}`);
                  }}
                >
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              );
            })}
            {padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />}
          </tbody>
        </table>
        {window.loaded && window.total === 0 && (
          <p className="empty">
            {filter === ''
              ? 'No users yet: create one, or load the seed scenario.'
              : 'No user matches the filter.'}
          </p>
        )}
      </div>
    </section>
  );
}
