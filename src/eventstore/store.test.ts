import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { claimChangesOf } from '../domain';
import { StorageWriteError } from './errors';
import { openDatabase, openEventStore } from './store';
import { refuseWrites } from './testFaults';
import type { AppendRequest, EventStore } from './types';

let dbCount = 0;
const freshName = () => `store-test-${++dbCount}`;
const open = (name = freshName()) => openEventStore({ name, claimRule: claimChangesOf });

let ids = 0;
function request(
  commandId: string,
  streams: {
    streamId: string;
    expectedVersion: AppendRequest['streams'][number]['expectedVersion'];
    types: string[];
  }[],
): AppendRequest {
  return {
    commandId,
    recordedAt: '2026-01-01T00:00:00.000Z',
    streams: streams.map((s) => ({
      streamId: s.streamId,
      expectedVersion: s.expectedVersion,
      events: s.types.map((type) => ({
        eventId: `e${++ids}`,
        type,
        schemaVersion: 1,
        data: { n: ids },
      })),
    })),
  };
}

const created = (commandId: string, userId: string, email: string): AppendRequest => ({
  commandId,
  recordedAt: '2026-01-01T00:00:00.000Z',
  streams: [
    {
      streamId: `user-${userId}`,
      expectedVersion: 'no-stream',
      events: [
        {
          eventId: `e${++ids}`,
          type: 'UserCreated',
          schemaVersion: 1,
          data: { userId, email, name: 'N' },
        },
      ],
    },
  ],
});

async function positions(store: EventStore): Promise<number[]> {
  return (await store.readFrom(1, 1000)).map((e) => e.position);
}

