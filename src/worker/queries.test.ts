import { describe, expect, it } from 'vitest';
import { runSeedScenario } from '../commands';
import { freshLog } from '../commands/testLog';
import type { UserCommand } from '../domain';
import { openReadSideStore, type EventStore, type ReadSideStore } from '../eventstore';
import { ProjectionEngine } from './engine';
import type { Query, UserRow, WindowPatch } from './protocol';
import { QueryHub } from './queries';
import { Timeline } from './timeline';

let n = 0;
let ids = 0;
const newId = () => `q-${++ids}`;

/** A hub over a fresh log; `before` writes to the log and read side before the engine starts. */
async function setUp(
  before?: (given: {
    events: EventStore;
    readSide: ReadSideStore;
    execute: (command: UserCommand) => Promise<unknown>;
  }) => Promise<void>,
) {
  n += 1;
  const { events, handler } = await freshLog('queries-events');
  const readSide = await openReadSideStore(`queries-read-${n}`);
  const execute = (command: UserCommand) => handler.execute({ commandId: newId(), command });
  await before?.({ events, readSide, execute });
  const engine = new ProjectionEngine({
    events,
    readSide,
    now: () => 0,
    clock: () => 'x',
    emit: () => undefined,
    yieldNow: () => Promise.resolve(),
  });
  const patches: WindowPatch[] = [];
  const timeline = new Timeline(events, () => Promise.resolve());
  const hub = new QueryHub(engine, events, timeline, (p) => patches.push(p));
  engine.onChanges((projections, streams) => {
    hub.changed(projections, streams);
  });
  await engine.start();
  const run = async (command: UserCommand) => {
    const outcome = await execute(command);
    await engine.notify(await events.head());
    return outcome;
  };
  return { engine, events, hub, patches, handler, run };
}

const users = (over: Partial<Extract<Query, { kind: 'users' }>> = {}): Query => ({
  kind: 'users',
  filter: '',
  sort: { column: 'userId', descending: false },
  offset: 0,
  limit: 10,
  ...over,
});

