import { messageOf, upcast, type DomainEvent, type RecordedEvent } from '../domain';
import type { EventStore, LogRun, ReadSideStore } from '../eventstore';
import { PROJECTIONS, type ProjectionName } from '../projections';
import { contentHash } from './hash';
import type { FromWorker, ProjectionStatus } from './protocol';
import { BulkReplay, PreparedPiece, StreamSlots } from './bulkReplay';
import { applyEvent, createRunner, foldedTo, type Runner } from './runner';
import { READ_AHEAD, ReadAhead } from './readAhead';
import { serialLoop } from './serialLoop';

export interface EngineOptions {
  readonly events: Pick<EventStore, 'readRun' | 'head' | 'epoch'>;
  /** Reads for a long replay, from another thread where there is one (`remoteLog`). */
  readonly bulkReads?: Pick<EventStore, 'readRun'>;
  /** How far behind the head a read must start to go through `bulkReads`. */
  readonly bulkReadFrom?: number;
  readonly readSide: ReadSideStore;
  readonly now: () => number;
  /** ISO time for snapshot records. */
  readonly clock: () => string;
  /** Status reports; the host may coalesce them. */
  readonly emit: (message: FromWorker) => void;
  /** For a report that must not be coalesced away. Defaults to `emit`. */
  readonly emitNow?: (message: FromWorker) => void;
  /** Lets other work (messages, commit notices) run between batches. */
  readonly yieldNow: () => Promise<void>;
  readonly batchSize?: number;
  /** A bulk replay starts on a batch at least this long (see `BULK_FOLD_FROM`). */
  readonly bulkFoldFrom?: number;
  /** How many batches are read ahead of the fold. */
  readonly readAhead?: number;
  /** Save snapshots once this many events were folded since the last save... */
  readonly checkpointEvery?: number;
  /** ...and no more often than this, so a long replay does not spend its time saving. */
  readonly checkpointMinIntervalMs?: number;
}

/**
 * What the engine tells its listeners after each batch: which read models and streams changed.
 * A batch folded event by event names its streams, so a view can redo only the rows of
 * those (a live Users table keeps its order by moving them). A batch any read model folded
 * in bulk, as a long replay's are, reports every stream: it touches most of them anyway.
 */
export type ChangeListener = (
  projections: ReadonlySet<ProjectionName>,
  streams: ReadonlySet<string> | typeof EVERY_STREAM,
) => void;

export const EVERY_STREAM = 'every stream';
/** Reads that start this far behind the head go through `bulkReads`: a live follow of a few
 * events reads in place, without a round trip to another thread. */
const BULK_READ_FROM = 20_000;
/** A read model with a bulk fold starts a bulk replay on a batch at least this long, and
 * folds every batch after it in bulk until the replay ends. */
const BULK_FOLD_FROM = 2_000;
/**
 * How often a bulk replay writes its rows to the read model during a long replay, so views
 * and status follow it. Each write copies every changed row: a 1M replay does it once, at
 * its end.
 */
const BULK_COMMIT_EVERY_MS = 2_000;

/**
 * The read side's engine: it owns every read model, restores them from their snapshots,
 * folds the log in position order, follows new commits, and rebuilds, verifies and skips
 * on request. Plain async functions over injected IO, so unit tests drive it directly.
 */
export class ProjectionEngine {
  readonly runners: Map<ProjectionName, Runner>;
  head = 0;
  /** The log's epoch at start; snapshots are saved with it. */
  private epoch = 0;
  private behindSince: number | null = null;
  private lastCheckpoint: number;
  private readonly listeners = new Set<ChangeListener>();
  /** The streams bulk folds keep rows by, numbered once for the engine's life. */
  private readonly streams = new StreamSlots();
  /** Models a bulk fold cannot take (two rows for one stream): not drafted again. */
  private readonly undraftable = new WeakSet<object>();

  constructor(private readonly options: EngineOptions) {
    this.runners = new Map(
      PROJECTIONS.map((p) => [p.name, createRunner(p as never, options.now())]),
    );
    this.lastCheckpoint = options.now();
  }

