import { openDB } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import { claimChangesOf } from '../domain';
import { saveIndex } from './indexSnapshot';
import { openDatabase, openEventStore } from './store';
import { refuseWrites } from './testFaults';
import type { AppendRequest, ClaimRule, EventStore } from './types';
import { WriteIndex } from './writeIndex';

let dbCount = 0;
const freshName = () => `index-snapshot-test-${++dbCount}`;
const AT = '2026-01-01T00:00:00.000Z';

const one = (
  commandId: string,
  userId: string,
  expectedVersion: AppendRequest['streams'][number]['expectedVersion'],
  type: string,
  data: unknown,
): AppendRequest => ({
  commandId,
  recordedAt: AT,
  streams: [
    {
      streamId: `user-${userId}`,
      expectedVersion,
      events: [{ eventId: `${commandId}/1`, type, schemaVersion: 1, data }],
    },
  ],
});

/**
 * `users` users created, then each in turn logs in, and every third one moves to a new
 * email, `rounds` times: emails claimed and released, streams of many versions.
 */
function history(tag: string, users: number, rounds: number): AppendRequest[] {
  const requests: AppendRequest[] = [];
  const emails: string[] = [];
  for (let u = 0; u < users; u++) {
    emails[u] = `${tag}${u}@x.io`;
    requests.push(
      one(`${tag}c${u}`, `${tag}${u}`, 'no-stream', 'UserCreated', {
        userId: `${tag}${u}`,
        email: emails[u],
        name: 'N',
      }),
    );
  }
  for (let r = 0; r < rounds; r++)
    for (let u = 0; u < users; u++) {
      const userId = `${tag}${u}`;
      const id = `${tag}r${r}u${u}`;
      if (u % 3 === 0) {
        const newEmail = `${tag}${u}.${r}@x.io`;
        requests.push(
          one(id, userId, 'any', 'UserEmailUpdated', {
            userId,
            oldEmail: emails[u],
            newEmail,
          }),
        );
        emails[u] = newEmail;
      } else requests.push(one(id, userId, 'any', 'UserLoggedIn', { userId, at: AT }));
    }
  return requests;
}

async function appendAll(store: EventStore, requests: readonly AppendRequest[]) {
  for (let i = 0; i < requests.length; i += 100) {
    const outcome = await store.appendBatch(requests.slice(i, i + 100));
    expect(outcome.kind).toBe('appended');
  }
}

/** The claim rule, counting the events it is asked about: how many a build folded. */
function counting(): { rule: ClaimRule; folded: () => number } {
  let folded = 0;
  const rule = (event: Parameters<ClaimRule>[0]) => {
    folded += 1;
    return claimChangesOf(event);
  };
  return { rule: Object.assign(rule, { version: claimChangesOf.version }), folded: () => folded };
}

async function storedHeader(name: string): Promise<unknown> {
  const db = await openDB(name);
  try {
    return await db.get('writeIndex', 0);
  } finally {
    db.close();
  }
}

/**
 * A tab that folded the log's first 20 events, and a writer that then appended 200 more and
 * kept a copy of its index: the tab is 200 events behind the copy.
 */
async function tabFallenBehind() {
  const name = freshName();
  const writer = await openEventStore({ name, claimRule: claimChangesOf, keptIndexStride: 100 });
  await appendAll(writer, history('a', 20, 0));
  const reader = counting();
  const tab = await openEventStore({ name, claimRule: reader.rule, keptIndexStride: 100 });
  await tab.prepareWrites();
  expect(reader.folded()).toBe(20);
  await appendAll(writer, history('b', 50, 3));
  await writer.keepIndex();
  return { name, writer, tab, reader };
}

