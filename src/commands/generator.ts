import type { UserCommand } from '../domain';

/** mulberry32: a tiny seeded PRNG, so the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAIN_WORDS = [
  'acme',
  'globex',
  'initech',
  'umbrella',
  'hooli',
  'stark',
  'wayne',
  'wonka',
  'tyrell',
  'cyberdyne',
  'soylent',
  'oscorp',
  'vandelay',
  'pied-piper',
  'dunder',
  'prestige',
  'monarch',
  'gringotts',
  'nakatomi',
  'aperture',
  'black-mesa',
  'massive',
  'weyland',
  'zorg',
  'duff',
  'krusty',
  'planet',
  'ollivander',
  'buynlarge',
  'virtucon',
  'sterling',
  'bluth',
  'gekko',
  'lunar',
  'cogswell',
  'spacely',
  'sirius',
  'tessier',
  'abstergo',
  'rekall',
];
/** 50 email domains: 40 words, the first 10 also under a second top-level domain. */
const EMAIL_DOMAINS: readonly string[] = [
  ...DOMAIN_WORDS.map((w) => `${w}.com`),
  ...DOMAIN_WORDS.slice(0, 10).map((w) => `${w}.org`),
];

const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Barbara',
  'Edsger',
  'Margaret',
  'Ken',
  'Frances',
  'Dennis',
];
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Liskov',
  'Dijkstra',
  'Hamilton',
  'Thompson',
  'Allen',
  'Ritchie',
];

interface GeneratedUser {
  readonly userId: string;
  /** The email's local part at creation; changes add a counter to it, never grow it. */
  readonly local: string;
  email: string;
  name: string;
  orders: number;
  emailChanges: number;
  /** Where the user stands in the list of active users, while active. */
  activeAt: number;
}

/**
 * A repeatable mix of valid commands: users over 50 email domains, logins, orders, email
 * changes, renames and a few deactivations. It keeps its own model of the users it made, so
 * every command it issues is one the decider accepts; ids carry `runTag` so two runs over
 * the same log never collide.
 */
export function createCommandGenerator(seed: number, runTag: string): () => UserCommand {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const users: GeneratedUser[] = [];
  const active: GeneratedUser[] = [];
  const fullName = () => `${pick(FIRST)} ${pick(LAST)}`;

  const create = (): UserCommand => {
    const n = users.length + 1;
    const local = `user${n}.${runTag}`;
    const user: GeneratedUser = {
      userId: `${runTag}-u${n}`,
      local,
      email: `${local}@${pick(EMAIL_DOMAINS)}`,
      name: fullName(),
      orders: 0,
      emailChanges: 0,
      activeAt: active.length,
    };
    users.push(user);
    active.push(user);
    return {
      type: 'CreateUser',
      data: { userId: user.userId, email: user.email, name: user.name },
    };
  };

  return () => {
    const roll = random();
    if (active.length < 5 || roll < 0.12) return create();
    const user = pick(active);
    const { userId } = user;
    if (roll < 0.55) return { type: 'RecordLogin', data: { userId } };
    if (roll < 0.85) {
      user.orders += 1;
      const amount = Math.round(random() * 50000 + 100) / 100;
      return { type: 'PlaceOrder', data: { userId, orderId: `o${user.orders}`, amount } };
    }
    if (roll < 0.92) {
      user.emailChanges += 1;
      user.email = `${user.local}.${user.emailChanges}@${pick(EMAIL_DOMAINS)}`;
      return { type: 'UpdateUserEmail', data: { userId, newEmail: user.email } };
    }
    if (roll < 0.99) {
      let name = fullName();
      while (name === user.name) name = fullName();
      user.name = name;
      return { type: 'RenameUser', data: { userId, name } };
    }
    // The last active user takes the place of this one: a search and a splice here made a
    // million-event run quadratic (about 0.6 s of it went to finding users to remove).
    const last = active.pop();
    if (last !== undefined && last !== user) {
      active[user.activeAt] = last;
      last.activeAt = user.activeAt;
    }
    return { type: 'DeactivateUser', data: { userId } };
  };
}
