import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { RecordedEvent } from '../domain';
import type { ClaimRule } from './types';

export interface StreamRecord {
  readonly streamId: string;
  readonly version: number;
  readonly lastPosition: number;
  /** Keys of the packed segments that hold events of this stream (v3). */
  readonly segments?: readonly number[];
}

/**
 * Up to 1,024 consecutive events packed in one record (v3): one structured clone instead of
 * a thousand, which is what makes long logs fast to write and to read. Keyed by `last`, so
 * the segments that hold positions from p on are the keys from p on.
 */
export interface SegmentRecord {
  readonly first: number;
  readonly last: number;
  readonly events: readonly RecordedEvent[];
}

/** Positions are contiguous per command, so a range is enough to find its events again. */
export interface CommandRecord {
  readonly commandId: string;
  readonly first: number;
  readonly last: number;
  readonly type?: string;
  readonly data?: unknown;
}

export interface ClaimRecord {
  readonly key: string;
  readonly owner: string;
}

export interface WorkbenchDB extends DBSchema {
  events: {
    key: number;
    value: RecordedEvent;
    indexes: { byStream: [string, number] };
  };
  segments: { key: number; value: SegmentRecord };
  streams: { key: string; value: StreamRecord };
  commands: { key: string; value: CommandRecord };
  claims: { key: string; value: ClaimRecord };
  meta: { key: string; value: number };
  rejections: { key: number; value: RejectionRecord };
}

/** A refused command, kept for the timeline: what was asked, why not, and when. */
export interface RejectionRecord {
  readonly id?: number;
  readonly commandId: string;
  readonly commandType: string;
  readonly data: unknown;
  readonly code: string;
  readonly message: string;
  readonly recordedAt: string;
  /** The log head when it was refused: the lane shows it between events. */
  readonly afterPosition: number;
}

export const DB_VERSION = 4;
export const HEAD_KEY = 'head';

type UpgradeTx = IDBPTransaction<WorkbenchDB, StoreNames<WorkbenchDB>[], 'versionchange'>;
type Step = (
  db: IDBPDatabase<WorkbenchDB>,
  tx: UpgradeTx,
  claimRule: ClaimRule,
) => void | Promise<void>;

/**
 * The upgrade ladder: step n takes a database at version n-1 to version n. Steps never
 * change stored events; they add stores and derive what the new layout needs from the log.
 */
export const MIGRATIONS: readonly Step[] = [
  // v1: the log alone; a stream's version was found through the byStream index.
  (db) => {
    const events = db.createObjectStore('events', { keyPath: 'position' });
    events.createIndex('byStream', ['streamId', 'version'], { unique: true });
  },
  // v2: stream heads, command ids, unique claims and the log head, kept in the append
  // transaction so a write needs no index scan. Derived once from the existing log here.
  async (db, tx, claimRule) => {
    db.createObjectStore('streams', { keyPath: 'streamId' });
    db.createObjectStore('commands', { keyPath: 'commandId' });
    db.createObjectStore('claims', { keyPath: 'key' });
    db.createObjectStore('meta');
    await deriveFromLog(tx, claimRule);
  },
  // v3: packed segments. The `events` store keeps the fresh tail as single records; runs of
  // them are sealed into segments later, in transactions of their own (see `segments.ts`).
  (db) => {
    db.createObjectStore('segments', { keyPath: 'last' });
  },
  // v4: refused commands, kept with their reason. Never part of the log.
  (db) => {
    db.createObjectStore('rejections', { keyPath: 'id', autoIncrement: true });
  },
];

async function deriveFromLog(tx: UpgradeTx, claimRule: ClaimRule): Promise<void> {
  const streams = new Map<string, StreamRecord>();
  const commands = new Map<string, CommandRecord>();
  const claims = new Map<string, string>();
  let head = 0;
  let cursor = await tx.objectStore('events').openCursor();
  while (cursor) {
    const e = cursor.value;
    head = e.position;
    streams.set(e.streamId, { streamId: e.streamId, version: e.version, lastPosition: e.position });
    const cmd = commands.get(e.metadata.commandId);
    commands.set(e.metadata.commandId, {
      commandId: e.metadata.commandId,
      first: cmd?.first ?? e.position,
      last: e.position,
    });
    const changes = claimRule(e);
    for (const key of changes.release) if (claims.get(key) === e.streamId) claims.delete(key);
    for (const key of changes.claim) claims.set(key, e.streamId);
    cursor = await cursor.continue();
  }
  for (const s of streams.values()) void tx.objectStore('streams').put(s);
  for (const c of commands.values()) void tx.objectStore('commands').put(c);
  for (const [key, owner] of claims) void tx.objectStore('claims').put({ key, owner });
  void tx.objectStore('meta').put(head, HEAD_KEY);
}

/** Runs the steps from `oldVersion` up to `newVersion` inside the versionchange transaction. */
export async function upgrade(
  db: IDBPDatabase<WorkbenchDB>,
  oldVersion: number,
  newVersion: number,
  tx: UpgradeTx,
  claimRule: ClaimRule,
): Promise<void> {
  for (let v = oldVersion; v < newVersion; v++) await MIGRATIONS[v]?.(db, tx, claimRule);
}
