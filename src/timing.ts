// Pacing that the page, the workers and the event store share: nothing here touches their state.

/**
 * Lets queued work run (messages, input, drawing) before going on: a task of its own, through
 * a MessageChannel. Not setTimeout(0), which browsers clamp to 4 ms once nested: 500 batches
 * would wait two seconds for nothing. Used between the steps of any long job, on the page or
 * in a worker.
 */
export function yieldNow(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * `fn` at once when it has not run for `ms`, else once when that interval ends, with the
 * latest value: never more often than every `ms`, and the last call is never lost. `cancel`
 * drops a call still waiting.
 */
export function throttled<T = void>(
  fn: (value: T) => void,
  ms: number,
): { call: (value: T) => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = Number.NEGATIVE_INFINITY;
  let latest: T;
  const run = () => {
    timer = undefined;
    last = performance.now();
    fn(latest);
  };
  return {
    call: (value) => {
      latest = value;
      if (timer !== undefined) return;
      const wait = last + ms - performance.now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    cancel: () => {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
