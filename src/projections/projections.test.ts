import { describe, expect, it } from 'vitest';
import type { DomainEvent, UserEvent } from '../domain';
import { activitySummary, foldEvents, userProfiles, usersByDomain } from './index';

let position = 0;
/** Events as the log would hold them, at consecutive positions and minutes. */
function log(...events: UserEvent[]): DomainEvent[] {
  position = 0;
  return events.map((e) => {
    position += 1;
    return {
      ...e,
      position,
      streamId: `user-${e.data.userId}`,
      version: 1,
      schemaVersion: 1,
      metadata: {
        eventId: `e${position}`,
        commandId: `c${position}`,
        causationId: `c${position}`,
        correlationId: `c${position}`,
        recordedAt: `2026-01-01T00:${String(position).padStart(2, '0')}:00.000Z`,
      },
    };
  });
}

const guide = log(
  {
    type: 'UserCreated',
    data: {
      userId: 'user123',
      email: 'john@example.com',
      normalizedEmail: 'john@example.com',
      name: 'John Doe',
    },
  },
  {
    type: 'UserCreated',
    data: {
      userId: 'user456',
      email: 'jane@example.com',
      normalizedEmail: 'jane@example.com',
      name: 'Jane Smith',
    },
  },
  {
    type: 'UserEmailUpdated',
    data: { userId: 'user123', oldEmail: 'john@example.com', newEmail: 'john.doe@company.com' },
  },
);

describe('the guide scenario', () => {
  it('profiles show the new email, and when it changed', () => {
    const model = foldEvents(userProfiles, guide);
    expect(model.get('user123')).toEqual({
      userId: 'user123',
      email: 'john.doe@company.com',
      name: 'John Doe',
      status: 'active',
      createdAt: '2026-01-01T00:01:00.000Z',
      updatedAt: '2026-01-01T00:03:00.000Z',
    });
    expect(model.size).toBe(2);
  });

  it('moves user123 to company.com and leaves user456 in example.com', () => {
    const model = foldEvents(usersByDomain, guide);
    const inDomain = (d: string) =>
      [...model.values()].filter((m) => m.domain === d).map((m) => m.userId);
    expect(inDomain('company.com')).toEqual(['user123']);
    expect(inDomain('example.com')).toEqual(['user456']);
  });
});

describe('users by email domain', () => {
  it('updates the email in place when the domain stays', () => {
    const model = foldEvents(
      usersByDomain,
      log(
        {
          type: 'UserCreated',
          data: { userId: 'a', email: 'a@x.io', normalizedEmail: 'a@x.io', name: 'A' },
        },
        {
          type: 'UserEmailUpdated',
          data: { userId: 'a', oldEmail: 'a@x.io', newEmail: 'a2@x.io' },
        },
      ),
    );
    expect([...model.values()]).toEqual([{ domain: 'x.io', userId: 'a', email: 'a2@x.io' }]);
  });

  it('drops a deactivated user from the index', () => {
    const model = foldEvents(
      usersByDomain,
      log(
        {
          type: 'UserCreated',
          data: { userId: 'a', email: 'a@x.io', normalizedEmail: 'a@x.io', name: 'A' },
        },
        {
          type: 'UserCreated',
          data: { userId: 'b', email: 'b@x.io', normalizedEmail: 'b@x.io', name: 'B' },
        },
        { type: 'UserDeactivated', data: { userId: 'a', email: 'a@x.io' } },
      ),
    );
    expect([...model.keys()]).toEqual(['x.io/b']);
  });

  it('reports both rows when a user changes domain', () => {
    const [created, moved] = log(
      {
        type: 'UserCreated',
        data: { userId: 'a', email: 'a@x.io', normalizedEmail: 'a@x.io', name: 'A' },
      },
      { type: 'UserEmailUpdated', data: { userId: 'a', oldEmail: 'a@x.io', newEmail: 'a@y.io' } },
    );
    const model = foldEvents(usersByDomain, [created!]);
    expect(usersByDomain.project(moved!, (k) => model.get(k))).toEqual([
      { key: 'x.io/a', before: { domain: 'x.io', userId: 'a', email: 'a@x.io' }, after: undefined },
      { key: 'y.io/a', before: undefined, after: { domain: 'y.io', userId: 'a', email: 'a@y.io' } },
    ]);
  });
});

describe('user profiles', () => {
  it('keeps a deactivated user, marked as such, and records renames', () => {
    const model = foldEvents(
      userProfiles,
      log(
        {
          type: 'UserCreated',
          data: { userId: 'a', email: 'a@x.io', normalizedEmail: 'a@x.io', name: 'A' },
        },
        { type: 'UserRenamed', data: { userId: 'a', oldName: 'A', newName: 'Ann' } },
        { type: 'UserLoggedIn', data: { userId: 'a', at: 'x' } },
        { type: 'UserDeactivated', data: { userId: 'a', email: 'a@x.io' } },
      ),
    );
    expect(model.get('a')).toMatchObject({
      name: 'Ann',
      status: 'deactivated',
      updatedAt: '2026-01-01T00:04:00.000Z',
    });
  });

  it('refuses an update for a user it has never seen', () => {
    expect(() =>
      foldEvents(
        userProfiles,
        log({ type: 'UserRenamed', data: { userId: 'ghost', oldName: 'A', newName: 'B' } }),
      ),
    ).toThrow('UserRenamed at position 1 needs the profile of user "ghost", which is not there');
  });
});

describe('activity summary', () => {
  it('counts logins and orders and sums amounts without drift', () => {
    const events = log(
      {
        type: 'UserCreated',
        data: { userId: 'a', email: 'a@x.io', normalizedEmail: 'a@x.io', name: 'A' },
      },
      { type: 'UserLoggedIn', data: { userId: 'a', at: '2026-02-01T00:00:00.000Z' } },
      { type: 'UserLoggedIn', data: { userId: 'a', at: '2026-02-02T00:00:00.000Z' } },
      ...Array.from({ length: 10 }, (_, i): UserEvent => ({
        type: 'OrderPlaced',
        data: { userId: 'a', orderId: `o${i}`, amount: 0.1 },
      })),
    );
    expect(foldEvents(activitySummary, events).get('a')).toEqual({
      userId: 'a',
      loginCount: 2,
      lastLogin: '2026-02-02T00:00:00.000Z',
      ordersCount: 10,
      orderTotalCents: 100,
    });
  });

  it('keeps the activity of a deactivated user', () => {
    const model = foldEvents(
      activitySummary,
      log(
        {
          type: 'UserCreated',
          data: { userId: 'a', email: 'a@x.io', normalizedEmail: 'a@x.io', name: 'A' },
        },
        { type: 'UserLoggedIn', data: { userId: 'a', at: 't' } },
        { type: 'UserDeactivated', data: { userId: 'a', email: 'a@x.io' } },
      ),
    );
    expect(model.get('a')?.loginCount).toBe(1);
  });
});
