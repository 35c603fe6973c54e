import { assertNever, type DomainEvent } from '../domain';
import { change, missingRow, NO_CHANGES, userRowStream, type Projection } from './types';

export interface UserActivity {
  readonly userId: string;
  readonly loginCount: number;
  readonly lastLogin: string | null;
  readonly ordersCount: number;
  /** Kept in cents, an integer, so a long sum of amounts never drifts. */
  readonly orderTotalCents: number;
}

type Read = (key: string) => UserActivity | undefined;

function current(event: DomainEvent, read: Read): UserActivity {
  const row = read(event.data.userId);
  if (row === undefined) throw missingRow('the activity of user', event.data.userId, event);
  return row;
}
/** A new user's row: no logins, no orders. */
const created = (userId: string): UserActivity => ({
  userId,
  loginCount: 0,
  lastLogin: null,
  ordersCount: 0,
  orderTotalCents: 0,
});

/** Logins and orders per user. */
export const activitySummary: Projection<UserActivity> = {
  name: 'activitySummary',
  title: 'Activity summary',
  codeVersion: 1,
  project(event, read) {
    switch (event.type) {
      case 'UserCreated': {
        const { userId } = event.data;
        return [change(userId, read(userId), created(userId))];
      }
      // Rows written out field by field: this runs for most events of a replay, and a
      // literal of one fixed shape is much cheaper than spreading a patch over a row.
      case 'UserLoggedIn': {
        const a = current(event, read);
        return [
          change(a.userId, a, {
            userId: a.userId,
            loginCount: a.loginCount + 1,
            lastLogin: event.data.at,
            ordersCount: a.ordersCount,
            orderTotalCents: a.orderTotalCents,
          }),
        ];
      }
      case 'OrderPlaced': {
        const a = current(event, read);
        return [
          change(a.userId, a, {
            userId: a.userId,
            loginCount: a.loginCount,
            lastLogin: a.lastLogin,
            ordersCount: a.ordersCount + 1,
            orderTotalCents: a.orderTotalCents + Math.round(event.data.amount * 100),
          }),
        ];
      }
      case 'UserEmailUpdated':
      case 'UserRenamed':
      case 'UserDeactivated':
        return NO_CHANGES;
      default:
        return assertNever(event);
    }
  },
  bulk: {
    streamOf: userRowStream,
    keyOf: (row) => row.userId,
    fold(events, i, drafts) {
      const slot = events.slot(i);
      const type = events.type(i);
      switch (type) {
        case 'UserCreated': {
          drafts.put(slot, created(events.text(i, type, 'userId')));
          return true;
        }
        case 'UserLoggedIn': {
          const a = drafts.get(slot);
          if (a === undefined) return false;
          a.loginCount += 1;
          a.lastLogin = events.text(i, type, 'at');
          drafts.put(slot, a);
          return true;
        }
        case 'OrderPlaced': {
          const a = drafts.get(slot);
          if (a === undefined) return false;
          a.ordersCount += 1;
          a.orderTotalCents += Math.round(events.number(i, type, 'amount') * 100);
          drafts.put(slot, a);
          return true;
        }
        case 'UserEmailUpdated':
        case 'UserRenamed':
        case 'UserDeactivated':
          return true;
        default:
          return assertNever(type);
      }
    },
  },
};
