import type { ProjectionName } from '../projections';
import { readSideStore, stoppedBecause, type ReadSideState } from '../stores/readSide';
import { countOf, formatCount } from './format';
import { useLogHead } from './useLogHead';
import { STEADY_MS, useThrottledStore } from './useThrottledStore';

/**
 * What a live view can honestly say about how current it is. `logHead` is how far this page
 * knows the log reaches, which may be ahead of what the worker has heard of yet (a burst of
 * batches from another tab): "up to date" only when the read models are at both.
 */
export function describeLag(
  state: ReadSideState,
  names: readonly ProjectionName[],
  logHead = 0,
): string {
  const stopped = stoppedBecause(state, names);
  if (stopped !== null) return `stopped: ${stopped}`;
  const shown = state.projections.filter((p) => names.includes(p.name));
  if (shown.length === 0) return 'starting the read models…';
  const head = Math.max(state.head, logHead);
  const position = Math.min(...shown.map((p) => p.position));
  const behind = Math.max(0, head - position);
  if (behind === 0) return `up to date at position ${String(position)}`;
  const ms = Math.max(...shown.map((p) => p.lagMs));
  const late = ms > 0 ? ` and ${formatCount(ms)} ms` : '';
  return `catching up: ${countOf(behind, 'event')}${late} behind (at position ${String(position)} of ${String(head)})`;
}

/** The `status` every live view shows: how far behind the log its read models are. */
export function ReadModelLag({ names }: { names: readonly ProjectionName[] }) {
  const logHead = useLogHead();
  const text = useThrottledStore(readSideStore, (s) => describeLag(s, names, logHead), STEADY_MS);
  return (
    <p role="status" aria-label="Read model lag" className="lag">
      {text}
    </p>
  );
}
