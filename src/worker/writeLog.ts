import type { RowSink } from './layeredModel';
import type { EventSummaryRow, WriteRow } from './protocol';
import { PROJECTION_NAMES as NAMES, type ProjectionName } from '../projections';
import { grownFor, StreamNumbering } from '../eventstore';

const INDEX = Object.fromEntries(NAMES.map((name, i) => [name, i])) as Readonly<
  Record<ProjectionName, number>
>;

/**
 * Every write of every event, in columns: a million events make about a million and a half
 * writes, and an object per write (with its before and after) would cost more than the rows
 * themselves. A write keeps its row after the event and the index of the row's previous
 * write, whose row is its before; so a row's history is a chain, which blame walks.
 */
export class WriteLog {
  /** Per write: its row after the event, and its key. */
  private readonly key: string[] = [];
  private readonly after: unknown[] = [];
  /** Per write, in typed arrays the garbage collector does not walk: its read model, the
   * index of the row's previous write (-1: none) and the position that made it. */
  private projection = new Uint8Array(1024);
  private previous = new Int32Array(1024);
  private position = new Uint32Array(1024);
  /** For position p, its writes are [end[p - 1], end[p]). */
  private end = new Uint32Array(1024);
  /** Per read model, each row's latest write. */
  private readonly latest = NAMES.map(() => new Map<string, number>());

  /**
   * Adds one write of the position being folded: one call per write, so a million events
   * make no object per write on the way in. `close` ends the position.
   */
  add(position: number, projection: ProjectionName, key: string, after: unknown): void {
    const p = INDEX[projection];
    const latest = this.latest[p];
    const i = this.after.length;
    if (i >= this.position.length) {
      this.projection = grownFor(this.projection, i);
      this.previous = grownFor(this.previous, i);
      this.position = grownFor(this.position, i);
    }
    this.projection[i] = p;
    this.previous[i] = latest?.get(key) ?? -1;
    this.position[i] = position;
    this.key.push(key);
    this.after.push(after);
    latest?.set(key, i);
  }

  /** Ends a position: its writes are those added since the position before it ended. */
  close(position: number): void {
    if (position >= this.end.length) this.end = grownFor(this.end, position);
    this.end[position] = this.after.length;
  }

  at(position: number): WriteRow[] {
    const from = this.end[position - 1] ?? 0;
    const to = this.end[position] ?? from;
    const writes: WriteRow[] = [];
    for (let i = from; i < to; i++) writes.push(this.write(i));
    return writes;
  }

  /**
   * Moves models across one position's writes without making objects: forwards sets each
   * row after, backwards (last write first) restores each row before.
   */
  apply(position: number, models: readonly RowSink[], forwards: boolean): void {
    const from = this.end[position - 1] ?? 0;
    const to = this.end[position] ?? from;
    if (forwards) {
      for (let i = from; i < to; i++) this.set(models, i, this.after[i]);
    } else {
      for (let i = to - 1; i >= from; i--) {
        const previous = this.previous[i] ?? -1;
        this.set(models, i, previous < 0 ? undefined : this.after[previous]);
      }
    }
  }

  private set(models: readonly RowSink[], i: number, row: unknown): void {
    const model = models[this.projection[i] ?? 0];
    const key = this.key[i] ?? '';
    if (row === undefined) model?.delete(key);
    else model?.set(key, row);
  }

  private write(i: number): WriteRow {
    const previous = this.previous[i] ?? -1;
    return {
      projection: NAMES[this.projection[i] ?? 0] ?? 'userProfiles',
      key: this.key[i] ?? '',
      before: previous < 0 ? undefined : this.after[previous],
      after: this.after[i],
    };
  }

  /** The writes of one row up to `at`, oldest first, with the positions that made them. */
  history(
    projection: ProjectionName,
    key: string,
    at: number,
  ): { position: number; write: WriteRow }[] {
    const found: { position: number; write: WriteRow }[] = [];
    for (
      let i = this.latest[INDEX[projection]]?.get(key) ?? -1;
      i >= 0;
      i = this.previous[i] ?? -1
    ) {
      const position = this.position[i] ?? 0;
      if (position <= at) found.push({ position, write: this.write(i) });
    }
    return found.reverse();
  }
}

