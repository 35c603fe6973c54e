import { navigate, queryOf } from '../router';

/** The cursor lives in the URL (`/timeline?at=N`), so a copied link reopens the same view. */
export function cursorFromLocation(location: string): number | null {
  const at = queryOf(location).get('at');
  // Written as a person writes a position: Number() alone would also take "0x2" or "1e0".
  return at !== null && /^-?\d+$/.test(at.trim()) ? Number(at) : null;
}

/** Moves the cursor; steps replace the history entry, so Back leaves the timeline. */
export function moveCursor(position: number): void {
  navigate(`/timeline?at=${String(position)}`, { replace: true });
}

export const clamp = (position: number, head: number): number =>
  Math.max(head === 0 ? 0 : 1, Math.min(position, head));
