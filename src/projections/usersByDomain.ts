import { assertNever, emailDomain } from '../domain';
import { change, NO_CHANGES, userRowStream, type Projection, type RowChange } from './types';

/** A user under the domain of the email they hold now. */
export interface DomainMember {
  readonly domain: string;
  readonly userId: string;
  readonly email: string;
}

const domainMemberKey = (domain: string, userId: string): string => `${domain}/${userId}`;

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
  // A user holds at most one membership, under the domain of their current email.
  bulk: {
    streamOf: userRowStream,
    keyOf: (row) => domainMemberKey(row.domain, row.userId),
    fold(events, i, drafts) {
      const slot = events.slot(i);
      const type = events.type(i);
      switch (type) {
        case 'UserCreated': {
          const userId = events.text(i, type, 'userId');
          const email = events.text(i, type, 'email');
          const domain = emailDomain(email);
          const held = drafts.get(slot)?.domain;
          // A second creation under another domain leaves the first row: two rows.
          if (held !== undefined && held !== domain) return false;
          drafts.put(slot, { domain, userId, email });
          return true;
        }
        case 'UserEmailUpdated': {
          const userId = events.text(i, type, 'userId');
          const newEmail = events.text(i, type, 'newEmail');
          const to = emailDomain(newEmail);
          const held = drafts.get(slot)?.domain;
          // Leaving a domain the user is not in keeps the row they are in: two rows.
          if (
            held !== undefined &&
            held !== to &&
            held !== emailDomain(events.text(i, type, 'oldEmail'))
          )
            return false;
          drafts.put(slot, { domain: to, userId, email: newEmail });
          return true;
        }
        case 'UserDeactivated': {
          if (drafts.get(slot)?.domain === emailDomain(events.text(i, type, 'email')))
            drafts.put(slot, undefined);
          return true;
        }
        case 'UserRenamed':
        case 'UserLoggedIn':
        case 'OrderPlaced':
          return true;
        default:
          return assertNever(type);
      }
    },
  },
};
