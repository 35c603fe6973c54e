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
