import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { RecordedEvent } from '../domain';
import { encodeSegment, frontCode, frontDecode, type SegmentRecord } from './codec';
import { queued } from './errors';
import type { IndexSnapshotRecord } from './indexSnapshot';
import type { ClaimRule } from './types';

/** A stream's head as v2 to v4 kept it; v5 keeps it in memory (see `writeIndex.ts`). */
interface StreamRecord {
  readonly streamId: string;
  readonly version: number;
  readonly lastPosition: number;
  /** Keys of the packed segments that hold events of this stream (v3). */
  readonly segments?: readonly number[];
}

/**
 * Up to 1,024 consecutive events as they were packed in v3 and v4: one structured clone
 * instead of a thousand. v5 turns them into columns (see `codec.ts`).
 */
interface ObjectSegmentRecord {
  readonly first: number;
  readonly last: number;
  readonly events: readonly RecordedEvent[];
}

/** Positions are contiguous per command, so a range is enough to find its events again. */
export interface RecordedCommand {
  readonly commandId: string;
  readonly first: number;
  readonly last: number;
  /** The command itself, when it was kept with its events. */
  readonly type?: string;
  readonly data?: unknown;
}

/**
 * The commands of one append (v5), keyed by the last position they cover: one record per
 * transaction rather than one per command, and strings rather than objects, which structured
 * clone copies flat. The command of position p is in the first record keyed p or later.
 * Read them with `commandsOf`.
 */
export interface CommandRunRecord {
  readonly first: number;
  readonly last: number;
  /**
   * A JSON array. With `ids`: per command [span, type, data], or [span] where the command
   * itself was not kept, span being how many positions it covers, each command beginning
   * where the one before it ended. Without (records written before): `RecordedCommand`s.
   */
  readonly commands: string;
  /**
   * The command ids, front-coded (`frontCode`): a run's ids mostly differ only at their end.
   * With keys spelled out and ids whole, a generated command took about 160 characters, of
   * which its data was 40; this way, about 70. At a million commands, 90 MB less to write.
   */
  readonly ids?: string;
}

interface ClaimRecord {
  readonly key: string;
  readonly owner: string;
}

/** The stores of v2 to v4 that v5 replaces; typed here so the ladder can still build them. */
interface RetiredStores {
  streams: { key: string; value: StreamRecord };
  commands: { key: string; value: RecordedCommand };
  claims: { key: string; value: ClaimRecord };
}

