import type { DomainEvent } from '../domain';
import { activitySummary } from './activitySummary';
import type { Projection, ProjectionName, ReadModel, RowChange } from './types';
import { userProfiles } from './userProfiles';
import { usersByDomain } from './usersByDomain';

export * from './types';
export * from './userProfiles';
export * from './usersByDomain';
export * from './activitySummary';

export const PROJECTIONS = [userProfiles, usersByDomain, activitySummary] as const;

/** Every read model's name, in the order of `PROJECTIONS`. */
export const PROJECTION_NAMES: readonly ProjectionName[] = PROJECTIONS.map((p) => p.name);

/** A read model's title, as the pages show it; the name itself for one this app lacks. */
export const projectionTitle = (name: string): string =>
  PROJECTIONS.find((p) => p.name === name)?.title ?? name;

/** Applies one event's changes to a model in place; the worker owns its models. */
export function applyChanges<Row>(model: ReadModel<Row>, changes: readonly RowChange<Row>[]): void {
  for (const c of changes) {
    if (c.after === undefined) model.delete(c.key);
    else model.set(c.key, c.after);
  }
}

/** The plain fold from an empty model: the reference every faster path is tested against. */
export function foldEvents<Row>(
  projection: Projection<Row>,
  events: readonly DomainEvent[],
): ReadModel<Row> {
  const model: ReadModel<Row> = new Map();
  for (const e of events)
    applyChanges(
      model,
      projection.project(e, (k) => model.get(k)),
    );
  return model;
}
