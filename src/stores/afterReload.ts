/**
 * Why this tab loaded again, told once it has: an import it made, or one another tab made.
 * Kept in sessionStorage, which is per tab and outlives a reload.
 */
export type ReloadReason =
  | { readonly kind: 'imported'; readonly fileName: string; readonly events: number }
  | { readonly kind: 'replaced'; readonly events: number };

const KEY = 'cqrs-workbench: reloaded because';

/** Leaves the reason for the load that follows. */
export function tellAfterReload(reason: ReloadReason): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(reason));
  } catch {
    // No session storage here: the reload goes on, unexplained.
  }
}

function take(): ReloadReason | null {
  try {
    const text = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    return text === null ? null : (JSON.parse(text) as ReloadReason);
  } catch {
    return null;
  }
}

/** The reason left by the load before this one, taken (and so told) once. */
export const reloadedBecause: ReloadReason | null = take();
