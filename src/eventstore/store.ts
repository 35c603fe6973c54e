import { openDB, unwrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { RecordedEvent } from '../domain';
import { decodeStreams } from './codec';
import { planAppend, type WritePlan } from './plan';
import {
  commandRuns,
  commandsOf,
  DB_VERSION,
  EPOCH_KEY,
  HEAD_KEY,
  headOf,
  upgrade,
  type CommandRunRecord,
  type RecordedCommand,
  type RejectionRecord,
  type WorkbenchDB,
} from './schema';
import { reconnecting } from './connection';
import { committed, queued } from './errors';
import { beginReplacement } from './replace';
import { sealRun } from './seal';
import {
  countBelow,
  pack,
  PACK_DIRECTLY,
  readPieces,
  readRange,
  readRun,
  type LogSource,
} from './segments';
import type { AppendOutcome, AppendRequest, ClaimRule, EventStore } from './types';
import { checkMark, raiseMark, type LogLoss, type MarkKeeper } from './watermark';
import { loadIndex, saveIndex } from './indexSnapshot';
import { WriteIndex } from './writeIndex';
import { yieldNow } from '../timing';

export const DEFAULT_DB_NAME = 'cqrs-workbench';

type LogStore = 'events' | 'segments' | 'commandRuns' | 'meta';
const LOG_STORES: LogStore[] = ['events', 'segments', 'commandRuns', 'meta'];
type LogTx = IDBPTransaction<WorkbenchDB, LogStore[], 'readonly' | 'readwrite'>;

/** How many events the write index folds in per read while it catches up. */
const CATCH_UP_BATCH = 20_000;
/** The same when it is built ahead of the first write, beside a person using the page: a
 * step of 20,000 events took the page's thread for 50 ms and more. */
const PREPARE_STEP = 4_000;

export interface OpenOptions {
  readonly name?: string;
  readonly claimRule: ClaimRule;
  /** Open an older schema version; for tests of the upgrade ladder. */
  readonly version?: number;
  /** Another tab opened a newer schema: this connection has been closed to let it. */
  readonly onVersionChange?: () => void;
  /** The browser closed the connection itself (an IO error such as a full disk). */
  readonly onTerminated?: () => void;
  /** Keeps the furthest state of the log this page saw committed, outside the database. */
  readonly marks?: MarkKeeper;
  /** A connection found the log below that mark: the browser dropped committed events. */
  readonly onLoss?: (loss: LogLoss) => void;
  /**
   * The stretch of log, in events, that makes a copy of the write index worth its cost (see
   * `indexSnapshot.ts`): an index that took in this many since the last copy is saved (by a
   * build, or by `keepIndex`); a kept copy this far ahead of the index is loaded instead of
   * folding the log; an append this far behind catches up before its write transaction.
   */
  readonly keptIndexStride?: number;
}

/** The default `keptIndexStride`: about a tenth of a second of folding the log. */
const KEPT_INDEX_STRIDE = 50_000;

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
      options.onVersionChange?.();
    },
    terminated() {
      options.onTerminated?.();
    },
  });
}

export async function openEventStore(options: OpenOptions): Promise<EventStore> {
  const { marks, onLoss } = options;
  const connection = await reconnecting(async (dropped) => {
    const db = await openDatabase({
      ...options,
      onTerminated: () => {
        dropped();
        options.onTerminated?.();
      },
    });
    // Every connection, the first and each one after the browser dropped the last.
    if (marks !== undefined) {
      const [head, epoch] = await Promise.all([
        db.get('meta', HEAD_KEY),
        db.get('meta', EPOCH_KEY),
      ]);
      const loss = checkMark(marks, { head: head ?? 0, epoch: epoch ?? 0 });
      if (loss !== null) onLoss?.(loss);
    }
    return db;
  });
  return createEventStore(
    connection,
    options.claimRule,
    marks,
    options.keptIndexStride ?? KEPT_INDEX_STRIDE,
  );
}

