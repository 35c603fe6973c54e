/**
 * A new query is answered at once. Changes are answered about once a frame when one comes
 * alone; while they keep coming (a generation, an import, another tab's run), every
 * STREAMING_MS; during a long replay, less often still. Drawing every window at every frame
 * while a million events were generated kept the page's thread busy for the whole run.
 */
const LIVE_MS = 16;
const STREAMING_MS = 100;
const CATCHING_UP_MS = 200;

export interface FlushSchedule {
  /** Read models changed: their windows are answered as above. */
  changed(): void;
  /** A window was asked for: answered at once, with any change waiting. */
  asked(): void;
}

/**
 * Times the answers to the views' windows. `flush` answers every window with something to
 * send (`hasPending`); one runs at a time per timer, and what came meanwhile is answered after.
 */
export function flushSchedule(options: {
  readonly hasPending: () => boolean;
  /** A read model is replaying far behind the head. */
  readonly behind: () => boolean;
  readonly flush: () => Promise<void>;
  /** A flush failed: nothing more is answered until the next change or query. */
  readonly failed: (error: unknown) => void;
}): FlushSchedule {
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending answer goes out; a sooner one takes its place. */
  let at = Number.POSITIVE_INFINITY;
  /** When changes were last answered, and whether some wait to be. */
  let changesAnsweredAt = Number.NEGATIVE_INFINITY;
  let changesWaiting = false;

  const answer = () => {
    timer = undefined;
    at = Number.POSITIVE_INFINITY;
    if (changesWaiting) changesAnsweredAt = performance.now();
    changesWaiting = false;
    options.flush().then(() => {
      schedule(undefined);
    }, options.failed);
  };
  const schedule = (delay: number | undefined) => {
    if (!options.hasPending()) return;
    const now = performance.now();
    const wait = delay ?? changesDelay(options.behind(), now - changesAnsweredAt);
    if (timer !== undefined) {
      if (now + wait >= at) return;
      clearTimeout(timer);
    }
    at = now + wait;
    timer = setTimeout(answer, wait);
  };
  return {
    changed: () => {
      changesWaiting = true;
      schedule(undefined);
    },
    asked: () => {
      schedule(0);
    },
  };
}

/** How long changes wait, `since` ms after changes were last answered. */
function changesDelay(behind: boolean, since: number): number {
  if (behind) return CATCHING_UP_MS;
  return since < STREAMING_MS ? STREAMING_MS - since : LIVE_MS;
}
