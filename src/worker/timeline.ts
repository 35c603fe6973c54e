import { messageOf, upcast, type RecordedEvent } from '../domain';
import type { EventStore } from '../eventstore';
import { applyChanges, PROJECTIONS, type ProjectionName } from '../projections';
import { LayeredModel } from './layeredModel';
import { READ_AHEAD, ReadAhead } from './readAhead';
import { serialLoop } from './serialLoop';
import type { DensityBucket, EventSummaryRow, WhatIfRow, WriteRow } from './protocol';
import { EventIndex, WriteLog } from './writeLog';

type Models = Record<ProjectionName, Map<string, unknown>>;
/** The read models as of one position, as the queries see them. */
export type ModelsAt = Readonly<
  Record<ProjectionName, ReadonlyMap<string, unknown> & Pick<LayeredModel, 'forEachKey'>>
>;
type Layers = Record<ProjectionName, LayeredModel>;

const emptyModels = (): Models => ({
  userProfiles: new Map(),
  usersByDomain: new Map(),
  activitySummary: new Map(),
});

const layersOver = (m: Readonly<Models>): Layers => ({
  userProfiles: new LayeredModel(m.userProfiles),
  usersByDomain: new LayeredModel(m.usersByDomain),
  activitySummary: new LayeredModel(m.activitySummary),
});

const copyModels = (m: Readonly<Record<ProjectionName, ReadonlyMap<string, unknown>>>): Models => ({
  userProfiles: new Map(m.userProfiles),
  usersByDomain: new Map(m.usersByDomain),
  activitySummary: new Map(m.activitySummary),
});

/**
 * The timeline's own fold of the whole log, from position 1, that keeps what every event
 * wrote (the write-set, with before and after). From it:
 * - the read models as of any position: the cursor's models move there by applying the
 *   writes in between, forwards (after) or backwards (before), from the nearest of the
 *   cursor, the head or the empty start; never a replay from position 1 per step;
 * - what an event changed: its write-set;
 * - blame: the positions that wrote a row, from an index by row.
 * Built lazily, when the timeline is first asked for, and kept following the log.
 */
export class Timeline {
  head = 0;
  private readonly writes = new WriteLog();
  private readonly index = new EventIndex();
  private readonly headModels = emptyModels();
  /** Copies of the models every `anchorEvery` positions; they never change. */
  private readonly anchors: { position: number; models: Models }[] = [
    { position: 0, models: emptyModels() },
  ];
  /** Where the cursor stands: layers over an anchor, or over the head models as they were
   * at `head` (void once the log grows, since the head models then move underneath). */
  private cursor: { position: number; models: Layers; overHeadAt: number | null } = {
    position: 0,
    models: layersOver(emptyModels()),
    overHeadAt: null,
  };
  readonly faults = new Map<number, string>();

  private readonly batchSize: number;
  private readonly anchorEvery: number;
  private readonly knownHead: () => number;
  private readonly onFolded: (position: number) => void;

  constructor(
    private readonly events: Pick<EventStore, 'readRun'>,
    private readonly yieldNow: () => Promise<void>,
    options: {
      readonly batchSize?: number;
      /** A copy of the models is kept every this many events, for the cursor to start from:
       * at most half of it is walked on a jump, for a few MB per copy. */
      readonly anchorEvery?: number;
      /** Where the log is known to end (the engine's head): reads run ahead that far and no
       * further, as a replay's do. Past it a read finds nothing, or what came since. */
      readonly knownHead?: () => number;
      /** Told how far the fold has come after each batch, the first fold's included. */
      readonly onFolded?: (position: number) => void;
    } = {},
  ) {
    this.batchSize = options.batchSize ?? 10_000;
    this.anchorEvery = options.anchorEvery ?? 100_000;
    this.knownHead = options.knownHead ?? (() => 0);
    this.onFolded = options.onFolded ?? (() => undefined);
  }

  /**
   * Folds the log up to its end; concurrent calls share one loop. Reads run three batches
   * ahead of the fold, as a replay's do: the first fold of a long log waits on storage only
   * where storage is the slower.
   */
  readonly follow = serialLoop(async () => {
    const reads = new ReadAhead(
      (from, limit) => this.events.readRun(from, limit),
      this.batchSize,
      READ_AHEAD,
    );
    for (;;) {
      const from = this.head + 1;
      const run = await reads.next(from, Math.max(this.knownHead(), from + this.batchSize - 1));
      if (run.count === 0) return;
      run.forEach((event, streamNumber) => {
        this.fold(event, streamNumber);
      });
      this.onFolded(this.head);
      await this.yieldNow();
    }
  });

  private fold(event: RecordedEvent, streamNumber: number): void {
    if (event.position !== this.head + 1) return;
    let domainEvent;
    try {
      domainEvent = upcast(event);
    } catch (error) {
      this.faults.set(event.position, messageOf(error));
    }
    for (const projection of PROJECTIONS) {
      if (domainEvent === undefined) break;
      const model = this.headModels[projection.name];
      try {
        const changes = projection.project(domainEvent, (key) => model.get(key) as never);
        applyChanges(model, changes as never);
        for (const c of changes) this.writes.add(event.position, projection.name, c.key, c.after);
      } catch (error) {
        this.faults.set(event.position, messageOf(error));
      }
    }
    this.head = event.position;
    if (event.position % this.anchorEvery === 0)
      this.anchors.push({ position: event.position, models: copyModels(this.headModels) });
    this.writes.close(event.position);
    this.index.append(event.type, event.streamId, event.metadata.recordedAt, streamNumber);
  }

