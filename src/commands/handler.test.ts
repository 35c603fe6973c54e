import { describe, expect, it } from 'vitest';
import { claimChangesOf, type UserCommand } from '../domain';
import { openEventStore, type EventStore } from '../eventstore';
import { generateEvents } from './generate';
import { createCommandHandler, type CommandHandler, type CommandOutcome } from './handler';
import { runSeedScenario } from './seed';

let dbCount = 0;
let idCount = 0;
const newId = () => `id-${++idCount}`;

async function setUp(wrap: (store: EventStore) => EventStore = (s) => s) {
  const store = await openEventStore({
    name: `handler-test-${++dbCount}`,
    claimRule: claimChangesOf,
  });
  const announced: number[] = [];
  const handler = createCommandHandler({
    store: wrap(store),
    clock: () => '2026-03-04T05:06:07.000Z',
    announce: (p) => announced.push(p),
  });
  const run = (command: UserCommand, commandId = newId()) =>
    handler.execute({ commandId, command });
  return { store, handler, run, announced };
}

const create = (userId: string, email: string, name = 'Name'): UserCommand => ({
  type: 'CreateUser',
  data: { userId, email, name },
});
const message = (o: CommandOutcome) => (o.kind === 'rejected' ? o.message : undefined);

describe('command handler', () => {
  it('runs the guide scenario, including the email update the guide itself gets wrong', async () => {
    const { handler, store, announced } = await setUp();
    const outcomes = await runSeedScenario(handler, newId);
    expect(outcomes.map((o) => o.kind)).toEqual(['recorded', 'recorded', 'recorded']);
    const log = await store.readFrom(1, 10);
    expect(log.map((e) => [e.position, e.type, e.streamId])).toEqual([
      [1, 'UserCreated', 'user-user123'],
      [2, 'UserCreated', 'user-user456'],
      [3, 'UserEmailUpdated', 'user-user123'],
    ]);
    expect(log[2]?.data).toEqual({
      userId: 'user123',
      oldEmail: 'john@example.com',
      newEmail: 'john.doe@company.com',
    });
    expect(new Set(log.map((e) => e.metadata.correlationId)).size).toBe(1);
    expect(await store.commandAt(3)).toEqual({
      commandId: log[2]?.metadata.commandId,
      first: 3,
      last: 3,
      type: 'UpdateUserEmail',
      data: { userId: 'user123', newEmail: 'john.doe@company.com' },
    });
    expect(announced).toEqual([1, 2, 3]);

    const again = await runSeedScenario(handler, newId);
    expect(again.map(message)).toEqual(['User user123 already exists']);
    expect(await store.head()).toBe(3);
  });

  it('keeps an email for one user, across users, and frees it when it changes', async () => {
    const { run, store } = await setUp();
    await run(create('a', 'john@example.com'));
    expect(message(await run(create('b', 'John@Example.com')))).toBe(
      'Email john@example.com is already in use',
    );
    await run({ type: 'UpdateUserEmail', data: { userId: 'a', newEmail: 'other@example.com' } });
    expect((await run(create('b', 'John@Example.com'))).kind).toBe('recorded');
    expect(
      message(
        await run({ type: 'UpdateUserEmail', data: { userId: 'a', newEmail: 'JOHN@example.com' } }),
      ),
    ).toBe('Email john@example.com is already in use');
    expect(await store.head()).toBe(3);
  });

  it('frees the email of a deactivated user', async () => {
    const { run } = await setUp();
    await run(create('a', 'a@x.io'));
    await run({ type: 'DeactivateUser', data: { userId: 'a' } });
    expect((await run(create('b', 'a@x.io'))).kind).toBe('recorded');
  });

  it('returns the original events for a repeated command id and records nothing new', async () => {
    const { run, store } = await setUp();
    const first = await run(create('a', 'a@x.io'), 'cmd-1');
    const again = await run(create('a', 'a@x.io'), 'cmd-1');
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await store.head()).toBe(1);
  });

  it('records nothing for a rejected command, and keeps the refusal with its reason', async () => {
    const { run, store, announced } = await setUp();
    expect(message(await run(create('a', 'bad')))).toBe('Email is not valid');
    expect(await store.readRejections(10)).toEqual([
      expect.objectContaining({
        commandType: 'CreateUser',
        code: 'InvalidEmail',
        message: 'Email is not valid',
        afterPosition: 0,
      }),
    ]);
    expect(message(await run({ type: 'RecordLogin', data: { userId: 'ghost' } }))).toBe(
      'User ghost does not exist',
    );
    expect(await store.head()).toBe(0);
    expect(announced).toEqual([]);
  });

  it('decides again once when another writer got to the stream first', async () => {
    let interfere: (() => Promise<unknown>) | undefined;
    const { run, store } = await setUp((s) => ({
      ...s,
      appendBatch: async (requests) => {
        const before = interfere;
        interfere = undefined;
        await before?.();
        return s.appendBatch(requests);
      },
    }));
    await run(create('a', 'a@x.io'));
    interfere = () =>
      store.append({
        commandId: 'other-tab',
        recordedAt: 'x',
        streams: [
          {
            streamId: 'user-a',
            expectedVersion: 1,
            events: [
              {
                eventId: 'z',
                type: 'OrderPlaced',
                schemaVersion: 1,
                data: { userId: 'a', orderId: 'o1', amount: 5 },
              },
            ],
          },
        ],
      });
    const outcome = await run({
      type: 'PlaceOrder',
      data: { userId: 'a', orderId: 'o1', amount: 5 },
    });
    expect(message(outcome)).toBe('Order o1 was already placed by user a');
    interfere = () => run({ type: 'RecordLogin', data: { userId: 'a' } });
    const renamed = await run({ type: 'RenameUser', data: { userId: 'a', name: 'B' } });
    expect(renamed).toMatchObject({ kind: 'recorded', events: [{ position: 4, version: 4 }] });
  });

  it('checks a refusal made on a remembered aggregate against the stored stream', async () => {
    const { run, store } = await setUp();
    const otherTab = createCommandHandler({
      store,
      clock: () => 'x',
      announce: () => undefined,
    });
    expect(message(await run({ type: 'RecordLogin', data: { userId: 'late' } }))).toBe(
      'User late does not exist',
    );
    await otherTab.execute({ commandId: newId(), command: create('late', 'late@x.io') });
    expect((await run({ type: 'RecordLogin', data: { userId: 'late' } })).kind).toBe('recorded');
    await otherTab.execute({
      commandId: newId(),
      command: { type: 'DeactivateUser', data: { userId: 'late' } },
    });
    expect(message(await run({ type: 'RecordLogin', data: { userId: 'late' } }))).toBe(
      'User late is deactivated',
    );
    expect(await store.head()).toBe(3);
  });

  it('reads no stream for a new user, and still refuses a user another tab created', async () => {
    const reads: string[][] = [];
    const { run, store } = await setUp((s) => ({
      ...s,
      readStreams: (ids) => {
        reads.push([...ids]);
        return s.readStreams(ids);
      },
    }));
    expect((await run(create('fresh', 'fresh@x.io'))).kind).toBe('recorded');
    expect((await run({ type: 'RecordLogin', data: { userId: 'fresh' } })).kind).toBe('recorded');
    expect(reads).toEqual([]);
    const otherTab = createCommandHandler({ store, clock: () => 'x', announce: () => undefined });
    await otherTab.execute({ commandId: newId(), command: create('taken', 'taken@x.io') });
    // Decided as new, refused by the stored version, decided again on the stored stream.
    expect(message(await run(create('taken', 'other@x.io')))).toBe('User taken already exists');
    expect(reads).toEqual([['user-taken']]);
    expect(await store.head()).toBe(3);
  });

  it('answers a resent batch with the original events and records the rest', async () => {
    const { handler, run, store } = await setUp();
    await run(create('x', 'x@x.io'));
    const login = { type: 'RecordLogin', data: { userId: 'x' } } as const;
    const first = await handler.execute({ commandId: 'login-1', command: login });
    const outcomes = await handler.executeBatch([
      { commandId: 'login-1', command: login },
      { commandId: 'login-2', command: login },
    ]);
    expect(outcomes).toEqual([
      { ...first, duplicate: true },
      expect.objectContaining({
        kind: 'recorded',
        duplicate: false,
        events: [expect.objectContaining({ position: 3, version: 3 })],
      }),
    ]);
    expect(await store.head()).toBe(3);
  });

  it('decides a batch in order, so later commands see earlier ones', async () => {
    const { handler, store } = await setUp();
    const outcomes = await handler.executeBatch([
      { commandId: 'b1', command: create('a', 'a@x.io') },
      {
        commandId: 'b2',
        command: { type: 'PlaceOrder', data: { userId: 'a', orderId: 'o1', amount: 1 } },
      },
      {
        commandId: 'b3',
        command: { type: 'PlaceOrder', data: { userId: 'a', orderId: 'o1', amount: 1 } },
      },
      { commandId: 'b4', command: create('b', 'A@x.io') },
      { commandId: 'b5', command: { type: 'RecordLogin', data: { userId: 'b' } } },
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual([
      'recorded',
      'recorded',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(outcomes.map(message).slice(2)).toEqual([
      'Order o1 was already placed by user a',
      'Email a@x.io is already in use',
      'User b does not exist',
    ]);
    expect(await store.head()).toBe(2);
  });
});

describe('generating events', () => {
  async function generate(
    handler: CommandHandler,
    count: number,
    signal?: AbortSignal,
    onProgress?: () => void,
  ) {
    return generateEvents(handler, {
      count,
      seed: 7,
      runTag: 'g0',
      batchSize: 100,
      newId,
      ...(signal ? { signal } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
  }

  it('records every generated command, repeatably for a seed', async () => {
    const first = await setUp();
    const result = await generate(first.handler, 1000);
    expect(result).toMatchObject({ done: 1000, recorded: 1000, rejected: 0, cancelled: false });
    const second = await setUp();
    await generate(second.handler, 1000);
    const shape = async (s: EventStore) =>
      (await s.readFrom(1, 2000)).map((e) => [e.type, e.streamId, e.data]);
    expect(await shape(second.store)).toEqual(await shape(first.store));
    const types = new Set((await first.store.readFrom(1, 2000)).map((e) => e.type));
    expect(types).toEqual(
      new Set([
        'UserCreated',
        'UserLoggedIn',
        'OrderPlaced',
        'UserEmailUpdated',
        'UserRenamed',
        'UserDeactivated',
      ]),
    );
  });

  it('stops between batches when cancelled, leaving only whole batches', async () => {
    const { handler, store } = await setUp();
    const controller = new AbortController();
    let batches = 0;
    const result = await generate(handler, 1000, controller.signal, () => {
      if (++batches === 3) controller.abort();
    });
    expect(result).toMatchObject({ done: 300, cancelled: true });
    expect(await store.head()).toBe(300);
  });

  it('gives a refusal its reason even when the timeline cannot keep it', async () => {
    const { run, store } = await setUp((s) => ({
      ...s,
      recordRejections: () => Promise.reject(new Error('The disk is full')),
    }));
    await run(create('ann', 'ann@x.io'));
    expect(message(await run(create('ann', 'other@x.io')))).toBe(
      'User ann already exists. The timeline could not keep this refusal: The disk is full',
    );
    expect(await store.head()).toBe(1);
  });
});
