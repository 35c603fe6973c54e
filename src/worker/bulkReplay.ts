import {
  CURRENT_FIELDS,
  CURRENT_SCHEMA_VERSION,
  isStreamOfUser,
  isUserEventType,
  upcastData,
  USER_STREAM,
  type UserEventType,
} from '../domain';
import { grownFor, hasFields, type SegmentColumns, type StringView } from '../eventstore';
import type { BulkEvents, BulkFold, Drafts, ReadModel } from '../projections';

/**
 * Streams numbered in the order a replay meets them: the slots bulk folds keep rows by. A
 * stream is found by the number segments store for it (see `SegmentRecord.streams`), in a
 * dense array, with no lookup by name. By its id only where the number is not stored; the
 * map of ids is made the first time that happens.
 */
export class StreamSlots {
  /** Per slot, its stream's id. */
  private readonly streamIds: string[] = [];
  private byId: Map<string, number> | null = null;
  /** Per stored stream number, the stream's slot + 1 (0: not met yet). */
  private numberSlots = new Int32Array(1024);

  /** The slot of the stream stored as `number`, or -1 when it was not met by that number. */
  byNumber(number: number): number {
    return (this.numberSlots[number] ?? 0) - 1;
  }

  /** The slot of a stream, remembered under its stored number when that is known (not 0). */
  of(number: number, streamId: string): number {
    // A stream met first by number is new: every stream met so far was met by number too.
    let slot = number > 0 && this.byId === null ? undefined : this.ids().get(streamId);
    if (slot === undefined) {
      slot = this.streamIds.push(streamId) - 1;
      this.byId?.set(streamId, slot);
    }
    if (number > 0) {
      if (number >= this.numberSlots.length) this.numberSlots = grownFor(this.numberSlots, number);
      this.numberSlots[number] = slot + 1;
    }
    return slot;
  }

  private ids(): Map<string, number> {
    this.byId ??= new Map(this.streamIds.map((id, slot) => [id, slot]));
    return this.byId;
  }
}

/**
 * One stored piece of a run, checked once for every bulk fold that walks it: each event's
 * stream slot, and `usable`, the index of the first event a bulk fold must leave to `project`:
 * an unknown type, a schema version with no way to the current one, data without every field
 * of its type (of its kind), or data naming a user other than the stream's. Fields are read from the segment's columns where it keeps them,
 * strings compared where they lie: no object and no string is made per event.
 */
export class PreparedPiece implements BulkEvents {
  readonly usable: number;
  private readonly slots: Int32Array;
  /** The data of events stored at an older schema version, lifted to the current one. */
  private lifted: Map<number, unknown> | null = null;

  constructor(
    readonly columns: SegmentColumns,
    from: number,
    to: number,
    streams: StreamSlots,
  ) {
    this.slots = new Int32Array(columns.count);
    const { strings } = columns;
    let i = from;
    for (; i < to; i++) {
      const ref = columns.streamRef(i);
      const number = columns.streamNumber(i);
      const known = streams.byNumber(number);
      this.slots[i] = known >= 0 ? known : streams.of(number, strings.at(ref));
      const type = columns.type(i);
      if (!isUserEventType(type)) break;
      const version = columns.schemaVersion(i);
      if (version !== CURRENT_SCHEMA_VERSION[type]) {
        try {
          (this.lifted ??= new Map()).set(i, upcastData(type, version, columns.payloads.data(i)));
        } catch {
          break;
        }
      }
      // Every field the type has, of its kind: what `project` could read otherwise (a missing
      // name, a null) is for `project` to fold, and a bulk fold need not know it.
      const fields = CURRENT_FIELDS[type];
      const lifted = this.lifted?.get(i);
      if (
        lifted === undefined ? !columns.payloads.hasFields(i, fields) : !hasFields(lifted, fields)
      )
        break;
      const user = lifted === undefined ? columns.payloads.field(i, 'userId', 's') : -1;
      const owned =
        user >= 0
          ? isStreamOfUserAt(strings, ref, columns.payloads.stringRef(user))
          : ownedBy(this.data(i), strings.at(ref));
      if (!owned) break;
    }
    this.usable = i;
  }

  /** The log position of index i. */
  position(i: number): number {
    return this.columns.first + i;
  }

  slot(i: number): number {
    return this.slots[i] ?? -1;
  }

  type(i: number): UserEventType {
    return this.columns.type(i) as UserEventType;
  }

  recordedAt(i: number): string {
    return this.columns.recordedAt(i);
  }

