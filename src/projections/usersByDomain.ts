import { assertNever, emailDomain } from '../domain';
import { change, NO_CHANGES, type Projection, type RowChange } from './types';

/** A user under the domain of the email they hold now. */
export interface DomainMember {
  readonly domain: string;
  readonly userId: string;
  readonly email: string;
}

export const domainMemberKey = (domain: string, userId: string): string => `${domain}/${userId}`;

type Read = (key: string) => DomainMember | undefined;

function member(userId: string, email: string, read: Read): RowChange<DomainMember> {
  const domain = emailDomain(email);
  const key = domainMemberKey(domain, userId);
  return change(key, read(key), { domain, userId, email });
}

function leave(userId: string, email: string, read: Read): RowChange<DomainMember> {
  const key = domainMemberKey(emailDomain(email), userId);
  return change(key, read(key), undefined);
}

/**
 * The guide's "users by email domain" index. A user moves when their email changes domain,
 * and leaves when deactivated (their email is released, so they hold no domain).
 */
export const usersByDomain: Projection<DomainMember> = {
  name: 'usersByDomain',
  title: 'Users by email domain',
  codeVersion: 1,
  project(event, read) {
    switch (event.type) {
      case 'UserCreated':
        return [member(event.data.userId, event.data.email, read)];
      case 'UserEmailUpdated': {
        const { userId, oldEmail, newEmail } = event.data;
        const moved = emailDomain(oldEmail) !== emailDomain(newEmail);
        return moved
          ? [leave(userId, oldEmail, read), member(userId, newEmail, read)]
          : [member(userId, newEmail, read)];
      }
      case 'UserDeactivated':
        return [leave(event.data.userId, event.data.email, read)];
      case 'UserRenamed':
      case 'UserLoggedIn':
      case 'OrderPlaced':
        return NO_CHANGES;
      default:
        return assertNever(event);
    }
  },
};
