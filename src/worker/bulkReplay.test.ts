import { describe, expect, it, vi } from 'vitest';
import { generateEvents, runSeedScenario } from '../commands';
import { freshLog, TEST_TIME } from '../commands/testLog';
import { upcast } from '../domain';
import { activitySummary, foldEvents, PROJECTIONS } from '../projections';
import { openReadSideStore, type EventStore, type ReadSideStore } from '../eventstore';
import { PreparedPiece, StreamSlots } from './bulkReplay';
import { ProjectionEngine, type EngineOptions } from './engine';

let n = 0;
let ids = 0;
const newId = () => `bulk-${++ids}`;

const setUp = () => freshLog('bulk-events');

/** Appends events as they are, past the decider: what an old or imported log may hold. */
async function appendRaw(
  events: EventStore,
  streamId: string,
  stored: readonly {
    readonly type: string;
    readonly data: unknown;
    readonly schemaVersion?: number;
  }[],
) {
  const outcome = await events.append({
    commandId: newId(),
    recordedAt: '2026-05-06T00:00:00.000Z',
    streams: [
      {
        streamId,
        expectedVersion: 'any',
        events: stored.map((e) => ({
          eventId: newId(),
          type: e.type,
          schemaVersion: e.schemaVersion ?? (e.type === 'UserCreated' ? 2 : 1),
          data: e.data,
        })),
      },
    ],
  });
  expect(outcome.kind).toBe('appended');
}

/** Every read model's rows, position and fault after a cold start, folding as told. */
/** An engine over `events` in batches of 700, started: its cold start done. */
async function startedEngine(
  events: EventStore,
  readSide: ReadSideStore,
  options: Pick<EngineOptions, 'bulkFoldFrom' | 'checkpointEvery'>,
) {
  const engine = new ProjectionEngine({
    events,
    readSide,
    now: () => 0,
    clock: () => TEST_TIME,
    emit: () => undefined,
    yieldNow: () => Promise.resolve(),
    batchSize: 700,
    checkpointEvery: Number.POSITIVE_INFINITY,
    checkpointMinIntervalMs: 0,
    ...options,
  });
  await engine.start();
  return engine;
}

async function coldStart(
  events: EventStore,
  bulkFoldFrom: number,
  skips: readonly number[],
  checkpointEvery = Number.POSITIVE_INFINITY,
) {
  const readSide = await openReadSideStore(`bulk-read-${++n}`);
  for (const position of skips)
    await readSide.addSkip({
      projection: 'activitySummary',
      position,
      reason: 'test',
      logEpoch: 0,
    });
  const engine = await startedEngine(events, readSide, { bulkFoldFrom, checkpointEvery });
  return [...engine.runners.values()].map((r) => ({
    name: r.projection.name,
    rows: new Map(r.model),
    position: r.position,
    fault: r.fault,
    replayed: r.replayed,
  }));
}

async function expectBulkAsEventByEvent(events: EventStore, skips: readonly number[] = []) {
  const byEvent = await coldStart(events, Number.POSITIVE_INFINITY, skips);
  const inBulk = await coldStart(events, 1, skips);
  expect(inBulk).toEqual(byEvent);
  // With snapshots saved every 500 events, a replay writes its rows to the model as it goes.
  expect(await coldStart(events, 1, skips, 500)).toEqual(byEvent);
  return inBulk;
}

const created = (userId: string, email: string, name = 'Ada') =>
  ({
    type: 'UserCreated',
    data: { userId, email, normalizedEmail: email, name },
  }) as const;

