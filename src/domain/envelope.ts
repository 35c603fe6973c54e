/**
 * The shape of an event once it is in the log. Defined in the domain so that projections
 * (which may import only the domain) and the event store agree on it.
 */
export interface EventMetadata {
  readonly eventId: string;
  readonly commandId: string;
  readonly causationId: string;
  readonly correlationId: string;
  /** ISO-8601 instant at which the event was recorded. */
  readonly recordedAt: string;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  /** Global position in the log: gapless, from 1. */
  readonly position: number;
  readonly streamId: string;
  /** Position within its stream: gapless, from 1. */
  readonly version: number;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** An event the domain decided on, before the store gives it a position. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
}
