import type { IDBPDatabase } from 'idb';
import type { WorkbenchDB } from './schema';
import { headOf } from './schema';
import { pack, SEGMENT_SIZE, type StreamNumbers } from './segments';

/**
 * Seals the oldest run of single events into one packed segment, in one transaction that
 * puts the segment and deletes the singles: a crash part-way leaves the singles as they were. A run is sealed when it is full, or
 * when events after it are already packed (a short run between two large appends).
 * Returns how many events it sealed; 0 means there is nothing to seal.
 */
export async function sealRun(
  db: IDBPDatabase<WorkbenchDB>,
  /** What the sealing store knows of stream numbers, for a run from `first` in the log with
   * this head and epoch (undefined: nothing it can be sure of). */
  numbers: (
    first: number,
    log: { head: number; epoch: number },
  ) => StreamNumbers | undefined = () => undefined,
  beforeCommit: (tx: { abort(): void }) => void = () => undefined,
): Promise<number> {
  const tx = db.transaction(['events', 'segments', 'meta'], 'readwrite');
  const singles = await tx.objectStore('events').getAll(undefined, SEGMENT_SIZE);
  const first = singles[0];
  const { head, epoch } = await headOf(tx.objectStore('meta'));
  const run =
    first === undefined ? [] : singles.filter((e, i) => e.position === first.position + i);
  const last = run.at(-1);
  if (
    first === undefined ||
    last === undefined ||
    (run.length < SEGMENT_SIZE && !(await packedAfter(tx, last.position, head)))
  ) {
    await tx.done;
    return 0;
  }
  const writes: Promise<unknown>[] = [
    ...pack(run, numbers(first.position, { head, epoch })).map((segment) =>
      tx.objectStore('segments').add(segment),
    ),
    tx.objectStore('events').delete(IDBKeyRange.bound(first.position, last.position)),
  ];
  beforeCommit(tx);
  // Awaited together, so an abort is one rejection and no write's is left unhandled.
  await Promise.all([...writes, tx.done]);
  return run.length;
}

/** Whether the event right after `position` exists and is already in a segment. */
async function packedAfter(
  tx: {
    objectStore(name: 'segments'): { getKey(query: IDBKeyRange): Promise<number | undefined> };
  },
  position: number,
  head: number,
): Promise<boolean> {
  if (position >= head) return false;
  return (
    (await tx.objectStore('segments').getKey(IDBKeyRange.lowerBound(position + 1))) !== undefined
  );
}