describe('bulk replay', () => {
  it('leaves every read model as folding event by event does, over packed and single events', async () => {
    const { events, handler } = await setUp();
    await runSeedScenario(handler, newId);
    // Packed appends of 500 commands, then single events, some of them sealed.
    await generateEvents(handler, { count: 4_000, seed: 7, runTag: 'p', batchSize: 500, newId });
    await generateEvents(handler, { count: 300, seed: 8, runTag: 'q', batchSize: 1, newId });
    await events.seal();
    await generateEvents(handler, { count: 1_500, seed: 9, runTag: 'r', batchSize: 300, newId });
    const [profiles] = await expectBulkAsEventByEvent(events);
    expect(profiles?.position).toBe(await events.head());
    expect(profiles?.rows.size).toBeGreaterThan(500);
  });

  it('saves snapshots during a bulk replay that hold the read models at their position', async () => {
    const { events, handler } = await setUp();
    await generateEvents(handler, { count: 3_000, seed: 11, runTag: 'p', batchSize: 500, newId });
    const readSide = await openReadSideStore(`bulk-read-${++n}`);
    await startedEngine(events, readSide, { bulkFoldFrom: 1, checkpointEvery: 1_000 });
    const log = (await events.readFrom(1, 10_000)).map(upcast);
    for (const projection of PROJECTIONS) {
      const saved = await readSide.load(projection.name);
      expect(saved?.position).toBeGreaterThan(0);
      expect(saved?.position).toBeLessThan(log.length);
      const expected = foldEvents(projection as never, log.slice(0, saved?.position));
      expect(new Map(saved?.rows), projection.name).toEqual(expected);
    }
  });

  it('verifies a model built in bulk against project: a wrong bulk fold shows', async () => {
    const { events, handler } = await setUp();
    await generateEvents(handler, { count: 3_000, seed: 12, runTag: 'p', batchSize: 500, newId });
    const bulk = activitySummary.bulk;
    if (bulk === undefined) throw new Error('activitySummary has a bulk fold');
    const fold = bulk.fold.bind(bulk);
    // A bulk fold that counts each login twice.
    const wrong = vi.spyOn(bulk, 'fold').mockImplementation((folded, i, drafts) => {
      if (!fold(folded, i, drafts)) return false;
      const draft = drafts.get(folded.slot(i));
      if (folded.type(i) === 'UserLoggedIn' && draft !== undefined) draft.loginCount += 1;
      return true;
    });
    try {
      const readSide = await openReadSideStore(`bulk-read-${++n}`);
      const engine = await startedEngine(events, readSide, { bulkFoldFrom: 1 });
      expect(wrong).toHaveBeenCalled();
      const verified = await engine.verify('activitySummary');
      expect(verified.scratchHash).not.toBe(verified.liveHash);
    } finally {
      wrong.mockRestore();
    }
  });

  it('finds nothing in a log the app wrote that it must leave to project', async () => {
    const { events, handler } = await setUp();
    await runSeedScenario(handler, newId);
    await generateEvents(handler, { count: 3_000, seed: 3, runTag: 'p', batchSize: 500, newId });
    const streams = new StreamSlots();
    const run = await events.readRun(1, 10_000);
    let pieces = 0;
    run.forEachColumns((columns, from, to) => {
      expect(new PreparedPiece(columns, from, to, streams).usable).toBe(to);
      pieces += 1;
    });
    expect(pieces).toBeGreaterThan(3);
  });

  // Each odd case in a log of its own, between more events than a replay batch holds, so a
  // bulk fold meets it (a model left with two rows for one user is not drafted again).
  it.each([
    {
      case: 'a second creation under another domain: two domain rows for one user',
      stored: [created('twice', 'twice@one.org'), created('twice', 'twice@two.org')],
      rows: ['one.org/twice', 'two.org/twice'],
    },
    {
      case: 'an email change away from a domain the user is not in: the row they are in stays',
      stored: [
        created('moved', 'moved@one.org'),
        {
          type: 'UserEmailUpdated',
          data: { userId: 'moved', oldEmail: 'moved@elsewhere.org', newEmail: 'moved@two.org' },
        },
      ],
      rows: ['one.org/moved', 'two.org/moved'],
    },
    {
      case: 'a deactivation naming a domain the user is not in: the row stays',
      stored: [
        created('kept', 'kept@one.org'),
        { type: 'UserDeactivated', data: { userId: 'kept', email: 'kept@nowhere.org' } },
      ],
      rows: ['one.org/kept'],
    },
    {
      case: 'an event whose data names another user than its stream',
      stored: [
        created('owner', 'owner@one.org'),
        {
          type: 'UserEmailUpdated',
          data: { userId: 'other', oldEmail: 'other@one.org', newEmail: 'other@two.org' },
        },
      ],
      rows: ['one.org/owner', 'two.org/other'],
    },
    {
      case: 'a rename with no new name: project keeps the old one',
      stored: [
        created('nameless', 'nameless@one.org', 'Ada'),
        { type: 'UserRenamed', data: { userId: 'nameless', oldName: 'Ada', newName: null } },
      ],
      rows: ['one.org/nameless'],
    },
    {
      case: 'an order of no number, kept as stored in a single event',
      stored: [
        created('nan', 'nan@one.org'),
        { type: 'OrderPlaced', data: { userId: 'nan', orderId: 'o1', amount: Number.NaN } },
      ],
      rows: ['one.org/nan'],
    },
    {
      case: 'a creation stored at schema version 1, upcast on the way in',
      stored: [
        {
          type: 'UserCreated',
          schemaVersion: 1,
          data: { userId: 'old', email: 'Old@One.org', name: 'Old' },
        },
      ],
      rows: ['One.org/old'],
    },
  ] as const)('hands to project what only project can fold: $case', async ({ stored, rows }) => {
    const { events, handler } = await setUp();
    const more = (seed: number) =>
      generateEvents(handler, { count: 750, seed, runTag: `g${seed}`, batchSize: 250, newId });
    await more(1);
    await appendRaw(events, `user-${stored[0].data.userId}`, [...stored]);
    await more(2);
    const models = await expectBulkAsEventByEvent(events);
    const domains = models.find((m) => m.name === 'usersByDomain')?.rows;
    for (const key of rows) expect(domains?.has(key), key).toBe(true);
  });

  it('leaves out the events a read model was told to skip', async () => {
    const { events, handler } = await setUp();
    await generateEvents(handler, { count: 3_000, seed: 6, runTag: 'a', batchSize: 500, newId });
    const orders = (await events.readFrom(1, 3_000)).filter((e) => e.type === 'OrderPlaced');
    const skips = [orders[10], orders[400], orders.at(-1)].map((e) => e?.position ?? 0);
    const [, , withSkips] = await expectBulkAsEventByEvent(events, skips);
    const [, , without] = await expectBulkAsEventByEvent(events);
    expect(withSkips?.rows).not.toEqual(without?.rows);
  });

  it('stops where project faults, at the same event with the same words', async () => {
    const { events, handler } = await setUp();
    await generateEvents(handler, { count: 600, seed: 4, runTag: 'a', batchSize: 200, newId });
    await appendRaw(events, 'user-ghost', [
      { type: 'OrderPlaced', data: { userId: 'ghost', orderId: 'o1', amount: 1 } },
    ]);
    await appendRaw(events, 'user-x', [{ type: 'UserUpgraded', data: { userId: 'x' } }]);
    await generateEvents(handler, { count: 300, seed: 5, runTag: 'b', batchSize: 100, newId });
    const models = await expectBulkAsEventByEvent(events);
    const activity = models.find((m) => m.name === 'activitySummary');
    expect(activity?.fault?.message).toMatch(/needs the activity of user "ghost"/);
    const profiles = models.find((m) => m.name === 'userProfiles');
    expect(profiles?.fault?.message).toBe('Unknown event type "UserUpgraded"');
  });
});
