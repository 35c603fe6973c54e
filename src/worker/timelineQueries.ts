import { upcast, type RecordedEvent } from '../domain';
import type { EventStore } from '../eventstore';
import { PROJECTIONS, type ProjectionName } from '../projections';
import type {
  BlameRow,
  EventDetail,
  EventSummaryRow,
  ProjectionFixture,
  Query,
  WhatIfRow,
  WriteRow,
} from './protocol';
import type { Timeline } from './timeline';

/** A row of a window, and what it was made from: unchanged sources mean an unchanged row. */
export interface WindowRow {
  readonly key: string;
  readonly row: unknown;
  readonly sources: readonly unknown[];
}

/** A window's rows as of now: the slice asked for, and how many there are in all. */
export interface Evaluated {
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly WindowRow[];
}

type TimelineQuery = Extract<
  Query,
  {
    kind:
      | 'timelineEvents'
      | 'timelineModel'
      | 'timelineChanges'
      | 'timelineEvent'
      | 'blame'
      | 'whatIf'
      | 'density';
  }
>;

/** Answers the timeline's windows from its fold (after bringing it up to the log's end). */
export async function evaluateTimeline(
  timeline: Timeline,
  events: Pick<EventStore, 'readFrom' | 'readRun' | 'commandAt'>,
  query: TimelineQuery,
  textFilter: TextFilterCache,
): Promise<Evaluated> {
  await timeline.follow();
  switch (query.kind) {
    case 'timelineEvents': {
      // Unfiltered, the list is every position in order: its window needs no list of them.
      const unfiltered = [query.type, query.stream, query.text].every((f) => f.trim() === '');
      const positions = unfiltered ? null : await textFilter.positions(timeline, events, query);
      const total = positions === null ? timeline.head : positions.length;
      const window =
        positions === null
          ? Array.from(
              { length: Math.max(0, Math.min(query.limit, total - query.offset)) },
              (_, i) => query.offset + i + 1,
            )
          : positions.slice(query.offset, query.offset + query.limit);
      const rows = window.flatMap((p) => {
        const s = timeline.summary(p);
        return s === undefined
          ? []
          : [{ key: String(p), row: s satisfies EventSummaryRow, sources: [s] }];
      });
      return { total, offset: query.offset, rows };
    }
    case 'timelineModel':
      return modelAt(timeline, query.projection, query.at, query.filter, query.limit);
    case 'timelineChanges': {
      const writes: WriteRow[] = [...timeline.writesAt(query.at)];
      return {
        total: writes.length,
        offset: 0,
        rows: writes.map((w, i) => ({
          key: `${String(i)}:${w.projection}:${w.key}`,
          row: w,
          sources: [w],
        })),
      };
    }
    case 'timelineEvent': {
      const detail = await eventDetail(timeline, events, query.position);
      return detail === null
        ? { total: 0, offset: 0, rows: [] }
        : {
            total: 1,
            offset: 0,
            rows: [{ key: String(query.position), row: detail, sources: [detail] }],
          };
    }
    case 'density': {
      const buckets = timeline.density(query.buckets);
      return {
        total: buckets.length,
        offset: 0,
        rows: buckets.map((b) => ({
          key: String(b.from),
          row: b,
          sources: [b.to, JSON.stringify(b.counts)],
        })),
      };
    }
    case 'whatIf': {
      const rows: WhatIfRow[] = await timeline.withoutEvent(query.skip);
      return {
        total: rows.length,
        offset: 0,
        rows: rows
          .slice(0, 200)
          .map((r) => ({ key: `${r.projection}:${r.key}`, row: r, sources: [r.real, r.sandbox] })),
      };
    }
    case 'blame': {
      const rows: BlameRow[] = timeline
        .blame(query.projection, query.key, query.field, query.at)
        .map(({ position, value }) => ({
          position,
          value,
          type: timeline.summary(position)?.type ?? '',
        }));
      return {
        total: rows.length,
        offset: 0,
        rows: rows.map((r) => ({ key: String(r.position), row: r, sources: [r] })),
      };
    }
  }
}

function modelAt(
  timeline: Timeline,
  projection: ProjectionName,
  at: number,
  filter: string,
  limit: number,
): Evaluated {
  const model = timeline.modelsAt(at)[projection];
  const needle = filter.trim().toLowerCase();
  const matches = (k: string) =>
    needle === '' ||
    k.toLowerCase().includes(needle) ||
    JSON.stringify(model.get(k)).toLowerCase().includes(needle);
  let total = 0;
  const first: string[] = [];
  const visit = (key: string) => {
    if (!matches(key)) return;
    total += 1;
    keepSmallest(first, key, limit);
  };
  model.forEachKey(visit);
  // The rows the event at `at` wrote come too, after the first ones where they are not among
  // them: the table marks them, and they are what a person stepping through came to see.
  const shown = new Set(first);
  const written = [...timeline.writesAt(at)]
    .filter((w) => w.projection === projection && w.after !== undefined)
    .map((w) => w.key)
    .filter((key) => !shown.has(key) && model.get(key) !== undefined && matches(key));
  const rows = [...first, ...new Set(written)].map((key) => {
    const row = model.get(key);
    return { key, row, sources: [row] };
  });
  return { total, offset: 0, rows };
}

