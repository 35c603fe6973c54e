import { assertNever, type DomainEvent } from '../domain';
import { change, missingRow, type Projection, type RowChange } from './types';

export interface UserActivity {
  readonly userId: string;
  readonly loginCount: number;
  readonly lastLogin: string | null;
  readonly ordersCount: number;
  /** Kept in cents, an integer, so a long sum of amounts never drifts. */
  readonly orderTotalCents: number;
}

type Read = (key: string) => UserActivity | undefined;

function bump(
  event: DomainEvent,
  read: Read,
  patch: (a: UserActivity) => Partial<UserActivity>,
): RowChange<UserActivity>[] {
  const key = event.data.userId;
  const before = read(key);
  if (before === undefined) throw missingRow('the activity of user', key, event);
  return [change(key, before, { ...before, ...patch(before) })];
}

/** Logins and orders per user. */
export const activitySummary: Projection<UserActivity> = {
  name: 'activitySummary',
  title: 'Activity summary',
  codeVersion: 1,
  project(event, read) {
    switch (event.type) {
      case 'UserCreated': {
        const { userId } = event.data;
        return [
          change(userId, read(userId), {
            userId,
            loginCount: 0,
            lastLogin: null,
            ordersCount: 0,
            orderTotalCents: 0,
          }),
        ];
      }
      case 'UserLoggedIn':
        return bump(event, read, (a) => ({
          loginCount: a.loginCount + 1,
          lastLogin: event.data.at,
        }));
      case 'OrderPlaced': {
        const cents = Math.round(event.data.amount * 100);
        return bump(event, read, (a) => ({
          ordersCount: a.ordersCount + 1,
          orderTotalCents: a.orderTotalCents + cents,
        }));
      }
      case 'UserEmailUpdated':
      case 'UserRenamed':
      case 'UserDeactivated':
        return [];
      default:
        return assertNever(event);
    }
  },
};
