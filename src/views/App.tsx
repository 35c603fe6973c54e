import { useStore } from 'zustand';
import { logHeadStore } from '../stores/logHead';
import { ComingSoon } from './ComingSoon';
import { Link, useLocation } from './router';
import { UsersPage } from './users/UsersPage';

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

export function App() {
  const location = useLocation();
  const page = currentPage(location.split('?')[0] ?? '/');
  const head = useStore(logHeadStore, (s) => s.head);
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
        <p className="log-head">Events in log: {head.toLocaleString('en-US')}</p>
      </header>
      <main>
        {page === '/' && <UsersPage />}
        {page === '/timeline' && (
          <ComingSoon title="Timeline">
            <p>
              The event-timeline inspector steps through the log and shows every read model as it
              stood after any event, what each event changed, and why. It arrives with the inspector
              work; the log it will show is already being recorded.
            </p>
          </ComingSoon>
        )}
        {page === '/projections' && (
          <ComingSoon title="Projections">
            <p>
              The projection worker and its read models (user profiles, users by email domain,
              activity summary) arrive with the read side: their status, position, lag and rebuilds
              will be listed here.
            </p>
          </ComingSoon>
        )}
      </main>
    </div>
  );
}
