/**
 * Every message between the page and its workers (the projection worker, and the one that
 * generates events), in both directions. One file,
 * imported by both sides, so a change to a message is a type error on the other side.
 * Replies carry the request id or query version they answer; a stale one is dropped.
 */
import type { GenerationProgress } from '../commands';
import type { LogLoss, LogMark, LogPiece } from '../eventstore';
import type { ProjectionName } from '../projections';

/** The Users table's columns, each of which it can sort by. */
export const USER_COLUMNS = [
  'userId',
  'email',
  'name',
  'status',
  'loginCount',
  'lastLogin',
  'ordersCount',
  'createdAt',
  'updatedAt',
] as const;
export type UserColumn = (typeof USER_COLUMNS)[number];

export interface UserSort {
  readonly column: UserColumn;
  readonly descending: boolean;
}

/** A window of rows a view draws: what it shows, in what order, from where. */
export type Query =
  | {
      readonly kind: 'users';
      readonly filter: string;
      readonly sort: UserSort;
      readonly offset: number;
      readonly limit: number;
    }
  | {
      readonly kind: 'usersInDomain';
      readonly domain: string;
      readonly offset: number;
      readonly limit: number;
    }
  | { readonly kind: 'user'; readonly userId: string }
  | {
      readonly kind: 'timelineEvents';
      readonly type: string;
      readonly stream: string;
      readonly text: string;
      readonly offset: number;
      readonly limit: number;
    }
  | {
      readonly kind: 'timelineModel';
      readonly projection: ProjectionName;
      readonly at: number;
      readonly filter: string;
      readonly limit: number;
    }
  | { readonly kind: 'timelineChanges'; readonly at: number }
  | { readonly kind: 'timelineEvent'; readonly position: number }
  | { readonly kind: 'whatIf'; readonly skip: number }
  | { readonly kind: 'rejections'; readonly limit: number }
  | { readonly kind: 'density'; readonly buckets: number }
  | {
      readonly kind: 'blame';
      readonly projection: ProjectionName;
      readonly key: string;
      readonly field: string;
      readonly at: number;
    };

/** An event as the timeline's list shows it. */
export interface EventSummaryRow {
  readonly position: number;
  readonly type: string;
  readonly streamId: string;
  readonly recordedAt: string;
}

