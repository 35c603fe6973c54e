import {
  decide,
  describeRejection,
  emailOfKey,
  userStreamId,
  type RecordedEvent,
  type UserCommand,
  type UserRejection,
} from '../domain';
import type { AppendRequest, EventStore } from '../eventstore';
import {
  applyDecided,
  EMPTY_AGGREGATE,
  foldStream,
  schemaVersionOf,
  type LoadedAggregate,
} from './aggregate';

export interface CommandEnvelope {
  readonly commandId: string;
  readonly command: UserCommand;
  readonly correlationId?: string;
}

export type CommandOutcome =
  | {
      readonly kind: 'recorded';
      readonly commandId: string;
      readonly events: readonly RecordedEvent[];
      /** The command id had been recorded before: these are the original events. */
      readonly duplicate: boolean;
    }
  | {
      readonly kind: 'rejected';
      readonly commandId: string;
      readonly rejection: UserRejection;
      readonly message: string;
    };

export interface HandlerDeps {
  readonly store: EventStore;
  /** The current instant as ISO-8601. */
  readonly clock: () => string;
  readonly newId: () => string;
  /** Tells readers the log now reaches this position. */
  readonly announce: (position: number) => void;
}

/**
 * Aggregates kept between batches by a long run (generation). Safe because every write
 * still carries the version it was decided on: a stale entry fails the expected-version
 * check, is dropped, and the batch is decided again from the stored stream.
 */
export type AggregateCache = Map<string, LoadedAggregate>;

export interface CommandHandler {
  execute(envelope: CommandEnvelope): Promise<CommandOutcome>;
  /** Decides every command in order and records the accepted ones in one transaction. */
  executeBatch(
    envelopes: readonly CommandEnvelope[],
    cache?: AggregateCache,
  ): Promise<CommandOutcome[]>;
}

export function createCommandHandler(deps: HandlerDeps): CommandHandler {
  const executeBatch = (envelopes: readonly CommandEnvelope[], cache: AggregateCache = new Map()) =>
    runBatch(deps, envelopes, cache);
  return {
    executeBatch,
    execute: async (envelope) => {
      const [outcome] = await executeBatch([envelope]);
      if (outcome === undefined) throw new Error('A batch of one command returned no outcome');
      return outcome;
    },
  };
}

const rejected = (commandId: string, rejection: UserRejection): CommandOutcome => ({
  kind: 'rejected',
  commandId,
  rejection,
  message: describeRejection(rejection),
});

async function runBatch(
  deps: HandlerDeps,
  envelopes: readonly CommandEnvelope[],
  cache: AggregateCache,
): Promise<CommandOutcome[]> {
  const settled = await duplicatesOf(deps.store, envelopes);
  const retried = new Set<number>();
  // Each pass either records the batch or settles one more command, so this ends.
  for (;;) {
    const pending = envelopes.flatMap((e, i) => (settled.has(i) ? [] : [{ e, i }]));
    await loadMissing(
      deps.store,
      cache,
      pending.map(({ e }) => streamOf(e.command)),
    );
    const pass = decideAll(deps, pending, cache);
    const result =
      pass.requests.length === 0 ? undefined : await deps.store.appendBatch(pass.requests);
    if (result === undefined || result.kind === 'appended') {
      for (const [i, outcome] of pass.rejections) settled.set(i, outcome);
      result?.results.forEach((r, k) =>
        settled.set(pass.owners[k] ?? -1, { kind: 'recorded', ...r }),
      );
      for (const [id, loaded] of pass.scratch) cache.set(id, loaded);
      const last = result?.results.flatMap((r) => r.events).at(-1);
      if (last !== undefined) deps.announce(last.position);
      return envelopes.map((_, i) => settled.get(i) as CommandOutcome);
    }
    // The stored streams moved under us: decide again from what is stored.
    cache.clear();
    const index = pass.owners[result.requestIndex] ?? -1;
    const envelope = envelopes[index];
    if (envelope === undefined) throw new Error('Conflict on a request that was not sent');
    const { commandId, command } = envelope;
    if (result.kind === 'claim-conflict') {
      settled.set(
        index,
        rejected(commandId, { code: 'EmailInUse', email: emailOfKey(result.key) }),
      );
    } else if (retried.has(index)) {
      settled.set(
        index,
        rejected(commandId, { code: 'ConcurrentChange', userId: command.data.userId }),
      );
    } else {
      retried.add(index);
    }
  }
}

/** Commands whose id was recorded before get their original events back, and write nothing. */
async function duplicatesOf(
  store: EventStore,
  envelopes: readonly CommandEnvelope[],
): Promise<Map<number, CommandOutcome>> {
  const recorded = await store.recordedCommands(envelopes.map((e) => e.commandId));
  const settled = new Map<number, CommandOutcome>();
  envelopes.forEach(({ commandId }, i) => {
    const events = recorded.get(commandId);
    if (events !== undefined)
      settled.set(i, { kind: 'recorded', commandId, events, duplicate: true });
  });
  return settled;
}

const streamOf = (command: UserCommand): string => userStreamId(command.data.userId);

async function loadMissing(
  store: EventStore,
  cache: AggregateCache,
  streamIds: readonly string[],
): Promise<void> {
  const missing = [...new Set(streamIds)].filter((id) => !cache.has(id));
  const streams = await Promise.all(missing.map((id) => store.readStream(id)));
  missing.forEach((id, i) => cache.set(id, foldStream(streams[i] ?? [])));
}

/**
 * Decides each pending command in order against its aggregate, folding accepted events
 * into a scratch copy so later commands in the batch see earlier ones. The cache itself
 * only learns the result once the batch is recorded.
 */
interface Pass {
  readonly requests: AppendRequest[];
  /** For each request, the index of the command it came from. */
  readonly owners: number[];
  readonly rejections: Map<number, CommandOutcome>;
  readonly scratch: AggregateCache;
}

function decideAll(
  deps: HandlerDeps,
  pending: readonly { e: CommandEnvelope; i: number }[],
  cache: AggregateCache,
): Pass {
  const scratch = new Map(cache);
  const rejections = new Map<number, CommandOutcome>();
  const requests: AppendRequest[] = [];
  const owners: number[] = [];
  for (const { e, i } of pending) {
    const streamId = streamOf(e.command);
    const loaded = scratch.get(streamId) ?? EMPTY_AGGREGATE;
    const now = deps.clock();
    const decision = decide(e.command, loaded.state, { commandId: e.commandId, now });
    if (!decision.ok) {
      rejections.set(i, rejected(e.commandId, decision.rejection));
      continue;
    }
    scratch.set(streamId, applyDecided(loaded, decision.events));
    owners.push(i);
    requests.push({
      commandId: e.commandId,
      ...(e.correlationId === undefined ? {} : { correlationId: e.correlationId }),
      recordedAt: now,
      streams: [
        {
          streamId,
          expectedVersion: loaded.version === 0 ? 'no-stream' : loaded.version,
          events: decision.events.map((event) => ({
            ...event,
            eventId: deps.newId(),
            schemaVersion: schemaVersionOf(event),
          })),
        },
      ],
    });
  }
  return { requests, owners, rejections, scratch };
}