function createEventStore(
  connection: () => Promise<IDBPDatabase<WorkbenchDB>>,
  claimRule: ClaimRule,
  marks: MarkKeeper | undefined,
  stride: number,
): EventStore {
  let index: WriteIndex | null = null;
  /** The index last saved or loaded by this store, and where it stood then. */
  let kept: { index: WriteIndex; position: number } | null = null;
  /** The save going on, if any: one at a time. */
  let saving: Promise<void> | null = null;

  /**
   * The write index, brought up to the head this transaction sees (or `step` events on):
   * what other tabs, or earlier sessions, appended is folded in first. A head below it means
   * the log was replaced, and it is built again.
   */
  async function indexAt(tx: LogTx, step = Infinity): Promise<{ index: WriteIndex; head: number }> {
    const { head, epoch } = await headOf(tx.objectStore('meta'));
    if (index === null || head < index.position || epoch !== index.epoch)
      index = new WriteIndex(claimRule, epoch);
    const current = index;
    // At most `step` events past where the index stands, a new one (a replaced log) too.
    const to = Math.min(head, current.position + step);
    while (current.position < to) {
      const from = current.position + 1;
      const run = await readRun(logOf(tx), from, Math.min(to, from + CATCH_UP_BATCH - 1));
      if (run.count === 0) throw new Error(`The log has no event at position ${from}`);
      run.forEach((e, streamNumber) => {
        current.apply(e, streamNumber);
      });
    }
    return { index: current, head };
  }

  /**
   * Folds what this store just committed into the index. Should that ever not follow on,
   * the index is dropped and built again from the log: the append itself has committed.
   */
  function remember(current: WriteIndex, events: readonly RecordedEvent[]): void {
    try {
      for (const e of events) current.apply(e);
    } catch {
      if (index === current) index = null;
    }
    const last = events.at(-1);
    if (marks !== undefined && last !== undefined)
      raiseMark(marks, { epoch: current.epoch, head: last.position });
  }

  /**
   * Builds the index in readonly transactions, so a first write does not hold others up,
   * `step` events at a time. One build runs at a time: a caller that finds one going waits
   * for it, and has it take steps at least as long as its own.
   */
  let warming: { step: number; done: Promise<void> } | null = null;
  function warmUp(step: number): Promise<void> {
    if (warming !== null) {
      warming.step = Math.max(warming.step, step);
      return warming.done;
    }
    const run = { step, done: Promise.resolve() };
    warming = run;
    run.done = (async () => {
      try {
        await loadKept();
        for (;;) {
          const tx = (await connection()).transaction(LOG_STORES, 'readonly');
          const { index: built, head } = await indexAt(tx, run.step);
          await tx.done;
          if (built.position >= head) {
            // A copy that fails to save costs only a longer build next time.
            keep(built).catch(() => undefined);
            return;
          }
        }
      } finally {
        warming = null;
      }
    })();
    return run.done;
  }

  /**
   * Takes the kept copy of the index, where it is one of this log: when there is no index
   * yet, or the one there is belongs to another log or is at least `stride` events behind the
   * copy (another tab, or the generation's worker, wrote since).
   */
  async function loadKept(): Promise<void> {
    const current = index;
    const worth = (copy: { epoch: number; position: number }) =>
      current === null ||
      copy.epoch !== current.epoch ||
      copy.position >= current.position + stride;
    const loaded = await loadIndex(await connection(), claimRule, yieldNow, worth).catch(
      () => null,
    );
    // An index built meanwhile is left as it is.
    if (loaded === null || index !== current) return;
    index = loaded;
    kept = { index: loaded, position: loaded.position };
  }

  /**
   * Saves a copy of the index if it took in `stride` events or more since this store last
   * kept one. A save waits for the one going on, then decides; a failed one counts as none.
   */
  async function keep(built: WriteIndex): Promise<void> {
    while (saving !== null) await saving.catch(() => undefined);
    const position = built.position;
    if (position - (kept?.index === built ? kept.position : 0) < stride) return;
    const save = (async () => {
      await saveIndex(await connection(), built, claimRule.version ?? 0, yieldNow);
    })();
    saving = save;
    try {
      await save;
      kept = { index: built, position };
    } finally {
      saving = null;
    }
  }

  /** Whether the index is at least `stride` events behind the log, or of another one. */
  async function farBehind(): Promise<boolean> {
    const { head, epoch } = await headOf((await connection()).transaction('meta').store);
    return index === null || epoch !== index.epoch || head - index.position >= stride;
  }

  /** Before the index is used: built if there is none, and any build going finished. */
  async function indexBuilt(): Promise<void> {
    if (index === null || warming !== null) await warmUp(CATCH_UP_BATCH);
  }

  /** Several streams in one transaction: a segment shared by them is read once. */
  async function readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    await indexBuilt();
    const tx = (await connection()).transaction(LOG_STORES, 'readonly');
    const { index: current } = await indexAt(tx);
    const positions = streamIds.flatMap((id) => current.positionsOf(id));
    // The index is at the head of this transaction: streams it has no events of have none.
    if (positions.length === 0) {
      await tx.done;
      return new Map(streamIds.map((id) => [id, []]));
    }
    const keys = await tx.objectStore('segments').getAllKeys();
    const holders = [...new Set(positions.flatMap((p) => segmentHolding(keys, p) ?? []))];
    const [segments, singles] = await Promise.all([
      Promise.all(holders.map((key) => tx.objectStore('segments').get(key))),
      Promise.all(
        streamIds.map((id) =>
          current.version(id) === 0
            ? Promise.resolve([])
            : tx
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
      if (segment === undefined) continue;
      for (const e of decodeStreams(segment, wanted)) found.get(e.streamId)?.push(e);
    }
    for (const events of found.values()) events.sort((a, b) => a.version - b.version);
    return found;
  }

  async function appendBatch(requests: readonly AppendRequest[]): Promise<AppendOutcome> {
    await indexBuilt();
    const current = index;
    const commandIds = [...new Set(requests.map((r) => r.commandId))];
    if (current !== null && !commandIds.some((id) => current.mayHaveCommand(id))) {
      const fast = await appendOnTrust(current, requests);
      if (fast !== null) return fast;
    }
    // Far behind the log (another tab or worker wrote a long stretch since): caught up
    // outside the write transaction, from the kept copy where there is one, so that other
    // writers are not held up while this one reads the stretch.
    if (await farBehind()) await warmUp(CATCH_UP_BATCH);
    const tx = (await connection()).transaction(LOG_STORES, 'readwrite');
    const { index: caughtUp, head } = await indexAt(tx);
    const recorded = await recordedIn(tx, caughtUp, commandIds);
    const plan = planAppend(viewOf(caughtUp, head, recorded), requests, claimRule);
    if (!('outcome' in plan)) {
      tx.abort();
      await tx.done.catch(() => undefined);
      return plan;
    }
    // A write that throws aborts the transaction; its own error is the one reported.
    queued(tx.done);
    write(unwrap(tx), plan, caughtUp);
    commitNow(tx);
    await committed(tx, tx.done);
    remember(caughtUp, plan.events);
    return plan.outcome;
  }

  /**
   * The common case in one round trip: the index is assumed to be at the head, so the writes
   * go out with the read of the head, and the transaction aborts itself if the head turns
   * out to have moved. Null when it did (or a conflict needs the stored state to confirm it):
   * then the careful path reads first.
   */
  async function appendOnTrust(
    current: WriteIndex,
    requests: readonly AppendRequest[],
  ): Promise<AppendOutcome | null> {
    const assumed = current.position;
    const plan = planAppend(viewOf(current, assumed, new Map()), requests, claimRule);
    if (!('outcome' in plan)) return null;
    // The browser's own transaction, as `write` uses: idb's wrapper would make promises and
    // listeners on the path every command takes, and the scope is only what is written.
    const tx = unwrap(await connection()).transaction(scopeOf(plan), 'readwrite');
    const end = ended(tx);
    queued(end);
    // The head is asked for before the writes are queued, so it is read as it was stored.
    // Requests are answered in order: by the epoch's answer the head's is in.
    const meta = tx.objectStore('meta');
    const head = meta.get(HEAD_KEY) as IDBRequest<number | undefined>;
    const epoch = meta.get(EPOCH_KEY) as IDBRequest<number | undefined>;
    const seen = { moved: false };
    epoch.onsuccess = () => {
      if ((head.result ?? 0) !== assumed || (epoch.result ?? 0) !== current.epoch) {
        seen.moved = true;
        tx.abort();
        return;
      }
      // Every write is queued: commit now, not once the browser has answered each of them.
      commitNow(tx);
    };
    try {
      write(tx, plan, current);
      await committed(tx, end);
    } catch (error) {
      // A write at a position another writer took fails after the head's answer: moved.
      if (seen.moved) return null;
      throw error;
    }
    remember(current, plan.events);
    return plan.outcome;
  }

  async function inLogTx<T>(read: (tx: LogTx) => Promise<T>): Promise<T> {
    const tx = (await connection()).transaction(LOG_STORES, 'readonly');
    const result = await read(tx);
    await tx.done;
    return result;
  }

  return {
    appendBatch,
    append: (request) => appendBatch([request]),
    readFrom: (from, limit) => inLogTx((tx) => readRange(logOf(tx), from, from + limit - 1)),
    readRun: (from, limit) => inLogTx((tx) => readRun(logOf(tx), from, from + limit - 1)),
    readPieces: (from, limit) => inLogTx((tx) => readPieces(logOf(tx), from, from + limit - 1)),
    readStream: async (streamId) => (await readStreams([streamId])).get(streamId) ?? [],
    readStreams,
    // The streams' numbers as far as this store's index knows them, if it is an index of
    // this log: not of one another tab has since replaced, or that ran longer.
    seal: async () =>
      sealRun(await connection(), (first, log) =>
        index !== null && index.epoch === log.epoch && index.position <= log.head
          ? index.streamNumbers(first)
          : undefined,
      ),
    commandAt: (position) => inLogTx((tx) => commandAt(tx, position)),
    async recordRejections(rejections) {
      const tx = (await connection()).transaction(['rejections', 'meta'], 'readwrite');
      const afterPosition = (await tx.objectStore('meta').get(HEAD_KEY)) ?? 0;
      await committed(
        tx,
        Promise.all([
          ...rejections.map((r) => tx.objectStore('rejections').add({ ...r, afterPosition })),
          tx.done,
        ]),
      );
      return afterPosition;
    },
    async readRejections(limit) {
      const newest: RejectionRecord[] = [];
      let cursor = await (
        await connection()
      )
        .transaction('rejections')
        .store.openCursor(null, 'prev');
      while (cursor !== null && newest.length < limit) {
        newest.push(cursor.value);
        cursor = await cursor.continue();
      }
      return newest.reverse();
    },
    head: async () => (await (await connection()).get('meta', HEAD_KEY)) ?? 0,
    epoch: async () => (await (await connection()).get('meta', EPOCH_KEY)) ?? 0,
    readCommands: (from, to) => inLogTx((tx) => commandsIn(tx, from, to)),
    replaceLog: async () =>
      beginReplacement(await connection(), () => {
        index = null;
      }),
    prepareWrites: () => warmUp(PREPARE_STEP),
    keepIndex: async () => {
      if (index !== null) await keep(index);
    },
    async recordedCommands(commandIds) {
      await indexBuilt();
      return inLogTx(async (tx) => recordedIn(tx, (await indexAt(tx)).index, commandIds));
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

function viewOf(
  index: WriteIndex,
  head: number,
  recorded: ReadonlyMap<string, readonly RecordedEvent[]>,
) {
  return {
    head,
    version: (streamId: string) => index.version(streamId),
    owner: (key: string) => index.owner(key),
    recorded,
  };
}

function logOf(tx: LogTx): LogSource {
  return { segments: tx.objectStore('segments'), events: tx.objectStore('events') };
}

/** The key of the segment that may hold position p: the first segment ending at or after it. */
function segmentHolding(keys: readonly number[], p: number): number | undefined {
  return keys[countBelow(keys, p)];
}

/** The command that recorded the event at `position`, from the record of its append. */
async function commandAt(tx: LogTx, position: number): Promise<RecordedCommand | undefined> {
  const [run]: CommandRunRecord[] = await tx
    .objectStore('commandRuns')
    .getAll(IDBKeyRange.lowerBound(position), 1);
  if (run === undefined || run.first > position) return undefined;
  return commandsOf(run).find((c) => c.first <= position && position <= c.last);
}

/** The commands that recorded any event at positions [from, to], in position order. */
async function commandsIn(tx: LogTx, from: number, to: number): Promise<RecordedCommand[]> {
  if (to < from) return [];
  // Records are keyed by their last position: those ending inside the range, and the one
  // ending after it, which may begin inside it.
  const runs = tx.objectStore('commandRuns');
  const [inside, crossing] = await Promise.all([
    runs.getAll(IDBKeyRange.bound(from, to)),
    runs.getAll(IDBKeyRange.lowerBound(to, true), 1),
  ]);
  return [...inside, ...crossing]
    .filter((run) => run.first <= to)
    .flatMap(commandsOf)
    .filter((c) => c.first <= to && c.last >= from);
}

/** The original events of each of these command ids that was recorded before. */
async function recordedIn(
  tx: LogTx,
  index: WriteIndex,
  commandIds: readonly string[],
): Promise<Map<string, readonly RecordedEvent[]>> {
  const found = new Map<string, readonly RecordedEvent[]>();
  for (const id of commandIds) {
    for (const first of index.commandCandidates(id)) {
      const command = await commandAt(tx, first);
      if (command?.commandId !== id) continue; // another id with the same hash
      found.set(id, await readRange(logOf(tx), command.first, command.last));
    }
  }
  return found;
}

/**
 * Queues every write of the plan; the transaction commits them together or not at all.
 * A large append is written packed at once; a small one as single records, sealed later.
 * The requests are made on the browser's own stores, unwrapped, and nothing listens to
 * them: a write that fails aborts the transaction, whose end reports its error. A promise
 * and two listeners per request were about a tenth of a command's time to committed.
 */
function write(tx: IDBTransaction, plan: WritePlan, index: WriteIndex): void {
  const store = (name: LogStore) => tx.objectStore(name);
  try {
    if (plan.events.length >= PACK_DIRECTLY) {
      const segments = store('segments');
      for (const segment of pack(plan.events, index.streamNumbers(plan.events[0]?.position ?? 0)))
        segments.add(segment);
    } else {
      const events = store('events');
      for (const e of plan.events) events.add(e);
    }
    const runs = store('commandRuns');
    for (const run of commandRuns(plan.commands)) runs.add(run);
    store('meta').put(plan.head, HEAD_KEY);
  } catch (error) {
    // A value the browser cannot store throws here: the writes queued before it must not
    // commit without the rest. The caller reports this error; the abort's is expected.
    tx.abort();
    throw error;
  }
}

/** The stores an append writes: a transaction's scope is part of its cost. */
function scopeOf(plan: WritePlan): LogStore[] {
  return [plan.events.length >= PACK_DIRECTLY ? 'segments' : 'events', 'commandRuns', 'meta'];
}

/** A transaction's end: its commit, or its abort with the error that caused it. */
function ended(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => {
      resolve();
    };
    tx.onabort = () => {
      reject(tx.error ?? new DOMException('The transaction was aborted', 'AbortError'));
    };
  });
}

/** Commits once every write is queued; a transaction that cannot be told to commits itself. */
function commitNow(tx: { commit(): void }): void {
  try {
    tx.commit();
  } catch {
    // Not active any more: it commits on its own once its requests are answered.
  }
}
