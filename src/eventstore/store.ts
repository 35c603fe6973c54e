import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { RecordedEvent } from '../domain';
import { claimKeysOf, planAppend, type StoreView, type WritePlan } from './plan';
import {
  DB_VERSION,
  HEAD_KEY,
  upgrade,
  type CommandRecord,
  type RejectionRecord,
  type StreamRecord,
  type WorkbenchDB,
} from './schema';
import { pack, PACK_DIRECTLY, readRange, withSegments, type LogSource } from './segments';
import { sealRun } from './seal';
import type { AppendOutcome, AppendRequest, ClaimRule, EventStore } from './types';

export const DEFAULT_DB_NAME = 'cqrs-workbench';

type WriteStore = 'events' | 'segments' | 'streams' | 'commands' | 'claims' | 'meta';
const WRITE_STORES: WriteStore[] = ['events', 'segments', 'streams', 'commands', 'claims', 'meta'];
type WriteTx = IDBPTransaction<WorkbenchDB, WriteStore[], 'readwrite'>;

export interface OpenOptions {
  readonly name?: string;
  readonly claimRule: ClaimRule;
  /** Open an older schema version; for tests of the upgrade ladder. */
  readonly version?: number;
}

export function openDatabase(options: OpenOptions): Promise<IDBPDatabase<WorkbenchDB>> {
  const version = options.version ?? DB_VERSION;
  return openDB<WorkbenchDB>(options.name ?? DEFAULT_DB_NAME, version, {
    upgrade(db, oldVersion, newVersion, tx) {
      // A failed step aborts the versionchange transaction, so the open fails and the
      // database stays at its old version, untouched.
      upgrade(db, oldVersion, newVersion ?? version, tx, options.claimRule).catch(() => {
        tx.abort();
      });
    },
    blocking(_current, _blocked, event) {
      // Another tab needs a newer schema: let it upgrade rather than block it forever.
      (event.target as IDBDatabase).close();
    },
  });
}

export async function openEventStore(options: OpenOptions): Promise<EventStore> {
  const database = await openDatabase(options);
  return createEventStore(database, options.claimRule);
}

function createEventStore(db: IDBPDatabase<WorkbenchDB>, claimRule: ClaimRule): EventStore {
  /** Several streams in one transaction: a segment shared by them is read once. */
  async function readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const tx = db.transaction(['streams', 'segments', 'events'], 'readonly');
    const records = await Promise.all(streamIds.map((id) => tx.objectStore('streams').get(id)));
    const keys = [...new Set(records.flatMap((r) => r?.segments ?? []))];
    const [segments, singles] = await Promise.all([
      Promise.all(keys.map((key) => tx.objectStore('segments').get(key))),
      Promise.all(
        streamIds.map((id) =>
          tx
            .objectStore('events')
            .index('byStream')
            .getAll(IDBKeyRange.bound([id, 1], [id, Infinity])),
        ),
      ),
    ]);
    await tx.done;
    const wanted = new Set(streamIds);
    const found = new Map<string, RecordedEvent[]>(
      streamIds.map((id, i) => [id, [...(singles[i] ?? [])]]),
    );
    for (const segment of segments) {
      for (const e of segment?.events ?? [])
        if (wanted.has(e.streamId)) found.get(e.streamId)?.push(e);
    }
    for (const events of found.values()) events.sort((a, b) => a.version - b.version);
    return found;
  }

  async function appendBatch(requests: readonly AppendRequest[]): Promise<AppendOutcome> {
    const tx = db.transaction(WRITE_STORES, 'readwrite');
    const view = await readView(tx, requests, claimRule);
    const plan = planAppend(view, requests, claimRule);
    if (!('outcome' in plan)) {
      tx.abort();
      await tx.done.catch(() => undefined);
      return plan;
    }
    // Awaited together, so an abort is one rejection and no write's is left unhandled.
    await Promise.all([...write(tx, plan, view), tx.done]);
    return plan.outcome;
  }

  return {
    appendBatch,
    append: (request) => appendBatch([request]),
    async readFrom(from, limit) {
      const tx = db.transaction(['segments', 'events'], 'readonly');
      const events = await readRange(logOf(tx), from, from + limit - 1);
      await tx.done;
      return events;
    },
    readStream: async (streamId) => (await readStreams([streamId])).get(streamId) ?? [],
    readStreams,
    seal: () => sealRun(db),
    async commandOf(commandId) {
      const record = await db.get('commands', commandId);
      return record?.type === undefined ? undefined : { type: record.type, data: record.data };
    },
    async recordRejections(rejections) {
      const tx = db.transaction(['rejections', 'meta'], 'readwrite');
      const afterPosition = (await tx.objectStore('meta').get(HEAD_KEY)) ?? 0;
      await Promise.all([
        ...rejections.map((r) => tx.objectStore('rejections').add({ ...r, afterPosition })),
        tx.done,
      ]);
      return afterPosition;
    },
    async readRejections(limit) {
      const newest: RejectionRecord[] = [];
      let cursor = await db.transaction('rejections').store.openCursor(null, 'prev');
      while (cursor !== null && newest.length < limit) {
        newest.push(cursor.value);
        cursor = await cursor.continue();
      }
      return newest.reverse();
    },
    head: async () => (await db.get('meta', HEAD_KEY)) ?? 0,
    async recordedCommands(commandIds) {
      const tx = db.transaction(['commands', 'segments', 'events'], 'readonly');
      const found = await readRecorded(
        { ...logOf(tx), commands: tx.objectStore('commands') },
        commandIds,
      );
      await tx.done;
      return found;
    },
    close: () => {
      db.close();
    },
  };
}

