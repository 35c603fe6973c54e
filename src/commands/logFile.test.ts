import { describe, expect, it } from 'vitest';
import { claimChangesOf } from '../domain';
import { openEventStore, type EventStore } from '../eventstore';
import { generateEvents } from './generate';
import { checkLogFile, exportLog, importLogFile, lineBatchesOf, type ExportSink } from './logFile';
import { runSeedScenario } from './seed';
import { handlerOn } from './testLog';

let n = 0;
let ids = 0;
const newId = () => `lf-${++ids}`;
const open = () => openEventStore({ name: `log-file-${++n}`, claimRule: claimChangesOf });

async function withLog(count: number): Promise<EventStore> {
  const store = await open();
  const handler = handlerOn(store);
  await runSeedScenario(handler, newId);
  await generateEvents(handler, { count, seed: 3, runTag: 'lf', batchSize: 200, newId });
  return store;
}

const file = (...lines: string[]) => new Blob([lines.map((l) => `${l}\n`).join('')]);

const line = (position: number, fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    position,
    streamId: 'user-a',
    version: position,
    type: 'UserLoggedIn',
    schemaVersion: 1,
    data: { userId: 'a', at: '2026-01-01T00:00:00.000Z' },
    metadata: {
      eventId: `e${String(position)}`,
      commandId: `c${String(position)}`,
      causationId: `c${String(position)}`,
      correlationId: `c${String(position)}`,
      recordedAt: '2026-01-01T00:00:00.000Z',
    },
    ...fields,
  });

const created = (email: string, userId = 'a', schemaVersion = 1) =>
  line(1, {
    streamId: `user-${userId}`,
    type: 'UserCreated',
    schemaVersion,
    data:
      schemaVersion === 1
        ? { userId, email, name: 'A' }
        : { userId, email, normalizedEmail: email.toLowerCase(), name: 'A' },
  });

