import { userStreamId, type DomainEvent, type UserEventData, type UserEventType } from '../domain';

/** One row a projection wrote: its value before and after the event (undefined = absent). */
export interface RowChange<Row> {
  readonly key: string;
  readonly before: Row | undefined;
  readonly after: Row | undefined;
}

export type ProjectionName = 'userProfiles' | 'usersByDomain' | 'activitySummary';

/**
 * A read model as a pure fold. `project` looks at one event and the current rows (through
 * `read`) and returns the rows it changes, with before and after. The fold
 * `(model, event) → model` is `applyChanges(model, project(event, model.get))`; the changes
 * themselves are what the timeline shows as "what this event changed", and their keys are
 * the write-set that blame is built from. Rows are immutable: a changed row is a new object.
 */
export interface Projection<Row> {
  readonly name: ProjectionName;
  /** What a person reads, e.g. "User profiles". */
  readonly title: string;
  /** Raised whenever `project` changes meaning: a snapshot from another version is discarded. */
  readonly codeVersion: number;
  project(event: DomainEvent, read: (key: string) => Row | undefined): readonly RowChange<Row>[];
  /** The same fold for long replays, many events at once (see `BulkFold`). */
  readonly bulk?: BulkFold<Row>;
}

/**
 * Events as a bulk fold reads them: by index, one field at a time, with no object per event.
 * Every event here is of a known type at its current schema version, with every field of its
 * data there and of its kind, in the stream of the user its data names; `slot` is a small
 * number standing for that stream for the whole replay.
 */
export interface BulkEvents {
  slot(i: number): number;
  type(i: number): UserEventType;
  recordedAt(i: number): string;
  /** A string field of the data of event `i`, which is of type `type`. */
  text<T extends UserEventType>(i: number, type: T, field: FieldOf<T, string>): string;
  /** A number field of the data of event `i`, which is of type `type`. */
  number<T extends UserEventType>(i: number, type: T, field: FieldOf<T, number>): number;
}

/** The fields of an event type's data whose values are of type V. */
type FieldOf<T extends UserEventType, V> = {
  [K in keyof UserEventData<T>]-?: UserEventData<T>[K] extends V ? K : never;
}[keyof UserEventData<T>] &
  string;

type Mutable<Row> = { -readonly [K in keyof Row]: Row[K] };

/** A bulk fold's rows, one per stream slot, which it changes in place and writes back. */
export interface Drafts<Row> {
  get(slot: number): Mutable<Row> | undefined;
  /** Records the stream's row after the event (undefined: it has none); also after a change
   * made in place, so the row is written to the read model. */
  put(slot: number, row: Mutable<Row> | undefined): void;
}

/**
 * A projection's fold over many events at once, for long replays: the read model it leaves is
 * the one folding `project` event by event would leave (a test holds the two equal). It works
 * where each stream owns at most one row, kept as a mutable draft per stream while the replay
 * runs, so no event makes a row, a change or a map lookup. It folds only what it is sure of:
 * at the first event `project` would treat otherwise (a missing row, a second row for one
 * stream), it stops and leaves that event, and the rest, to `project`.
 */
export interface BulkFold<Row> {
  /** The stream a row belongs to. */
  streamOf(row: Row): string;
  /** The row's key in the read model. */
  keyOf(row: Row): string;
  /** Folds event `i` into `drafts`; false, having changed nothing, to leave it to `project`. */
  fold(events: BulkEvents, i: number, drafts: Drafts<Row>): boolean;
}

export type ReadModel<Row> = Map<string, Row>;

/** What `project` returns for an event that changes no row: one shared, frozen empty list,
 * since most events leave most read models alone and a replay should not allocate for that. */
export const NO_CHANGES: readonly RowChange<never>[] = Object.freeze([]);

export const change = <Row>(
  key: string,
  before: Row | undefined,
  after: Row | undefined,
): RowChange<Row> => ({
  key,
  before,
  after,
});

/** An event that needs a row which is not there: the read model cannot go on truthfully. */
export function missingRow(what: string, key: string, event: DomainEvent): Error {
  return new Error(
    `${event.type} at position ${event.position} needs ${what} "${key}", which is not there`,
  );
}

/** `BulkFold.streamOf` for a read model whose rows each belong to one user. */
export const userRowStream = (row: { readonly userId: string }): string => userStreamId(row.userId);
