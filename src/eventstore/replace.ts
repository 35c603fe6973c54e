import type { IDBPDatabase } from 'idb';
import type { RecordedEvent } from '../domain';
import { commandRuns, EPOCH_KEY, HEAD_KEY, type RecordedCommand, type WorkbenchDB } from './schema';
import { committed, LogChangedError, queued } from './errors';
import { pack } from './segments';
import { sameMark } from './watermark';
import type { LogReplacement } from './types';

const STAGING = ['importSegments', 'importCommandRuns'] as const;

/**
 * Replaces the whole log with another, as one step: the new events are written, packed, to
 * staging stores in as many transactions as they need; one last transaction then clears the
 * log, moves them in, sets the head and raises the epoch. A crash before that last commit
 * leaves the old log as it was (the staging is cleared when the next import begins); the
 * last transaction either happens whole or not at all.
 */
export async function beginReplacement(
  db: IDBPDatabase<WorkbenchDB>,
  replaced: () => void,
): Promise<LogReplacement> {
  await clearStaging(db);
  let next = 1;
  /** Each stream's number: the file is the whole log, read from its start. */
  const numbers = new Map<string, number>();
  return {
    async add(events: readonly RecordedEvent[], commands: readonly RecordedCommand[]) {
      if (events.length === 0) return;
      if (events[0]?.position !== next) {
        throw new Error(`The next event must be at position ${String(next)}`);
      }
      const tx = db.transaction(STAGING, 'readwrite');
      await committed(
        tx,
        Promise.all([
          ...pack(events, {
            begun: numbers.size,
            numberOf: (streamId) => numbers.get(streamId),
          }).map((s) => tx.objectStore('importSegments').add(s)),
          ...commandRuns(commands).map((r) => tx.objectStore('importCommandRuns').add(r)),
          tx.done,
        ]),
      );
      next += events.length;
      for (const e of events) if (!numbers.has(e.streamId)) numbers.set(e.streamId, numbers.size);
    },
    async commit(expected) {
      const tx = db.transaction(
        ['events', 'segments', 'commandRuns', 'rejections', 'meta', ...STAGING],
        'readwrite',
      );
      const byLast = (record: { last: number }) => record.last;
      /** The head found, when it was not the log the replacement was confirmed for. */
      let changed = null as number | null;
      const swap = async () => {
        const [epoch = 0, head = 0] = await Promise.all([
          tx.objectStore('meta').get(EPOCH_KEY),
          tx.objectStore('meta').get(HEAD_KEY),
        ]);
        if (expected !== undefined && !sameMark({ head, epoch }, expected)) {
          changed = head;
          tx.abort();
          return;
        }
        await Promise.all(
          (['events', 'segments', 'commandRuns', 'rejections'] as const).map((store) =>
            tx.objectStore(store).clear(),
          ),
        );
        await moveAll(tx.objectStore('importSegments'), tx.objectStore('segments'), byLast);
        await moveAll(tx.objectStore('importCommandRuns'), tx.objectStore('commandRuns'), byLast);
        await Promise.all([
          ...STAGING.map((store) => tx.objectStore(store).clear()),
          tx.objectStore('meta').put(next - 1, HEAD_KEY),
          tx.objectStore('meta').put(epoch + 1, EPOCH_KEY),
        ]);
      };
      // A write the browser refuses aborts it all, and is reported in plain words.
      try {
        await committed(tx, Promise.all([swap(), tx.done]));
      } catch (error) {
        if (changed !== null) throw new LogChangedError(changed);
        throw error;
      }
      replaced();
      return next - 1;
    },
    abandon: () => clearStaging(db),
  };
}

async function clearStaging(db: IDBPDatabase<WorkbenchDB>): Promise<void> {
  const tx = db.transaction(STAGING, 'readwrite');
  await Promise.all([...STAGING.map((store) => tx.objectStore(store).clear()), tx.done]);
}

/** Records moved per read: one read per record had the page wait on each, a thousand times at a million events. */
const MOVE_CHUNK = 32;

/** Copies every record of `from` into `to`, in key order, a chunk per read. */
async function moveAll<T>(
  from: { getAll(range: IDBKeyRange | null, count: number): Promise<T[]> },
  to: { add(value: T): Promise<unknown> },
  keyOf: (record: T) => number,
): Promise<void> {
  for (let after = -Infinity; ;) {
    const records = await from.getAll(IDBKeyRange.lowerBound(after, true), MOVE_CHUNK);
    for (const record of records) queued(to.add(record));
    const last = records.at(-1);
    if (last === undefined || records.length < MOVE_CHUNK) return;
    after = keyOf(last);
  }
}