describe('window queries', () => {
  it('answers the guide\u2019s domain query', async () => {
    const { hub, patches, handler, engine } = await setUp();
    await runSeedScenario(handler, newId);
    await engine.notify(3);
    hub.subscribe('d1', 0, {
      kind: 'usersInDomain',
      domain: ' Company.COM ',
      offset: 0,
      limit: 10,
    });
    hub.subscribe('d2', 0, { kind: 'usersInDomain', domain: '@example.com', offset: 0, limit: 10 });
    await hub.flush();
    expect(patches.map((p) => [p.subId, p.total, p.keys])).toEqual([
      ['d1', 1, ['user123']],
      ['d2', 1, ['user456']],
    ]);
  });

  it('sorts, filters and slices users in the worker', async () => {
    const { hub, patches, run } = await setUp();
    for (const [id, name, logins] of [
      ['c', 'Cy', 2],
      ['a', 'Al', 0],
      ['b', 'Bo', 5],
    ] as const) {
      await run({ type: 'CreateUser', data: { userId: id, email: `${id}@x.io`, name } });
      for (let i = 0; i < logins; i++) await run({ type: 'RecordLogin', data: { userId: id } });
    }
    hub.subscribe('s', 0, users({ sort: { column: 'loginCount', descending: true } }));
    await hub.flush();
    expect(patches.at(-1)?.keys).toEqual(['b', 'c', 'a']);
    hub.subscribe('s', 1, users({ filter: 'B', sort: { column: 'name', descending: false } }));
    await hub.flush();
    expect(patches.at(-1)).toMatchObject({
      keys: ['b'],
      total: 1,
      deletes: ['c', 'a'],
      upserts: [],
    });
    hub.subscribe('s', 2, users({ offset: 1, limit: 1 }));
    await hub.flush();
    expect(patches.at(-1)).toMatchObject({ keys: ['b'], total: 3, offset: 1 });
  });

  it('keeps a live users window in order as the users in it change', async () => {
    const { hub, patches, run } = await setUp();
    for (const id of ['a', 'b', 'c'])
      await run({ type: 'CreateUser', data: { userId: id, email: `${id}@x.io`, name: id } });
    hub.subscribe('s', 0, users({ sort: { column: 'loginCount', descending: true } }));
    await hub.flush();
    expect(patches.at(-1)?.keys).toEqual(['a', 'b', 'c']);
    await run({ type: 'RecordLogin', data: { userId: 'c' } });
    await hub.flush();
    expect(patches.at(-1)?.keys).toEqual(['c', 'a', 'b']);
    await run({ type: 'RecordLogin', data: { userId: 'b' } });
    await run({ type: 'RecordLogin', data: { userId: 'b' } });
    await run({ type: 'CreateUser', data: { userId: 'd', email: 'd@x.io', name: 'd' } });
    await hub.flush();
    expect(patches.at(-1)).toMatchObject({ keys: ['b', 'c', 'a', 'd'], total: 4 });
  });

  it('puts a users window in the order of a rebuilt read model', async () => {
    const { engine, hub, patches, run } = await setUp(async ({ events, readSide, execute }) => {
      for (const id of ['a', 'b', 'c'])
        await execute({ type: 'CreateUser', data: { userId: id, email: `${id}@x.io`, name: id } });
      for (let i = 0; i < 3; i++) await execute({ type: 'RecordLogin', data: { userId: 'a' } });
      // A snapshot that diverged from the log: it says a never logged in.
      const row = (userId: string) => ({
        userId,
        loginCount: 0,
        lastLogin: null,
        ordersCount: 0,
        orderTotalCents: 0,
      });
      await readSide.save([
        {
          name: 'activitySummary',
          codeVersion: 1,
          position: await events.head(),
          logEpoch: 0,
          rows: ['a', 'b', 'c'].map((id) => [id, row(id)]),
          savedAt: 'x',
        },
      ]);
    });
    hub.subscribe('s', 0, users({ sort: { column: 'loginCount', descending: true } }));
    await hub.flush();
    expect(patches.at(-1)?.keys).toEqual(['a', 'b', 'c']);
    await engine.rebuild('activitySummary'); // a has 3 logins now
    await run({ type: 'RecordLogin', data: { userId: 'c' } });
    await hub.flush();
    expect(patches.at(-1)).toMatchObject({ subId: 's', keys: ['a', 'c', 'b'] });
  });

  it('sends only the rows that changed, and only to windows that depend on them', async () => {
    const { hub, patches, run } = await setUp();
    await run({ type: 'CreateUser', data: { userId: 'a', email: 'a@x.io', name: 'A' } });
    await run({ type: 'CreateUser', data: { userId: 'b', email: 'b@x.io', name: 'B' } });
    hub.subscribe('s', 0, users());
    hub.subscribe('d', 0, { kind: 'usersInDomain', domain: 'x.io', offset: 0, limit: 10 });
    await hub.flush();
    patches.length = 0;
    await run({ type: 'RecordLogin', data: { userId: 'b' } });
    await hub.flush();
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatchObject({ subId: 's', keys: ['a', 'b'], deletes: [] });
    expect(patches[0]?.upserts.map(([k, row]) => [k, (row as UserRow).loginCount])).toEqual([
      ['b', 1],
    ]);
  });

  it('answers a read model as of a position, its first rows in key order', async () => {
    const { hub, patches, run } = await setUp();
    for (const id of ['d', 'b', 'e', 'a', 'c']) {
      await run({ type: 'CreateUser', data: { userId: id, email: `${id}@x.io`, name: id } });
    }
    hub.subscribe('m', 0, {
      kind: 'timelineModel',
      projection: 'userProfiles',
      at: 4,
      filter: '',
      limit: 2,
    });
    hub.subscribe('n', 0, {
      kind: 'timelineModel',
      projection: 'userProfiles',
      at: 5,
      filter: 'c@',
      limit: 9,
    });
    await hub.flush();
    expect(patches.map((p) => [p.keys, p.total])).toEqual([
      [['a', 'b'], 4],
      [['c'], 1],
    ]);
  });

  it('adds the rows the event wrote after the first ones, where they are not among them', async () => {
    const { hub, patches, run } = await setUp();
    for (const id of ['d', 'b', 'e', 'a', 'c']) {
      await run({ type: 'CreateUser', data: { userId: id, email: `${id}@x.io`, name: id } });
    }
    const at = (subId: string, position: number, filter: string) => {
      hub.subscribe(subId, 0, {
        kind: 'timelineModel',
        projection: 'userProfiles',
        at: position,
        filter,
        limit: 2,
      });
    };
    at('e', 3, ''); // e was created at 3: after b and d
    at('filtered', 3, 'd@'); // e does not match the filter
    await hub.flush();
    expect(patches.map((p) => [p.subId, p.keys, p.total])).toEqual([
      ['e', ['b', 'd', 'e'], 3],
      ['filtered', ['d'], 1],
    ]);
  });

  it('drops a request older than the one it already has', async () => {
    const { hub, patches } = await setUp();
    hub.subscribe('s', 3, users({ filter: 'new' }));
    hub.subscribe('s', 2, users({ filter: 'old' }));
    await hub.flush();
    expect(patches.map((p) => p.version)).toEqual([3]);
  });

  it('shows one user with their own events', async () => {
    const { hub, patches, run } = await setUp();
    await run({ type: 'CreateUser', data: { userId: 'a', email: 'a@x.io', name: 'A' } });
    await run({ type: 'PlaceOrder', data: { userId: 'a', orderId: 'o', amount: 2.5 } });
    hub.subscribe('u', 0, { kind: 'user', userId: 'a' });
    hub.subscribe('ghost', 0, { kind: 'user', userId: 'ghost' });
    await hub.flush();
    const [detail] = patches[0]?.upserts ?? [];
    expect(detail?.[1]).toMatchObject({
      row: { userId: 'a', ordersCount: 1, orderTotalCents: 250 },
      events: [
        { position: 1, type: 'UserCreated' },
        { position: 2, type: 'OrderPlaced' },
      ],
    });
    expect(patches[1]?.upserts[0]?.[1]).toEqual({ row: null, events: [] });
  });

  it('answers a window once at a time, so its newest answer lands last', async () => {
    const { engine, events, run } = await setUp();
    await run({ type: 'CreateUser', data: { userId: 'a', email: 'a@x.io', name: 'A' } });
    // The first read of the user's stream waits until it is let go; later ones do not.
    let letGo: () => void = () => undefined;
    let hold = true;
    const slow = {
      ...events,
      readStream: async (streamId: string) => {
        const read = await events.readStream(streamId);
        if (hold) {
          hold = false;
          await new Promise<void>((resolve) => {
            letGo = resolve;
          });
        }
        return read;
      },
    };
    const patches: WindowPatch[] = [];
    const hub = new QueryHub(engine, slow, new Timeline(events, () => Promise.resolve()), (p) =>
      patches.push(p),
    );
    hub.subscribe('u', 0, { kind: 'user', userId: 'a' });
    const first = hub.flush();
    await run({ type: 'PlaceOrder', data: { userId: 'a', orderId: 'o', amount: 1 } });
    hub.changed(new Set(['activitySummary']), new Set(['user-a']));
    await hub.flush();
    expect(patches).toHaveLength(0);
    letGo();
    await first;
    expect(hub.hasPending()).toBe(true);
    await hub.flush();
    const shown = patches.at(-1)?.upserts[0]?.[1] as { events: unknown[] } | undefined;
    expect(shown?.events).toHaveLength(2);
  });
});
