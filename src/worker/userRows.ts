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

interface Entry {
  readonly id: string;
  readonly value: SortValue;
}

/** Up to this many moves, a change is made in place: each costs a shift of the array. */
const MOVED_IN_PLACE = 64;

/**
 * The users matching `filter` (a case-insensitive part of the id, email or name), in the
 * order of `sort`, ties broken by user id, and kept in that order as users change.
 *
 * Sorting 120,000 users took about 19 ms, and a live Users table was sorted again after
 * every batch: 5.8 s of the projection worker's time while a million events were
 * generated, on a machine with two cores. `update` moves only the users that changed.
 */
export class SortedUsers {
  private entries: Entry[];
  /** Each listed user's entry, which holds the value it is sorted by now. */
  private readonly listed = new Map<string, Entry>();
  private readonly needle: string;
  private readonly direction: number;

  constructor(
    models: UserModels,
    filter: string,
    private readonly sort: UserSort,
  ) {
    this.needle = filter.trim().toLowerCase();
    this.direction = sort.descending ? -1 : 1;
    this.entries = this.entriesOf(models, models.profiles.keys()).sort(this.compare);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The ids of the users from `offset` in this order, at most `limit` of them. */
  slice(offset: number, limit: number): string[] {
    return this.entries.slice(offset, offset + limit).map((e) => e.id);
  }

  /**
   * Puts the users in `changed` (new, changed or gone) where they now belong. A user whose
   * sort value is the same stays where it is; each other old and new place is found by
   * binary search; a few users are moved in place, and for many the others are copied
   * across in runs between those places.
   */
  update(models: UserModels, changed: ReadonlySet<string>): void {
    const gone: number[] = [];
    const fresh: Entry[] = [];
    for (const id of changed) {
      const entry = this.listed.get(id);
      const now = this.entryOf(models, id);
      // Most changes leave the sort value as it was: by user id, all but new users do.
      if (entry !== undefined && now !== undefined && now.value === entry.value) continue;
      if (entry !== undefined) {
        gone.push(this.firstNotBefore(entry));
        this.listed.delete(id);
      }
      if (now !== undefined) {
        fresh.push(now);
        this.listed.set(id, now);
      }
    }
    gone.sort((a, b) => a - b);
    fresh.sort(this.compare);
    if (gone.length + fresh.length <= MOVED_IN_PLACE) {
      for (let g = gone.length - 1; g >= 0; g--) this.entries.splice(gone[g] ?? 0, 1);
      for (const entry of fresh) this.entries.splice(this.firstNotBefore(entry), 0, entry);
      return;
    }
    const before = this.entries;
    const after = new Array<Entry>(before.length - gone.length + fresh.length);
    let from = 0;
    let to = 0;
    let g = 0;
    const copyUpTo = (end: number) => {
      while (from < end) after[to++] = before[from++] as Entry;
    };
    const dropUpTo = (end: number) => {
      for (let at = gone[g]; at !== undefined && at < end; at = gone[++g]) {
        copyUpTo(at);
        from += 1;
      }
    };
    for (const entry of fresh) {
      // A place in `before`, which still holds the old entries: they sort where they were.
      const place = this.firstNotBefore(entry);
      dropUpTo(place);
      copyUpTo(place);
      after[to++] = entry;
    }
    dropUpTo(before.length);
    copyUpTo(before.length);
    this.entries = after;
  }

  /** Where `entry` is, or would go: the first place whose entry does not sort before it. */
  private firstNotBefore(entry: Entry): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const there = this.entries[middle];
      if (there !== undefined && this.compare(there, entry) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The entries of the users among `ids` who exist and match the filter, now listed. */
  private entriesOf(models: UserModels, ids: Iterable<string>): Entry[] {
    const entries: Entry[] = [];
    for (const id of ids) {
      const entry = this.entryOf(models, id);
      if (entry === undefined) continue;
      entries.push(entry);
      this.listed.set(id, entry);
    }
    return entries;
  }

  /** The user's entry as the models stand, if the user exists and matches the filter. */
  private entryOf(models: UserModels, id: string): Entry | undefined {
    const p = models.profiles.get(id);
    if (p === undefined || (this.needle !== '' && !matches(p, this.needle))) return undefined;
    return { id, value: sortValue(this.sort.column, p, models.activity.get(id)) };
  }

  private readonly compare = (x: Entry, y: Entry): number => {
    if (x.value !== y.value) return (x.value < y.value ? -1 : 1) * this.direction;
    return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
  };
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
