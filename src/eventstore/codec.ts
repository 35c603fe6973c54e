import type { EventMetadata, RecordedEvent } from '../domain';

/**
 * A run of up to 1,024 consecutive events in columns (v5). Structured clone copies strings
 * and typed arrays as flat bytes but rebuilds objects one property at a time, so a segment
 * holds three flat values instead of a thousand nested objects: that makes the log about
 * 3× faster to read. Keyed by `last`, so the segments holding positions from p on are the
 * keys from p on.
 */
export interface SegmentRecord {
  readonly first: number;
  readonly last: number;
  /** Every distinct stream id, type and time the columns name: a JSON array. */
  readonly strings: string;
  /**
   * Every distinct command, event, causation and correlation id: a JSON array. Apart from
   * `strings`, since a replay has no use for ids, which are most of a segment's text. Absent
   * in segments written before: their ids are in `strings`.
   */
  readonly ids?: string;
  /** FIELDS numbers per event; string fields are indexes into `strings` or `ids`. */
  readonly columns: Uint32Array;
  /** The payloads, a JSON array, one per event. */
  readonly data: string;
  /**
   * Per event, the position of its stream's first event: a number standing for the stream,
   * which a replay can index by where a stream id needs a lookup. 0 where the writer did not
   * know it; absent in segments written before it was kept.
   */
  readonly origins?: Uint32Array;
}

/** The order of an event's numbers in `columns`. */
const STREAM = 0;
const VERSION = 1;
const TYPE = 2;
const SCHEMA = 3;
const EVENT_ID = 4;
const COMMAND_ID = 5;
const CAUSATION_ID = 6;
const CORRELATION_ID = 7;
const RECORDED_AT = 8;
const FIELDS = 9;
/** In the event-id column: the id is the command's id, a slash and the event's place in it. */
const DERIVED = 0xffffffff;

/** Where each event stands within its command's events in this segment: 1, 2, ... */
function placeInCommand(commandIds: ArrayLike<number>, i: number, previous: number): number {
  return i > 0 && commandIds[i - 1] === commandIds[i] ? previous + 1 : 1;
}