describe('the log as a file', () => {
  it('exports, imports and exports again to the same bytes, and the log goes on from there', async () => {
    const source = await withLog(1500);
    const exported = await (await exportLog(source)).file.text();
    expect(exported.split('\n').length).toBe((await source.head()) + 1);
    const target = await withLog(40); // a log to be replaced
    const before = await target.epoch();
    expect(await importLogFile(target, new Blob([exported]))).toEqual({
      ok: true,
      events: await source.head(),
    });
    expect(await target.epoch()).toBe(before + 1);
    expect(await (await exportLog(target)).file.text()).toBe(exported);
    expect(await target.readRejections(10)).toEqual([]);
    expect((await target.commandAt(3))?.type).toBe('UpdateUserEmail');
    // The imported log's streams, claims and command ids hold for the next commands.
    const handler = handlerOn(target);
    const again = await runSeedScenario(handler, newId);
    expect(again.map((o) => (o.kind === 'rejected' ? o.message : 'recorded'))).toEqual([
      'User user123 already exists',
    ]);
    const head = await target.head();
    const renamed = await handler.execute({
      commandId: newId(),
      command: { type: 'RenameUser', data: { userId: 'user456', name: 'Jane Q' } },
    });
    expect(renamed).toMatchObject({ kind: 'recorded', events: [{ position: head + 1 }] });
  });

  it('reads a file a slice at a time, whole characters and lines across the cuts', async () => {
    const text = ['Zoë Čapek', '', 'price 12 €', '𝄞 clef', 'plain', 'last, with no newline'].join(
      '\n',
    );
    const read = async (blob: Blob, sliceBytes: number) => {
      const lines: string[] = [];
      for await (const batch of lineBatchesOf(blob, sliceBytes)) lines.push(...batch);
      return lines;
    };
    // Slices of 1 to 9 bytes cut every multi-byte character somewhere.
    for (let sliceBytes = 1; sliceBytes <= 9; sliceBytes++)
      expect(await read(new Blob([text]), sliceBytes)).toEqual(text.split('\n'));
    expect(await read(new Blob([`${text}\n`]), 4)).toEqual(text.split('\n'));
    expect(await read(new Blob([]), 4)).toEqual([]);
    // A character cut off at the very end is not dropped: it reads as a replacement.
    expect(await read(new Blob(['ab\nc', new Uint8Array([0xc3])]), 2)).toEqual(['ab', 'c\uFFFD']);
  });

  it('writes an export to its sink batch by batch, and drops it when a read fails', async () => {
    const store = await withLog(12_000);
    const writes: number[] = [];
    let aborted = false;
    const sink: ExportSink = {
      write: (text) => {
        writes.push(text.split('\n').length - 1);
        return Promise.resolve();
      },
      finish: () => Promise.resolve(new Blob()),
      abort: () => {
        aborted = true;
        return Promise.resolve();
      },
    };
    const head = await store.head();
    await exportLog(store, sink);
    expect(writes.reduce((a, b) => a + b)).toBe(head);
    expect(Math.max(...writes)).toBeLessThanOrEqual(5_000);
    const failing = {
      ...store,
      readFrom: (from: number, limit: number) =>
        from > 5_000 ? Promise.reject(new Error('The disk is gone')) : store.readFrom(from, limit),
    };
    await expect(exportLog(failing, sink)).rejects.toThrow('The disk is gone');
    expect(aborted).toBe(true);
  });

  it('lets another store on the database see that the log was replaced', async () => {
    const source = await withLog(100);
    const exported = (await exportLog(source)).file;
    const target = await withLog(300);
    const name = `log-file-${String(n)}`;
    const otherTab = await openEventStore({ name, claimRule: claimChangesOf });
    await otherTab.readStream('user-user123'); // builds its write index on the old log
    await importLogFile(target, exported);
    const outcome = await handlerOn(otherTab).execute({
      commandId: newId(),
      command: { type: 'RenameUser', data: { userId: 'user456', name: 'Other Tab' } },
    });
    expect(outcome).toMatchObject({
      kind: 'recorded',
      events: [{ position: (await source.head()) + 1 }],
    });
  });

  it('replaces only the log it was confirmed for: one that changed since is kept', async () => {
    const source = await withLog(100);
    const exported = (await exportLog(source)).file;
    const target = await withLog(300);
    const confirmed = { head: await target.head(), epoch: await target.epoch() };
    // Another command lands after the person was told how many events they would replace.
    await handlerOn(target).execute({
      commandId: newId(),
      command: { type: 'RenameUser', data: { userId: 'user456', name: 'Late' } },
    });
    const before = await (await exportLog(target)).file.text();
    await expect(importLogFile(target, exported, undefined, confirmed)).rejects.toThrow(
      `the log changed after the file was checked: it now holds ${String(confirmed.head + 1)} events`,
    );
    expect(await (await exportLog(target)).file.text()).toBe(before);
    expect(await target.epoch()).toBe(confirmed.epoch);
    const now = { head: await target.head(), epoch: await target.epoch() };
    await importLogFile(target, exported, undefined, now);
    expect(await target.head()).toBe(await source.head());
  });

  it('takes UserCreated of both schema versions in one file', async () => {
    const store = await open();
    const mixed = file(
      created('Ann@x.io', 'a', 1),
      line(2, {
        streamId: 'user-b',
        version: 1,
        type: 'UserCreated',
        schemaVersion: 2,
        data: { userId: 'b', email: 'b@x.io', normalizedEmail: 'b@x.io', name: 'B' },
      }),
    );
    expect(await checkLogFile(mixed)).toEqual({ ok: true, events: 2 });
    expect(await importLogFile(store, mixed)).toEqual({ ok: true, events: 2 });
    expect((await store.readFrom(1, 2)).map((e) => e.schemaVersion)).toEqual([1, 2]);
  });

  const faults: [string, Blob, number, string][] = [
    ['bad JSON', file(created('a@x.io'), '{"position": 2,'), 2, 'it is not valid JSON'],
    [
      'an unknown type',
      file(created('a@x.io'), line(2, { type: 'UserTeleported' })),
      2,
      'its type "UserTeleported" is not an event type of this app',
    ],
    [
      'a gap in positions',
      file(created('a@x.io'), line(3, { version: 2 })),
      2,
      'its position is 3, but 2 comes next (positions follow each other from 1)',
    ],
    [
      'a wrong stream version',
      file(created('a@x.io'), line(2, { version: 5 })),
      2,
      'it is version 5 of stream user-a, but version 2 comes next',
    ],
    [
      'a schema version this app does not have',
      file(created('a@x.io'), line(2, { schemaVersion: 2 })),
      2,
      'UserLoggedIn has no schema version 2',
    ],
    [
      'data that does not fit its type',
      file(created('a@x.io'), line(2, { data: { userId: 'a' } })),
      2,
      'UserLoggedIn v1 needs the field "at"',
    ],
    [
      // A name every object inherits is still a field this type does not have.
      'a field named like an inherited one',
      file(
        created('a@x.io'),
        line(2, { data: { userId: 'a', at: '2026-01-01T00:00:00.000Z', constructor: 'x' } }),
      ),
      2,
      'UserLoggedIn v1 has no field "constructor"',
    ],
    [
      'an event of a user who was never created',
      file(
        created('a@x.io'),
        line(2, {
          streamId: 'user-b',
          version: 1,
          data: { userId: 'b', at: '2026-01-01T00:00:00.000Z' },
        }),
      ),
      2,
      "it is the first event of stream user-b, but a user's first event is UserCreated",
    ],
    [
      'a user created twice',
      file(
        created('a@x.io'),
        line(2, {
          ...(JSON.parse(created('b@x.io')) as Record<string, unknown>),
          position: 2,
          version: 2,
        }),
      ),
      2,
      'it creates the user of stream user-a again (a user is created once)',
    ],
    [
      'an event after its user was deactivated',
      file(
        created('a@x.io'),
        line(2, { type: 'UserDeactivated', data: { userId: 'a', email: 'a@x.io' } }),
        line(3),
      ),
      3,
      'the user of stream user-a was deactivated at position 2, and nothing of theirs comes after that',
    ],
    [
      'an email held twice',
      file(
        created('a@x.io'),
        line(2, {
          ...(JSON.parse(created('A@x.io', 'b')) as Record<string, unknown>),
          position: 2,
        }),
      ),
      2,
      'email a@x.io is already held by user-a',
    ],
    ['an empty line', file(created('a@x.io'), '', line(2)), 2, 'it is empty'],
    [
      // Past two staged batches, and across a slice of the file (over a megabyte before it).
      'a fault after 5,000 good lines',
      file(
        created('a@x.io'),
        ...Array.from({ length: 4_999 }, (_, i) => line(i + 2)),
        line(5_002, { version: 5_001 }),
      ),
      5_001,
      'its position is 5002, but 5001 comes next (positions follow each other from 1)',
    ],
    ['no events', new Blob(['']), 1, 'the file holds no events'],
  ];
  it.each(faults)(
    'refuses a file with %s, names the line, and changes nothing',
    async (_what, bad, at, reason) => {
      const store = await withLog(50);
      const before = await (await exportLog(store)).file.text();
      expect(await checkLogFile(bad)).toEqual({ ok: false, line: at, reason });
      expect(await importLogFile(store, bad)).toEqual({ ok: false, line: at, reason });
      expect(await (await exportLog(store)).file.text()).toBe(before);
    },
  );
});
