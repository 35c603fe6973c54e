import { CURRENT_SCHEMA_VERSION, type UserEventType } from './events';
import { MAX_AMOUNT, normaliseEmail, normaliseName, validAmount, validId } from './validation';

/** One field of an event's data: its kind, and a check of it on its own that returns what is
 * wrong, or null. */
interface FieldRule {
  readonly kind: 'string' | 'number';
  check(value: unknown): string | null;
}

const rule = (check: (value: string) => boolean, wrong: string): FieldRule => ({
  kind: 'string',
  check: (v) => (typeof v === 'string' && check(v) ? null : wrong),
});

const id = rule((v) => validId(v) !== null, 'is not a valid id');
const email = rule((v) => normaliseEmail(v) === v, 'is not a valid email');
const lowerEmail = rule(
  (v) => normaliseEmail(v) === v && v === v.toLowerCase(),
  'is not a normalized (lower-case) email',
);
const text = rule(
  (v) => normaliseName(v) === v,
  'is not a text of 1 to 200 characters without spaces around it',
);
const instant = rule((v) => !Number.isNaN(Date.parse(v)), 'is not a date and time');
const amount: FieldRule = {
  kind: 'number',
  check: (v) =>
    typeof v === 'number' && validAmount(v) === v
      ? null
      : `is not an amount above 0 and at most ${MAX_AMOUNT.toLocaleString('en-US')}, with at most 2 decimals`,
};

/** The fields of each event type's data, per schema version: exactly these, no others. */
const SCHEMAS: Readonly<
  Record<UserEventType, Readonly<Record<number, Record<string, FieldRule>>>>
> = {
  UserCreated: {
    1: { userId: id, email, name: text },
    2: { userId: id, email, normalizedEmail: lowerEmail, name: text },
  },
  UserEmailUpdated: { 1: { userId: id, oldEmail: email, newEmail: email } },
  UserRenamed: { 1: { userId: id, oldName: text, newName: text } },
  UserLoggedIn: { 1: { userId: id, at: instant } },
  OrderPlaced: { 1: { userId: id, orderId: id, amount } },
  UserDeactivated: { 1: { userId: id, email } },
};

/**
 * Whether `data` fits event type `type` at `schemaVersion`, as stored: what is wrong in plain
 * words, or null. Used for events that come from outside the app (an imported log).
 */
export function checkEventData(
  type: UserEventType,
  schemaVersion: number,
  data: unknown,
): string | null {
  const fields = SCHEMAS[type][schemaVersion];
  if (fields === undefined) return `${type} has no schema version ${String(schemaVersion)}`;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return `the data of ${type} is not an object`;
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!Object.hasOwn(fields, key))
      return `${type} v${String(schemaVersion)} has no field "${key}"`;
  }
  for (const [key, rule] of Object.entries(fields)) {
    if (!Object.hasOwn(record, key))
      return `${type} v${String(schemaVersion)} needs the field "${key}"`;
    const wrong = rule.check(record[key]);
    if (wrong !== null) return `the field "${key}" of ${type} ${wrong}`;
  }
  if (type === 'UserCreated' && schemaVersion === 2) {
    const { email: address, normalizedEmail } = record as {
      email: string;
      normalizedEmail: string;
    };
    if (normalizedEmail !== address.toLowerCase())
      return `the field "normalizedEmail" of UserCreated is not the email in lower case`;
  }
  return null;
}

/** The kind of each field of an event type's data, at its current schema version. */
export type FieldKinds = Readonly<Record<string, 'string' | 'number'>>;

/** Per event type, the kinds of the fields of its data at its current schema version. */
export const CURRENT_FIELDS: Readonly<Record<UserEventType, FieldKinds>> = Object.fromEntries(
  Object.entries(SCHEMAS).map(([type, versions]) => [
    type,
    Object.fromEntries(
      Object.entries(versions[CURRENT_SCHEMA_VERSION[type as UserEventType]] ?? {}).map(
        ([key, fieldRule]) => [key, fieldRule.kind],
      ),
    ),
  ]),
) as Record<UserEventType, FieldKinds>;