export interface WorkbenchDB extends DBSchema {
  events: {
    key: number;
    value: RecordedEvent;
    indexes: { byStream: [string, number] };
  };
  segments: { key: number; value: SegmentRecord };
  commandRuns: { key: number; value: CommandRunRecord };
  /** An imported log being written, before it replaces the log in one transaction (v6). */
  importSegments: { key: number; value: SegmentRecord };
  importCommandRuns: { key: number; value: CommandRunRecord };
  meta: { key: string; value: number };
  rejections: { key: number; value: RejectionRecord };
  /** A copy of a tab's write index, in parts (v8): see `indexSnapshot.ts`. */
  writeIndex: { key: number; value: IndexSnapshotRecord };
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

export const DB_VERSION = 8;
export const HEAD_KEY = 'head';
/** Raised each time the whole log is replaced, so whatever was derived from the old one
 * (a tab's write index, the read models' snapshots) can tell it is stale. */
export const EPOCH_KEY = 'epoch';

/** The log head and the log's epoch, read together from the `meta` store. */
export async function headOf(meta: {
  get(key: string): Promise<number | undefined>;
}): Promise<{ head: number; epoch: number }> {
  const [head, epoch] = await Promise.all([meta.get(HEAD_KEY), meta.get(EPOCH_KEY)]);
  return { head: head ?? 0, epoch: epoch ?? 0 };
}

/** Every store any version had: what the ladder's steps work on. */
interface LadderDB extends WorkbenchDB, RetiredStores {}
type UpgradeTx = IDBPTransaction<LadderDB, StoreNames<LadderDB>[], 'versionchange'>;
type Step = (
  db: IDBPDatabase<LadderDB>,
  tx: UpgradeTx,
  claimRule: ClaimRule,
) => void | Promise<void>;

/**
 * The upgrade ladder: step n takes a database at version n-1 to version n. Steps never
 * change stored events; they add stores and derive what the new layout needs from the log.
 */
const MIGRATIONS: readonly Step[] = [
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
  // v5: segments in columns, same keys, each rewritten in place from its v3 objects. Stream
  // heads, claims and command ids are kept in memory from here on (`writeIndex.ts`), so an
  // append writes its events and one record of its commands, not a record per command.
  async (db, tx) => {
    let cursor = await tx.objectStore('segments').openCursor();
    while (cursor) {
      const old = cursor.value as unknown as ObjectSegmentRecord | SegmentRecord;
      if ('events' in old) await cursor.update(encodeSegment(old.events));
      cursor = await cursor.continue();
    }
    const commands = await tx.objectStore('commands').getAll();
    db.createObjectStore('commandRuns', { keyPath: 'last' });
    for (const run of commandRuns(commands.sort((a, b) => a.first - b.first)))
      queued(tx.objectStore('commandRuns').add(run));
    db.deleteObjectStore('streams');
    db.deleteObjectStore('commands');
    db.deleteObjectStore('claims');
  },
  // v6: where an imported log is staged before it replaces the log in one step.
  (db) => {
    db.createObjectStore('importSegments', { keyPath: 'last' });
    db.createObjectStore('importCommandRuns', { keyPath: 'last' });
  },
  // v7: command runs written in their compact form (`CommandRunRecord.ids`). Nothing to
  // change: records written before are read as they are. The version is raised so that a tab
  // still running code that reads only the old form is asked to reload instead of reading
  // the new records as empty, and so finding no recorded command to repeat.
  () => undefined,
  // v8: a copy of the write index, so a tab opening a long log need not fold all of it
  // before its first write. Derived, never the truth: it starts empty.
  (db) => {
    db.createObjectStore('writeIndex');
  },
];

/** Commands in position order, 1,024 to a record, in the compact form where it can say all. */
export function commandRuns(commands: readonly RecordedCommand[]): CommandRunRecord[] {
  const runs: CommandRunRecord[] = [];
  for (let i = 0; i < commands.length; i += 1024) {
    const slice = commands.slice(i, i + 1024);
    const first = slice[0]?.first ?? 0;
    const last = slice.at(-1)?.last ?? 0;
    runs.push(
      spansSuffice(slice)
        ? {
            first,
            last,
            ids: frontCode(slice.map((c) => c.commandId)),
            commands: JSON.stringify(
              slice.map((c) => {
                const span = c.last - c.first + 1;
                return c.type === undefined ? [span] : [span, c.type, c.data];
              }),
            ),
          }
        : { first, last, commands: JSON.stringify(slice) },
    );
  }
  return runs;
}

/**
 * Whether each command begins where the one before it ended, and keeps both its type and data
 * or neither: then ids and spans say all (see `CommandRunRecord`).
 */
function spansSuffice(commands: readonly RecordedCommand[]): boolean {
  return commands.every(
    (c, k) =>
      c.last >= c.first &&
      (k === 0 || c.first === (commands[k - 1]?.last ?? 0) + 1) &&
      (c.type === undefined) === (c.data === undefined),
  );
}

/** The commands a run record holds, in position order. */
export function commandsOf(run: CommandRunRecord): RecordedCommand[] {
  if (run.ids === undefined) return JSON.parse(run.commands) as RecordedCommand[];
  const ids = frontDecode(run.ids);
  const entries = JSON.parse(run.commands) as [number, string?, unknown?][];
  let next = run.first;
  return entries.map(([span, type, data], k) => {
    const first = next;
    next += span;
    return {
      commandId: ids[k] ?? '',
      first,
      last: next - 1,
      ...(type === undefined ? {} : { type, data }),
    };
  });
}

async function deriveFromLog(tx: UpgradeTx, claimRule: ClaimRule): Promise<void> {
  const streams = new Map<string, StreamRecord>();
  const commands = new Map<string, RecordedCommand>();
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
  for (const s of streams.values()) queued(tx.objectStore('streams').put(s));
  for (const c of commands.values()) queued(tx.objectStore('commands').put(c));
  for (const [key, owner] of claims) queued(tx.objectStore('claims').put({ key, owner }));
  queued(tx.objectStore('meta').put(head, HEAD_KEY));
}

/** Runs the steps from `oldVersion` up to `newVersion` inside the versionchange transaction. */
export async function upgrade(
  db: IDBPDatabase<WorkbenchDB>,
  oldVersion: number,
  newVersion: number,
  tx: IDBPTransaction<WorkbenchDB, StoreNames<WorkbenchDB>[], 'versionchange'>,
  claimRule: ClaimRule,
): Promise<void> {
  const ladder = db as unknown as IDBPDatabase<LadderDB>;
  const ladderTx = tx as unknown as UpgradeTx;
  for (let v = oldVersion; v < newVersion; v++) await MIGRATIONS[v]?.(ladder, ladderTx, claimRule);
}
