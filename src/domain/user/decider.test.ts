import { describe, expect, it } from 'vitest';
import type { CommandMeta } from '../shared';
import type { UserCommand } from './commands';
import { decide, evolve, initialState } from './decider';
import type { UserEvent } from './events';
import { describeRejection, type UserRejection } from './rejections';

const meta: CommandMeta = { commandId: 'c1', now: '2026-01-02T03:04:05.000Z' };

/** Given these past events, when this command is decided, then expect these events or this rejection. */
function given(...past: UserEvent[]) {
  const state = past.reduce(evolve, initialState);
  return {
    when: (command: UserCommand) => {
      const decision = decide(command, state, meta);
      return {
        then: (...events: UserEvent[]) => {
          expect(decision).toEqual({ ok: true, events });
        },
        thenRejects: (rejection: UserRejection) => {
          expect(decision).toEqual({ ok: false, rejection });
          expect(describeRejection(rejection)).toMatch(/\w/);
        },
      };
    },
  };
}

const created: UserEvent = {
  type: 'UserCreated',
  data: {
    userId: 'user123',
    email: 'john@example.com',
    normalizedEmail: 'john@example.com',
    name: 'John Doe',
  },
};
const deactivated: UserEvent = {
  type: 'UserDeactivated',
  data: { userId: 'user123', email: 'john@example.com' },
};
const create = (userId: string, email: string, name: string): UserCommand => ({
  type: 'CreateUser',
  data: { userId, email, name },
});

describe('CreateUser', () => {
  it('records UserCreated with the email trimmed and its domain lower-cased', () => {
    given()
      .when(create('user123', '  John@Example.COM ', ' John Doe '))
      .then({
        type: 'UserCreated',
        data: {
          userId: 'user123',
          email: 'John@example.com',
          normalizedEmail: 'john@example.com',
          name: 'John Doe',
        },
      });
  });
  it('rejects an existing user', () => {
    given(created)
      .when(create('user123', 'other@example.com', 'Other'))
      .thenRejects({ code: 'UserAlreadyExists', userId: 'user123' });
  });
  it('rejects an existing user even when deactivated', () => {
    given(created, deactivated)
      .when(create('user123', 'other@example.com', 'Other'))
      .thenRejects({ code: 'UserAlreadyExists', userId: 'user123' });
  });
  it.each(['', 'a b', 'a/b', 'x'.repeat(65), 'ü'])('rejects the user id %j', (userId) => {
    given()
      .when(create(userId, 'a@b.co', 'A'))
      .thenRejects({ code: 'InvalidId', field: 'User ID', value: userId });
  });
  it.each(['A', 'a_b-C9', 'x'.repeat(64)])('accepts the user id %j', (userId) => {
    const decision = decide(create(userId, 'a@b.co', 'A'), initialState, meta);
    expect(decision.ok).toBe(true);
  });
  it.each([
    '',
    'plain',
    'a@b',
    'a@@b.com',
    'a@b@c.com',
    'a b@c.com',
    'a@b .com',
    '@b.com',
    'a@.com',
    'a@b..com',
    'a@-b.com',
    '<b>x</b>@y.io',
    '.a@y.io',
    'a.@y.io',
    'a..b@y.io',
    '"quoted"@y.io',
    'a,b@y.io',
    `${'x'.repeat(10_240)}@y.io`,
  ])('rejects the email %j', (email) => {
    given()
      .when(create('u1', email, 'A'))
      .thenRejects({ code: 'InvalidEmail', value: email });
  });
  it.each(['', '   ', 'x'.repeat(201), '\u200b', '\u200b\u200b', '😀'.repeat(201)])(
    'rejects the name %j',
    (name) => {
      given()
        .when(create('u1', 'a@b.co', name))
        .thenRejects({ code: 'InvalidName', value: name });
    },
  );
  it.each(['x'.repeat(200), '😀'.repeat(200), 'Zoë', '李小龍', 'a.b+c'])(
    'accepts the name %j',
    (name) => {
      expect(decide(create('u1', 'a@b.co', name), initialState, meta).ok).toBe(true);
    },
  );
  it.each(['first.last@y.io', 'a+tag@y.io', "o'brien@y.io"])('accepts the email %j', (email) => {
    expect(decide(create('u1', email, 'A'), initialState, meta).ok).toBe(true);
  });
});

describe('UpdateUserEmail', () => {
  const update = (newEmail: string): UserCommand => ({
    type: 'UpdateUserEmail',
    data: { userId: 'user123', newEmail },
  });
  it('records the old and the new email', () => {
    given(created)
      .when(update('john.doe@Company.com'))
      .then({
        type: 'UserEmailUpdated',
        data: { userId: 'user123', oldEmail: 'john@example.com', newEmail: 'john.doe@company.com' },
      });
  });
  it('records nothing and says so for the same email', () => {
    given(created)
      .when(update(' john@EXAMPLE.com'))
      .thenRejects({ code: 'EmailUnchanged', userId: 'user123', email: 'john@example.com' });
  });
  it('rejects an invalid email', () => {
    given(created).when(update('nope')).thenRejects({ code: 'InvalidEmail', value: 'nope' });
  });
  it('rejects a missing user', () => {
    given().when(update('a@b.co')).thenRejects({ code: 'UserNotFound', userId: 'user123' });
  });
  it('rejects a deactivated user', () => {
    given(created, deactivated)
      .when(update('a@b.co'))
      .thenRejects({ code: 'UserIsDeactivated', userId: 'user123' });
  });
  it('uses the email as it is after earlier changes', () => {
    given(created, {
      type: 'UserEmailUpdated',
      data: { userId: 'user123', oldEmail: 'john@example.com', newEmail: 'j@x.io' },
    })
      .when(update('j@x.io'))
      .thenRejects({ code: 'EmailUnchanged', userId: 'user123', email: 'j@x.io' });
  });
});

