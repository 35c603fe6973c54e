import { createCommandGenerator } from '../src/commands';
import {
  CURRENT_SCHEMA_VERSION,
  decide,
  evolve,
  initialState,
  userStreamId,
  type RecordedEvent,
  type UserState,
} from '../src/domain';

/**
 * The same events the app's generator records, made in memory by the same deciders, in
 * chunks: the baselines write exactly these, so every store is measured on one data set.
 */
export function* syntheticEvents(
  count: number,
  chunk: number,
  seed = 1,
): Generator<RecordedEvent[]> {
  const next = createCommandGenerator(seed, 'g0');
  const states = new Map<string, { state: UserState; version: number }>();
  const now = '2026-11-25T00:00:00.000Z';
  let position = 0;
  let batch: RecordedEvent[] = [];
  while (position < count) {
    const command = next();
    const streamId = userStreamId(command.data.userId);
    const loaded = states.get(streamId) ?? { state: initialState, version: 0 };
    const decision = decide(command, loaded.state, { commandId: `c${position + 1}`, now });
    if (!decision.ok) continue;
    let { state, version } = loaded;
    for (const event of decision.events) {
      position += 1;
      version += 1;
      state = evolve(state, event);
      const id = `c${position}`;
      batch.push({
        position,
        streamId,
        version,
        type: event.type,
        schemaVersion: CURRENT_SCHEMA_VERSION[event.type],
        data: event.data,
        metadata: {
          eventId: `e${position}`,
          commandId: id,
          causationId: id,
          correlationId: id,
          recordedAt: now,
        },
      });
    }
    states.set(streamId, { state, version });
    if (batch.length >= chunk) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
