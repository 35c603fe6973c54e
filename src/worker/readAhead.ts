import { runOf, type LogRun } from '../eventstore';

type Read = (from: number, limit: number) => Promise<LogRun>;

/** How many batches a replay, or the timeline's first fold, reads ahead of itself. */
export const READ_AHEAD = 3;

/**
 * Keeps up to `depth` reads of consecutive batches of the log in flight ahead of the fold:
 * the reads run in the browser's storage thread while this one folds, so a replay waits
 * for storage only when storage is the slower of the two. Asking for any position other than
 * the one the queue expects (a rebuild started, the log ended early) starts the queue again.
 */
export class ReadAhead {
  private queue: { from: number; to: number; batch: Promise<LogRun> }[] = [];

  constructor(
    private readonly read: Read,
    private readonly size: number,
    private readonly depth: number,
  ) {}

  /** The batch from `from` on, of at most `size` events and none past `until`. */
  next(from: number, until: number): Promise<LogRun> {
    if (this.queue[0]?.from !== from) this.queue = [];
    this.fill(from, until);
    const head = this.queue.shift();
    // On from the batch handed out, not from `from`: an emptied queue would read it again.
    if (head !== undefined) this.fill(head.to + 1, until);
    return head?.batch ?? Promise.resolve(runOf([], from));
  }

  private fill(from: number, until: number): void {
    while (this.queue.length < this.depth) {
      const start = (this.queue.at(-1)?.to ?? from - 1) + 1;
      if (start > until) return;
      const to = Math.min(until, start + this.size - 1);
      const batch = this.read(start, to - start + 1);
      batch.catch(() => undefined); // a read left behind must not be an unhandled rejection
      this.queue.push({ from: start, to, batch });
    }
  }
}
