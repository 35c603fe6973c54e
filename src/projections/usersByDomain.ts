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

function member(
  domain: string,
  userId: string,
  email: string,
  read: Read,
): RowChange<DomainMember> {
  const key = domainMemberKey(domain, userId);
  return change(key, read(key), { domain, userId, email });
}

function leave(domain: string, userId: string, read: Read): RowChange<DomainMember> {
  const key = domainMemberKey(domain, userId);
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
        return [member(emailDomain(event.data.email), event.data.userId, event.data.email, read)];
      case 'UserEmailUpdated': {
        const { userId, oldEmail, newEmail } = event.data;
        const from = emailDomain(oldEmail);
        const to = emailDomain(newEmail);
        return from !== to
          ? [leave(from, userId, read), member(to, userId, newEmail, read)]
          : [member(to, userId, newEmail, read)];
      }
      case 'UserDeactivated':
        return [leave(emailDomain(event.data.email), event.data.userId, read)];
      case 'UserRenamed':
      case 'UserLoggedIn':
      case 'OrderPlaced':
        return NO_CHANGES;
      default:
        return assertNever(event);
    }
  },
};
