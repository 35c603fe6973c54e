import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * A router of a few lines: the app has four routes, and the History API with
 * useSyncExternalStore covers them without another dependency.
 */
const NAVIGATE = 'workbench:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE, onChange);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** The current path and query string, e.g. "/timeline?at=3". */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, snapshot);
}

/** The query of a location as `useLocation` gives it ("/timeline?at=3" → at=3). */
export const queryOf = (location: string): URLSearchParams =>
  new URLSearchParams(location.split('?')[1] ?? '');

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace === true) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE));
}

/** A link within the app; `replace` takes the place of this history entry instead of adding one. */
export function Link({
  replace,
  ...props
}: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; replace?: boolean }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    props.onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || modified || event.button !== 0) return;
    event.preventDefault();
    navigate(props.href, { replace: replace === true });
  };
  return <a {...props} onClick={onClick} />;
}
