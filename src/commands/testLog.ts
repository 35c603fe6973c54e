// For tests only: nothing in the app imports this file.
import { claimChangesOf } from '../domain';
import { openEventStore, type EventStore } from '../eventstore';
import { createCommandHandler, type CommandHandler } from './handler';

/** The instant a test's handler stamps on every command, unless it is given a clock. */
export const TEST_TIME = '2026-05-05T00:00:00.000Z';

let opened = 0;

/** A handler on `store` that tells no reader of its commits. */
export const handlerOn = (store: EventStore, clock: () => string = () => TEST_TIME) =>
  createCommandHandler({ store, clock, announce: () => undefined });

/** A log in a database of its own, named after `prefix`, and a handler on it. */
export async function freshLog(
  prefix: string,
  clock?: () => string,
): Promise<{ events: EventStore; handler: CommandHandler }> {
  const events = await openEventStore({
    name: `${prefix}-${String(++opened)}`,
    claimRule: claimChangesOf,
  });
  return { events, handler: handlerOn(events, clock) };
}
