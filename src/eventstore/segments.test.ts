import { describe, expect, it } from 'vitest';
import { claimChangesOf, type RecordedEvent } from '../domain';
import { decodeSegment } from './codec';
import { StorageWriteError } from './errors';
import { sealRun } from './seal';
import { SEGMENT_SIZE } from './segments';
import { openDatabase, openEventStore } from './store';
import { refuseWrites } from './testFaults';
import type { AppendRequest, EventStore } from './types';

let n = 0;
const freshName = () => `segments-test-${++n}`;
let ids = 0;

function request(commandId: string, events: { streamId: string; count: number }[]): AppendRequest {
  return {
    commandId,
    recordedAt: '2026-01-01T00:00:00.000Z',
    streams: events.map(({ streamId, count }) => ({
      streamId,
      expectedVersion: 'any',
      events: Array.from({ length: count }, () => ({
        eventId: `e${++ids}`,
        type: 'Tick',
        schemaVersion: 1,
        data: { n: ids },
      })),
    })),
  };
}

/** Appends `count` events one command at a time, spread over three streams. */
async function singles(store: EventStore, count: number, tag: string) {
  for (let i = 0; i < count; i++)
    await store.append(request(`${tag}${i}`, [{ streamId: `s${i % 3}`, count: 1 }]));
}

const positions = (events: readonly RecordedEvent[]) => events.map((e) => e.position);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function wholeLog(store: EventStore) {
  return store.readFrom(1, 1_000_000);
}

/** Each stream's number + 1 (how many streams began before it, + 1), folded from the whole
 * log: what segments should record. */
function streamNumbers(events: readonly RecordedEvent[]): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const e of events) if (!numbers.has(e.streamId)) numbers.set(e.streamId, numbers.size + 1);
  return numbers;
}

/** Per stored segment event: its position, stream, and the stream number it records. */
async function storedNumbers(name: string) {
  const db = await openDatabase({ name, claimRule: claimChangesOf });
  const rows: { position: number; streamId: string; number: number }[] = [];
  for (const segment of await db.getAll('segments')) {
    const events = decodeSegment(segment);
    events.forEach((e, i) => {
      rows.push({ position: e.position, streamId: e.streamId, number: segment.streams?.[i] ?? -1 });
    });
  }
  db.close();
  return rows;
}