  onChanges(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Restores each read model from its snapshot, when it was made by this code version. */
  async start(): Promise<void> {
    [this.head, this.epoch] = await Promise.all([
      this.options.events.head(),
      this.options.events.epoch(),
    ]);
    await Promise.all([...this.runners.values()].map((runner) => this.restore(runner)));
    this.emitStatus();
    await this.follow();
  }

  private async restore(runner: Runner): Promise<void> {
    const { name, codeVersion } = runner.projection;
    const snapshot = await this.options.readSide.load(name);
    if (
      snapshot !== undefined &&
      ((snapshot.logEpoch ?? 0) !== this.epoch || snapshot.position > this.head)
    ) {
      // Made from a log that has since been replaced, or one that ends before it (the browser
      // dropped the database it was made from): its rows and skips mean nothing now.
      await this.options.readSide.drop(name);
      await this.options.readSide.clearSkips(name);
      runner.state = 'catching up';
      return;
    }
    runner.skips = new Set(await this.options.readSide.skips(name, this.epoch));
    if (snapshot !== undefined && snapshot.codeVersion === codeVersion) {
      runner.model = new Map(snapshot.rows);
      runner.position = snapshot.position;
      runner.restoredFrom = snapshot.position;
    } else if (snapshot !== undefined) {
      await this.options.readSide.drop(name); // made by other code: rebuild from position 1
    }
    runner.state = 'catching up';
  }

  /** A commit notice: only a hint. Duplicates, late and out-of-order ones change nothing. */
  notify(position: number): Promise<void> {
    if (position > this.head) this.head = position;
    return this.follow();
  }

  /** Folds the log into every live read model up to its head; one loop at a time. */
  readonly follow = serialLoop(() => this.advance(() => this.liveRunners(), Infinity));

  private liveRunners(): Runner[] {
    return [...this.runners.values()].filter((r) => r.fault === null);
  }

  /**
   * Reads the log in batches from the lowest position among `select()` and folds each event
   * into each runner that has not seen it, up to `until`. Yields between batches. `publish`:
   * tell listeners; `bulk`: long batches may go through the bulk folds.
   */
  private async advance(
    select: () => Runner[],
    until: number,
    { publish = true, bulk = true }: { publish?: boolean; bulk?: boolean } = {},
  ): Promise<void> {
    const size = this.options.batchSize ?? 10_000;
    const reads = new ReadAhead(
      (from, limit) => this.readerFor(from).readRun(from, limit),
      size,
      this.options.readAhead ?? READ_AHEAD,
    );
    // A faulted runner takes no more events: reading on for it would never end.
    const active = () => select().filter((r) => r.fault === null);
    try {
      for (;;) {
        const readers = active();
        if (readers.length === 0) break;
        const from = Math.min(...readers.map(foldedTo)) + 1;
        if (from > until) break;
        // Reads ahead only as far as the known head: past it there is nothing yet.
        const batch = await reads.next(from, Math.min(until, Math.max(this.head, from + size - 1)));
        if (batch.count === 0) break;
        // Selected again: a rebuild may have started while the batch was being read.
        this.foldBatch(active(), batch, publish, bulk);
        await this.maybeCheckpoint();
        await this.options.yieldNow();
      }
    } finally {
      this.endBulk(select(), publish);
    }
    this.settle();
  }

  /** Where a read from `from` goes: far behind the head, to `bulkReads`; else in place. */
  readerFor(from: number): Pick<EventStore, 'readRun'> {
    const { bulkReads, events, bulkReadFrom = BULK_READ_FROM } = this.options;
    return bulkReads !== undefined && this.head - from >= bulkReadFrom ? bulkReads : events;
  }

  private foldBatch(
    runners: readonly Runner[],
    batch: LogRun,
    publish: boolean,
    bulk: boolean,
  ): void {
    const changed = new Set<ProjectionName>();
    const inBulk = bulk ? runners.filter((r) => this.bulkFor(r, batch)) : [];
    if (inBulk.length > 0) this.foldInBulk(inBulk, batch, changed);
    const single = runners.filter((r) => r.bulk === null);
    const streams = inBulk.length === 0 ? new Set<string>() : null;
    if (single.length > 0) {
      const touched = single.map(() => false);
      batch.forEach((event) => {
        const domainEvent = toDomainEvent(event);
        streams?.add(event.streamId);
        // An indexed loop: a closure or an iterator per event costs more than the fold itself.
        for (let i = 0; i < single.length; i++) {
          const runner = single[i];
          if (runner !== undefined && applyEvent(runner, event.position, domainEvent))
            touched[i] = true;
        }
      });
      single.forEach((r, i) => {
        if (touched[i] === true) changed.add(r.projection.name);
      });
    }
    if (batch.last > this.head) this.head = batch.last;
    const now = this.options.now();
    for (const runner of runners) {
      const since = runner.bulk?.committedAt;
      if (since !== undefined && now - since >= BULK_COMMIT_EVERY_MS && this.commitBulk(runner))
        changed.add(runner.projection.name);
    }
    for (const runner of runners) {
      runner.meter.add(batch.count, now);
      if (runner.state !== 'faulted' && runner.rebuild?.running !== true)
        runner.state = runner.position < this.head ? 'catching up' : 'live';
    }
    // A batch folded only into drafts has changed no read model yet: nothing to tell.
    if (publish && (changed.size > 0 || inBulk.length === 0))
      this.publish(changed, streams ?? EVERY_STREAM);
    this.emitStatus();
  }

  private publish(
    projections: ReadonlySet<ProjectionName>,
    streams: ReadonlySet<string> | typeof EVERY_STREAM,
  ): void {
    for (const listener of this.listeners) listener(projections, streams);
  }

  /**
   * Whether the runner folds this batch in bulk: it has a bulk replay going, or starts one,
   * when its projection has a bulk fold and the batch is long. Drafting costs a pass over the
   * model, so a replay starts only when more events are coming than the model has rows.
   */
  private bulkFor(runner: Runner, batch: LogRun): boolean {
    if (runner.bulk !== null) return true;
    const fold = runner.projection.bulk;
    if (
      fold === undefined ||
      runner.fault !== null ||
      batch.count < (this.options.bulkFoldFrom ?? BULK_FOLD_FROM) ||
      this.head - runner.position < runner.model.size ||
      this.undraftable.has(runner.model)
    )
      return false;
    runner.bulk = BulkReplay.begin(
      fold,
      runner.model,
      runner.position,
      this.streams,
      this.options.now(),
    );
    if (runner.bulk === null) this.undraftable.add(runner.model);
    return runner.bulk !== null;
  }

  /**
   * Folds a batch into each runner's drafts, piece by piece. A runner whose bulk fold stops
   * (an event only `project` can take, or one it was told to skip) writes its drafts to its
   * model and takes the rest of the batch event by event.
   */
  private foldInBulk(runners: readonly Runner[], batch: LogRun, changed: Set<ProjectionName>) {
    batch.forEachColumns((columns, from, to) => {
      const piece = new PreparedPiece(columns, from, to, this.streams);
      for (const runner of runners) {
        const replay = runner.bulk;
        if (replay === null) continue;
        const skip = nextSkip(runner, replay.position);
        const end = skip === undefined ? to : Math.min(to, Math.max(from, skip - columns.first));
        if (!replay.foldPiece(piece, from, end) || end < to) {
          if (this.commitBulk(runner, true)) changed.add(runner.projection.name);
          runner.bulk = null;
        }
      }
    });
  }

  /** Writes a runner's bulk drafts to its model (`last`: the replay ends); whether that moved it on. */
  private commitBulk(runner: Runner, last = false): boolean {
    const replay = runner.bulk;
    if (replay === null || replay.pending === 0) return false;
    const folded = replay.commit(runner.model, last);
    replay.committedAt = this.options.now();
    runner.position = replay.position;
    runner.unsaved += folded;
    runner.replayed += folded;
    return true;
  }

  /** Writes the runners' bulk drafts to their models, and tells listeners. */
  private commitAll(runners: readonly Runner[], publish: boolean, last = false): void {
    const changed = new Set<ProjectionName>();
    for (const runner of runners)
      if (this.commitBulk(runner, last)) changed.add(runner.projection.name);
    if (publish && changed.size > 0) this.publish(changed, EVERY_STREAM);
  }

  /** Ends the runners' bulk replays, their drafts written to their models. */
  private endBulk(runners: readonly Runner[], publish: boolean): void {
    this.commitAll(runners, publish, true);
    for (const runner of runners) runner.bulk = null;
  }

  /** After a loop: mark runners live, remember when we fell behind, and status. */
  private settle(): void {
    for (const r of this.liveRunners()) {
      if (r.rebuild?.running !== true) r.state = r.position >= this.head ? 'live' : 'catching up';
    }
    this.emitStatus();
  }

  /**
   * Drops one read model's snapshot and folds the log again from position 1 into a fresh
   * copy, while the current one keeps serving and following; the copy replaces it once it
   * has caught up. So a rebuild never shows a half-built model, and nothing else waits.
   */
  async rebuild(name: ProjectionName): Promise<void> {
    const runner = this.runner(name);
    if (runner.rebuild?.running === true) return;
    const startedAt = this.options.now();
    const rebuild = {
      done: 0,
      total: runner.fault === null ? runner.position : this.head,
      running: true,
      ms: 0,
    };
    runner.rebuild = rebuild;
    runner.state = 'rebuilding';
    this.emitStatus();
    try {
      await this.options.readSide.drop(name);
      runner.skips = new Set(await this.options.readSide.skips(name, this.epoch));
      const scratch = await this.foldScratch(runner, (done) => {
        rebuild.done = done;
        rebuild.total = Math.max(rebuild.total, runner.position);
      });
      runner.model = scratch.model;
      runner.bulk = null; // drafts of the model just replaced
      runner.position = scratch.position;
      runner.fault = scratch.fault;
      runner.replayed = scratch.replayed;
      runner.restoredFrom = null;
      runner.unsaved = Math.max(1, scratch.unsaved);
      // A new model: any row of it may differ from the one it replaced.
      this.publish(new Set([name]), EVERY_STREAM);
    } finally {
      // The finished rebuild stays on record (done, how long) until the next one starts.
      rebuild.running = false;
      rebuild.ms = Math.round(this.options.now() - startedAt);
      runner.state =
        runner.fault !== null ? 'faulted' : runner.position >= this.head ? 'live' : 'catching up';
      this.emitStatus();
      // Not awaited: the rebuild is done; following the log goes on as it would anyway.
      this.follow().catch((error: unknown) => {
        this.report(`Following the log failed: ${messageOf(error)}`);
      });
    }
    // After the status: a save that fails must not leave the rebuild shown as running. The
    // model is whole either way; it is saved again at the next checkpoint.
    await this.checkpoint().catch((error: unknown) => {
      this.report(`Saving the read models failed: ${messageOf(error)}`);
    });
  }

  /** An error nobody asked about, for the Projections page. */
  private report(message: string): void {
    (this.options.emitNow ?? this.options.emit)({ type: 'error', message });
  }

  /**
   * Folds a scratch copy of one read model from position 1 to where the live one stands,
   * then compares their content hashes in the same tick, so both are at one position. The
   * copy is folded event by event through `project`, the reference, so a verify also checks
   * the bulk folds that built the live model.
   */
  async verify(
    name: ProjectionName,
  ): Promise<{ position: number; liveHash: string; scratchHash: string }> {
    const live = this.runner(name);
    const scratch = await this.foldScratch(live, () => undefined, false);
    return {
      position: live.position,
      liveHash: contentHash(live.model),
      scratchHash: contentHash(scratch.model),
    };
  }

  /** A fresh runner folded from position 1 until it stands where `live` stands (or faults). */
  private async foldScratch(
    live: Runner,
    onProgress: (done: number) => void,
    bulk = true,
  ): Promise<Runner> {
    const scratch = createRunner(live.projection, this.options.now());
    scratch.skips = new Set(live.skips);
    const target = () => (live.fault === null ? live.position : this.head);
    while (scratch.position < target() && scratch.fault === null) {
      const from = scratch.position;
      await this.advance(() => [scratch], target(), { publish: false, bulk });
      if (scratch.position === from)
        throw new Error(`The log ends at position ${from}, before the read model's ${target()}`);
      onProgress(scratch.position);
      this.emitStatus();
    }
    return scratch;
  }

  /** Records that a faulted read model should step over the event it stopped at, and goes on. */
  async skip(name: ProjectionName, position: number): Promise<void> {
    const runner = this.runner(name);
    if (runner.fault?.position !== position) return;
    await this.options.readSide.addSkip({
      projection: name,
      position,
      reason: runner.fault.message,
      logEpoch: this.epoch,
    });
    runner.skips.add(position);
    runner.fault = null;
    runner.state = 'catching up';
    await this.follow();
  }

  /** Saves every read model with unsaved events: rows and position in one transaction each. */
  async checkpoint(): Promise<void> {
    const dirty = [...this.runners.values()].filter((r) => r.unsaved > 0);
    if (dirty.length === 0) return;
    const savedAt = this.options.clock();
    const snapshots = dirty.map((r) => ({
      name: r.projection.name,
      codeVersion: r.projection.codeVersion,
      position: r.position,
      logEpoch: this.epoch,
      rows: [...r.model],
      savedAt,
    }));
    const saved = dirty.map((r) => r.unsaved);
    this.lastCheckpoint = this.options.now();
    await this.options.readSide.save(snapshots);
    // Events folded while the save ran are not in it: they stay counted as unsaved.
    dirty.forEach((r, i) => {
      r.unsaved = Math.max(0, r.unsaved - (saved[i] ?? 0));
    });
  }

  private async maybeCheckpoint(): Promise<void> {
    const runners = [...this.runners.values()];
    // Events in a bulk replay's drafts count too: they are written to the model to be saved.
    const unsaved = Math.max(...runners.map((r) => r.unsaved + (r.bulk?.pending ?? 0)));
    const due =
      this.options.now() - this.lastCheckpoint >= (this.options.checkpointMinIntervalMs ?? 30_000);
    if (unsaved < (this.options.checkpointEvery ?? 200_000) || !due) return;
    this.commitAll(runners, true);
    await this.checkpoint();
  }

  private runner(name: ProjectionName): Runner {
    const runner = this.runners.get(name);
    if (runner === undefined) throw new Error(`No read model named ${name}`);
    return runner;
  }

  status(): ProjectionStatus[] {
    const now = this.options.now();
    const behind = [...this.runners.values()].some((r) => r.position < this.head);
    if (!behind) this.behindSince = null;
    else this.behindSince ??= now;
    return [...this.runners.values()].map((r) => ({
      name: r.projection.name,
      title: r.projection.title,
      state: r.state,
      position: r.position,
      lag: Math.max(0, this.head - r.position),
      lagMs:
        r.position < this.head && this.behindSince !== null
          ? Math.round(now - this.behindSince)
          : 0,
      eventsPerSecond: r.meter.perSecond(now),
      fault: r.fault,
      rebuild: r.rebuild === null ? null : { ...r.rebuild },
      restoredFrom: r.restoredFrom,
      replayed: r.replayed,
      skipped: [...r.skips].sort((a, b) => a - b),
    }));
  }

  emitStatus(): void {
    this.options.emit({ type: 'status', head: this.head, projections: this.status() });
  }

  emitStatusNow(): void {
    (this.options.emitNow ?? this.options.emit)({
      type: 'status',
      head: this.head,
      projections: this.status(),
    });
  }
}

/** The first position the runner is to skip after `position`, if any. */
function nextSkip(runner: Runner, position: number): number | undefined {
  let next: number | undefined;
  for (const skip of runner.skips)
    if (skip > position && (next === undefined || skip < next)) next = skip;
  return next;
}

function toDomainEvent(event: RecordedEvent): DomainEvent | Error {
  try {
    return upcast(event);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