  text(i: number, _type: UserEventType, field: string): string {
    const { payloads, strings } = this.columns;
    const at = this.lifted?.has(i) === true ? -1 : payloads.field(i, field, 's');
    if (at >= 0) return strings.at(payloads.stringRef(at));
    return (this.data(i) as Record<string, string>)[field] as string;
  }

  number(i: number, _type: UserEventType, field: string): number {
    const { payloads } = this.columns;
    const at = this.lifted?.has(i) === true ? -1 : payloads.field(i, field, 'n');
    if (at >= 0) return payloads.number(at);
    return (this.data(i) as Record<string, number>)[field] as number;
  }

  /** The payload as an object, for what columns do not hold: old versions, other shapes. */
  private data(i: number): unknown {
    return this.lifted?.get(i) ?? this.columns.payloads.data(i);
  }
}

/** `isStreamOfUser` for two strings of a segment, compared where they lie. */
function isStreamOfUserAt(strings: StringView, streamRef: number, userRef: number): boolean {
  return (
    strings.length(streamRef) === strings.length(userRef) + USER_STREAM.length &&
    strings.startsWith(streamRef, USER_STREAM) &&
    strings.endsWith(streamRef, userRef)
  );
}

/** Whether the event's data names the user whose stream holds it. */
function ownedBy(data: unknown, streamId: string): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const { userId } = data as { readonly userId?: unknown };
  return typeof userId === 'string' && isStreamOfUser(streamId, userId);
}

type Draft = Record<string, unknown>;

/**
 * A long replay of one read model through its bulk fold: the model's rows as drafts by stream
 * slot, changed in place, and written back to the model by `commit`. Until then the model
 * stays as it was at its runner's position, so what is read and saved is always whole.
 */
export class BulkReplay implements Drafts<Draft> {
  private readonly drafts: (Draft | undefined)[] = [];
  /** Per slot, the key its row has in the model now (undefined: none). */
  private readonly keys: (string | undefined)[] = [];
  /** Per slot, 1 while its draft has changes not yet in the model. */
  private marked = new Uint8Array(1024);
  private dirty: number[] = [];
  /** Events folded since the last commit. */
  pending = 0;

  private constructor(
    private readonly fold: BulkFold<unknown>,
    /** The last event folded into the drafts. */
    public position: number,
    /** When the replay began or last wrote its rows to the model. */
    public committedAt: number,
  ) {}

  /**
   * Drafts of every row of `model`, which stands at `position`; null when the model has two
   * rows for one stream, which only `project` can go on from.
   */
  static begin(
    fold: BulkFold<unknown>,
    model: ReadModel<unknown>,
    position: number,
    streams: StreamSlots,
    now: number,
  ): BulkReplay | null {
    const replay = new BulkReplay(fold, position, now);
    for (const [key, row] of model) {
      const slot = streams.of(0, fold.streamOf(row));
      if (replay.drafts[slot] !== undefined || fold.keyOf(row) !== key) return null;
      replay.drafts[slot] = { ...(row as Draft) };
      replay.keys[slot] = key;
    }
    return replay;
  }

  get(slot: number): Draft | undefined {
    return this.drafts[slot];
  }

  put(slot: number, row: Draft | undefined): void {
    this.drafts[slot] = row;
    if (slot >= this.marked.length) this.marked = grownFor(this.marked, slot);
    if (this.marked[slot] === 0) {
      this.marked[slot] = 1;
      this.dirty.push(slot);
    }
  }

  /**
   * Folds the piece's events [from, to) that follow `position`. False when it stopped short
   * of `to`: the rest is `project`'s, and so is a gap before the piece.
   */
  foldPiece(piece: PreparedPiece, from: number, to: number): boolean {
    const next = this.position + 1 - piece.columns.first;
    if (next >= to) return true;
    if (next < from) return false;
    const end = Math.min(to, piece.usable);
    let i = next;
    while (i < end && this.fold.fold(piece, i, this)) i++;
    this.position = piece.position(i) - 1;
    this.pending += i - next;
    return i === to;
  }

  /**
   * Writes the changed rows to the model; returns how many events that adds. The rows are
   * copies, unless this is the replay's last commit: then the drafts themselves, which are
   * never changed again, become the rows.
   */
  commit(model: ReadModel<unknown>, last: boolean): number {
    for (const slot of this.dirty) {
      const row = this.drafts[slot];
      const was = this.keys[slot];
      const key = row === undefined ? undefined : this.fold.keyOf(row);
      if (was !== undefined && was !== key) model.delete(was);
      if (row !== undefined && key !== undefined) model.set(key, last ? row : { ...row });
      this.keys[slot] = key;
      this.marked[slot] = 0;
    }
    this.dirty = [];
    const committed = this.pending;
    this.pending = 0;
    return committed;
  }
}