describe('kept write index', () => {
  it('answers every question as the index it was taken of', async () => {
    const store = await openEventStore({ name: freshName(), claimRule: claimChangesOf });
    const requests = history('a', 40, 5);
    await appendAll(store, requests);
    const log = await store.readFrom(1, 10_000);
    const built = new WriteIndex(claimChangesOf, 0);
    for (const e of log) built.apply(e);
    const pauses = vi.fn(() => Promise.resolve());
    const restored = await WriteIndex.fromState(claimChangesOf, built.state(), pauses, 7);
    expect(pauses).toHaveBeenCalled();
    expect(restored.position).toBe(built.position);
    for (const id of new Set(log.map((e) => e.streamId))) {
      expect(restored.version(id)).toBe(built.version(id));
      expect(restored.positionsOf(id)).toEqual(built.positionsOf(id));
      expect(restored.streamNumbers(1).numberOf(id)).toBe(built.streamNumbers(1).numberOf(id));
    }
    for (let u = 0; u < 40; u++)
      for (const email of [`a${u}@x.io`, `a${u}.4@x.io`, `a${u}.0@x.io`])
        expect(restored.owner(`email:${email}`)).toBe(built.owner(`email:${email}`));
    for (const r of requests) {
      expect(restored.mayHaveCommand(r.commandId)).toBe(true);
      expect(restored.commandCandidates(r.commandId)).toEqual(built.commandCandidates(r.commandId));
    }
    expect(restored.mayHaveCommand('never')).toBe(built.mayHaveCommand('never'));
    // And both go on folding alike.
    history('b', 3, 0).forEach((r, k) => {
      const e = toEvent(r, log.length + k + 1);
      built.apply(e);
      restored.apply(e);
    });
    expect(restored.version('user-b1')).toBe(1);
    expect(restored.owner('email:b2@x.io')).toBe('user-b2');
    expect(restored.streamNumbers(1).numberOf('user-b2')).toBe(42);
    await expect(
      WriteIndex.fromState(claimChangesOf, { ...built.state(), lasts: new Uint32Array(1) }, pauses),
    ).rejects.toThrow('Not the state of a write index');
  });

  it('is saved by a long build, and the next store loads it and folds only what came after', async () => {
    const name = freshName();
    const writer = await openEventStore({ name, claimRule: claimChangesOf });
    await appendAll(writer, history('a', 50, 4));
    // A store whose build folds 250 events keeps a copy of its index.
    const first = counting();
    const builder = await openEventStore({ name, claimRule: first.rule, keptIndexStride: 200 });
    await builder.prepareWrites();
    expect(first.folded()).toBe(250);
    await vi.waitFor(async () => {
      expect(await storedHeader(name)).toMatchObject({ position: 250 });
    });
    await appendAll(writer, history('b', 10, 0));

    const second = counting();
    const tab = await openEventStore({ name, claimRule: second.rule });
    await tab.prepareWrites();
    expect(second.folded()).toBe(10);
    // What it loaded is what appends check: versions, emails held, commands recorded.
    expect(
      await tab.append(one('late', 'a7', 4, 'UserLoggedIn', { userId: 'a7', at: AT })),
    ).toMatchObject({ kind: 'version-conflict', actual: 5 });
    expect(
      await tab.append(
        one('taken', 'z', 'no-stream', 'UserCreated', {
          userId: 'z',
          email: 'A3.3@x.io',
          name: 'Z',
        }),
      ),
    ).toMatchObject({ kind: 'claim-conflict', owner: 'user-a3' });
    const free = await tab.append(
      one('free', 'z', 'no-stream', 'UserCreated', { userId: 'z', email: 'a3.2@x.io', name: 'Z' }),
    );
    expect(free).toMatchObject({ kind: 'appended' });
    const again = await tab.append(one('ac7', 'a7', 'no-stream', 'UserCreated', {}));
    expect(again).toMatchObject({ kind: 'appended', results: [{ duplicate: true }] });
    expect(await tab.head()).toBe(261);
  });

  it('is loaded by a store whose index is far behind it, and kept by a writer of many events', async () => {
    const { name, writer, tab, reader } = await tabFallenBehind();
    expect(await storedHeader(name)).toMatchObject({ position: 220 });
    // The tab, 200 events behind, loads it instead of folding them; 20 more it folds.
    await appendAll(writer, history('c', 20, 0));
    await tab.prepareWrites();
    expect(reader.folded()).toBe(40);
    expect(
      await tab.append(one('late', 'b4', 3, 'UserLoggedIn', { userId: 'b4', at: AT })),
    ).toMatchObject({ kind: 'version-conflict', actual: 4 });
    // Nothing new to keep: the copy stays where it is.
    await writer.keepIndex();
    expect(await storedHeader(name)).toMatchObject({ position: 220 });
  });

  it('is loaded by a writer found far behind, not folded inside its write transaction', async () => {
    const { tab, reader } = await tabFallenBehind();
    const before = reader.folded();
    const outcome = await tab.append(
      one('later', 'b4', 4, 'UserLoggedIn', { userId: 'b4', at: AT }),
    );
    expect(outcome).toMatchObject({ kind: 'appended', results: [{ events: [{ position: 221 }] }] });
    // Its own event checked once caught up, and folded in: the 200 events in between came
    // with the copy (folded in the write transaction, they made it 202).
    expect(reader.folded() - before).toBe(2);
  });

  it('is not used for another log: a replaced one, or one that differs where it was taken', async () => {
    const name = freshName();
    const writer = await openEventStore({ name, claimRule: claimChangesOf, keptIndexStride: 50 });
    await appendAll(writer, history('a', 30, 2));
    await writer.prepareWrites();
    await vi.waitFor(async () => {
      expect(await storedHeader(name)).toMatchObject({ position: 90 });
    });
    // The copy names the command of the event at its position: a log with another one
    // there is not the log it was taken of.
    const db = await openDB(name);
    const header = (await db.get('writeIndex', 0)) as Record<string, unknown>;
    await db.put('writeIndex', { ...header, lastCommandId: 'other' }, 0);
    const other = counting();
    const tab = await openEventStore({ name, claimRule: other.rule });
    await tab.prepareWrites();
    expect(other.folded()).toBe(90);
    // Nor past the log's head, of another epoch (a log replaced since), or folded with
    // another claim rule.
    for (const changed of [{ position: 91 }, { epoch: 1 }, { rule: 0 }]) {
      await db.put('writeIndex', { ...header, ...changed }, 0);
      const count = counting();
      await (await openEventStore({ name, claimRule: count.rule })).prepareWrites();
      expect(count.folded()).toBe(90);
    }
    await db.put('writeIndex', header, 0);
    // Nor with a part missing.
    const part: unknown = await db.get('writeIndex', 1);
    await db.delete('writeIndex', 1);
    const partial = counting();
    await (await openEventStore({ name, claimRule: partial.rule })).prepareWrites();
    expect(partial.folded()).toBe(90);
    await db.put('writeIndex', part, 1);
    const same = counting();
    await (await openEventStore({ name, claimRule: same.rule })).prepareWrites();
    expect(same.folded()).toBe(0);
    db.close();
  });

  it('a save the browser refuses costs only the copy: it is made again next time', async () => {
    const name = freshName();
    const writer = await openEventStore({ name, claimRule: claimChangesOf, keptIndexStride: 50 });
    await appendAll(writer, history('a', 30, 2));
    // The first put of the save makes its transaction abort, as a full disk would.
    const refuse = refuseWrites('put', { once: true });
    await expect(writer.keepIndex()).rejects.toThrow();
    refuse.mockRestore();
    expect(await storedHeader(name)).toBeUndefined();
    await writer.keepIndex();
    expect(await storedHeader(name)).toMatchObject({ position: 90 });
  });

  it('is not replaced by a copy less far along, or of an older log', async () => {
    const name = freshName();
    const store = await openEventStore({ name, claimRule: claimChangesOf });
    await appendAll(store, history('a', 60, 1));
    const log = await store.readFrom(1, 1_000);
    const indexOf = (epoch: number, count: number) => {
      const index = new WriteIndex(claimChangesOf, epoch);
      for (const e of log.slice(0, count)) index.apply(e);
      return index;
    };
    const db = await openDatabase({ name, claimRule: claimChangesOf });
    const save = (index: WriteIndex) => saveIndex(db, index, 1, () => Promise.resolve());
    await save(indexOf(0, 120));
    await save(indexOf(0, 60));
    expect(await storedHeader(name)).toMatchObject({ epoch: 0, position: 120 });
    // A log replaced since (a higher epoch) is newer, however short.
    await save(indexOf(1, 30));
    expect(await storedHeader(name)).toMatchObject({ epoch: 1, position: 30 });
    await save(indexOf(0, 120));
    expect(await storedHeader(name)).toMatchObject({ epoch: 1, position: 30 });
    db.close();
  });
});

/** A new user's creation, as the log holds it at `position`. */
function toEvent(request: AppendRequest, position: number) {
  const [stream] = request.streams;
  const [e] = stream?.events ?? [];
  return {
    position,
    streamId: stream?.streamId ?? '',
    version: 1,
    type: e?.type ?? '',
    schemaVersion: 1,
    data: e?.data,
    metadata: {
      eventId: e?.eventId ?? '',
      commandId: request.commandId,
      causationId: request.commandId,
      correlationId: request.commandId,
      recordedAt: AT,
    },
  };
}
