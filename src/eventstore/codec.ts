import type { EventMetadata, RecordedEvent } from '../domain';

/**
 * A run of up to 1,024 consecutive events in columns (v5). Structured clone copies strings
 * and typed arrays as flat bytes but rebuilds objects one property at a time, so a segment
 * holds a few flat values (strings and typed arrays) instead of a thousand nested objects:
 * that makes the log about 3× faster to read. Keyed by `last`, so the segments holding
 * positions from p on are the keys from p on.
 */
export interface SegmentRecord {
  readonly first: number;
  readonly last: number;
  /**
   * Every distinct stream id, type, time and payload string the columns name, one after the
   * other in `text`, string i ending at `bounds[i]`: a string is made only when it is read,
   * and compared where it lies. Segments written before hold `strings`, a JSON array.
   */
  readonly text?: string;
  readonly bounds?: Uint32Array;
  readonly strings?: string;
  /**
   * Every distinct command, event, causation and correlation id, front-coded (`frontCode`).
   * Apart from the other strings, since a replay has no use for ids; front-coded, since the
   * ids of one segment mostly differ only at their end (a run's commands are numbered), and
   * they were most of a segment's bytes. Absent in segments written before: their ids are in
   * `strings`.
   */
  readonly ids?: string;
  /** FIELDS numbers per event; string fields are indexes into the strings or `ids`. */
  readonly columns: Uint32Array;
  /**
   * The payloads, a JSON array: one per event, or, when `shapeOf` is present, only those of
   * events whose payload is not flat (see `shapes`).
   */
  readonly data: string;
  /**
   * A flat payload (a plain object whose values are all strings or finite numbers) is kept in
   * columns: no JSON to parse and no strings to make when it is read. `shapes` is a JSON array
   * of [keys, kinds] pairs, kinds a string of 's' (string) and 'n' (number) per key; `shapeOf`
   * gives each event's shape (IN_JSON: in `data`); `values` holds the flat payloads' values in
   * order, a string as its index into the strings. Absent in segments written before.
   */
  readonly shapes?: string;
  readonly shapeOf?: Uint16Array;
  readonly values?: Float64Array;
  /**
   * Per event, its stream's number + 1, a stream's number being how many streams began
   * before it in the log: a replay keeps rows in an array by it, where a stream id needs a
   * lookup. 0 where the writer did not know it; absent in segments written before.
   */
  readonly streams?: Uint32Array;
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

/** Where an event stands within its command's events in this segment (1, 2, ...), from the
 * place of the event before and whether that event was of the same command. */
function placeInCommand(sameCommandAsBefore: boolean, previous: number): number {
  return sameCommandAsBefore ? previous + 1 : 1;
}

const SLASH = 47;

/** Whether an event id is `${commandId}/${place}`, told without making that string. */
function isDerivedId(eventId: string, commandId: string, place: number): boolean {
  const suffix = String(place);
  return (
    eventId.length === commandId.length + 1 + suffix.length &&
    eventId.charCodeAt(commandId.length) === SLASH &&
    eventId.startsWith(commandId) &&
    eventId.endsWith(suffix)
  );
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

  /** The strings one after the other, and where each ends. */
  packed(): { text: string; bounds: Uint32Array } {
    const bounds = new Uint32Array(this.values.length);
    let end = 0;
    this.values.forEach((value, i) => {
      end += value.length;
      bounds[i] = end;
    });
    return { text: this.values.join(''), bounds };
  }
}

/**
 * Strings as a JSON array of pairs: how many characters each shares with the one before it,
 * and the rest. `bench-1-…-499025` after `bench-1-…-499024` is [50, "5"].
 */
export function frontCode(values: readonly string[]): string {
  const parts: (number | string)[] = [];
  let previous = '';
  for (const value of values) {
    const most = Math.min(previous.length, value.length);
    let shared = 0;
    while (shared < most && previous.charCodeAt(shared) === value.charCodeAt(shared)) shared++;
    parts.push(shared, value.slice(shared));
    previous = value;
  }
  return JSON.stringify(parts);
}

export function frontDecode(text: string): string[] {
  const parts = JSON.parse(text) as (number | string)[];
  const values: string[] = [];
  let previous = '';
  for (let i = 0; i + 1 < parts.length; i += 2) {
    previous = previous.slice(0, Number(parts[i])) + String(parts[i + 1]);
    values.push(previous);
  }
  return values;
}

/**
 * A string that does not keep a larger one alive. V8 makes a slice of 13 characters or more
 * a view into the string it was cut from, so a row holding an email cut from a segment's text
 * would hold the whole text. Cut from a fresh concatenation instead, it holds only that.
 */
function ownCopy(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/** A segment's strings, each made only when asked for. */
export class StringView {
  private readonly made: (string | undefined)[];
  private readonly text: string;
  private readonly bounds: Uint32Array | undefined;

  constructor(segment: Pick<SegmentRecord, 'text' | 'bounds' | 'strings'>) {
    if (segment.text !== undefined && segment.bounds !== undefined) {
      this.text = segment.text;
      this.bounds = segment.bounds;
      this.made = new Array<string | undefined>(segment.bounds.length);
    } else {
      // Written before: a JSON array, every string made at once.
      this.made = JSON.parse(segment.strings ?? '[]') as string[];
      this.text = '';
      this.bounds = undefined;
    }
  }

  get size(): number {
    return this.made.length;
  }

  at(ref: number): string {
    const made = this.made[ref];
    if (made !== undefined || this.bounds === undefined) return made ?? '';
    const text = ownCopy(this.text.slice(this.start(ref), this.bounds[ref] ?? 0));
    this.made[ref] = text;
    return text;
  }

  length(ref: number): number {
    return this.bounds === undefined
      ? this.at(ref).length
      : (this.bounds[ref] ?? 0) - this.start(ref);
  }

  startsWith(ref: number, prefix: string): boolean {
    if (this.bounds === undefined) return this.at(ref).startsWith(prefix);
    return this.length(ref) >= prefix.length && this.text.startsWith(prefix, this.start(ref));
  }

  /** Whether string `a` ends with string `b`, compared where they lie. */
  endsWith(a: number, b: number): boolean {
    if (this.bounds === undefined) return this.at(a).endsWith(this.at(b));
    const length = this.length(b);
    const aEnd = this.bounds[a] ?? 0;
    if (aEnd - this.start(a) < length) return false;
    const bStart = this.start(b);
    for (let k = 1; k <= length; k++)
      if (this.text.charCodeAt(aEnd - k) !== this.text.charCodeAt(bStart + length - k))
        return false;
    return true;
  }

  private start(ref: number): number {
    return ref === 0 ? 0 : (this.bounds?.[ref - 1] ?? 0);
  }
}

/** In `shapeOf`: the payload is not flat, and is in `data`. */
const IN_JSON = 0xffff;

type Shape = readonly [keys: readonly string[], kinds: string];

/** The shape of a flat payload, or null when it must be kept as JSON. */
function flatShape(data: unknown): Shape | null {
  if (typeof data !== 'object' || data === null || Object.getPrototypeOf(data) !== Object.prototype)
    return null;
  const keys = Object.keys(data);
  let kinds = '';
  for (const key of keys) {
    // Set back with `=`, "__proto__" would not be an own key as JSON makes it.
    if (key === '__proto__') return null;
    const value = (data as Record<string, unknown>)[key];
    if (typeof value === 'string') kinds += 's';
    else if (typeof value === 'number' && Number.isFinite(value)) kinds += 'n';
    else return null;
  }
  return [keys, kinds];
}

/** 's' in a shape's kinds. */
const STRING_KIND = 115;

const sameShape = (a: Shape, b: Shape): boolean =>
  a[1] === b[1] && a[0].length === b[0].length && a[0].every((key, i) => key === b[0][i]);

/**
 * Whether a payload is a plain object with exactly the keys of this shape, in order, of its
 * kinds: what `flatShape` would say, told without making an array of its keys.
 */
function fitsShape([keys, kinds]: Shape, data: unknown): boolean {
  if (typeof data !== 'object' || data === null || Object.getPrototypeOf(data) !== Object.prototype)
    return false;
  let k = 0;
  // `in` walks own keys in the order Object.keys gives them, then any enumerable one of
  // Object.prototype, which only a polluted prototype has: that is not a key of the payload.
  for (const key in data) {
    if (key !== keys[k] || !Object.hasOwn(data, key)) return false;
    const value = (data as Record<string, unknown>)[key];
    if (kinds.charCodeAt(k) === STRING_KIND) {
      if (typeof value !== 'string') return false;
    } else if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    k++;
  }
  return k === keys.length;
}

/** The shapes of a segment's flat payloads, found from the last shape of each event type. */
class ShapeTable {
  readonly shapes: Shape[] = [];
  private readonly lastOfType = new Map<string, number>();

  /** The index of this payload's shape, or -1 when it is not flat (or the table is full). */
  indexOf(type: string, data: unknown): number {
    const last = this.lastOfType.get(type);
    if (last !== undefined) {
      const guess = this.shapes[last];
      if (guess !== undefined && fitsShape(guess, data)) return last;
    }
    const shape = flatShape(data);
    if (shape === null) return -1;
    let index = this.shapes.findIndex((known) => sameShape(known, shape));
    if (index < 0 && this.shapes.length < IN_JSON) index = this.shapes.push(shape) - 1;
    if (index >= 0) this.lastOfType.set(type, index);
    return index;
  }
}

/** Writes payloads in columns where they are flat, else as JSON. */
function encodePayloads(events: readonly RecordedEvent[], strings: StringTable) {
  const table = new ShapeTable();
  const { shapes } = table;
  const shapeOf = new Uint16Array(events.length);
  const values: number[] = [];
  const json: unknown[] = [];
  for (let i = 0; i < events.length; i++) {
    const { type, data } = events[i] as RecordedEvent;
    const index = table.indexOf(type, data);
    const shape = index < 0 ? undefined : shapes[index];
    if (shape === undefined) {
      shapeOf[i] = IN_JSON;
      json.push(data);
      continue;
    }
    shapeOf[i] = index;
    const [keys, kinds] = shape;
    for (let k = 0; k < keys.length; k++) {
      const value = (data as Record<string, string | number>)[keys[k] ?? ''] ?? 0;
      // JSON would write -0 as 0: so do columns.
      values.push(
        kinds.charCodeAt(k) === STRING_KIND ? strings.ref(String(value)) : Number(value) || 0,
      );
    }
  }
  return {
    data: JSON.stringify(json),
    shapes: JSON.stringify(shapes),
    shapeOf,
    values: Float64Array.from(values),
  };
}

/**
 * A segment's payloads by index: from columns where they are flat, else from JSON. The shapes
 * are parsed and each event's place in the values found once per segment, for the events'
 * objects and for a bulk fold's reads of single fields alike.
 */
export class SegmentPayloads {
  private readonly json: readonly unknown[];
  private readonly shapes: readonly Shape[];
  private readonly shapeOf: Uint16Array | undefined;
  private readonly values: Float64Array | undefined;
  /** Per event, where its values start in `values` (for a payload in JSON, its place there). */
  private readonly at: Uint32Array | undefined;
  /** Per set of fields asked about, per shape: 1 it has them, -1 not, 0 not asked yet. */
  private readonly fits = new Map<object, Int8Array>();

  constructor(
    segment: SegmentRecord,
    private readonly strings: StringView,
  ) {
    this.json = JSON.parse(segment.data) as unknown[];
    const { shapes, shapeOf, values } = segment;
    // Segments written before keep every payload in JSON.
    const columnar = shapes !== undefined && shapeOf !== undefined && values !== undefined;
    this.shapeOf = columnar ? shapeOf : undefined;
    this.values = values;
    this.shapes = columnar ? (JSON.parse(shapes) as Shape[]) : [];
    this.at = this.shapeOf === undefined ? undefined : valueOffsets(this.shapeOf, this.shapes);
  }

  /** The payload of event i, made as an object. */
  data(i: number): unknown {
    const shape = this.shapes[this.shapeOf?.[i] ?? IN_JSON];
    const from = this.at?.[i] ?? i;
    if (shape === undefined) return this.json[from];
    const [keys, kinds] = shape;
    const payload: Record<string, unknown> = {};
    for (let k = 0; k < keys.length; k++) {
      const value = this.values?.[from + k] ?? 0;
      payload[keys[k] ?? ''] = kinds.charCodeAt(k) === STRING_KIND ? this.strings.at(value) : value;
    }
    return payload;
  }

  /**
   * Where a field of event i's payload is in the values, when the payload is kept in columns
   * and has the field, of this kind ('s' or 'n'); else -1, and `data` has the answer.
   */
  field(i: number, name: string, kind: 's' | 'n'): number {
    const shape = this.shapes[this.shapeOf?.[i] ?? IN_JSON];
    if (shape === undefined) return -1;
    const k = shape[0].indexOf(name);
    return k < 0 || shape[1][k] !== kind ? -1 : (this.at?.[i] ?? 0) + k;
  }

  /**
   * Whether event i's payload has each of these fields, of these kinds ('string', 'number'):
   * for a payload in columns, asked once per shape and set of fields.
   */
  hasFields(i: number, fields: Readonly<Record<string, 'string' | 'number'>>): boolean {
    const shape = this.shapeOf?.[i] ?? IN_JSON;
    const known = this.shapes[shape];
    if (known === undefined) return hasFields(this.data(i), fields);
    let fits = this.fits.get(fields);
    if (fits === undefined) {
      fits = new Int8Array(this.shapes.length);
      this.fits.set(fields, fits);
    }
    if (fits[shape] === 0) fits[shape] = shapeHas(known, fields) ? 1 : -1;
    return fits[shape] === 1;
  }

  /** A string field's index into the segment's strings, at a place `field` gave. */
  stringRef(at: number): number {
    return this.values?.[at] ?? 0;
  }

  /** A number field, at a place `field` gave. */
  number(at: number): number {
    return this.values?.[at] ?? 0;
  }
}

/** Packs consecutive events into one segment record, with their streams' numbers if known. */
export function encodeSegment(
  events: readonly RecordedEvent[],
  streams?: Uint32Array,
): SegmentRecord {
  const first = events[0];
  const last = events.at(-1);
  if (first === undefined || last === undefined) throw new Error('A segment needs events');
  const strings = new StringTable();
  const ids = new StringTable();
  const columns = new Uint32Array(events.length * FIELDS);
  let place = 0;
  let commandRef = -1;
  // The events of one append share their time: one lookup for a run of them.
  let recordedAt = '';
  let recordedAtRef = 0;
  events.forEach((e, i) => {
    if (e.position !== first.position + i) throw new Error('A segment holds consecutive events');
    const m = e.metadata;
    const at = i * FIELDS;
    const ref = ids.ref(m.commandId);
    place = placeInCommand(ref === commandRef, place);
    commandRef = ref;
    if (i === 0 || m.recordedAt !== recordedAt) {
      recordedAt = m.recordedAt;
      recordedAtRef = strings.ref(recordedAt);
    }
    columns[at + STREAM] = strings.ref(e.streamId);
    columns[at + VERSION] = e.version;
    columns[at + TYPE] = strings.ref(e.type);
    columns[at + SCHEMA] = e.schemaVersion;
    columns[at + EVENT_ID] = isDerivedId(m.eventId, m.commandId, place)
      ? DERIVED
      : ids.ref(m.eventId);
    columns[at + COMMAND_ID] = ref;
    // Most commands cause and correlate their own events.
    columns[at + CAUSATION_ID] = m.causationId === m.commandId ? ref : ids.ref(m.causationId);
    columns[at + CORRELATION_ID] = m.correlationId === m.commandId ? ref : ids.ref(m.correlationId);
    columns[at + RECORDED_AT] = recordedAtRef;
  });
  // After the columns, so the strings every event names come first in the table.
  const payloads = encodePayloads(events, strings);
  return {
    first: first.position,
    last: last.position,
    ...payloads,
    ...strings.packed(),
    ids: frontCode(ids.values),
    columns,
    ...(streams === undefined ? {} : { streams }),
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
  /** Per string: 1 a wanted stream, -1 not, 0 not asked yet. */
  const wanted = new Int8Array(reader.strings.size);
  const events: RecordedEvent[] = [];
  const { columns } = segment;
  for (let i = 0; i * FIELDS < columns.length; i++) {
    const ref = columns[i * FIELDS + STREAM] ?? 0;
    if (wanted[ref] === 0) wanted[ref] = streamIds.has(reader.strings.at(ref)) ? 1 : -1;
    if (wanted[ref] === 1) events.push(reader.event(i));
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
  readonly strings: StringView;
  readonly payloads: SegmentPayloads;
  private readonly columns: Uint32Array;
  private readonly streams: Uint32Array | undefined;

  constructor(segment: SegmentRecord) {
    this.first = segment.first;
    this.columns = segment.columns;
    this.streams = segment.streams;
    this.count = segment.columns.length / FIELDS;
    this.strings = new StringView(segment);
    this.payloads = new SegmentPayloads(segment, this.strings);
  }

  /** The same number for every event of one stream, and a different one for another stream. */
  streamRef(i: number): number {
    return this.columns[i * FIELDS + STREAM] ?? 0;
  }

  /** The stream's number + 1 (see `SegmentRecord.streams`); 0 when the segment does not say. */
  streamNumber(i: number): number {
    return this.streams?.[i] ?? 0;
  }

  type(i: number): string {
    return this.strings.at(this.columns[i * FIELDS + TYPE] ?? 0);
  }

  schemaVersion(i: number): number {
    return this.columns[i * FIELDS + SCHEMA] ?? 0;
  }

  recordedAt(i: number): string {
    return this.strings.at(this.columns[i * FIELDS + RECORDED_AT] ?? 0);
  }
}

/** Whether a payload object has each of these fields, of these kinds. */
export function hasFields(
  data: unknown,
  fields: Readonly<Record<string, 'string' | 'number'>>,
): boolean {
  if (typeof data !== 'object' || data === null) return false;
  for (const [key, kind] of Object.entries(fields))
    if (typeof (data as Record<string, unknown>)[key] !== kind) return false;
  return true;
}

function shapeHas(shape: Shape, fields: Readonly<Record<string, 'string' | 'number'>>): boolean {
  const [keys, kinds] = shape;
  return Object.entries(fields).every(([key, kind]) => {
    const k = keys.indexOf(key);
    return k >= 0 && kinds[k] === kind[0];
  });
}

/** Per event, where its payload's values start (for a payload in JSON, its place there). */
function valueOffsets(shapeOf: Uint16Array, shapes: readonly Shape[]): Uint32Array {
  const at = new Uint32Array(shapeOf.length);
  for (let i = 0, offset = 0, inJson = 0; i < shapeOf.length; i++) {
    const shape = shapeOf[i] ?? IN_JSON;
    at[i] = shape === IN_JSON ? inJson++ : offset;
    if (shape !== IN_JSON) offset += shapes[shape]?.[0].length ?? 0;
  }
  return at;
}

/** Parses a segment's JSON values once and builds its events by index. */
function segmentReader(segment: SegmentRecord) {
  const strings = new StringView(segment);
  // Segments written before keep ids among the other strings.
  const ids = segment.ids === undefined ? null : frontDecode(segment.ids);
  const payloads = new SegmentPayloads(segment, strings);
  const { columns, first } = segment;
  const count = columns.length / FIELDS;
  const places = new Uint32Array(count);
  for (let i = 0, at = COMMAND_ID; i < count; i++, at += FIELDS)
    places[i] = placeInCommand(i > 0 && columns[at - FIELDS] === columns[at], places[i - 1] ?? 0);
  const text = (ref: number | undefined): string => strings.at(ref ?? 0);
  const id = (ref: number | undefined): string =>
    ids === null ? strings.at(ref ?? 0) : (ids[ref ?? 0] ?? '');
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
        data: payloads.data(i),
        metadata,
      };
    },
  };
}
