import {
  decide,
  describeRejection,
  emailOfKey,
  messageOf,
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
  /** Tells readers the log now reaches this position. */
  readonly announce: (position: number) => void;
  /** Tells readers a refused command was kept, at this log position. */
  readonly announceRejection?: (position: number) => void;
}

/**
 * Aggregates kept between commands, so a command on a known user costs one transaction
 * (the append) and no read. Safe with other tabs writing too: every write carries the
 * version it was decided on, so a stale entry fails the expected-version check and the
 * command is decided again on the stored stream; a refusal decided on a cached entry is
 * checked against the stored stream before it is reported.
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
  const shared: AggregateCache = new Map();
  const executeBatch = (envelopes: readonly CommandEnvelope[], cache: AggregateCache = shared) =>
    runBatch(deps, envelopes, cache);
  return {
    executeBatch,
    execute: async (envelope) => {
      const [outcome] = await executeBatch([envelope]);
      if (outcome === undefined) throw new Error('A batch of one command returned no outcome');
      if (outcome.kind !== 'rejected') return outcome;
      // The refusal stands whether or not the timeline can keep it: a failed save of it is
      // told beside the reason, not in its place.
      return keepRejection(deps, envelope, outcome).then(
        () => outcome,
        (error: unknown) => ({
          ...outcome,
          message: `${outcome.message}. The timeline could not keep this refusal: ${messageOf(error)}`,
        }),
      );
    },
  };
}

/** A refused command writes nothing to the log, but is kept so the timeline can show it. */
async function keepRejection(
  deps: HandlerDeps,
  envelope: CommandEnvelope,
  outcome: Extract<CommandOutcome, { kind: 'rejected' }>,
): Promise<void> {
  const position = await deps.store.recordRejections([
    {
      commandId: envelope.commandId,
      commandType: envelope.command.type,
      data: envelope.command.data,
      code: outcome.rejection.code,
      message: outcome.message,
      recordedAt: deps.clock(),
    },
  ]);
  deps.announceRejection?.(position);
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
  const settled = new Map<number, CommandOutcome>();
  const retried = new Set<number>();
  const fresh = new Set<string>();
  // Each command's stream id, made once: a fresh string is copied and hashed at every use.
  const streams = envelopes.map((e) => userStreamId(e.command.data.userId));
  // A stream the cache does not hold is decided as new, without a read: the append's
  // expected version ("no stream") refuses that if the stream exists, and a refusal is
  // confirmed against the stored stream. So a new user costs no read (a million generated
  // events spent about a second reading 120,000 streams that did not exist).
  let toLoad: readonly string[] = [];
  // Each pass records the batch, or reloads streams once, or settles one more command.
  for (;;) {
    const pending = envelopes.flatMap((e, i) =>
      settled.has(i) ? [] : [{ e, i, streamId: streams[i] ?? '' }],
    );
    await load(deps.store, cache, toLoad, fresh);
    const pass = decideAll(deps, pending, cache);
    // A refusal decided on a cached aggregate, or on none, is checked against the stored
    // stream first.
    toLoad = [...pass.rejections.keys()]
      .map((i) => streams[i] ?? '')
      .filter((id) => !fresh.has(id));
    if (toLoad.length > 0) continue;
    const result =
      pass.requests.length === 0 ? undefined : await deps.store.appendBatch(pass.requests);
    if (result === undefined || result.kind === 'appended') {
      const repeats = await repeatsAmong(deps.store, envelopes, [...pass.rejections.keys()]);
      for (const [i, outcome] of pass.rejections) settled.set(i, repeats.get(i) ?? outcome);
      result?.results.forEach((r, k) =>
        settled.set(pass.owners[k] ?? -1, { kind: 'recorded', ...r }),
      );
      rememberAggregates(cache, pass, result?.results ?? []);
      const last = result?.results.flatMap((r) => r.events).at(-1);
      if (last !== undefined) deps.announce(last.position);
      return envelopes.map((_, i) => settled.get(i) as CommandOutcome);
    }
    // The stored streams moved under us: decide again from what is stored. A repeated
    // command in the batch also looks like this (the store writes nothing for it, so the
    // versions after it do not match): those are settled with their original events first.
    cache.clear();
    toLoad = pending.map((p) => p.streamId);
    const repeats = await repeatsAmong(deps.store, envelopes, pass.owners);
    for (const [i, outcome] of repeats) settled.set(i, outcome);
    if (repeats.size > 0) continue;
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

/**
 * Commands among `indices` whose id was recorded before, answered with their original events
 * (a retry after a lost reply). Looked up only off the common path: for refusals, and after
 * a version conflict, which is how a repeat the decider accepted shows itself.
 */
async function repeatsAmong(
  store: EventStore,
  envelopes: readonly CommandEnvelope[],
  indices: readonly number[],
): Promise<Map<number, CommandOutcome>> {
  const repeats = new Map<number, CommandOutcome>();
  if (indices.length === 0) return repeats;
  const recorded = await store.recordedCommands(
    indices.flatMap((i) => envelopes[i]?.commandId ?? []),
  );
  for (const i of indices) {
    const commandId = envelopes[i]?.commandId ?? '';
    const events = recorded.get(commandId);
    if (events !== undefined)
      repeats.set(i, { kind: 'recorded', commandId, events, duplicate: true });
  }
  return repeats;
}

/** Keeps the decided aggregates, except where the store found a repeat: those are reloaded. */
function rememberAggregates(
  cache: AggregateCache,
  pass: Pass,
  results: readonly { duplicate: boolean }[],
): void {
  const repeated = new Set(
    results.flatMap((r, k) =>
      r.duplicate ? (pass.requests[k]?.streams.map((st) => st.streamId) ?? []) : [],
    ),
  );
  if (cache.size > MAX_CACHED_AGGREGATES) cache.clear();
  for (const [id, loaded] of pass.scratch) {
    if (repeated.has(id)) cache.delete(id);
    else cache.set(id, loaded);
  }
}

/** Enough for every user a person touches, small enough to stay out of the way. */
const MAX_CACHED_AGGREGATES = 200_000;

/** Reads these streams as stored, into the cache; they are fresh for the rest of the batch. */
async function load(
  store: EventStore,
  cache: AggregateCache,
  streamIds: readonly string[],
  fresh: Set<string>,
): Promise<void> {
  const wanted = [...new Set(streamIds)];
  if (wanted.length === 0) return;
  const streams = await store.readStreams(wanted);
  for (const id of wanted) {
    cache.set(id, foldStream(streams.get(id) ?? []));
    fresh.add(id);
  }
}

/** A command not settled yet: its envelope, its place in the batch and its stream. */
interface Pending {
  readonly e: CommandEnvelope;
  readonly i: number;
  readonly streamId: string;
}

interface Pass {
  readonly requests: AppendRequest[];
  /** For each request, the index of the command it came from. */
  readonly owners: number[];
  readonly rejections: Map<number, CommandOutcome>;
  readonly scratch: AggregateCache;
}

/**
 * Decides each pending command in order against its aggregate, folding accepted events
 * into a scratch layer over the cache (only the streams this batch touched, so a large cache
 * is never copied) so later commands in the batch see earlier ones. The cache itself
 * only learns the result once the batch is recorded.
 */
function decideAll(deps: HandlerDeps, pending: readonly Pending[], cache: AggregateCache): Pass {
  const scratch: AggregateCache = new Map();
  const rejections = new Map<number, CommandOutcome>();
  const requests: AppendRequest[] = [];
  const owners: number[] = [];
  // The batch is recorded in one transaction, at one instant.
  const now = deps.clock();
  for (const { e, i, streamId } of pending) {
    const loaded = scratch.get(streamId) ?? cache.get(streamId) ?? EMPTY_AGGREGATE;
    const decision = decide(e.command, loaded.state, { commandId: e.commandId, now });
    if (!decision.ok) {
      rejections.set(i, rejected(e.commandId, decision.rejection));
      continue;
    }
    scratch.set(streamId, applyDecided(loaded, decision.events));
    owners.push(i);
    requests.push({
      commandId: e.commandId,
      command: { type: e.command.type, data: e.command.data },
      ...(e.correlationId === undefined ? {} : { correlationId: e.correlationId }),
      recordedAt: now,
      streams: [
        {
          streamId,
          expectedVersion: loaded.version === 0 ? 'no-stream' : loaded.version,
          // Unique because command ids are, and the same should the command be sent again.
          events: decision.events.map((event, k) => ({
            ...event,
            eventId: `${e.commandId}/${String(k + 1)}`,
            schemaVersion: schemaVersionOf(event),
          })),
        },
      ],
    });
  }
  return { requests, owners, rejections, scratch };
}
