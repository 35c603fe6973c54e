/**
 * Runs `body` one call at a time. A call that comes while it runs is not queued: it marks
 * that the body must run once more, and shares the promise of the run under way, which ends
 * after that extra run. So a burst of calls costs at most one more run, and none is missed.
 */
export function serialLoop(body: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running !== null) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await body();
      } while (again as boolean);
    })().finally(() => {
      running = null;
    });
    return running;
  };
}