describe('RenameUser', () => {
  const rename = (name: string): UserCommand => ({
    type: 'RenameUser',
    data: { userId: 'user123', name },
  });
  it('records the old and the new name', () => {
    given(created)
      .when(rename('Johnny'))
      .then({
        type: 'UserRenamed',
        data: { userId: 'user123', oldName: 'John Doe', newName: 'Johnny' },
      });
  });
  it('records nothing and says so for the same name', () => {
    given(created)
      .when(rename(' John Doe '))
      .thenRejects({ code: 'NameUnchanged', userId: 'user123', name: 'John Doe' });
  });
  it('rejects a blank name', () => {
    given(created).when(rename('  ')).thenRejects({ code: 'InvalidName', value: '  ' });
  });
  it('rejects a missing or deactivated user', () => {
    given().when(rename('X')).thenRejects({ code: 'UserNotFound', userId: 'user123' });
    given(created, deactivated)
      .when(rename('X'))
      .thenRejects({ code: 'UserIsDeactivated', userId: 'user123' });
  });
});

describe('RecordLogin', () => {
  const login: UserCommand = { type: 'RecordLogin', data: { userId: 'user123' } };
  it('records the login at the command time', () => {
    given(created)
      .when(login)
      .then({ type: 'UserLoggedIn', data: { userId: 'user123', at: meta.now } });
  });
  it('rejects a missing or deactivated user', () => {
    given().when(login).thenRejects({ code: 'UserNotFound', userId: 'user123' });
    given(created, deactivated)
      .when(login)
      .thenRejects({ code: 'UserIsDeactivated', userId: 'user123' });
  });
});

describe('PlaceOrder', () => {
  const order = (orderId: string, amount: number): UserCommand => ({
    type: 'PlaceOrder',
    data: { userId: 'user123', orderId, amount },
  });
  it('records the order', () => {
    given(created)
      .when(order('o-1', 19.99))
      .then({ type: 'OrderPlaced', data: { userId: 'user123', orderId: 'o-1', amount: 19.99 } });
  });
  it.each([0, -1, 1.005, 0.001, Number.NaN, Number.POSITIVE_INFINITY, 1_000_000_000.01, 2 ** 53])(
    'rejects the amount %s',
    (amount) => {
      given(created)
        .when(order('o-1', amount))
        .thenRejects({ code: 'InvalidAmount', value: amount });
    },
  );
  it('says how large an amount may be', () => {
    expect(describeRejection({ code: 'InvalidAmount', value: 2e9 })).toBe(
      'Amount must be at most 1,000,000,000',
    );
  });
  it.each([0.01, 0.1, 1, 12.5, 999999.99, 1_000_000_000])('accepts the amount %s', (amount) => {
    expect(decide(order('o-1', amount), [created].reduce(evolve, initialState), meta).ok).toBe(
      true,
    );
  });
  it('rejects an invalid order id', () => {
    given(created)
      .when(order('o 1', 5))
      .thenRejects({ code: 'InvalidId', field: 'Order ID', value: 'o 1' });
  });
  it('rejects an order id the same user already used', () => {
    given(created, { type: 'OrderPlaced', data: { userId: 'user123', orderId: 'o-1', amount: 5 } })
      .when(order('o-1', 7))
      .thenRejects({ code: 'OrderAlreadyPlaced', userId: 'user123', orderId: 'o-1' });
  });
  it('rejects a missing or deactivated user', () => {
    given().when(order('o-1', 5)).thenRejects({ code: 'UserNotFound', userId: 'user123' });
    given(created, deactivated)
      .when(order('o-1', 5))
      .thenRejects({ code: 'UserIsDeactivated', userId: 'user123' });
  });
});

describe('DeactivateUser', () => {
  const deactivate: UserCommand = { type: 'DeactivateUser', data: { userId: 'user123' } };
  it('records the deactivation with the email it releases', () => {
    given(created).when(deactivate).then(deactivated);
  });
  it('rejects a missing user and a second deactivation', () => {
    given().when(deactivate).thenRejects({ code: 'UserNotFound', userId: 'user123' });
    given(created, deactivated)
      .when(deactivate)
      .thenRejects({ code: 'UserIsDeactivated', userId: 'user123' });
  });
});

describe('rejection messages', () => {
  it('speak in plain words', () => {
    expect(describeRejection({ code: 'UserAlreadyExists', userId: 'user123' })).toBe(
      'User user123 already exists',
    );
    expect(describeRejection({ code: 'InvalidEmail', value: 'x' })).toBe('Email is not valid');
    expect(describeRejection({ code: 'EmailInUse', email: 'john@example.com' })).toBe(
      'Email john@example.com is already in use',
    );
  });
});
