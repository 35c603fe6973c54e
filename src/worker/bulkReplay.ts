import {
  CURRENT_SCHEMA_VERSION,
  isUserEventType,
  upcastData,
  isStreamOfUser,
  type UserEventData,
  type UserEventType,
} from '../domain';
import type { SegmentColumns } from '../eventstore';
import type { BulkEvents, BulkFold, Drafts, ReadModel } from '../projections';

/**
 * Streams numbered in the order a replay meets them: the slots bulk folds keep rows by. A
 * stream is found by its origin (the position of its first event, which segments store) with
 * no lookup by name; by its id, a map lookup, only where the origin is not stored.
 */
export class StreamSlots {
  private readonly slots = new Map<string, number>();
  /** Per origin, the stream's slot + 1 (0: not met yet). */
  private byOrigin = new Int32Array(1024);
  private count = 0;

  /** The slot of a stream, by its origin when that is known (not 0). */
  of(origin: number, streamId: string): number {
    if (origin > 0 && origin < this.byOrigin.length) {
      const slot = (this.byOrigin[origin] ?? 0) - 1;
      if (slot >= 0) return slot;
    }
    let slot = this.slots.get(streamId);
    if (slot === undefined) {
      slot = this.count++;
      this.slots.set(streamId, slot);
    }
    if (origin > 0) {
      if (origin >= this.byOrigin.length) {
        const grown = new Int32Array(Math.max(origin + 1, this.byOrigin.length * 2));
        grown.set(this.byOrigin);
        this.byOrigin = grown;
      }
      this.byOrigin[origin] = slot + 1;
    }
    return slot;
  }
}

/**
 * One stored piece of a run, checked once for every bulk fold that walks it: each event's
 * stream slot (a map lookup per stream, not per event), and `usable`, the index of the first
 * event a bulk fold must leave to `project`: an unknown type, a schema version with no way to
 * the current one, or data naming a user other than the stream's.
 */
export class PreparedPiece implements BulkEvents {
  readonly usable: number;
  private readonly slots: Int32Array;
  /** The data of events stored at an older schema version, lifted to the current one. */
  private readonly lifted = new Map<number, unknown>();

  constructor(
    readonly columns: SegmentColumns,
    from: number,
    to: number,
    streams: StreamSlots,
  ) {
    this.slots = new Int32Array(columns.count);
    let i = from;
    for (; i < to; i++) {
      const ref = columns.streamRef(i);
      const stream = columns.streamIdOf(ref);
      this.slots[i] = streams.of(columns.origin(i), stream);
      const type = columns.type(i);
      if (!isUserEventType(type)) break;
      let data = columns.data(i);
      const version = columns.schemaVersion(i);
      if (version !== CURRENT_SCHEMA_VERSION[type]) {
        try {
          data = upcastData(type, version, data);
        } catch {
          break;
        }
        this.lifted.set(i, data);
      }
      if (!ownedBy(data, stream)) break;
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

  data<T extends UserEventType>(i: number, _type: T): UserEventData<T> {
    const data = this.lifted.size === 0 ? undefined : this.lifted.get(i);
    return (data ?? this.columns.data(i)) as UserEventData<T>;
  }
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
  private readonly marked: boolean[] = [];
  private dirty: number[] = [];
  /** Events folded since the last commit. */
  pending = 0;

  private constructor(
    private readonly fold: BulkFold<unknown>,
    /** The last event folded into the drafts. */
    public position: number,
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
  ): BulkReplay | null {
    const replay = new BulkReplay(fold, position);
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
    if (this.marked[slot] !== true) {
      this.marked[slot] = true;
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

  /** Writes the changed rows to the model as new rows; returns how many events that adds. */
  commit(model: ReadModel<unknown>): number {
    for (const slot of this.dirty) {
      const row = this.drafts[slot];
      const was = this.keys[slot];
      const key = row === undefined ? undefined : this.fold.keyOf(row);
      if (was !== undefined && was !== key) model.delete(was);
      if (row !== undefined && key !== undefined) model.set(key, { ...row });
      this.keys[slot] = key;
      this.marked[slot] = false;
    }
    this.dirty = [];
    const committed = this.pending;
    this.pending = 0;
    return committed;
  }
}
