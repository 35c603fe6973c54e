import { logHeadStore } from '../stores/logHead';
import { formatCount } from './format';
import { LogLossBanner } from './LogLossBanner';
import { Link, useLocation } from './router';
import { ProjectionsPage } from './projections/ProjectionsPage';
import { ReloadBanner } from './ReloadBanner';
import { TimelinePage } from './timeline/TimelinePage';
import { UserPage } from './users/UserPage';
import { UsersPage } from './users/UsersPage';
import { STEADY_MS, useThrottledStore } from './useThrottledStore';

const selectHead = (s: { readonly head: number }) => s.head;

const PAGES = [
  { href: '/', label: 'Users' },
  { href: '/timeline', label: 'Timeline' },
  { href: '/projections', label: 'Projections' },
] as const;

function currentPage(path: string): (typeof PAGES)[number]['href'] {
  if (path.startsWith('/timeline')) return '/timeline';
  if (path.startsWith('/projections')) return '/projections';
  return '/';
}

/** "/users/ID" names a user's page. */
function userIdOf(path: string): string | null {
  const match = /^\/users\/([^/]+)$/.exec(path);
  return match?.[1] === undefined ? null : decodeURIComponent(match[1]);
}

export function App() {
  const location = useLocation();
  const path = location.split('?')[0] ?? '/';
  const page = currentPage(path);
  const userId = userIdOf(path);
  const head = useThrottledStore(logHeadStore, selectHead, STEADY_MS);
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
      <LogLossBanner />
      <main>
        {page === '/' &&
          (userId === null ? <UsersPage /> : <UserPage key={userId} userId={userId} />)}
        {page === '/timeline' && <TimelinePage />}
        {page === '/projections' && <ProjectionsPage />}
      </main>
    </div>
  );
}
