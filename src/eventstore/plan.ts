import type { RecordedEvent } from '../domain';
import type { RecordedCommand } from './schema';
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
  version(streamId: string): number;
  owner(key: string): string | undefined;
  /** Commands already recorded, with their original events. */
  readonly recorded: ReadonlyMap<string, readonly RecordedEvent[]>;
}

export interface WritePlan {
  readonly head: number;
  readonly events: readonly RecordedEvent[];
  readonly commands: readonly RecordedCommand[];
  readonly outcome: Extract<AppendOutcome, { kind: 'appended' }>;
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
  const commands: RecordedCommand[] = [];
  const results: { commandId: string; events: readonly RecordedEvent[]; duplicate: boolean }[] = [];

  for (const [requestIndex, request] of requests.entries()) {
    const original = recorded.get(request.commandId);
    if (original !== undefined) {
      results.push({ commandId: request.commandId, events: original, duplicate: true });
      continue;
    }
    const written: RecordedEvent[] = [];
    for (const stream of request.streams) {
      const actual = versions.get(stream.streamId) ?? view.version(stream.streamId);
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
          const owner = owners.has(key) ? owners.get(key) : view.owner(key);
          if (owner === stream.streamId) owners.set(key, null);
        }
        for (const key of changes.claim) {
          const owner = owners.has(key) ? owners.get(key) : view.owner(key);
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
  return { head, events, commands, outcome: { kind: 'appended', results } };
}
