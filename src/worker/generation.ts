import { createCommandHandler, generateEvents, GENERATION_BATCH_SIZE } from '../commands';
import { messageOf } from '../domain';
import type { EventStore, LogLoss, LogMark, MarkKeeper } from '../eventstore';
import type { FromGenerator, ToGenerator } from './protocol';

export interface GeneratorPort {
  postMessage(message: FromGenerator): void;
  onmessage: ((event: MessageEvent<ToGenerator>) => void) | null;
}

export interface GeneratorDeps {
  /** Opens the log with this watermark keeper; `onLoss` when it is found below the mark. */
  readonly open: (marks: MarkKeeper, onLoss: (loss: LogLoss) => void) => Promise<EventStore>;
  /** Tells every tab and worker that the log reaches a position. */
  readonly announce: (position: number) => void;
  readonly newId: () => string;
  readonly clock: () => string;
}

/**
 * The generation worker's side: runs one generation through the real command handler, in
 * batches, and reports each batch. A bulk run in a worker of its own leaves the page's
 * thread free: on the page, a million events had held it 50-190 ms at a time, about ten
 * times per run (batches of 2,000 commands, and the garbage collector's pauses).
 */
export function serveGeneration(port: GeneratorPort, deps: GeneratorDeps): void {
  const controller = new AbortController();
  const post = (message: FromGenerator) => {
    port.postMessage(message);
  };
  port.onmessage = ({ data }) => {
    if (data.type === 'cancel') controller.abort();
    else void run(data);
  };
  async function run(request: Extract<ToGenerator, { type: 'start' }>): Promise<void> {
    let head = 0;
    try {
      // The page's mark, and each one this run raises: every connection, the first and any
      // one after the browser dropped the last, is checked against them, as on the page.
      let seen: LogMark | null = request.mark;
      const marks: MarkKeeper = {
        read: () => seen,
        write: (mark) => {
          seen = mark;
          post({ type: 'mark', mark });
        },
      };
      const store = await deps.open(marks, (loss) => {
        post({ type: 'lost', loss });
        // Thrown where the connection is opened, so nothing is written over the loss.
        throw new Error(
          `the log holds ${loss.found.head.toLocaleString('en-US')} events where this browser saw ` +
            `${loss.seen.head.toLocaleString('en-US')}: nothing more is written until that is settled`,
        );
      });
      head = await store.head();
      const handler = createCommandHandler({
        store,
        clock: deps.clock,
        announce: (position) => {
          head = Math.max(head, position);
          deps.announce(position);
        },
      });
      const result = await generateEvents(handler, {
        count: request.count,
        seed: request.seed,
        runTag: request.runTag,
        batchSize: GENERATION_BATCH_SIZE,
        newId: deps.newId,
        signal: controller.signal,
        onProgress: (progress) => {
          post({ type: 'progress', progress, head });
        },
      });
      // The next store to open the log (the page's, after this run) loads what this one
      // took in, instead of folding every event of the run again. Failing costs only that.
      await store.keepIndex().catch(() => undefined);
      post({ type: 'finished', result, head });
    } catch (error) {
      post({ type: 'failed', message: messageOf(error) });
    }
  }
}
