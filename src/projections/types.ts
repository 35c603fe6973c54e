import type { DomainEvent } from '../domain';

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
