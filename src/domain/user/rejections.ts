import { MAX_AMOUNT } from './validation';
import { assertNever } from '../shared';

/** Every way a user command can be refused. Each carries what its message needs. */
export type UserRejection =
  | { readonly code: 'InvalidId'; readonly field: 'User ID' | 'Order ID'; readonly value: string }
  | { readonly code: 'InvalidEmail'; readonly value: string }
  | { readonly code: 'InvalidName'; readonly value: string }
  | { readonly code: 'InvalidAmount'; readonly value: number }
  | { readonly code: 'UserAlreadyExists'; readonly userId: string }
  | { readonly code: 'UserNotFound'; readonly userId: string }
  | { readonly code: 'UserIsDeactivated'; readonly userId: string }
  | { readonly code: 'OrderAlreadyPlaced'; readonly userId: string; readonly orderId: string }
  | { readonly code: 'EmailUnchanged'; readonly userId: string; readonly email: string }
  | { readonly code: 'NameUnchanged'; readonly userId: string; readonly name: string }
  | { readonly code: 'EmailInUse'; readonly email: string }
  | { readonly code: 'ConcurrentChange'; readonly userId: string };

/** The plain-words message a person sees for a rejection. */
export function describeRejection(r: UserRejection): string {
  switch (r.code) {
    case 'InvalidId':
      return `${r.field} must be 1 to 64 characters of letters, digits, "_" or "-"`;
    case 'InvalidEmail':
      return 'Email is not valid';
    case 'InvalidName':
      return 'Name must be 1 to 200 characters and not blank';
    case 'InvalidAmount':
      return r.value > MAX_AMOUNT
        ? `Amount must be at most ${MAX_AMOUNT.toLocaleString('en-US')}`
        : 'Amount must be a number above 0 with at most 2 decimals';
    case 'UserAlreadyExists':
      return `User ${r.userId} already exists`;
    case 'UserNotFound':
      return `User ${r.userId} does not exist`;
    case 'UserIsDeactivated':
      return `User ${r.userId} is deactivated`;
    case 'OrderAlreadyPlaced':
      return `Order ${r.orderId} was already placed by user ${r.userId}`;
    case 'EmailUnchanged':
      return `User ${r.userId} already has email ${r.email}; nothing was recorded`;
    case 'NameUnchanged':
      return `User ${r.userId} is already named ${r.name}; nothing was recorded`;
    case 'EmailInUse':
      return `Email ${r.email} is already in use`;
    case 'ConcurrentChange':
      return `User ${r.userId} was changed at the same time by another command; please try again`;
    default:
      return assertNever(r);
  }
}
