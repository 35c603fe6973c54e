import {
  CURRENT_SCHEMA_VERSION,
  evolve,
  initialState,
  upcast,
  type RecordedEvent,
  type UserEvent,
  type UserState,
} from '../domain';

/** A user's state as folded from its stream, and the stream version it was folded to. */
export interface LoadedAggregate {
  readonly state: UserState;
  readonly version: number;
}

export const EMPTY_AGGREGATE: LoadedAggregate = { state: initialState, version: 0 };

export function foldStream(events: readonly RecordedEvent[]): LoadedAggregate {
  let state = initialState;
  for (const e of events) state = evolve(state, upcast(e));
  return { state, version: events.at(-1)?.version ?? 0 };
}

export function applyDecided(
  loaded: LoadedAggregate,
  events: readonly UserEvent[],
): LoadedAggregate {
  return {
    state: events.reduce(evolve, loaded.state),
    version: loaded.version + events.length,
  };
}

export const schemaVersionOf = (event: UserEvent): number => CURRENT_SCHEMA_VERSION[event.type];
