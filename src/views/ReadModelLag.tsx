import type { ProjectionName } from '../projections';
import { readSideStore, type ReadSideState } from '../stores/readSide';
import { countOf } from './format';
import { STEADY_MS, useThrottledStore } from './useThrottledStore';

/** What a live view can honestly say about how current it is. */
export function describeLag(state: ReadSideState, names: readonly ProjectionName[]): string {
  if (state.stopped !== null)
    return `stopped: the projection worker failed (${state.stopped}); reload the page`;
  const shown = state.projections.filter((p) => names.includes(p.name));
  if (shown.length === 0) return 'starting the read models…';
  const faulted = shown.find((p) => p.state === 'faulted');
  if (faulted?.fault) {
    return `stopped: ${faulted.title} is faulted at position ${faulted.fault.position}`;
  }
  const position = Math.min(...shown.map((p) => p.position));
  const behind = Math.max(0, state.head - position);
  if (behind === 0) return `up to date at position ${position}`;
  const ms = Math.max(...shown.map((p) => p.lagMs));
  return `catching up: ${countOf(behind, 'event')} and ${ms} ms behind (at position ${position} of ${state.head})`;
}

/** The `status` every live view shows: how far behind the log its read models are. */
export function ReadModelLag({ names }: { names: readonly ProjectionName[] }) {
  const text = useThrottledStore(readSideStore, (s) => describeLag(s, names), STEADY_MS);
  return (
    <p role="status" aria-label="Read model lag" className="lag">
      {text}
    </p>
  );
}
