import { accept, assertNever, reject, type CommandMeta, type Decision } from '../shared';
import type { UserCommand } from './commands';
import type { UserEvent } from './events';
import type { UserRejection } from './rejections';
import { normaliseEmail, normaliseName, normalizedEmail, validAmount, validId } from './validation';

export type UserState =
  | { readonly status: 'missing' }
  | {
      readonly status: 'active' | 'deactivated';
      readonly userId: string;
      readonly email: string;
      readonly name: string;
      readonly orderIds: ReadonlySet<string>;
    };

type ExistingUser = Exclude<UserState, { status: 'missing' }>;
type UserDecision = Decision<UserEvent, UserRejection>;

export const initialState: UserState = { status: 'missing' };

export function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserCreated': {
      const { userId, email, name } = event.data;
      return { status: 'active', userId, email, name, orderIds: new Set() };
    }
    case 'UserEmailUpdated':
      return state.status === 'missing' ? state : { ...state, email: event.data.newEmail };
    case 'UserRenamed':
      return state.status === 'missing' ? state : { ...state, name: event.data.newName };
    case 'UserLoggedIn':
      return state;
    case 'OrderPlaced':
      return state.status === 'missing'
        ? state
        : { ...state, orderIds: new Set(state.orderIds).add(event.data.orderId) };
    case 'UserDeactivated':
      return state.status === 'missing' ? state : { ...state, status: 'deactivated' };
    default:
      return assertNever(event);
  }
}

/** Decides a command against the user's own history. Uniqueness of emails across users
 * is not visible here: it is enforced by the event store's claims (see `claims.ts`). */
export function decide(command: UserCommand, state: UserState, meta: CommandMeta): UserDecision {
  const userId = validId(command.data.userId);
  if (userId === null) {
    return reject({ code: 'InvalidId', field: 'User ID', value: command.data.userId });
  }
  switch (command.type) {
    case 'CreateUser':
      return createUser(command.data, state);
    case 'UpdateUserEmail':
      return withActiveUser(state, userId, (user) => updateEmail(user, command.data.newEmail));
    case 'RenameUser':
      return withActiveUser(state, userId, (user) => rename(user, command.data.name));
    case 'RecordLogin':
      return withActiveUser(state, userId, () =>
        accept({ type: 'UserLoggedIn', data: { userId, at: meta.now } }),
      );
    case 'PlaceOrder':
      return withActiveUser(state, userId, (user) =>
        placeOrder(user, command.data.orderId, command.data.amount),
      );
    case 'DeactivateUser':
      return withActiveUser(state, userId, (user) =>
        accept({ type: 'UserDeactivated', data: { userId, email: user.email } }),
      );
    default:
      return assertNever(command);
  }
}

function createUser(
  data: { userId: string; email: string; name: string },
  state: UserState,
): UserDecision {
  const email = normaliseEmail(data.email);
  if (email === null) return reject({ code: 'InvalidEmail', value: data.email });
  const name = normaliseName(data.name);
  if (name === null) return reject({ code: 'InvalidName', value: data.name });
  if (state.status !== 'missing') return reject({ code: 'UserAlreadyExists', userId: data.userId });
  return accept({
    type: 'UserCreated',
    data: { userId: data.userId, email, normalizedEmail: normalizedEmail(email), name },
  });
}

function withActiveUser(
  state: UserState,
  userId: string,
  then: (user: ExistingUser) => UserDecision,
): UserDecision {
  if (state.status === 'missing') return reject({ code: 'UserNotFound', userId });
  if (state.status === 'deactivated') return reject({ code: 'UserIsDeactivated', userId });
  return then(state);
}

function updateEmail(user: ExistingUser, rawEmail: string): UserDecision {
  const newEmail = normaliseEmail(rawEmail);
  if (newEmail === null) return reject({ code: 'InvalidEmail', value: rawEmail });
  if (newEmail === user.email) {
    return reject({ code: 'EmailUnchanged', userId: user.userId, email: newEmail });
  }
  return accept({
    type: 'UserEmailUpdated',
    data: { userId: user.userId, oldEmail: user.email, newEmail },
  });
}

function rename(user: ExistingUser, rawName: string): UserDecision {
  const newName = normaliseName(rawName);
  if (newName === null) return reject({ code: 'InvalidName', value: rawName });
  if (newName === user.name) {
    return reject({ code: 'NameUnchanged', userId: user.userId, name: newName });
  }
  return accept({
    type: 'UserRenamed',
    data: { userId: user.userId, oldName: user.name, newName },
  });
}

function placeOrder(user: ExistingUser, rawOrderId: string, rawAmount: number): UserDecision {
  const orderId = validId(rawOrderId);
  if (orderId === null) return reject({ code: 'InvalidId', field: 'Order ID', value: rawOrderId });
  const amount = validAmount(rawAmount);
  if (amount === null) return reject({ code: 'InvalidAmount', value: rawAmount });
  if (user.orderIds.has(orderId)) {
    return reject({ code: 'OrderAlreadyPlaced', userId: user.userId, orderId });
  }
  return accept({ type: 'OrderPlaced', data: { userId: user.userId, orderId, amount } });
}
