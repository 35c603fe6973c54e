import { describe, expect, it } from 'vitest';
import { seededRandom } from '../commands/generator';
import type { UserActivity, UserProfile } from '../projections';
import type { UserColumn } from './protocol';
import { SortedUsers, type UserModels } from './userRows';

const NAMES = ['Ada', 'Alan', 'Grace', 'Linus', 'Barbara'];

function models() {
  const profiles = new Map<string, UserProfile>();
  const activity = new Map<string, UserActivity>();
  const all: UserModels = { profiles, activity, byDomain: new Map() };
  return { profiles, activity, all };
}

describe('SortedUsers', () => {
  it('keeps the order a fresh sort gives, through creations, changes and removals, few or many', () => {
    const columns: UserColumn[] = ['userId', 'name', 'loginCount', 'lastLogin', 'status'];
    for (const column of columns) {
      for (const [filter, descending] of [
        ['', false],
        ['a', true],
      ] as const) {
        const random = seededRandom(columns.indexOf(column) + 1);
        const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
        const { profiles, activity, all } = models();
        const put = (id: string) => {
          profiles.set(id, {
            userId: id,
            email: `${id}@x.io`,
            name: pick(NAMES),
            status: random() < 0.2 ? 'deactivated' : 'active',
            createdAt: 't',
            updatedAt: 't',
          });
          activity.set(id, {
            userId: id,
            loginCount: Math.floor(random() * 5),
            lastLogin: random() < 0.3 ? null : `2026-0${String(1 + Math.floor(random() * 9))}`,
            ordersCount: 0,
            orderTotalCents: 0,
          });
        };
        for (let i = 0; i < 200; i++) put(`u${String(i)}`);
        const sort = { column, descending };
        const sorted = new SortedUsers(all, filter, sort);
        for (let round = 0; round < 20; round++) {
          const changed = new Set<string>();
          // A few move one by one; many, by a merge.
          for (let k = 0; k < (round % 2 === 0 ? 15 : 120); k++) {
            const id = `u${String(Math.floor(random() * 260))}`;
            changed.add(id);
            if (random() < 0.15) {
              profiles.delete(id);
              activity.delete(id);
            } else put(id);
          }
          sorted.update(all, changed);
          const fresh = new SortedUsers(all, filter, sort);
          expect(sorted.size).toBe(fresh.size);
          expect(sorted.slice(0, sorted.size)).toEqual(fresh.slice(0, fresh.size));
        }
      }
    }
  });

  it('slices a window of ids from an offset', () => {
    const { profiles, all } = models();
    for (const id of ['c', 'a', 'b', 'd'])
      profiles.set(id, {
        userId: id,
        email: `${id}@x.io`,
        name: id,
        status: 'active',
        createdAt: 't',
        updatedAt: 't',
      });
    const sorted = new SortedUsers(all, '', { column: 'userId', descending: true });
    expect(sorted.slice(1, 2)).toEqual(['c', 'b']);
    expect(sorted.slice(3, 10)).toEqual(['a']);
  });
});
