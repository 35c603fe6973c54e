import type { RecordedEvent } from './envelope';
import { CURRENT_SCHEMA_VERSION, USER_EVENT_TYPES, type UserEvent } from './user/events';
import { normalizedEmail } from './user/validation';

/**
 * Stored events are never rewritten. When an event's shape changes, its schema version is
 * raised and an upcaster here lifts older data one version at a time when it is read.
 * Keyed by event type, then by the version it upgrades *from*.
 */
type Upcaster = (data: unknown) => unknown;
const UPCASTERS: Partial<Record<UserEvent['type'], Readonly<Record<number, Upcaster>>>> = {
  UserCreated: {
    // v1 → v2: the normalized email, which v1 left to every reader to work out.
    1: (data) => {
      const v1 = data as { userId: string; email: string; name: string };
      return {
        userId: v1.userId,
        email: v1.email,
        normalizedEmail: normalizedEmail(v1.email),
        name: v1.name,
      };
    },
  },
};

export type DomainEvent = RecordedEvent<UserEvent['type']> & UserEvent;

const EVENT_TYPES: ReadonlySet<string> = new Set(USER_EVENT_TYPES);

/** Asked of every event of a replay: a set, since a list's search was 2% of a cold open. */
export function isUserEventType(type: string): type is UserEvent['type'] {
  return EVENT_TYPES.has(type);
}

/** Brings a stored event to the current schema of its type. Throws on an unknown type or a
 * version with no path to the current one: folding such an event would be a silent lie. */
export function upcast(event: RecordedEvent): DomainEvent {
  const { type, schemaVersion } = event;
  if (!isUserEventType(type)) throw new Error(`Unknown event type "${type}"`);
  // The common case, on every event of a replay: already current, nothing to copy.
  if (schemaVersion === CURRENT_SCHEMA_VERSION[type]) return event as DomainEvent;
  const data = upcastData(type, schemaVersion, event.data);
  return { ...event, type, schemaVersion: CURRENT_SCHEMA_VERSION[type], data } as DomainEvent;
}

/** An event's data lifted from its stored schema version to the current one (see `upcast`). */
export function upcastData(type: UserEvent['type'], schemaVersion: number, data: unknown): unknown {
  const target = CURRENT_SCHEMA_VERSION[type];
  if (schemaVersion > target) {
    throw new Error(`${type} schema version ${schemaVersion} is newer than this app`);
  }
  let lifted = data;
  for (let v = schemaVersion; v < target; v++) {
    const step = UPCASTERS[type]?.[v];
    if (step === undefined) throw new Error(`No upcaster for ${type} from schema version ${v}`);
    lifted = step(lifted);
  }
  return lifted;
}
