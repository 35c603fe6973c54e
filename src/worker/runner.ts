import { messageOf, type DomainEvent } from '../domain';
import { applyChanges, type Projection } from '../projections';
import type { ProjectionState } from './protocol';
import type { BulkReplay } from './bulkReplay';
import { RateMeter } from './rate';

/** One read model as the worker holds it: its rows, how far it has folded, and its health. */
export interface Runner {
  readonly projection: Projection<unknown>;
  model: Map<string, unknown>;
  /** Reads the current model's rows; made once, not per event. */
  readonly read: (key: string) => unknown;
  /** The last event folded (or skipped); the model reflects exactly the log up to here. */
  position: number;
  /** A long replay through the projection's bulk fold, which may have folded further. */
  bulk: BulkReplay | null;
  state: ProjectionState;
  fault: { readonly position: number; readonly message: string } | null;
  skips: Set<number>;
  /** Events folded since the last snapshot was saved. */
  unsaved: number;
  restoredFrom: number | null;
  replayed: number;
  /** The running or last rebuild: how far its copy has come, and how long it took. */
  rebuild: { done: number; total: number; running: boolean; ms: number } | null;
  readonly meter: RateMeter;
}

export function createRunner(projection: Projection<unknown>, now: number): Runner {
  const runner: Runner = {
    projection,
    model: new Map(),
    read: (key) => runner.model.get(key),
    position: 0,
    bulk: null,
    state: 'starting',
    fault: null,
    skips: new Set(),
    unsaved: 0,
    restoredFrom: null,
    replayed: 0,
    rebuild: null,
    meter: new RateMeter(now),
  };
  return runner;
}

/** The last event folded into a runner's rows, committed to its model or not yet. */
export function foldedTo(runner: Runner): number {
  return runner.bulk?.position ?? runner.position;
}

/**
 * Folds one event into one read model, exactly once and in position order: anything but
 * the next position is ignored, so a repeated or late batch changes nothing. A fold that throws
 * stops this read model at that event (state "faulted"); the others go on. Returns whether
 * any row changed.
 */
export function applyEvent(runner: Runner, position: number, event: DomainEvent | Error): boolean {
  // Only the very next event: a repeat is ignored, and so is one past a gap (the runner was
  // reset while a batch was in flight), which a later read will bring in order.
  if (position !== runner.position + 1 || runner.fault !== null) return false;
  if (runner.skips.size !== 0 && runner.skips.has(position)) {
    runner.position = position;
    return false;
  }
  try {
    if (event instanceof Error) throw event;
    const changes = runner.projection.project(event, runner.read);
    applyChanges(runner.model, changes);
    runner.position = position;
    runner.unsaved += 1;
    runner.replayed += 1;
    return changes.length > 0;
  } catch (error) {
    runner.state = 'faulted';
    runner.fault = { position, message: messageOf(error) };
    return false;
  }
}
