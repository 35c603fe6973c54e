import type { RecordedEvent } from '../domain';
import type { SegmentRecord, StreamRecord } from './schema';

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
 */
export async function readRange(
  log: LogSource,
  from: number,
  to: number,
): Promise<RecordedEvent[]> {
  if (to < from) return [];
  const [segments, singles] = await Promise.all([
    log.segments.getAll(IDBKeyRange.bound(from, to + SEGMENT_SIZE - 1)),
    log.events.getAll(IDBKeyRange.bound(from, to)),
  ]);
  const slots: (RecordedEvent | undefined)[] = new Array<RecordedEvent | undefined>(to - from + 1);
  for (const segment of segments) {
    if (segment.first > to) continue;
    const start = Math.max(from, segment.first);
    const end = Math.min(to, segment.last);
    for (let p = start; p <= end; p++) slots[p - from] = segment.events[p - segment.first];
  }
  for (const e of singles) slots[e.position - from] = e;
  const end = slots.findIndex((e) => e === undefined);
  return (end === -1 ? slots : slots.slice(0, end)) as RecordedEvent[];
}

/** Cuts consecutive events into segments of at most SEGMENT_SIZE. */
export function pack(events: readonly RecordedEvent[]): SegmentRecord[] {
  const segments: SegmentRecord[] = [];
  for (let i = 0; i < events.length; i += SEGMENT_SIZE) {
    const slice = events.slice(i, i + SEGMENT_SIZE);
    const first = slice[0];
    const last = slice.at(-1);
    if (first !== undefined && last !== undefined) {
      segments.push({ first: first.position, last: last.position, events: slice });
    }
  }
  return segments;
}

/** Each stream record, with the keys of the new segments that hold its events added. */
export function withSegments(
  records: ReadonlyMap<string, StreamRecord>,
  segments: readonly SegmentRecord[],
): StreamRecord[] {
  const added = new Map<string, number[]>();
  for (const s of segments) {
    for (const e of s.events) {
      const keys = added.get(e.streamId) ?? [];
      if (keys.at(-1) !== s.last) keys.push(s.last);
      added.set(e.streamId, keys);
    }
  }
  return [...added].flatMap(([streamId, keys]) => {
    const record = records.get(streamId);
    return record === undefined
      ? []
      : [{ ...record, segments: [...(record.segments ?? []), ...keys] }];
  });
}
