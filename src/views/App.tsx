import { useEffect } from 'react';
import { AfterReloadNotice } from './AfterReloadNotice';
import { formatCount } from './format';
import { LogLossBanner } from './LogLossBanner';
import { Link, useLocation } from './router';
import { ProjectionsPage } from './projections/ProjectionsPage';
import { ReloadBanner } from './ReloadBanner';
import { TimelinePage } from './timeline/TimelinePage';
import { UserPage } from './users/UserPage';
import { UsersPage } from './users/UsersPage';
import { useLogHead } from './useLogHead';

const PAGES = [
  { href: '/', label: 'Users' },
  { href: '/timeline', label: 'Timeline' },
  { href: '/projections', label: 'Projections' },
] as const;

/** The page a path names (a user's page is under Users), or null for no page of this app. */
function currentPage(path: string): (typeof PAGES)[number]['href'] | null {
  if (path === '/timeline') return '/timeline';
  if (path === '/projections') return '/projections';
  if (path === '/' || path === '/index.html' || userIdOf(path) !== null) return '/';
  return null;
}

/** "/users/ID" names a user's page; a malformed escape such as "%E0%A4" names none. */
function userIdOf(path: string): string | null {
  const match = /^\/users\/([^/]+)$/.exec(path);
  if (match?.[1] === undefined) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

export function App() {
  const location = useLocation();
  const raw = location.split('?')[0] ?? '/';
  // "/timeline/" is "/timeline".
  const path = raw.length > 1 ? raw.replace(/\/$/, '') : raw;
  const page = currentPage(path);
  const userId = userIdOf(path);
  const head = useLogHead();
  // Each page names itself in the window's title, as a tab or a screen reader tells it.
  const title =
    page === null
      ? 'No such page'
      : userId !== null
        ? `User ${userId}`
        : (PAGES.find((p) => p.href === page)?.label ?? 'Users');
  useEffect(() => {
    document.title = `${title} · CQRS Workbench`;
  }, [title]);
  return (
    <div className="app">
      <header className="app-header">
        <h1>CQRS Workbench</h1>
        <nav aria-label="Main">
          {PAGES.map((p) => (
            <Link key={p.href} href={p.href} aria-current={p.href === page ? 'page' : undefined}>
              {p.label}
            </Link>
          ))}
        </nav>
        <p className="log-head">Events in log: {formatCount(head)}</p>
      </header>
      <ReloadBanner />
      <AfterReloadNotice />
      <LogLossBanner />
      <main>
        {page === '/' &&
          (userId === null ? <UsersPage /> : <UserPage key={userId} userId={userId} />)}
        {page === '/timeline' && <TimelinePage />}
        {page === '/projections' && <ProjectionsPage />}
        {page === null && <NotFound path={path} />}
      </main>
    </div>
  );
}

function NotFound({ path }: { path: string }) {
  return (
    <section className="card" aria-labelledby="not-found-heading">
      <h2 id="not-found-heading">No such page</h2>
      <p>
        There is no page at <code>{path}</code>. The pages are <Link href="/">Users</Link>,{' '}
        <Link href="/timeline">Timeline</Link> and <Link href="/projections">Projections</Link>.
      </p>
    </section>
  );
}
