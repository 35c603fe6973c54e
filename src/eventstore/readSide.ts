import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { reconnecting } from './connection';
import { committed } from './errors';

/**
 * Persistence of the read side, in a database of its own so that the read side can be
 * dropped or change its layout without touching the log. A snapshot holds a read model's
 * rows and the position they reflect (its checkpoint) in one record, so they are written
 * in one transaction: a crash can lose the latest snapshot, never split it from its
 * position.
 */
export interface ReadModelSnapshot {
  readonly name: string;
  readonly codeVersion: number;
  /** The last event folded into `rows`. */
  readonly position: number;
  /** The log's epoch it was folded from; a snapshot of a replaced log is thrown away. */
  readonly logEpoch?: number;
  readonly rows: readonly (readonly [string, unknown])[];
  readonly savedAt: string;
}

export interface SkipRecord {
  readonly projection: string;
  readonly position: number;
  readonly reason: string;
  /** The log's epoch it was chosen in: a position of a replaced log means another event. */
  readonly logEpoch?: number;
}

interface ReadSideDB extends DBSchema {
  snapshots: { key: string; value: ReadModelSnapshot };
  skips: { key: [string, number]; value: SkipRecord };
}

export interface ReadSideStore {
  load(name: string): Promise<ReadModelSnapshot | undefined>;
  /** Writes every snapshot in one transaction. */
  save(snapshots: readonly ReadModelSnapshot[]): Promise<void>;
  drop(name: string): Promise<void>;
  /**
   * Positions a person chose to skip for this read model in the log of this epoch; a rebuild
   * skips them again. Skips of a replaced log are left out, even if a crash kept them.
   */
  skips(name: string, logEpoch: number): Promise<number[]>;
  addSkip(skip: SkipRecord): Promise<void>;
  clearSkips(name: string): Promise<void>;
  close(): void;
}

export const DEFAULT_READ_DB_NAME = 'cqrs-workbench-read';

export async function openReadSideStore(name = DEFAULT_READ_DB_NAME): Promise<ReadSideStore> {
  const connection = await reconnecting((dropped) => openReadSide(name, dropped));
  return {
    load: async (projection) => (await connection()).get('snapshots', projection),
    async save(snapshots) {
      const tx = (await connection()).transaction('snapshots', 'readwrite');
      await committed(tx, Promise.all([...snapshots.map((s) => tx.store.put(s)), tx.done]));
    },
    drop: async (projection) => (await connection()).delete('snapshots', projection),
    async skips(projection, logEpoch) {
      return (await (await connection()).getAll('skips', skipsOf(projection)))
        .filter((s) => (s.logEpoch ?? 0) === logEpoch)
        .map((s) => s.position);
    },
    async addSkip(skip) {
      await (await connection()).put('skips', skip);
    },
    async clearSkips(projection) {
      await (await connection()).delete('skips', skipsOf(projection));
    },
    // A connection that could not be had has nothing to close.
    close: () => {
      connection().then(
        (db) => {
          db.close();
        },
        () => undefined,
      );
    },
  };
}

function openReadSide(name: string, dropped: () => void): Promise<IDBPDatabase<ReadSideDB>> {
  return openDB<ReadSideDB>(name, 1, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('snapshots', { keyPath: 'name' });
        database.createObjectStore('skips', { keyPath: ['projection', 'position'] });
      }
    },
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
    },
    terminated: dropped,
  });
}

/** Every skip recorded for one read model. */
const skipsOf = (projection: string) => IDBKeyRange.bound([projection, 0], [projection, Infinity]);
