import type { RecordedEvent } from '../domain';
import { decodeSegment, encodeSegment, SegmentColumns, type SegmentRecord } from './codec';
import type { LogRun } from './types';

/** The most events one segment holds. */
export const SEGMENT_SIZE = 1024;
/** An append of at least this many events is written packed at once, not as singles. */
export const PACK_DIRECTLY = 128;

/** The two stores a log read needs, from a readonly or a readwrite transaction. */
export interface LogSource {
  readonly segments: { getAll(range: IDBKeyRange): Promise<SegmentRecord[]> };
  readonly events: { getAll(range: IDBKeyRange): Promise<RecordedEvent[]> };
}

/**
 * Events at positions [from, to], wherever they are: packed in segments or single. A segment
 * overlapping the range ends at most SEGMENT_SIZE - 1 after it, so one key range finds them.
 * They stay encoded until walked, so a replay holds one segment's events at a time; the run
 * ends before the first missing position.
 */
export async function readRun(log: LogSource, from: number, to: number): Promise<LogRun> {
  return runOf(await readPieces(log, from, to), from);
}

/**
 * What `readRun` reads, still encoded: plain data (strings, typed arrays, plain objects), so
 * it can be handed to another thread, which walks it with `runOf`.
 */
export async function readPieces(log: LogSource, from: number, to: number): Promise<LogPiece[]> {
  if (to < from) return [];
  const [segments, singles] = await Promise.all([
    log.segments.getAll(IDBKeyRange.bound(from, to + SEGMENT_SIZE - 1)),
    log.events.getAll(IDBKeyRange.bound(from, to)),
  ]);
  const pieces: LogPiece[] = [
    ...segments.flatMap((s) =>
      s.first > to
        ? []
        : [{ first: Math.max(from, s.first), last: Math.min(to, s.last), segment: s }],
    ),
    ...singles.map((e) => ({ first: e.position, last: e.position, event: e })),
  ].sort((a, b) => a.first - b.first);
  let last = from - 1;
  const run: LogPiece[] = [];
  for (const piece of pieces) {
    if (piece.first !== last + 1) break;
    run.push(piece);
    last = piece.last;
  }
  return run;
}

/** The consecutive pieces of a run from `from` on, walked in position order. */
export function runOf(pieces: readonly LogPiece[], from: number): LogRun {
  const last = pieces.at(-1)?.last ?? from - 1;
  return {
    count: last - from + 1,
    last,
    forEach(visit) {
      for (const piece of pieces) {
        if ('event' in piece) {
          visit(piece.event, 0);
          continue;
        }
        const { segment } = piece;
        let at = piece.first - segment.first;
        for (const e of decodeSegment(segment, piece.first, piece.last))
          visit(e, segment.streams?.[at++] ?? 0);
      }
    },
    forEachColumns(visit) {
      for (const piece of pieces) {
        // A single event is read as a segment of one: rare in a long replay, and one shape
        // of columns keeps the fold's calls monomorphic.
        const segment = 'event' in piece ? encodeSegment([piece.event]) : piece.segment;
        visit(
          new SegmentColumns(segment),
          piece.first - segment.first,
          piece.last - segment.first + 1,
        );
      }
    },
  };
}

/** Events at positions [from, to], up to the first missing one, as an array. */
export async function readRange(
  log: LogSource,
  from: number,
  to: number,
): Promise<RecordedEvent[]> {
  const run = await readRun(log, from, to);
  const events: RecordedEvent[] = [];
  run.forEach((e) => events.push(e));
  return events;
}

/** Consecutive events of the log: a part of a segment, or one single event. */
export type LogPiece =
  | { readonly first: number; readonly last: number; readonly segment: SegmentRecord }
  | { readonly first: number; readonly last: number; readonly event: RecordedEvent };

/**
 * What a writer knows of the log before the events it packs, to number their streams: a
 * stream's number is how many streams began before it.
 */
export interface StreamNumbers {
  /** How many streams began before the first event packed, if known. */
  readonly begun: number | undefined;
  /** The number of a stream that began before, if known. */
  numberOf(streamId: string): number | undefined;
}

const UNKNOWN: StreamNumbers = { begun: undefined, numberOf: () => undefined };

/**
 * Cuts consecutive events into packed segments of at most SEGMENT_SIZE, each event with its
 * stream's number: for a stream begun here, the streams begun before plus those begun here
 * earlier; else what `numbers` knows (unknown if nothing).
 */
export function pack(
  events: readonly RecordedEvent[],
  numbers: StreamNumbers = UNKNOWN,
): SegmentRecord[] {
  const streams = new Uint32Array(events.length);
  const begunHere = new Map<string, number | undefined>();
  let next = numbers.begun;
  events.forEach((e, i) => {
    let n = begunHere.get(e.streamId);
    if (n === undefined && !begunHere.has(e.streamId)) {
      n = e.version === 1 ? next : numbers.numberOf(e.streamId);
      if (e.version === 1 && next !== undefined) next += 1;
      begunHere.set(e.streamId, n);
    }
    streams[i] = n === undefined ? 0 : n + 1;
  });
  const segments: SegmentRecord[] = [];
  for (let i = 0; i < events.length; i += SEGMENT_SIZE)
    segments.push(
      encodeSegment(events.slice(i, i + SEGMENT_SIZE), streams.slice(i, i + SEGMENT_SIZE)),
    );
  return segments;
}

/** How many of the ascending `values` are below `limit`: a binary search. */
export function countBelow(values: readonly number[], limit: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) < limit) low = middle + 1;
    else high = middle;
  }
  return low;
}