/** Events per block of the counts by type that `countsIn` sums. */
const COUNT_BLOCK = 256;

/** What the events list shows of each event, in columns, with repeated strings shared. */
export class EventIndex {
  private readonly types: string[] = [];
  /** By type: how many events of it each block of COUNT_BLOCK positions holds. */
  private readonly blockCounts: number[][] = [];
  private readonly streams = new StreamNumbering();
  /** Each distinct time once per run of events that share it (a command's, a batch's). */
  private readonly times: string[] = [];
  /**
   * Per event (index = position - 1): its type, stream and time, as indexes into the lists
   * above, in typed arrays. A million-element array of numbers or pointers is memory the
   * garbage collector walks; these it does not.
   */
  private typeOf = new Uint32Array(1024);
  private streamOf = new Uint32Array(1024);
  private timeOf = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /**
   * Appends the next position's event. `storedNumber`: its stream's number + 1 as the log
   * stores it beside the event, 0 if not known (see `StreamNumbering`).
   */
  append(type: string, streamId: string, recordedAt: string, storedNumber = 0): void {
    let t = this.types.indexOf(type);
    if (t < 0) t = this.types.push(type) - 1;
    const s = this.streams.numberOf(streamId, storedNumber);
    if (this.times.at(-1) !== recordedAt) this.times.push(recordedAt);
    const counts = (this.blockCounts[t] ??= []);
    const i = this.count;
    const block = Math.floor(i / COUNT_BLOCK);
    counts[block] = (counts[block] ?? 0) + 1;
    if (i >= this.typeOf.length) {
      this.typeOf = grownFor(this.typeOf, i);
      this.streamOf = grownFor(this.streamOf, i);
      this.timeOf = grownFor(this.timeOf, i);
    }
    this.typeOf[i] = t;
    this.streamOf[i] = s;
    this.timeOf[i] = this.times.length - 1;
    this.count = i + 1;
  }

  summary(position: number): EventSummaryRow | undefined {
    const i = position - 1;
    if (i < 0 || i >= this.count) return undefined;
    return {
      position,
      type: this.types[this.typeOf[i] ?? 0] ?? '',
      streamId: this.streams.idOf(this.streamOf[i] ?? 0) ?? '',
      recordedAt: this.times[this.timeOf[i] ?? 0] ?? '',
    };
  }

  /**
   * How many events of each type positions from..to hold: whole blocks from their counts,
   * only the ends one by one, so a density chart that follows a long log costs little.
   */
  countsIn(from: number, to: number): Record<string, number> {
    const counts: Record<string, number> = {};
    const add = (t: number, n: number) => {
      if (n === 0) return;
      const type = this.types[t] ?? 'unknown';
      counts[type] = (counts[type] ?? 0) + n;
    };
    let i = Math.max(0, from - 1);
    const end = Math.min(to, this.count); // one past the last index
    for (; i < end && i % COUNT_BLOCK !== 0; i++) add(this.typeOf[i] ?? -1, 1);
    for (; i + COUNT_BLOCK <= end; i += COUNT_BLOCK) {
      const block = i / COUNT_BLOCK;
      this.blockCounts.forEach((byBlock, t) => {
        add(t, byBlock[block] ?? 0);
      });
    }
    for (; i < end; i++) add(this.typeOf[i] ?? -1, 1);
    return counts;
  }

  /** Positions whose type is `type` (or any, when empty) and whose stream contains `stream`. */
  matching(type: string, stream: string): number[] {
    const t = type === '' ? -1 : this.types.indexOf(type);
    if (type !== '' && t < 0) return [];
    const needle = stream.toLowerCase();
    const streamMatches = this.streams.streamIds.map(
      (s) => needle === '' || s.toLowerCase().includes(needle),
    );
    const found: number[] = [];
    for (let i = 0; i < this.count; i++) {
      if (t >= 0 && this.typeOf[i] !== t) continue;
      if (!streamMatches[this.streamOf[i] ?? 0]) continue;
      found.push(i + 1);
    }
    return found;
  }
}