describe('event store', () => {
  it('gives each event a gapless position, a stream version and full metadata', async () => {
    const store = await open();
    const outcome = await store.append(
      request('c1', [{ streamId: 's1', expectedVersion: 'no-stream', types: ['A', 'B'] }]),
    );
    expect(outcome.kind).toBe('appended');
    const [first, second] = await store.readFrom(1, 10);
    expect(first).toMatchObject({
      position: 1,
      streamId: 's1',
      version: 1,
      type: 'A',
      schemaVersion: 1,
    });
    expect(second).toMatchObject({ position: 2, version: 2, type: 'B' });
    expect(first?.metadata).toEqual({
      eventId: expect.any(String),
      commandId: 'c1',
      causationId: 'c1',
      correlationId: 'c1',
      recordedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(await store.head()).toBe(2);
  });

  it('keeps positions gapless and versions unique under concurrent appends', async () => {
    const store = await open();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.append(
          request(`c${i}`, [{ streamId: `s${i % 4}`, expectedVersion: 'any', types: ['A', 'B'] }]),
        ),
      ),
    );
    expect(await positions(store)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    for (let s = 0; s < 4; s++) {
      expect((await store.readStream(`s${s}`)).map((e) => e.version)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    }
  });

  it('lets exactly one of two racing writers with the same expected version win', async () => {
    const store = await open();
    await store.append(
      request('c0', [{ streamId: 's', expectedVersion: 'no-stream', types: ['A'] }]),
    );
    const results = await Promise.all([
      store.append(request('c1', [{ streamId: 's', expectedVersion: 1, types: ['B'] }])),
      store.append(request('c2', [{ streamId: 's', expectedVersion: 1, types: ['C'] }])),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(['appended', 'version-conflict']);
    expect(await store.head()).toBe(2);
  });

  it('reports a typed conflict naming the stream, the expected and the actual version', async () => {
    const store = await open();
    await store.append(
      request('c1', [{ streamId: 's', expectedVersion: 'no-stream', types: ['A', 'B'] }]),
    );
    expect(
      await store.append(request('c2', [{ streamId: 's', expectedVersion: 1, types: ['C'] }])),
    ).toEqual({
      kind: 'version-conflict',
      requestIndex: 0,
      streamId: 's',
      expected: 1,
      actual: 2,
    });
    expect(
      await store.append(
        request('c3', [{ streamId: 's', expectedVersion: 'no-stream', types: ['C'] }]),
      ),
    ).toMatchObject({
      kind: 'version-conflict',
      expected: 'no-stream',
      actual: 2,
    });
    expect(await store.head()).toBe(2);
  });

  it('writes a multi-stream append all or nothing', async () => {
    const store = await open();
    await store.append(
      request('c1', [{ streamId: 'b', expectedVersion: 'no-stream', types: ['A'] }]),
    );
    const outcome = await store.append(
      request('c2', [
        { streamId: 'a', expectedVersion: 'no-stream', types: ['X'] },
        { streamId: 'b', expectedVersion: 'no-stream', types: ['Y'] },
      ]),
    );
    expect(outcome).toMatchObject({ kind: 'version-conflict', streamId: 'b' });
    expect(await store.readStream('a')).toEqual([]);
    expect(await positions(store)).toEqual([1]);
    const ok = await store.append(
      request('c3', [
        { streamId: 'a', expectedVersion: 'no-stream', types: ['X'] },
        { streamId: 'b', expectedVersion: 1, types: ['Y'] },
      ]),
    );
    expect(ok.kind).toBe('appended');
    expect(await positions(store)).toEqual([1, 2, 3]);
  });

  it('writes a batch of requests all or nothing', async () => {
    const store = await open();
    const outcome = await store.appendBatch([
      request('c1', [{ streamId: 'a', expectedVersion: 'no-stream', types: ['X'] }]),
      request('c2', [{ streamId: 'a', expectedVersion: 1, types: ['Y'] }]),
      request('c3', [{ streamId: 'a', expectedVersion: 1, types: ['Z'] }]),
    ]);
    expect(outcome).toMatchObject({ kind: 'version-conflict', requestIndex: 2, actual: 2 });
    expect(await store.head()).toBe(0);
    expect(await store.recordedCommands(['c1'])).toEqual(new Map());
  });

  it('writes nothing of an append holding a value the browser cannot store', async () => {
    const store = await open();
    await store.append(
      request('before', [{ streamId: 's', expectedVersion: 'any', types: ['A'] }]),
    );
    const bad = request('bad', [{ streamId: 's', expectedVersion: 1, types: ['B', 'C'] }]);
    const [stream] = bad.streams;
    const [first, second] = stream?.events ?? [];
    if (stream === undefined || first === undefined || second === undefined)
      throw new Error('two events');
    // The first event stores; the second holds a function, which structured clone refuses.
    const unstorable: AppendRequest = {
      ...bad,
      streams: [{ ...stream, events: [first, { ...second, data: { run: () => undefined } }] }],
    };
    await expect(store.append(unstorable)).rejects.toThrow();
    expect(await store.head()).toBe(1);
    expect(await positions(store)).toEqual([1]);
    expect(await store.readCommands(1, 5)).toMatchObject([{ commandId: 'before' }]);
    await store.append(request('after', [{ streamId: 's', expectedVersion: 1, types: ['D'] }]));
    expect((await store.readStream('s')).map((e) => e.type)).toEqual(['A', 'D']);
    expect(await positions(store)).toEqual([1, 2]);
  });

  it('keeps a refused command for the timeline, or says in plain words why it could not', async () => {
    const store = await open();
    const refusal = {
      commandId: 'r',
      commandType: 'CreateUser',
      data: {},
      code: 'InvalidEmail',
      message: 'Email is not valid',
      recordedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(await store.recordRejections([refusal])).toBe(0);
    const refuse = refuseWrites('add', { refused: (s) => s.name === 'rejections' });
    try {
      const failed = store.recordRejections([{ ...refusal, commandId: 'r2' }]);
      await expect(failed).rejects.toBeInstanceOf(StorageWriteError);
    } finally {
      refuse.mockRestore();
    }
    expect((await store.readRejections(10)).map((r) => r.commandId)).toEqual(['r']);
  });

  it('returns the original result for a repeated command id and writes nothing', async () => {
    const store = await open();
    const first = await store.append(
      request('c1', [{ streamId: 's', expectedVersion: 'no-stream', types: ['A'] }]),
    );
    const again = await store.append(
      request('c1', [{ streamId: 's', expectedVersion: 'no-stream', types: ['A'] }]),
    );
    expect(again.kind).toBe('appended');
    if (first.kind !== 'appended' || again.kind !== 'appended') return;
    expect(again.results[0]?.duplicate).toBe(true);
    expect(again.results[0]?.events).toEqual(first.results[0]?.events);
    expect(await store.head()).toBe(1);
    expect((await store.recordedCommands(['c1', 'nope'])).get('c1')).toEqual(
      first.results[0]?.events,
    );
  });

  it('holds each email for one user at a time, case-insensitively, in the append transaction', async () => {
    const store = await open();
    expect((await store.append(created('c1', 'a', 'John@example.com'))).kind).toBe('appended');
    expect(await store.append(created('c2', 'b', 'john@EXAMPLE.com'))).toEqual({
      kind: 'claim-conflict',
      requestIndex: 0,
      key: 'email:john@example.com',
      owner: 'user-a',
    });
    expect(await store.head()).toBe(1);
  });

  it('releases an email when it changes or its user is deactivated', async () => {
    const store = await open();
    await store.append(created('c1', 'a', 'a@x.io'));
    await store.append(created('c2', 'b', 'b@x.io'));
    const moved = await store.append({
      commandId: 'c3',
      recordedAt: '2026-01-01T00:00:00.000Z',
      streams: [
        {
          streamId: 'user-a',
          expectedVersion: 1,
          events: [
            {
              eventId: 'm',
              type: 'UserEmailUpdated',
              schemaVersion: 1,
              data: { userId: 'a', oldEmail: 'a@x.io', newEmail: 'a2@x.io' },
            },
          ],
        },
      ],
    });
    expect(moved.kind).toBe('appended');
    expect((await store.append(created('c4', 'c', 'a@x.io'))).kind).toBe('appended');
    await store.append({
      commandId: 'c5',
      recordedAt: '2026-01-01T00:00:00.000Z',
      streams: [
        {
          streamId: 'user-b',
          expectedVersion: 1,
          events: [
            {
              eventId: 'd',
              type: 'UserDeactivated',
              schemaVersion: 1,
              data: { userId: 'b', email: 'b@x.io' },
            },
          ],
        },
      ],
    });
    expect((await store.append(created('c6', 'd', 'B@x.io'))).kind).toBe('appended');
    expect((await store.append(created('c7', 'e', 'a2@x.io'))).kind).toBe('claim-conflict');
  });

  it('reads from a position with a limit, and a stream in version order', async () => {
    const store = await open();
    for (let i = 0; i < 10; i++) {
      await store.append(
        request(`c${i}`, [
          { streamId: i % 2 === 0 ? 'even' : 'odd', expectedVersion: 'any', types: ['A'] },
        ]),
      );
    }
    expect((await store.readFrom(4, 3)).map((e) => e.position)).toEqual([4, 5, 6]);
    expect((await store.readFrom(11, 3)).length).toBe(0);
    expect((await store.readStream('odd')).map((e) => e.position)).toEqual([2, 4, 6, 8, 10]);
  });
});

describe('upgrade ladder', () => {
  it('opens a version 1 database and derives heads, command ids and claims from its log', async () => {
    const name = freshName();
    const v1 = await openDatabase({ name, claimRule: claimChangesOf, version: 1 });
    const meta = (commandId: string) => ({
      eventId: commandId,
      commandId,
      causationId: commandId,
      correlationId: commandId,
      recordedAt: '2025-01-01T00:00:00.000Z',
    });
    await v1.add('events', {
      position: 1,
      streamId: 'user-a',
      version: 1,
      type: 'UserCreated',
      schemaVersion: 1,
      data: { userId: 'a', email: 'a@x.io', name: 'A' },
      metadata: meta('old1'),
    });
    await v1.add('events', {
      position: 2,
      streamId: 'user-a',
      version: 2,
      type: 'UserLoggedIn',
      schemaVersion: 1,
      data: { userId: 'a', at: '2025-01-01T00:00:00.000Z' },
      metadata: meta('old2'),
    });
    v1.close();
    const raw = await openDB(name);
    expect(raw.version).toBe(1);
    raw.close();

    const store = await open(name);
    expect(await store.head()).toBe(2);
    expect((await store.readStream('user-a')).length).toBe(2);
    expect((await store.append(created('new', 'b', 'A@x.io'))).kind).toBe('claim-conflict');
    const dup = await store.append(
      request('old2', [{ streamId: 'user-a', expectedVersion: 2, types: ['X'] }]),
    );
    expect(dup).toMatchObject({ kind: 'appended', results: [{ duplicate: true }] });
    const next = await store.append(
      request('c', [{ streamId: 'user-a', expectedVersion: 2, types: ['X'] }]),
    );
    expect(next).toMatchObject({
      kind: 'appended',
      results: [{ events: [{ position: 3, version: 3 }] }],
    });
  });

  it('checks what another store on the same database appended, as two tabs would', async () => {
    const name = freshName();
    const [a, b] = [await open(name), await open(name)];
    expect(
      await b.append(
        request('b1', [{ streamId: 's', expectedVersion: 'no-stream', types: ['A'] }]),
      ),
    ).toMatchObject({ kind: 'appended' });
    await a.append(request('a1', [{ streamId: 's', expectedVersion: 1, types: ['B', 'C'] }]));
    await a.append(created('a2', 'u1', 'Shared@Example.com'));
    // b has not seen a's writes; its append transaction folds them in before it checks.
    expect(
      await b.append(request('b2', [{ streamId: 's', expectedVersion: 1, types: ['D'] }])),
    ).toMatchObject({ kind: 'version-conflict', actual: 3 });
    expect(await b.append(created('b3', 'u2', 'shared@example.com'))).toMatchObject({
      kind: 'claim-conflict',
      owner: 'user-u1',
    });
    const again = await b.append(
      request('a1', [{ streamId: 's', expectedVersion: 3, types: ['B'] }]),
    );
    expect(again).toMatchObject({ kind: 'appended', results: [{ duplicate: true }] });
    expect(
      await b.append(request('b4', [{ streamId: 's', expectedVersion: 3, types: ['E'] }])),
    ).toMatchObject({ kind: 'appended', results: [{ events: [{ position: 5, version: 4 }] }] });
    expect((await a.readStream('s')).map((e) => e.type)).toEqual(['A', 'B', 'C', 'E']);
    expect(await a.commandAt(3)).toMatchObject({ commandId: 'a1', first: 2, last: 3 });
    expect(await positions(a)).toEqual([1, 2, 3, 4, 5]);
  });

  it('prepares what appends check ahead of them, while they and another tab write', async () => {
    const name = freshName();
    const writer = await open(name);
    // 10,000 events: the preparation takes several steps.
    await writer.appendBatch(
      Array.from({ length: 10_000 }, (_, i) =>
        request(`w-${i}`, [{ streamId: `s${i % 50}`, expectedVersion: 'any', types: ['T'] }]),
      ),
    );
    await writer.append(created('w-user', 'u1', 'taken@example.com'));
    const store = await open(name);
    const preparing = store.prepareWrites();
    // Another tab writes while this one prepares; this one's own append waits for it.
    const [theirs, ours] = await Promise.all([
      writer.append(request('w-late', [{ streamId: 's1', expectedVersion: 200, types: ['T'] }])),
      store.append(request('ours', [{ streamId: 's1', expectedVersion: 201, types: ['T'] }])),
      preparing,
    ]);
    expect(theirs).toMatchObject({
      kind: 'appended',
      results: [{ events: [{ position: 10_002 }] }],
    });
    expect(ours).toMatchObject({ kind: 'appended', results: [{ events: [{ position: 10_003 }] }] });
    expect(await store.append(created('again', 'u2', 'Taken@example.com'))).toMatchObject({
      kind: 'claim-conflict',
      owner: 'user-u1',
    });
    expect(
      await store.append(
        request('w-3', [{ streamId: 's3', expectedVersion: 'any', types: ['T'] }]),
      ),
    ).toMatchObject({ kind: 'appended', results: [{ duplicate: true }] });
    await store.prepareWrites();
    expect((await store.readFrom(10_001, 10)).map((e) => e.metadata.commandId)).toEqual([
      'w-user',
      'w-late',
      'ours',
    ]);
  });

  it('finds each of many recorded commands again by id', async () => {
    const store = await open();
    const batch = Array.from({ length: 5000 }, (_, i) =>
      request(`many-${i}`, [{ streamId: `m${i % 7}`, expectedVersion: 'any', types: ['T'] }]),
    );
    await store.appendBatch(batch);
    const found = await store.recordedCommands(['many-0', 'many-4321', 'many-4999', 'never']);
    expect([...found.keys()]).toEqual(['many-0', 'many-4321', 'many-4999']);
    expect(found.get('many-4321')?.map((e) => e.position)).toEqual([4322]);
  });

  it('reads the commands of any range of positions, across the records of several appends', async () => {
    const store = await open();
    await store.appendBatch(
      Array.from({ length: 3000 }, (_, i) =>
        request(`run-${i + 1}`, [{ streamId: `r${i % 5}`, expectedVersion: 'any', types: ['T'] }]),
      ),
    );
    await store.append(
      request('pair', [{ streamId: 'p', expectedVersion: 'any', types: ['A', 'B'] }]),
    );
    const ids = async (from: number, to: number) =>
      (await store.readCommands(from, to)).map((c) => c.commandId);
    expect(await ids(1000, 1003)).toEqual(['run-1000', 'run-1001', 'run-1002', 'run-1003']);
    expect(await ids(1024, 1025)).toEqual(['run-1024', 'run-1025']);
    expect(await ids(3000, 3002)).toEqual(['run-3000', 'pair']);
    expect(await ids(3002, 3002)).toEqual(['pair']);
    expect(await store.readCommands(3001, 3001)).toMatchObject([{ first: 3001, last: 3002 }]);
  });
});