  writesAt(position: number): readonly WriteRow[] {
    return this.writes.at(position);
  }

  summary(position: number): EventSummaryRow | undefined {
    return this.index.summary(position);
  }

  /**
   * The read models right after event `position` (0: before any event). The cursor moves
   * there from wherever is nearest: where it stands, an anchor, or the head; only the writes
   * in between are applied, onto layers over that starting point.
   */
  modelsAt(position: number): ModelsAt {
    const target = Math.max(0, Math.min(position, this.head));
    const stale = this.cursor.overHeadAt !== null && this.cursor.overHeadAt !== this.head;
    let best = stale ? Infinity : Math.abs(target - this.cursor.position);
    let start: { position: number; models: Models; overHeadAt: number | null } | null = null;
    for (const anchor of this.anchors) {
      if (Math.abs(target - anchor.position) < best) {
        best = Math.abs(target - anchor.position);
        start = { ...anchor, overHeadAt: null };
      }
    }
    if (this.head - target < best)
      start = { position: this.head, models: this.headModels, overHeadAt: this.head };
    if (start !== null) {
      this.cursor = {
        position: start.position,
        models: layersOver(start.models),
        overHeadAt: start.overHeadAt,
      };
    }
    this.move(target);
    return this.cursor.models;
  }

  private move(target: number): void {
    const { models } = this.cursor;
    const ordered = [models.userProfiles, models.usersByDomain, models.activitySummary];
    while (this.cursor.position < target) {
      this.cursor.position += 1;
      this.writes.apply(this.cursor.position, ordered, true);
    }
    while (this.cursor.position > target) {
      this.writes.apply(this.cursor.position, ordered, false);
      this.cursor.position -= 1;
    }
  }

  /**
   * What-if: the read models at the head, folded again without the event at `skipped` (and
   * nothing else changed), next to the real ones. Starts from the models just before it and
   * folds the rest of the log in a sandbox; the log and the live read models are untouched.
   */
  async withoutEvent(skipped: number): Promise<WhatIfRow[]> {
    const head = this.head;
    const sandbox = copyModels(this.modelsAt(skipped - 1));
    for (let from = skipped + 1; from <= head; from += this.batchSize) {
      const run = await this.events.readRun(from, Math.min(this.batchSize, head - from + 1));
      run.forEach((event) => {
        foldInto(sandbox, event);
      });
      await this.yieldNow();
    }
    const real = this.modelsAt(head);
    const differences: {
      projection: ProjectionName;
      key: string;
      real: unknown;
      sandbox: unknown;
    }[] = [];
    for (const projection of PROJECTIONS) {
      const a = real[projection.name];
      const b = sandbox[projection.name];
      for (const key of new Set([...a.keys(), ...b.keys()])) {
        if (JSON.stringify(a.get(key)) !== JSON.stringify(b.get(key))) {
          differences.push({
            projection: projection.name,
            key,
            real: a.get(key),
            sandbox: b.get(key),
          });
        }
      }
    }
    return differences;
  }

  /** The events up to `at` that wrote `field` of one row: the row's own history, not a scan. */
  blame(
    projection: ProjectionName,
    key: string,
    field: string,
    at: number,
  ): { position: number; value: unknown }[] {
    const result: { position: number; value: unknown }[] = [];
    for (const { position, write } of this.writes.history(projection, key, at)) {
      const before = fieldOf(write.before, field);
      const after = fieldOf(write.after, field);
      if (before !== after) result.push({ position, value: after });
    }
    return result;
  }

  /** Events by type across the log, in `buckets` stretches of equal length. */
  density(buckets: number): DensityBucket[] {
    const size = Math.max(1, Math.ceil(this.head / buckets));
    const result: DensityBucket[] = [];
    for (let from = 1; from <= this.head; from += size) {
      const to = Math.min(this.head, from + size - 1);
      result.push({ from, to, counts: this.index.countsIn(from, to) });
    }
    return result;
  }

  /** Positions of the events matching a filter, in order. */
  matching(filter: { type: string; stream: string }): number[] {
    return this.index.matching(filter.type.trim(), filter.stream.trim());
  }
}

/** Folds one event into a set of models; an event a projection cannot fold changes nothing there. */
function foldInto(models: Models, event: RecordedEvent): void {
  let domainEvent;
  try {
    domainEvent = upcast(event);
  } catch {
    return;
  }
  for (const projection of PROJECTIONS) {
    const model = models[projection.name];
    try {
      applyChanges(
        model,
        projection.project(domainEvent as never, (key) => model.get(key) as never) as never,
      );
    } catch {
      // As in the timeline's own fold: the sandbox shows what the projections could fold.
    }
  }
}

function fieldOf(row: unknown, field: string): unknown {
  return typeof row === 'object' && row !== null
    ? (row as Record<string, unknown>)[field]
    : undefined;
}