/** Distinct strings numbered in the order they are first met. */
class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  ref(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/** Packs consecutive events into one segment record, with their streams' origins if known. */
export function encodeSegment(
  events: readonly RecordedEvent[],
  origins?: Uint32Array,
): SegmentRecord {
  const first = events[0];
  const last = events.at(-1);
  if (first === undefined || last === undefined) throw new Error('A segment needs events');
  const strings = new StringTable();
  const ids = new StringTable();
  const ref = (s: string) => strings.ref(s);
  const idRef = (s: string) => ids.ref(s);
  const columns = new Uint32Array(events.length * FIELDS);
  const commandIds: number[] = [];
  let place = 0;
  events.forEach((e, i) => {
    if (e.position !== first.position + i) throw new Error('A segment holds consecutive events');
    const m = e.metadata;
    const at = i * FIELDS;
    commandIds.push(idRef(m.commandId));
    place = placeInCommand(commandIds, i, place);
    columns[at + STREAM] = ref(e.streamId);
    columns[at + VERSION] = e.version;
    columns[at + TYPE] = ref(e.type);
    columns[at + SCHEMA] = e.schemaVersion;
    columns[at + EVENT_ID] =
      m.eventId === `${m.commandId}/${String(place)}` ? DERIVED : idRef(m.eventId);
    columns[at + COMMAND_ID] = commandIds[i] ?? 0;
    columns[at + CAUSATION_ID] = idRef(m.causationId);
    columns[at + CORRELATION_ID] = idRef(m.correlationId);
    columns[at + RECORDED_AT] = ref(m.recordedAt);
  });
  return {
    first: first.position,
    last: last.position,
    strings: JSON.stringify(strings.values),
    ids: JSON.stringify(ids.values),
    columns,
    data: JSON.stringify(events.map((e) => e.data)),
    ...(origins === undefined ? {} : { origins }),
  };
}

/** The events of a segment at positions [from, to] (clamped to the segment). */
export function decodeSegment(
  segment: SegmentRecord,
  from = segment.first,
  to = segment.last,
): RecordedEvent[] {
  const start = Math.max(from, segment.first) - segment.first;
  const end = Math.min(to, segment.last) - segment.first;
  if (end < start) return [];
  const reader = segmentReader(segment);
  const events = new Array<RecordedEvent>(end - start + 1);
  for (let i = start; i <= end; i++) events[i - start] = reader.event(i);
  return events;
}

/** The events of a segment that belong to one of these streams, in position order. */
export function decodeStreams(
  segment: SegmentRecord,
  streamIds: ReadonlySet<string>,
): RecordedEvent[] {
  const reader = segmentReader(segment);
  const wanted = new Set<number>();
  reader.strings.forEach((s, i) => {
    if (streamIds.has(s)) wanted.add(i);
  });
  const events: RecordedEvent[] = [];
  if (wanted.size === 0) return events;
  const { columns } = segment;
  for (let i = 0; i * FIELDS < columns.length; i++) {
    if (wanted.has(columns[i * FIELDS + STREAM] ?? -1)) events.push(reader.event(i));
  }
  return events;
}

/**
 * Stored events read by index, field by field, without an object per event: what a long
 * replay's bulk fold walks (see `BulkFold`). Index 0 is the segment's first event.
 */
export class SegmentColumns {
  readonly first: number;
  readonly count: number;
  private readonly strings: readonly string[];
  private readonly columns: Uint32Array;
  private readonly payloads: readonly unknown[];
  private readonly origins: Uint32Array | undefined;

  constructor(segment: SegmentRecord) {
    this.first = segment.first;
    this.columns = segment.columns;
    this.origins = segment.origins;
    this.count = segment.columns.length / FIELDS;
    this.strings = JSON.parse(segment.strings) as string[];
    this.payloads = JSON.parse(segment.data) as unknown[];
  }

  /** Every `streamRef` is below this. */
  get refs(): number {
    return this.strings.length;
  }

  /** The same number for every event of one stream, and a different one for another stream. */
  streamRef(i: number): number {
    return this.columns[i * FIELDS + STREAM] ?? 0;
  }

  /** The stream named by a `streamRef`. */
  streamIdOf(ref: number): string {
    return this.strings[ref] ?? '';
  }

  /** The position of the stream's first event; 0 when the segment does not say. */
  origin(i: number): number {
    return this.origins?.[i] ?? 0;
  }

  type(i: number): string {
    return this.strings[this.columns[i * FIELDS + TYPE] ?? 0] ?? '';
  }

  schemaVersion(i: number): number {
    return this.columns[i * FIELDS + SCHEMA] ?? 0;
  }

  recordedAt(i: number): string {
    return this.strings[this.columns[i * FIELDS + RECORDED_AT] ?? 0] ?? '';
  }

  data(i: number): unknown {
    return this.payloads[i];
  }
}

/** Parses a segment's JSON values once and builds its events by index. */
function segmentReader(segment: SegmentRecord) {
  const strings = JSON.parse(segment.strings) as string[];
  const ids = segment.ids === undefined ? strings : (JSON.parse(segment.ids) as string[]);
  const data = JSON.parse(segment.data) as unknown[];
  const { columns, first } = segment;
  const count = columns.length / FIELDS;
  const places = new Uint32Array(count);
  for (let i = 0, at = COMMAND_ID; i < count; i++, at += FIELDS)
    places[i] = i > 0 && columns[at - FIELDS] === columns[at] ? (places[i - 1] ?? 0) + 1 : 1;
  const text = (ref: number | undefined): string => strings[ref ?? 0] ?? '';
  const id = (ref: number | undefined): string => ids[ref ?? 0] ?? '';
  return {
    strings,
    // Each column read once, straight into the objects: this runs for every event of a replay.
    event(i: number): RecordedEvent {
      const at = i * FIELDS;
      const commandId = id(columns[at + COMMAND_ID]);
      const eventRef = columns[at + EVENT_ID];
      const metadata: EventMetadata = {
        eventId: eventRef === DERIVED ? commandId + '/' + String(places[i]) : id(eventRef),
        commandId,
        causationId: id(columns[at + CAUSATION_ID]),
        correlationId: id(columns[at + CORRELATION_ID]),
        recordedAt: text(columns[at + RECORDED_AT]),
      };
      return {
        position: first + i,
        streamId: text(columns[at + STREAM]),
        version: columns[at + VERSION] ?? 0,
        type: text(columns[at + TYPE]),
        schemaVersion: columns[at + SCHEMA] ?? 0,
        data: data[i],
        metadata,
      };
    },
  };
}