describe('packed segments', () => {
  it("numbers each packed event's stream, or records 0 where the writer did not know", async () => {
    const name = freshName();
    const store = await openEventStore({ name, claimRule: claimChangesOf });
    await singles(store, 5, 'a'); // s0..s2 begin in single events
    await store.append(
      request('big', [
        { streamId: 's1', count: 1500 },
        { streamId: 's9', count: 10 },
      ]),
    );
    await singles(store, SEGMENT_SIZE, 'b');
    // Sealed by another store, as the read side's worker does, whose index knows nothing.
    const sealer = await openEventStore({ name, claimRule: claimChangesOf });
    expect(await sealer.seal()).toBe(5);
    expect(await sealer.seal()).toBe(SEGMENT_SIZE);
    const log = await wholeLog(store);
    const numbers = streamNumbers(log);
    const rows = await storedNumbers(name);
    expect(rows.map((r) => r.position)).toEqual(range(1, log.length));
    for (const { position, streamId, number } of rows) {
      // Written by an append: the writer's index knows every stream.
      if (position > 5 && position <= 1515)
        expect(number, `${position}`).toBe(numbers.get(streamId));
      // Sealed without an index: not known.
      else expect(number, `${position}`).toBe(0);
    }

    // Sealed by the writing store itself, a stream begun in the run among them: its index
    // knows every stream's number.
    await singles(store, 10, 'c');
    await store.append(request('new', [{ streamId: 's7', count: 1 }]));
    await singles(store, SEGMENT_SIZE, 'd');
    expect(await store.seal()).toBe(SEGMENT_SIZE);
    const after = streamNumbers(await wholeLog(store));
    const sealed = (await storedNumbers(name)).filter((r) => r.position > log.length);
    expect(sealed).toHaveLength(SEGMENT_SIZE);
    expect(sealed.map((r) => r.streamId)).toContain('s7');
    for (const { streamId, number } of sealed) expect(number).toBe(after.get(streamId));

    // A run hands each event the number stored beside it, and 0 with a single event.
    const stored = new Map((await storedNumbers(name)).map((r) => [r.position, r.number]));
    const run = await store.readRun(1, 1_000_000);
    const handed: [number, number][] = [];
    run.forEach((e, n) => handed.push([e.position, n]));
    expect(handed).toEqual(range(1, run.last).map((p) => [p, stored.get(p) ?? 0]));
    expect(handed.filter(([, n]) => n === 0).length).toBeGreaterThan(5);
  });

  it('does not number streams from an index of a log another store has since replaced', async () => {
    const name = freshName();
    const stale = await openEventStore({ name, claimRule: claimChangesOf });
    await singles(stale, 5, 'a'); // its index: s0, s1, s2 are the log's first streams
    const other = await openEventStore({ name, claimRule: claimChangesOf });
    const imported = await openEventStore({ name: freshName(), claimRule: claimChangesOf });
    await imported.append(request('x', [{ streamId: 'x0', count: 2 }]));
    const replacement = await other.replaceLog();
    await replacement.add(await wholeLog(imported), []);
    await replacement.commit();
    await singles(other, SEGMENT_SIZE, 'b');
    expect(await stale.seal()).toBe(SEGMENT_SIZE);
    const numbers = streamNumbers(await wholeLog(other));
    const rows = (await storedNumbers(name)).filter((r) => r.position > 2);
    expect(rows).toHaveLength(SEGMENT_SIZE);
    for (const { streamId, number } of rows) expect([0, numbers.get(streamId)]).toContain(number);
  });

  it('moves every staged record of an import into the log, however many there are', async () => {
    const source = await openEventStore({ name: freshName(), claimRule: claimChangesOf });
    for (let i = 0; i < 100; i++)
      await source.append(request(`c${i}`, [{ streamId: 's', count: 3 }]));
    const log = await wholeLog(source);
    const commands = await source.readCommands(1, log.length);
    const name = freshName();
    const target = await openEventStore({ name, claimRule: claimChangesOf });
    const replacement = await target.replaceLog();
    // One staged segment and one command record per add: a hundred of each.
    for (let i = 0; i < log.length; i += 3)
      await replacement.add(log.slice(i, i + 3), commands.slice(i / 3, i / 3 + 1));
    expect(await replacement.commit()).toBe(300);
    expect(await wholeLog(target)).toEqual(log);
    expect(await target.readCommands(1, 300)).toEqual(commands);
    const db = await openDatabase({ name, claimRule: claimChangesOf });
    expect(await db.count('segments')).toBe(100);
    expect(await db.count('importSegments')).toBe(0);
    db.close();
  });

  it('an import whose last transaction the browser refuses says so, and leaves the log as it was', async () => {
    const source = await openEventStore({ name: freshName(), claimRule: claimChangesOf });
    await source.append(request('new', [{ streamId: 's', count: 300 }]));
    const log = await wholeLog(source);
    const target = await openEventStore({ name: freshName(), claimRule: claimChangesOf });
    await target.append(request('old', [{ streamId: 't', count: 5 }]));
    const before = await wholeLog(target);
    const replacement = await target.replaceLog();
    await replacement.add(log, await source.readCommands(1, 300));
    // Moving the staged segment into the log fails, as a full disk would make it.
    const refuse = refuseWrites('add', { refused: (store) => store.name === 'segments' });
    try {
      await expect(replacement.commit()).rejects.toBeInstanceOf(StorageWriteError);
    } finally {
      refuse.mockRestore();
    }
    expect(await wholeLog(target)).toEqual(before);
    expect(await target.epoch()).toBe(0);
  });

  it('numbers streams across the chunks of an imported log', async () => {
    const source = await openEventStore({ name: freshName(), claimRule: claimChangesOf });
    await singles(source, 30, 'a');
    await source.append(request('big', [{ streamId: 's2', count: 2000 }]));
    await source.append(
      request('more', [
        { streamId: 's8', count: 1 },
        { streamId: 's3', count: 800 },
      ]),
    );
    const log = await wholeLog(source);
    const name = freshName();
    const target = await openEventStore({ name, claimRule: claimChangesOf });
    const replacement = await target.replaceLog();
    for (let i = 0; i < log.length; i += 700) await replacement.add(log.slice(i, i + 700), []);
    await replacement.commit();
    const numbers = streamNumbers(log);
    const rows = await storedNumbers(name);
    expect(rows).toHaveLength(log.length);
    for (const { streamId, number } of rows) expect(number).toBe(numbers.get(streamId));
  });

  it('writes a large append packed, and reads across packed and single events without a gap', async () => {
    const store = await openEventStore({ name: freshName(), claimRule: claimChangesOf });
    await singles(store, 5, 'a');
    const big = await store.append(
      request('big', [
        { streamId: 's0', count: 2500 },
        { streamId: 's9', count: 10 },
      ]),
    );
    expect(big.kind).toBe('appended');
    await singles(store, 5, 'b');
    expect(positions(await wholeLog(store))).toEqual(range(1, 2520));
    expect(positions(await store.readFrom(1020, 20))).toEqual(range(1020, 1039));
    expect(positions(await store.readFrom(2508, 100))).toEqual(range(2508, 2520));
    const s0 = await store.readStream('s0');
    expect(s0.map((e) => e.version)).toEqual(range(1, s0.length));
    expect(s0.length).toBe(2 + 2500 + 2);
    expect((await store.readStream('s9')).map((e) => e.position)).toEqual(range(2506, 2515));
    expect((await store.recordedCommands(['big'])).get('big')?.length).toBe(2510);
  });

  it('seals full runs of single events and keeps every read the same', async () => {
    const store = await openEventStore({ name: freshName(), claimRule: claimChangesOf });
    await singles(store, SEGMENT_SIZE + 40, 'a');
    const before = await wholeLog(store);
    const streamBefore = await store.readStream('s1');
    expect(await store.seal()).toBe(SEGMENT_SIZE);
    expect(await store.seal()).toBe(0); // the 40 at the tail wait for more
    expect(await wholeLog(store)).toEqual(before);
    expect(await store.readStream('s1')).toEqual(streamBefore);
    expect((await store.recordedCommands(['a7'])).get('a7')).toEqual([before[7]]);
    const next = await store.append(request('after', [{ streamId: 's1', count: 1 }]));
    expect(next).toMatchObject({
      results: [{ events: [{ position: SEGMENT_SIZE + 41, version: streamBefore.length + 1 }] }],
    });
  });

  it('seals a short run that packed events already follow', async () => {
    const store = await openEventStore({ name: freshName(), claimRule: claimChangesOf });
    await singles(store, 10, 'a');
    await store.append(request('big', [{ streamId: 's0', count: 300 }]));
    expect(await store.seal()).toBe(10);
    expect(positions(await wholeLog(store))).toEqual(range(1, 310));
  });

  it('a seal that dies part-way changes nothing', async () => {
    const name = freshName();
    const store = await openEventStore({ name, claimRule: claimChangesOf });
    await singles(store, SEGMENT_SIZE, 'a');
    const before = await wholeLog(store);
    const db = await openDatabase({ name, claimRule: claimChangesOf });
    await expect(
      sealRun(db, undefined, (tx) => {
        tx.abort();
      }),
    ).rejects.toThrow();
    expect(await db.count('segments')).toBe(0);
    expect(await db.count('events')).toBe(SEGMENT_SIZE);
    expect(await wholeLog(store)).toEqual(before);
    expect(await store.seal()).toBe(SEGMENT_SIZE);
    expect(await db.count('events')).toBe(0);
    expect(await wholeLog(store)).toEqual(before);
  });

  it('opens a version 2 database (single events only) and seals it', async () => {
    const name = freshName();
    const v2 = await openDatabase({ name, claimRule: claimChangesOf, version: 2 });
    for (let p = 1; p <= SEGMENT_SIZE; p++) {
      const meta = {
        eventId: `e${p}`,
        commandId: `c${p}`,
        causationId: `c${p}`,
        correlationId: `c${p}`,
        recordedAt: 'x',
      };
      await v2.add('events', {
        position: p,
        streamId: 'old',
        version: p,
        type: 'Tick',
        schemaVersion: 1,
        data: {},
        metadata: meta,
      });
      await v2.put('commands' as never, { commandId: `c${p}`, first: p, last: p });
    }
    await v2.put('streams' as never, {
      streamId: 'old',
      version: SEGMENT_SIZE,
      lastPosition: SEGMENT_SIZE,
    });
    await v2.put('meta', SEGMENT_SIZE, 'head');
    v2.close();
    const store = await openEventStore({ name, claimRule: claimChangesOf });
    expect(await store.head()).toBe(SEGMENT_SIZE);
    expect(await store.seal()).toBe(SEGMENT_SIZE);
    expect((await store.readStream('old')).length).toBe(SEGMENT_SIZE);
    expect((await store.recordedCommands(['c5'])).get('c5')?.[0]?.position).toBe(5);
    const next = await store.append({
      ...request('new', []),
      streams: [
        {
          streamId: 'old',
          expectedVersion: SEGMENT_SIZE,
          events: [{ eventId: 'z', type: 'Tick', schemaVersion: 1, data: {} }],
        },
      ],
    });
    expect(next.kind).toBe('appended');
  });

  it('opens a version 4 database (segments of objects) and reads it in columns', async () => {
    const name = freshName();
    const v4 = await openDatabase({ name, claimRule: claimChangesOf, version: 4 });
    const events: RecordedEvent[] = range(1, 300).map((p) => ({
      position: p,
      streamId: `s${p % 2}`,
      version: Math.ceil(p / 2),
      type: 'Tick',
      schemaVersion: 1,
      data: { n: p, text: `<b>${p}</b>` },
      metadata: {
        eventId: `e${p}`,
        commandId: 'old',
        causationId: 'old',
        correlationId: 'old',
        recordedAt: '2026-01-01T00:00:00.000Z',
      },
    }));
    // The v3/v4 shape, written as it was then.
    await v4.put('segments', { first: 1, last: 300, events } as never);
    for (const id of ['s0', 's1'])
      await v4.put('streams' as never, {
        streamId: id,
        version: 150,
        lastPosition: 300,
        segments: [300],
      });
    await v4.put('commands' as never, { commandId: 'old', first: 1, last: 300 });
    await v4.put('meta', 300, 'head');
    v4.close();
    const store = await openEventStore({ name, claimRule: claimChangesOf });
    expect(await wholeLog(store)).toEqual(events);
    expect(await store.readStream('s1')).toEqual(events.filter((e) => e.streamId === 's1'));
    expect((await store.recordedCommands(['old'])).get('old')).toEqual(events);
  });
});
