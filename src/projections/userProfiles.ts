import { assertNever, type DomainEvent } from '../domain';
import {
  change,
  missingRow,
  NO_CHANGES,
  userRowStream,
  type Projection,
  type RowChange,
} from './types';

export interface UserProfile {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly status: 'active' | 'deactivated';
  readonly createdAt: string;
  readonly updatedAt: string;
}

type Read = (key: string) => UserProfile | undefined;
type Editable = Pick<UserProfile, 'email' | 'name' | 'status'>;

/**
 * The user's row with some of its fields changed, as of this event. Written out field by
 * field: a literal of one fixed shape is much cheaper in a replay than spreading a patch.
 */
function update(event: DomainEvent, read: Read, edit: Partial<Editable>): RowChange<UserProfile>[] {
  const key = event.data.userId;
  const before = read(key);
  if (before === undefined) throw missingRow('the profile of user', key, event);
  const after: UserProfile = {
    userId: before.userId,
    email: edit.email ?? before.email,
    name: edit.name ?? before.name,
    status: edit.status ?? before.status,
    createdAt: before.createdAt,
    updatedAt: event.metadata.recordedAt,
  };
  return [change(key, before, after)];
}

/** A new user's row, as of their creation at `at`. */
const created = (userId: string, email: string, name: string, at: string): UserProfile => ({
  userId,
  email,
  name,
  status: 'active',
  createdAt: at,
  updatedAt: at,
});

/** One row per user: who they are and whether they are active. */
export const userProfiles: Projection<UserProfile> = {
  name: 'userProfiles',
  title: 'User profiles',
  codeVersion: 1,
  project(event, read) {
    switch (event.type) {
      case 'UserCreated': {
        const { userId, email, name } = event.data;
        return [
          change(userId, read(userId), created(userId, email, name, event.metadata.recordedAt)),
        ];
      }
      case 'UserEmailUpdated':
        return update(event, read, { email: event.data.newEmail });
      case 'UserRenamed':
        return update(event, read, { name: event.data.newName });
      case 'UserDeactivated':
        return update(event, read, { status: 'deactivated' });
      case 'UserLoggedIn':
      case 'OrderPlaced':
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
          const userId = events.text(i, type, 'userId');
          const email = events.text(i, type, 'email');
          const name = events.text(i, type, 'name');
          drafts.put(slot, created(userId, email, name, events.recordedAt(i)));
          return true;
        }
        case 'UserEmailUpdated':
        case 'UserRenamed':
        case 'UserDeactivated': {
          const p = drafts.get(slot);
          if (p === undefined) return false;
          if (type === 'UserEmailUpdated') p.email = events.text(i, type, 'newEmail');
          else if (type === 'UserRenamed') p.name = events.text(i, type, 'newName');
          else p.status = 'deactivated';
          p.updatedAt = events.recordedAt(i);
          drafts.put(slot, p);
          return true;
        }
        case 'UserLoggedIn':
        case 'OrderPlaced':
          return true;
        default:
          return assertNever(type);
      }
    },
  },
};