/** One row one event wrote in one read model. */
export interface WriteRow {
  readonly projection: ProjectionName;
  readonly key: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** The selected event, whole, with the command that caused it and what that command did. */
export interface EventDetail {
  readonly event: {
    readonly position: number;
    readonly streamId: string;
    readonly version: number;
    readonly type: string;
    readonly schemaVersion: number;
    readonly data: unknown;
    readonly metadata: Readonly<Record<string, string>>;
  };
  /** What the projections see when it was stored in an older schema version; else null. */
  readonly upcast: { readonly schemaVersion: number; readonly data: unknown } | null;
  /** The command that caused it, when it was kept (type and payload). */
  readonly command: { readonly type: string; readonly data: unknown } | null;
  readonly commandEvents: readonly EventSummaryRow[];
  readonly writes: readonly WriteRow[];
  readonly fault: string | null;
}

/** A refused command, as the timeline's lane shows it. */
export interface RejectionRow {
  readonly id: number;
  readonly commandId: string;
  readonly commandType: string;
  readonly data: unknown;
  readonly message: string;
  readonly recordedAt: string;
  readonly afterPosition: number;
}

/** A row that differs between the real read models and the sandbox without one event. */
export interface WhatIfRow {
  readonly projection: ProjectionName;
  readonly key: string;
  readonly real: unknown;
  readonly sandbox: unknown;
}

export interface BlameRow {
  readonly position: number;
  readonly type: string;
  readonly value: unknown;
}

/** A user as the Users table shows it: a profile joined with its activity. */
export interface UserRow {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly status: 'active' | 'deactivated';
  readonly loginCount: number;
  readonly lastLogin: string | null;
  readonly ordersCount: number;
  readonly orderTotalCents: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface UserEventRow {
  readonly position: number;
  readonly version: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly data: unknown;
}

/** One user's page: the joined row (absent for an unknown user) and their own events. */
export interface UserDetail {
  readonly row: UserRow | null;
  readonly events: readonly UserEventRow[];
}

export type ProjectionState = 'starting' | 'catching up' | 'live' | 'rebuilding' | 'faulted';

export interface ProjectionStatus {
  readonly name: ProjectionName;
  readonly title: string;
  readonly state: ProjectionState;
  readonly position: number;
  /** Events in the log this read model has not folded yet. */
  readonly lag: number;
  /** How long it has been behind the log, 0 when up to date. */
  readonly lagMs: number;
  readonly eventsPerSecond: number;
  readonly fault: { readonly position: number; readonly message: string } | null;
  /** The running or the last rebuild of this session: how far it came, how long it took. */
  readonly rebuild: {
    readonly done: number;
    readonly total: number;
    readonly running: boolean;
    readonly ms: number;
  } | null;
  /** Where this session started: the snapshot position, and events replayed since. */
  readonly restoredFrom: number | null;
  readonly replayed: number;
  readonly skipped: readonly number[];
}

export type ToWorker =
  | { readonly type: 'commit'; readonly position: number }
  | { readonly type: 'rejected' }
  | {
      readonly type: 'exportTest';
      readonly requestId: string;
      readonly from: number;
      readonly to: number;
    }
  | {
      readonly type: 'subscribe';
      readonly subId: string;
      readonly version: number;
      readonly query: Query;
    }
  | { readonly type: 'unsubscribe'; readonly subId: string }
  | { readonly type: 'rebuild'; readonly projection: ProjectionName }
  | { readonly type: 'verify'; readonly requestId: string; readonly projection: ProjectionName }
  | { readonly type: 'skip'; readonly projection: ProjectionName; readonly position: number };

export interface WindowPatch {
  readonly type: 'window';
  readonly subId: string;
  /** The query version this answers; older ones are dropped. */
  readonly version: number;
  readonly total: number;
  readonly offset: number;
  /** The window's keys in order; rows come from `upserts` or from earlier patches. */
  readonly keys: readonly string[];
  readonly upserts: readonly (readonly [string, unknown])[];
  readonly deletes: readonly string[];
}

export type FromWorker =
  | {
      /** How far the timeline's own fold has come, of the log's length: its first fold of a
       * long log takes seconds. */
      readonly type: 'timelineProgress';
      readonly folded: number;
      readonly head: number;
    }
  | {
      readonly type: 'status';
      readonly head: number;
      readonly projections: readonly ProjectionStatus[];
    }
  | WindowPatch
  | {
      readonly type: 'verified';
      readonly requestId: string;
      readonly projection: ProjectionName;
      readonly position: number;
      readonly liveHash: string;
      readonly scratchHash: string;
    }
  | { readonly type: 'exported'; readonly requestId: string; readonly fixture: ProjectionFixture }
  /** A request that failed (its id, when it asked for a reply), or work in the background. */
  | { readonly type: 'error'; readonly message: string; readonly requestId?: string };

/**
 * A test of the projections, exported from the timeline: the read models before a range of
 * events, the events as given, and the read models after them as expected.
 */
export interface ProjectionFixture {
  readonly description: string;
  readonly codeVersions: Readonly<Record<string, number>>;
  readonly initial: Readonly<Record<string, readonly (readonly [string, unknown])[]>>;
  readonly events: readonly unknown[];
  readonly expected: Readonly<Record<string, readonly (readonly [string, unknown])[]>>;
}

/** How many events of each type fall in one stretch of the log. */
export interface DensityBucket {
  readonly from: number;
  readonly to: number;
  readonly counts: Readonly<Record<string, number>>;
}

/**
 * Between the projection worker and its log reader, a worker of its own that reads long runs
 * of the log from IndexedDB, so the projection worker only folds.
 */
export interface LogReadRequest {
  readonly requestId: number;
  readonly from: number;
  readonly limit: number;
}

export type LogReadReply =
  | { readonly requestId: number; readonly pieces: readonly LogPiece[] }
  | { readonly requestId: number; readonly error: string };

/** What the page asks of a generation worker: one run, and perhaps its cancellation. */
export type ToGenerator =
  | {
      readonly type: 'start';
      readonly count: number;
      readonly seed: number;
      /** The furthest state of the log the page has seen committed (its watermark). */
      readonly mark: LogMark | null;
    }
  | { readonly type: 'cancel' };

export type GenerationResult = GenerationProgress & { readonly cancelled: boolean };

/**
 * What the worker tells the page. `head` is the log's last position after the batches so
 * far, so the page can show it in step with the progress; `mark` is the watermark the store
 * would raise, and `lost` a loss it found, both kept by the page: a worker has no localStorage.
 */
export type FromGenerator =
  /** Another run over this log, from this tab or another, holds the turn: this one waits. */
  | { readonly type: 'waiting' }
  | { readonly type: 'progress'; readonly progress: GenerationProgress; readonly head: number }
  | { readonly type: 'mark'; readonly mark: LogMark }
  /** The log was found below the page's mark: events were lost. A `failed` follows. */
  | { readonly type: 'lost'; readonly loss: LogLoss }
  /** `head` is null when the run was cancelled before it began. */
  | { readonly type: 'finished'; readonly result: GenerationResult; readonly head: number | null }
  | { readonly type: 'failed'; readonly message: string };
