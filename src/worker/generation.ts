import { createCommandHandler, generateEvents, GENERATION_BATCH_SIZE, noneDone } from '../commands';
import { messageOf } from '../domain';
import type { EventStore, LogLoss, LogMark, MarkKeeper } from '../eventstore';
import type { FromGenerator, GenerationResult, ToGenerator } from './protocol';

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
  /** Runs `work` while no other generation over this log runs, in any tab. */
  readonly oneAtATime: OneAtATime;
}

/**
 * Runs `work` once no other run holds the turn; calls `onWait` first if one does. Aborting
 * `signal` while waiting gives up the wait (the promise rejects) and runs nothing.
 */
export type OneAtATime = <T>(
  work: () => Promise<T>,
  options: { readonly signal: AbortSignal; readonly onWait: () => void },
) => Promise<T>;

/** One turn across the browser's tabs and workers, by a Web Lock of this name. */
export function webLockTurns(name: string): OneAtATime {
  const busy = Symbol('busy');
  return async (work, { signal, onWait }) => {
    const now = await navigator.locks.request(name, { ifAvailable: true }, (lock) =>
      lock === null ? busy : work(),
    );
    if (now !== busy) return now;
    onWait();
    return navigator.locks.request(name, { signal }, work);
  };
}

/**
 * The generation worker's side: runs one generation through the real command handler, in
 * batches, and reports each batch. A bulk run in a worker of its own leaves the page's
 * thread free: on the page, a million events had held it 50-190 ms at a time, about ten
 * times per run (batches of 2,000 commands, and the garbage collector's pauses).
 *
 * Runs over one log take turns: two runs begun at the same head would share their ids and
 * emails (both are named after the head), and the second would see its commands refused.
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
    let started = false;
    const result = await deps
      .oneAtATime(
        () => {
          started = true;
          return generate(request);
        },
        {
          signal: controller.signal,
          onWait: () => {
            post({ type: 'waiting' });
          },
        },
      )
      .catch((error: unknown) => {
        // Only a wait given up is "nothing written": a run that began reports how it ended.
        if (started || !controller.signal.aborted) throw error;
        return { result: { ...noneDone(request.count), cancelled: true }, head: null };
      })
      .catch((error: unknown) => ({ error }));
    if ('error' in result) post({ type: 'failed', message: messageOf(result.error) });
    else post({ type: 'finished', ...result });
  }

  async function generate(
    request: Extract<ToGenerator, { type: 'start' }>,
  ): Promise<{ result: GenerationResult; head: number }> {
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
    let head = await store.head();
    // Begun: the page stops saying it waits, and shows the bar from here.
    post({
      type: 'progress',
      progress: noneDone(request.count),
      head,
    });
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
      // Ids and emails carry where the log stood, read while this run holds the turn, so a
      // later run over the same log never collides with this one.
      runTag: `g${head.toString(36)}`,
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
    return { result, head };
  }
}