/**
 * Keeps the `limit` smallest keys seen, in order: one pass over a 100k-row model instead of
 * sorting all its keys on every step of the cursor.
 */
function keepSmallest(kept: string[], key: string, limit: number): void {
  if (kept.length === limit && key >= (kept[limit - 1] ?? '')) return;
  let lo = 0;
  let hi = kept.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((kept[mid] ?? '') < key) lo = mid + 1;
    else hi = mid;
  }
  kept.splice(lo, 0, key);
  if (kept.length > limit) kept.pop();
}

async function eventDetail(
  timeline: Timeline,
  events: Pick<EventStore, 'readFrom' | 'commandAt'>,
  position: number,
): Promise<EventDetail | null> {
  const [event] = await events.readFrom(position, 1);
  if (event?.position !== position) return null;
  const command = await events.commandAt(position);
  const caused =
    command === undefined
      ? [event]
      : await events.readFrom(command.first, command.last - command.first + 1);
  return {
    event: { ...event, metadata: { ...event.metadata } },
    upcast: upcastOf(event),
    command: command?.type === undefined ? null : { type: command.type, data: command.data },
    commandEvents: caused.map((e) => ({
      position: e.position,
      type: e.type,
      streamId: e.streamId,
      recordedAt: e.metadata.recordedAt,
    })),
    writes: caused.flatMap((e) => timeline.writesAt(e.position)),
    fault: timeline.faults.get(position) ?? null,
  };
}

/**
 * Filtering by text looks inside every payload, so it reads the log; the positions found are
 * kept for that filter until the log grows.
 */
export class TextFilterCache {
  private cached: { signature: string; head: number; positions: number[] } | null = null;

  async positions(
    timeline: Timeline,
    events: Pick<EventStore, 'readRun'>,
    query: Extract<Query, { kind: 'timelineEvents' }>,
  ): Promise<number[]> {
    const text = query.text.trim().toLowerCase();
    const candidates = timeline.matching(query);
    if (text === '') return candidates;
    const signature = `${query.type}\u0000${query.stream}\u0000${text}`;
    if (this.cached?.signature === signature && this.cached.head === timeline.head)
      return this.cached.positions;
    const wanted = new Set(candidates);
    const positions: number[] = [];
    for (let from = 1; from <= timeline.head; from += 10_000) {
      (await events.readRun(from, 10_000)).forEach((e) => {
        if (wanted.has(e.position) && JSON.stringify(e.data).toLowerCase().includes(text))
          positions.push(e.position);
      });
    }
    this.cached = { signature, head: timeline.head, positions };
    return positions;
  }
}

/** The read models before `from`, the events from..to as given, and the models after them. */
export async function exportFixture(
  timeline: Timeline,
  events: Pick<EventStore, 'readFrom'>,
  from: number,
  to: number,
): Promise<ProjectionFixture> {
  await timeline.follow();
  const first = Math.max(1, Math.min(from, timeline.head));
  const last = Math.max(first, Math.min(to, timeline.head));
  // A test replays its events through the projections: one they cannot fold would fail it.
  for (let p = first; p <= last; p++) {
    const fault = timeline.faults.get(p);
    if (fault !== undefined)
      throw new Error(
        `event ${String(p)} cannot be folded (${fault}), so a test of events ${String(first)} to ${String(last)} would fail on it; choose a range without it`,
      );
  }
  const entries = (models: Readonly<Record<ProjectionName, ReadonlyMap<string, unknown>>>) =>
    Object.fromEntries(
      PROJECTIONS.map((p) => [p.name, [...models[p.name]].sort(([a], [b]) => (a < b ? -1 : 1))]),
    );
  const initial = entries(timeline.modelsAt(first - 1));
  const expected = entries(timeline.modelsAt(last));
  return {
    description: `Events ${String(first)} to ${String(last)} of the CQRS Workbench log, with the read models before and after them`,
    codeVersions: Object.fromEntries(PROJECTIONS.map((p) => [p.name, p.codeVersion])),
    initial,
    events: await events.readFrom(first, last - first + 1),
    expected,
  };
}

/** The event as the projections see it, when that differs from how it is stored. */
function upcastOf(event: RecordedEvent): EventDetail['upcast'] {
  try {
    const current = upcast(event);
    return current === event ? null : { schemaVersion: current.schemaVersion, data: current.data };
  } catch {
    return null; // the fault is reported with the event
  }
}
