import { assertNever } from '../shared';
import { isUserEventType } from '../upcast';
import type { UserEvent } from './events';
import { emailKey } from './validation';

/**
 * Which unique keys an event takes and gives back. The event store applies these in the
 * same transaction as the append, so two users can never hold one email, even when two
 * tabs race. Derived from the event alone, so the claims can be rebuilt from the log.
 */
export interface ClaimChanges {
  readonly claim: readonly string[];
  readonly release: readonly string[];
}

const NONE: ClaimChanges = { claim: [], release: [] };

function userClaimChanges(event: UserEvent): ClaimChanges {
  switch (event.type) {
    case 'UserCreated':
      return { claim: [emailKey(event.data.email)], release: [] };
    case 'UserEmailUpdated': {
      const [oldKey, newKey] = [emailKey(event.data.oldEmail), emailKey(event.data.newEmail)];
      // A change of case in the local part keeps the same key: nothing to move.
      return oldKey === newKey ? NONE : { claim: [newKey], release: [oldKey] };
    }
    case 'UserDeactivated':
      return { claim: [], release: [emailKey(event.data.email)] };
    case 'UserRenamed':
    case 'UserLoggedIn':
    case 'OrderPlaced':
      return NONE;
    default:
      return assertNever(event);
  }
}

/** The email a claim key stands for, for the message a person sees. */
export const emailOfKey = (key: string): string => key.replace(/^email:/, '');

/** Claim changes for any stored or new event; events of other aggregates claim nothing. */
export function claimChangesOf(event: {
  readonly type: string;
  readonly data: unknown;
}): ClaimChanges {
  return isUserEventType(event.type) ? userClaimChanges(event as UserEvent) : NONE;
}
/**
 * Raised whenever the claims of some event change (another key, a new normalisation): the
 * event store keeps copies of the claims it folded, and does not use one folded by another
 * version of this rule.
 */
claimChangesOf.version = 1;
