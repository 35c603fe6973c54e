import type { RecordedEvent } from '../domain';
import type { ClaimRecord, CommandRecord, StreamRecord } from './schema';
import type {
  AppendOutcome,
  AppendRequest,
  ClaimConflict,
  ClaimRule,
  ExpectedVersion,
  VersionConflict,
} from './types';

/** What the append transaction read before deciding what to write. */
export interface StoreView {
  readonly head: number;
  readonly streams: ReadonlyMap<string, StreamRecord | undefined>;
  readonly claims: ReadonlyMap<string, ClaimRecord | undefined>;
  /** Commands already recorded, with their original events. */
  readonly recorded: ReadonlyMap<string, readonly RecordedEvent[]>;
}

export interface WritePlan {
  readonly head: number;
  readonly events: readonly RecordedEvent[];
  readonly streams: readonly StreamRecord[];
  readonly commands: readonly CommandRecord[];
  readonly claimPuts: readonly ClaimRecord[];
  readonly claimDeletes: readonly string[];
  readonly outcome: Extract<AppendOutcome, { kind: 'appended' }>;
}

/** Every unique key any event of these requests may touch, so they can be read up front. */
export function claimKeysOf(requests: readonly AppendRequest[], rule: ClaimRule): string[] {
  const keys = new Set<string>();
  for (const r of requests) {
    for (const s of r.streams) {
      for (const e of s.events) {
        const c = rule(e);
        for (const k of [...c.claim, ...c.release]) keys.add(k);
      }
    }
  }
  return [...keys];
}

const versionMatches = (expected: ExpectedVersion, actual: number): boolean =>
  expected === 'any' || (expected === 'no-stream' ? actual === 0 : expected === actual);

/**
 * Decides, in memory, what one append transaction writes: positions continue the head
 * without gaps, each stream's expected version is checked against its running version
 * (so several requests in one batch may follow each other on a stream), claims are
 * checked against their running owners, and repeated command ids write nothing.
 */
export function planAppend(
  view: StoreView,
  requests: readonly AppendRequest[],
  rule: ClaimRule,
): WritePlan | VersionConflict | ClaimConflict {
  let head = view.head;
  const versions = new Map<string, number>();
  const owners = new Map<string, string | null>();
  const recorded = new Map(view.recorded);
  const events: RecordedEvent[] = [];
  const commands: CommandRecord[] = [];
  const results: { commandId: string; events: readonly RecordedEvent[]; duplicate: boolean }[] = [];

  for (const [requestIndex, request] of requests.entries()) {
    const original = recorded.get(request.commandId);
    if (original !== undefined) {
      results.push({ commandId: request.commandId, events: original, duplicate: true });
      continue;
    }
    const written: RecordedEvent[] = [];
    for (const stream of request.streams) {
      const actual =
        versions.get(stream.streamId) ?? view.streams.get(stream.streamId)?.version ?? 0;
      if (!versionMatches(stream.expectedVersion, actual)) {
        return {
          kind: 'version-conflict',
          requestIndex,
          streamId: stream.streamId,
          expected: stream.expectedVersion,
          actual,
        };
      }
      let version = actual;
      for (const e of stream.events) {
        const changes = rule(e);
        for (const key of changes.release) {
          const owner = owners.has(key) ? owners.get(key) : view.claims.get(key)?.owner;
          if (owner === stream.streamId) owners.set(key, null);
        }
        for (const key of changes.claim) {
          const owner = owners.has(key) ? owners.get(key) : view.claims.get(key)?.owner;
          if (owner != null && owner !== stream.streamId) {
            return { kind: 'claim-conflict', requestIndex, key, owner };
          }
          owners.set(key, stream.streamId);
        }
        head += 1;
        version += 1;
        written.push({
          position: head,
          streamId: stream.streamId,
          version,
          type: e.type,
          schemaVersion: e.schemaVersion,
          data: e.data,
          metadata: {
            eventId: e.eventId,
            commandId: request.commandId,
            causationId: request.causationId ?? request.commandId,
            correlationId: request.correlationId ?? request.commandId,
            recordedAt: request.recordedAt,
          },
        });
      }
      versions.set(stream.streamId, version);
    }
    events.push(...written);
    recorded.set(request.commandId, written);
    const first = written[0];
    if (first !== undefined) {
      commands.push({
        commandId: request.commandId,
        first: first.position,
        last: head,
        ...(request.command === undefined
          ? {}
          : { type: request.command.type, data: request.command.data }),
      });
    }
    results.push({ commandId: request.commandId, events: written, duplicate: false });
  }
  return {
    head,
    events,
    streams: streamRecords(events),
    commands,
    claimPuts: [...owners].flatMap(([key, owner]) => (owner === null ? [] : [{ key, owner }])),
    claimDeletes: [...owners].flatMap(([key, owner]) => (owner === null ? [key] : [])),
    outcome: { kind: 'appended', results },
  };
}

function streamRecords(events: readonly RecordedEvent[]): StreamRecord[] {
  const last = new Map<string, StreamRecord>();
  for (const e of events) {
    last.set(e.streamId, { streamId: e.streamId, version: e.version, lastPosition: e.position });
  }
  return [...last.values()];
}
