import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { RecordedEvent } from '../domain';
import { claimKeysOf, planAppend, type StoreView, type WritePlan } from './plan';
import { DB_VERSION, HEAD_KEY, upgrade, type CommandRecord, type WorkbenchDB } from './schema';
import type { AppendOutcome, AppendRequest, ClaimRule, EventStore } from './types';

export const DEFAULT_DB_NAME = 'cqrs-workbench';

type WriteStore = 'events' | 'streams' | 'commands' | 'claims' | 'meta';
const WRITE_STORES: WriteStore[] = ['events', 'streams', 'commands', 'claims', 'meta'];
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
  async function appendBatch(requests: readonly AppendRequest[]): Promise<AppendOutcome> {
    const tx = db.transaction(WRITE_STORES, 'readwrite');
    const plan = planAppend(await readView(tx, requests, claimRule), requests, claimRule);
    if (!('outcome' in plan)) {
      tx.abort();
      await tx.done.catch(() => undefined);
      return plan;
    }
    write(tx, plan);
    await tx.done;
    return plan.outcome;
  }

  return {
    appendBatch,
    append: (request) => appendBatch([request]),
    readFrom: (from, limit) => db.getAll('events', IDBKeyRange.lowerBound(from), limit),
    readStream: (streamId) =>
      db.getAllFromIndex(
        'events',
        'byStream',
        IDBKeyRange.bound([streamId, 1], [streamId, Infinity]),
      ),
    head: async () => (await db.get('meta', HEAD_KEY)) ?? 0,
    async recordedCommands(commandIds) {
      const tx = db.transaction(['commands', 'events'], 'readonly');
      const found = await readRecorded(tx, commandIds);
      await tx.done;
      return found;
    },
    close: () => {
      db.close();
    },
  };
}

/** The two stores a command-id look-up reads, in a readonly or a readwrite transaction. */
interface CommandSource {
  objectStore(name: 'commands'): { get(id: string): Promise<CommandRecord | undefined> };
  objectStore(name: 'events'): { getAll(range: IDBKeyRange): Promise<RecordedEvent[]> };
}

async function readRecorded(
  tx: CommandSource,
  commandIds: readonly string[],
): Promise<Map<string, readonly RecordedEvent[]>> {
  const records = await Promise.all(commandIds.map((id) => tx.objectStore('commands').get(id)));
  const found = new Map<string, readonly RecordedEvent[]>();
  for (const r of records) {
    if (r === undefined) continue;
    found.set(
      r.commandId,
      await tx.objectStore('events').getAll(IDBKeyRange.bound(r.first, r.last)),
    );
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
    readRecorded(tx, [...new Set(requests.map((r) => r.commandId))]),
  ]);
  return {
    head: head ?? 0,
    streams: new Map(streamIds.map((id, i) => [id, streams[i]])),
    claims: new Map(keys.map((key, i) => [key, claims[i]])),
    recorded,
  };
}

/** Queues every write of the plan; the transaction commits them together or not at all. */
function write(tx: WriteTx, plan: WritePlan): void {
  for (const e of plan.events) void tx.objectStore('events').add(e);
  for (const s of plan.streams) void tx.objectStore('streams').put(s);
  for (const c of plan.commands) void tx.objectStore('commands').add(c);
  for (const c of plan.claimPuts) void tx.objectStore('claims').put(c);
  for (const key of plan.claimDeletes) void tx.objectStore('claims').delete(key);
  void tx.objectStore('meta').put(plan.head, HEAD_KEY);
}
