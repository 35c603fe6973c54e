import { normaliseDomain } from '../domain';
import type { DomainMember, UserActivity, UserProfile } from '../projections';
import type { UserColumn, UserRow, UserSort } from './protocol';

export interface UserModels {
  readonly profiles: ReadonlyMap<string, UserProfile>;
  readonly activity: ReadonlyMap<string, UserActivity>;
  readonly byDomain: ReadonlyMap<string, DomainMember>;
}

/** A profile joined with its activity, as the Users table shows it. */
export function joinUser(profile: UserProfile, activity: UserActivity | undefined): UserRow {
  return {
    ...profile,
    loginCount: activity?.loginCount ?? 0,
    lastLogin: activity?.lastLogin ?? null,
    ordersCount: activity?.ordersCount ?? 0,
    orderTotalCents: activity?.orderTotalCents ?? 0,
  };
}

type SortValue = string | number;

function sortValue(column: UserColumn, p: UserProfile, a: UserActivity | undefined): SortValue {
  switch (column) {
    case 'loginCount':
      return a?.loginCount ?? 0;
    case 'ordersCount':
      return a?.ordersCount ?? 0;
    case 'lastLogin':
      return a?.lastLogin ?? '';
    case 'userId':
    case 'email':
    case 'name':
    case 'status':
    case 'createdAt':
    case 'updatedAt':
      return p[column];
  }
}

/**
 * The user ids matching `filter` (a case-insensitive part of the id, email or name), in
 * the order of `sort`, ties broken by user id. Values are read once per row before the
 * sort, which keeps sorting 100,000 users to tens of milliseconds.
 */
export function sortedUserIds(models: UserModels, filter: string, sort: UserSort): string[] {
  const needle = filter.trim().toLowerCase();
  const entries: { id: string; value: SortValue }[] = [];
  for (const [id, p] of models.profiles) {
    if (needle !== '' && !matches(p, needle)) continue;
    entries.push({ id, value: sortValue(sort.column, p, models.activity.get(id)) });
  }
  const direction = sort.descending ? -1 : 1;
  entries.sort((x, y) => {
    if (x.value !== y.value) return (x.value < y.value ? -1 : 1) * direction;
    return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
  });
  return entries.map((e) => e.id);
}

function matches(p: UserProfile, needle: string): boolean {
  return (
    p.userId.toLowerCase().includes(needle) ||
    p.email.toLowerCase().includes(needle) ||
    p.name.toLowerCase().includes(needle)
  );
}

export function membersOfDomain(models: UserModels, domain: string): DomainMember[] {
  const wanted = normaliseDomain(domain);
  if (wanted === '') return [];
  const members: DomainMember[] = [];
  for (const m of models.byDomain.values()) if (m.domain === wanted) members.push(m);
  return members.sort((x, y) => (x.userId < y.userId ? -1 : x.userId > y.userId ? 1 : 0));
}
