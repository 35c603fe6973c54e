import type { NewEvent, RecordedEvent } from '../domain';
import type { RecordedCommand, RejectionRecord } from './schema';
import type { SegmentColumns } from './codec';
import type { LogPiece } from './segments';
import type { LogMark } from './watermark';

/** What a writer believes about a stream: anything, that it does not exist yet, or its exact version. */
export type ExpectedVersion = 'any' | 'no-stream' | number;

export interface EventToAppend extends NewEvent {
  readonly eventId: string;
}

export interface StreamAppend {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly EventToAppend[];
}

/** One command's writes: one or more streams, recorded all or nothing. */
export interface AppendRequest {
  readonly commandId: string;
  /** The command itself, kept with its id so the timeline can show what caused an event. */
  readonly command?: { readonly type: string; readonly data: unknown };
  readonly causationId?: string;
  readonly correlationId?: string;
  readonly recordedAt: string;
  readonly streams: readonly StreamAppend[];
}

export interface AppendedCommand {
  readonly commandId: string;
  readonly events: readonly RecordedEvent[];
  /** True when the command id was already recorded: these are the original events. */
  readonly duplicate: boolean;
}

export interface VersionConflict {
  readonly kind: 'version-conflict';
  readonly requestIndex: number;
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  readonly actual: number;
}

export interface ClaimConflict {
  readonly kind: 'claim-conflict';
  readonly requestIndex: number;
  readonly key: string;
  readonly owner: string;
}

export type AppendOutcome =
  | { readonly kind: 'appended'; readonly results: readonly AppendedCommand[] }
  | VersionConflict
  | ClaimConflict;

/**
 * Which unique keys an event claims and releases; injected so the store stays domain-free.
 * `version` tells one rule from another: a kept copy of the claims folded with another is not
 * used (see `indexSnapshot.ts`).
 */
export interface ClaimRule {
  (event: { readonly type: string; readonly data: unknown }): {
    readonly claim: readonly string[];
    readonly release: readonly string[];
  };
  readonly version?: number;
}

/** Consecutive events read at once and decoded as they are walked, in position order. */
export interface LogRun {
  readonly count: number;
  /** The position of the last event, or one before the first asked for when empty. */
  readonly last: number;
  /**
   * Each event, with its stream's number + 1 as stored beside it (see `SegmentRecord.streams`;
   * 0 where the log does not say): a hint that spares a lookup by id, to be checked.
   */
  forEach(visit: (event: RecordedEvent, streamNumber: number) => void): void;
  /**
   * The same events as columns: each stored piece once, with the indexes [from, to) of its
   * events that belong to the run. What a long replay's bulk fold walks.
   */
  forEachColumns(visit: (columns: SegmentColumns, from: number, to: number) => void): void;
}

/**
 * The narrow interface everything else uses. The layout on disk is free to change behind it.
 */
export interface EventStore {
  /** Appends every request in one readwrite transaction: all of them, or none. */
  appendBatch(requests: readonly AppendRequest[]): Promise<AppendOutcome>;
  append(request: AppendRequest): Promise<AppendOutcome>;
  /** Up to `limit` events with position >= `fromPosition`, in order. */
  readFrom(fromPosition: number, limit: number): Promise<readonly RecordedEvent[]>;
  /** The same events as `readFrom`, left encoded until walked: what a long replay reads. */
  readRun(fromPosition: number, limit: number): Promise<LogRun>;
  /**
   * What `readRun` reads, as plain data another thread can take over (its typed arrays
   * transferred) and walk with `runOf`: so a long replay can read in one thread and fold in
   * another.
   */
  readPieces(fromPosition: number, limit: number): Promise<readonly LogPiece[]>;
  readStream(streamId: string): Promise<readonly RecordedEvent[]>;
  /** Several streams at once, in one transaction. */
  readStreams(streamIds: readonly string[]): Promise<ReadonlyMap<string, readonly RecordedEvent[]>>;
  /** The position of the last event, 0 for an empty log. */
  head(): Promise<number>;
  /** Raised each time the whole log is replaced (see `replaceLog`). */
  epoch(): Promise<number>;
  /** The commands that recorded the events at positions [from, to], in position order. */
  readCommands(from: number, to: number): Promise<readonly RecordedCommand[]>;
  /** Starts replacing the whole log; nothing changes until `commit`. */
  replaceLog(): Promise<LogReplacement>;
  /** The events recorded by each of these command ids, for those that were recorded. */
  recordedCommands(
    commandIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly RecordedEvent[]>>;
  /** The command that recorded the event at this position: its id, its events' range, and
   * the command itself when it was kept. */
  commandAt(position: number): Promise<RecordedCommand | undefined>;
  /** Keeps refused commands with their reason; returns the log head they were refused at. */
  recordRejections(
    rejections: readonly Omit<RejectionRecord, 'id' | 'afterPosition'>[],
  ): Promise<number>;
  /** The most recent refused commands, oldest first. */
  readRejections(limit: number): Promise<readonly RejectionRecord[]>;
  /**
   * Builds what an append checks (each stream's version, the owners of unique keys, the
   * recorded command ids) ahead of the first append, in short steps. Without it, the first
   * command on a long log waits while the whole log is read: about 2.5 s at a million events.
   */
  prepareWrites(): Promise<void>;
  /**
   * Saves a copy of what appends check, if it took in a long stretch of the log since the
   * last copy, for the next tab or worker to load (see `indexSnapshot.ts`): what a writer of
   * many events does once done. Builds save their own.
   */
  keepIndex(): Promise<void>;
  /** Packs the oldest run of single events into a segment; returns how many it sealed. */
  seal(): Promise<number>;
  close(): void;
}

/** A whole new log, written in batches and swapped in at once. */
export interface LogReplacement {
  /** The next events in position order from 1, with the commands that recorded them. */
  add(events: readonly RecordedEvent[], commands: readonly RecordedCommand[]): Promise<void>;
  /**
   * Replaces the log with what was added, in one transaction; returns the new head. With
   * `expected`, only the log as it was then: a LogChangedError, and nothing replaced, if it
   * has another head or epoch by now.
   */
  commit(expected?: LogMark): Promise<number>;
  /** Drops what was added; the log stays as it was. */
  abandon(): Promise<void>;
}