/** The stores a command-id look-up reads, from a readonly or a readwrite transaction. */
interface CommandSource extends LogSource {
  readonly commands: { get(id: string): Promise<CommandRecord | undefined> };
}

function logOf(tx: {
  objectStore(name: 'segments'): LogSource['segments'];
  objectStore(name: 'events'): LogSource['events'];
}): LogSource {
  return { segments: tx.objectStore('segments'), events: tx.objectStore('events') };
}

async function readRecorded(
  tx: CommandSource,
  commandIds: readonly string[],
): Promise<Map<string, readonly RecordedEvent[]>> {
  const records = await Promise.all(commandIds.map((id) => tx.commands.get(id)));
  const found = new Map<string, readonly RecordedEvent[]>();
  for (const r of records) {
    if (r === undefined) continue;
    found.set(r.commandId, await readRange(tx, r.first, r.last));
  }
  return found;
}

/** Reads all the transaction needs at once; only requests of this transaction are awaited. */
async function readView(
  tx: WriteTx,
  requests: readonly AppendRequest[],
  claimRule: ClaimRule,
): Promise<StoreView> {
  const streamIds = [...new Set(requests.flatMap((r) => r.streams.map((s) => s.streamId)))];
  const keys = claimKeysOf(requests, claimRule);
  const [head, streams, claims, recorded] = await Promise.all([
    tx.objectStore('meta').get(HEAD_KEY),
    Promise.all(streamIds.map((id) => tx.objectStore('streams').get(id))),
    Promise.all(keys.map((key) => tx.objectStore('claims').get(key))),
    readRecorded({ ...logOf(tx), commands: tx.objectStore('commands') }, [
      ...new Set(requests.map((r) => r.commandId)),
    ]),
  ]);
  return {
    head: head ?? 0,
    streams: new Map(streamIds.map((id, i) => [id, streams[i]])),
    claims: new Map(keys.map((key, i) => [key, claims[i]])),
    recorded,
  };
}

/**
 * Queues every write of the plan; the transaction commits them together or not at all.
 * A large append is written packed at once; a small one as single records, sealed later.
 */
function write(tx: WriteTx, plan: WritePlan, view: StoreView): Promise<unknown>[] {
  const records = new Map<string, StreamRecord>(
    plan.streams.map((s) => [
      s.streamId,
      { ...s, segments: view.streams.get(s.streamId)?.segments ?? [] },
    ]),
  );
  const writes: Promise<unknown>[] = [];
  if (plan.events.length >= PACK_DIRECTLY) {
    const segments = pack(plan.events);
    for (const segment of segments) writes.push(tx.objectStore('segments').add(segment));
    for (const r of withSegments(records, segments)) records.set(r.streamId, r);
  } else {
    for (const e of plan.events) writes.push(tx.objectStore('events').add(e));
  }
  for (const s of records.values()) writes.push(tx.objectStore('streams').put(s));
  for (const c of plan.commands) writes.push(tx.objectStore('commands').add(c));
  for (const c of plan.claimPuts) writes.push(tx.objectStore('claims').put(c));
  for (const key of plan.claimDeletes) writes.push(tx.objectStore('claims').delete(key));
  writes.push(tx.objectStore('meta').put(plan.head, HEAD_KEY));
  return writes;
}
