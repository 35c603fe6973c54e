import { beforeEach, describe, expect, it } from 'vitest';
import { generateEvents, runSeedScenario, type CommandHandler } from '../commands';
import { freshLog, TEST_TIME } from '../commands/testLog';
import { upcast } from '../domain';
import { openReadSideStore, type EventStore, type ReadSideStore } from '../eventstore';
import { foldEvents, PROJECTIONS, type UserProfile } from '../projections';
import { EVERY_STREAM, ProjectionEngine, type EngineOptions } from './engine';
import type { FromWorker } from './protocol';

let n = 0;
let ids = 0;
const newId = () => `id-${++ids}`;

async function setUp() {
  n += 1;
  const readSideName = `engine-read-${n}`;
  const readSide = await openReadSideStore(readSideName);
  return { ...(await freshLog('engine-events')), readSide, readSideName };
}

/** How the engine under test folds: each test runs both event by event and in bulk. */
let mode: Partial<EngineOptions> = {};

function engineFor(
  events: EventStore,
  readSide: ReadSideStore,
  overrides: Partial<EngineOptions> = {},
) {
  const messages: FromWorker[] = [];
  let t = 0;
  const engine = new ProjectionEngine({
    events,
    readSide,
    now: () => (t += 1),
    clock: () => TEST_TIME,
    emit: (m) => messages.push(m),
    yieldNow: () => Promise.resolve(),
    batchSize: 97,
    checkpointEvery: Number.POSITIVE_INFINITY,
    ...mode,
    ...overrides,
  });
  return { engine, messages };
}

/** The reference: every read model as a plain fold of the whole log from position 1. */
async function plainFolds(events: EventStore, skip: ReadonlySet<number> = new Set()) {
  const log = (await events.readFrom(1, 1_000_000))
    .filter((e) => !skip.has(e.position))
    .map(upcast);
  return new Map(PROJECTIONS.map((p) => [p.name, foldEvents(p as never, log)]));
}

async function expectMatchesPlainFold(
  engine: ProjectionEngine,
  events: EventStore,
  skip?: ReadonlySet<number>,
) {
  const expected = await plainFolds(events, skip);
  for (const [name, runner] of engine.runners) {
    expect(runner.model, name).toEqual(expected.get(name));
    expect(runner.position, name).toBe(await events.head());
  }
}

const generate = (handler: CommandHandler, count: number, runTag: string) =>
  generateEvents(handler, { count, seed: 3, runTag, batchSize: 100, newId });

describe.each([
  ['event by event', {}],
  ['in bulk', { bulkFoldFrom: 1 }],
] as const)('projection engine, folding %s', (_, variant) => {
  beforeEach(() => {
    mode = variant;
  });

  it('catches up from an empty read side to the plain fold, and says it is live', async () => {
    const { events, readSide, handler } = await setUp();
    await runSeedScenario(handler, newId);
    await generate(handler, 600, 'a');
    const { engine, messages } = engineFor(events, readSide);
    await engine.start();
    await expectMatchesPlainFold(engine, events);
    const status = messages.at(-1);
    expect(status?.type === 'status' && status.projections.map((p) => [p.state, p.lag])).toEqual([
      ['live', 0],
      ['live', 0],
      ['live', 0],
    ]);
  });

  it('tells listeners which read models and streams a batch changed; a bulk fold, every stream', async () => {
    const { events, readSide, handler } = await setUp();
    await generate(handler, 1_200, 'a');
    const { engine } = engineFor(events, readSide, { batchSize: 1_200, bulkFoldFrom: 1_000 });
    const reports: [string[], string[] | typeof EVERY_STREAM][] = [];
    engine.onChanges((projections, streams) => {
      reports.push([[...projections].sort(), streams === EVERY_STREAM ? streams : [...streams]]);
    });
    await engine.start();
    expect(reports).toEqual([[['activitySummary', 'userProfiles', 'usersByDomain'], EVERY_STREAM]]);
    const profiles = [...(engine.runners.get('userProfiles')?.model.values() ?? [])];
    const { userId } = profiles.find((p) => (p as UserProfile).status === 'active') as UserProfile;
    const renamed = await handler.execute({
      commandId: 'rename-one',
      command: { type: 'RenameUser', data: { userId, name: 'Ada L.' } },
    });
    expect(renamed.kind).toBe('recorded');
    reports.length = 0;
    await engine.notify(await events.head());
    expect(reports).toEqual([[['userProfiles'], [`user-${userId}`]]]);
  });

  it('folds each event once however notices arrive: twice, late or out of order', async () => {
    const { events, readSide, handler } = await setUp();
    const { engine } = engineFor(events, readSide);
    await engine.start();
    await generate(handler, 300, 'a');
    await Promise.all([
      engine.notify(300),
      engine.notify(120),
      engine.notify(300),
      engine.notify(5),
    ]);
    await generate(handler, 200, 'b');
    await Promise.all([
      engine.notify(450),
      engine.notify(500),
      engine.notify(450),
      engine.notify(1),
    ]);
    await expectMatchesPlainFold(engine, events);
  });

  it('after a crash between applying and checkpointing, replays only the tail and counts nothing twice', async () => {
    const { events, readSide, readSideName, handler } = await setUp();
    await generate(handler, 400, 'a');
    const first = engineFor(events, readSide).engine;
    await first.start();
    await first.checkpoint();
    await generate(handler, 250, 'b');
    await first.notify(650); // folded in memory, never saved: then the tab dies
    const reopened = await openReadSideStore(readSideName);
    const { engine } = engineFor(events, reopened);
    await engine.start();
    await expectMatchesPlainFold(engine, events);
    for (const runner of engine.runners.values()) {
      expect(runner.restoredFrom).toBe(400);
      expect(runner.replayed).toBe(250);
    }
  });

  it('a failed snapshot save leaves the previous snapshot whole', async () => {
    const { events, readSide, handler } = await setUp();
    await generate(handler, 200, 'a');
    const { engine } = engineFor(events, readSide);
    await engine.start();
    await engine.checkpoint();
    await generate(handler, 100, 'b');
    await engine.notify(300);
    const failing: ReadSideStore = {
      ...readSide,
      save: () => Promise.reject(new Error('disk full')),
    };
    const crashed = engineFor(events, failing).engine;
    await crashed.start();
    await expect(crashed.checkpoint()).rejects.toThrow('disk full');
    const restarted = engineFor(events, readSide).engine;
    await restarted.start();
    expect(restarted.runners.get('activitySummary')?.restoredFrom).toBe(200);
    await expectMatchesPlainFold(restarted, events);
  });

  it('discards a snapshot made by another code version and rebuilds from position 1', async () => {
    const { events, readSide, handler } = await setUp();
    await runSeedScenario(handler, newId);
    await readSide.save([
      {
        name: 'userProfiles',
        codeVersion: 0,
        position: 3,
        rows: [['bogus', { userId: 'bogus' }]],
        savedAt: 'x',
      },
    ]);
    const { engine } = engineFor(events, readSide);
    await engine.start();
    expect(engine.runners.get('userProfiles')?.restoredFrom).toBeNull();
    await expectMatchesPlainFold(engine, events);
    expect(await readSide.load('userProfiles')).toBeUndefined();
  });

  it('discards a snapshot from beyond the head: the log it was made from was dropped', async () => {
    const dropped = await setUp();
    await generate(dropped.handler, 300, 'a');
    const first = engineFor(dropped.events, dropped.readSide).engine;
    await first.start();
    await first.checkpoint();
    // The browser dropped the event database; the read side's own database survived it.
    const { events, handler } = await setUp();
    await runSeedScenario(handler, newId);
    const { engine } = engineFor(events, dropped.readSide);
    await engine.start();
    for (const runner of engine.runners.values()) expect(runner.restoredFrom).toBeNull();
    await expectMatchesPlainFold(engine, events);
  });

  it('a verify whose log ends before the live read model says so instead of waiting forever', async () => {
    const { events, readSide, handler } = await setUp();
    await runSeedScenario(handler, newId);
    const { engine } = engineFor(events, readSide);
    await engine.start();
    const live = engine.runners.get('userProfiles');
    if (live === undefined) throw new Error('no user profiles');
    live.position = 10; // a model folded from a longer log that is gone
    await expect(engine.verify('userProfiles')).rejects.toThrow(
      "The log ends at position 3, before the read model's 10",
    );
  });

  it('saves snapshots by count during a long replay', async () => {
    const { events, readSide, handler } = await setUp();
    await generate(handler, 500, 'a');
    const { engine } = engineFor(events, readSide, {
      checkpointEvery: 150,
      checkpointMinIntervalMs: 0,
    });
    await engine.start();
    const saved = await readSide.load('userProfiles');
    expect(saved?.position).toBeGreaterThanOrEqual(150);
    expect(saved?.position).toBeLessThan(500);
  });

  it('stops a read model whose fold throws, keeps the others going, and skips on request', async () => {
    const { events, readSide, handler } = await setUp();
    await runSeedScenario(handler, newId);
    // An event the profiles cannot fold: a rename of a user that was never created.
    await events.append({
      commandId: 'bad',
      recordedAt: 'x',
      streams: [
        {
          streamId: 'user-ghost',
          expectedVersion: 'any',
          events: [
            {
              eventId: 'b',
              type: 'UserRenamed',
              schemaVersion: 1,
              data: { userId: 'ghost', oldName: 'a', newName: 'b' },
            },
          ],
        },
      ],
    });
    await generate(handler, 100, 'a');
    const { engine } = engineFor(events, readSide);
    await engine.start();
    const profiles = engine.runners.get('userProfiles')!;
    expect(profiles.state).toBe('faulted');
    expect(profiles.fault).toEqual({
      position: 4,
      message: 'UserRenamed at position 4 needs the profile of user "ghost", which is not there',
    });
    expect(profiles.position).toBe(3);
    expect(engine.runners.get('activitySummary')?.position).toBe(104);

    // A rebuild or a verify of the faulted model ends, still faulted at the same event.
    await engine.rebuild('userProfiles');
    expect(profiles.state).toBe('faulted');
    expect(profiles.fault?.position).toBe(4);
    await engine.verify('userProfiles');

    await engine.skip('userProfiles', 4);
    expect(profiles.state).toBe('live');
    await expectMatchesPlainFold(engine, events, new Set([4]));
    expect(await readSide.skips('userProfiles', 0)).toEqual([4]);

    await engine.rebuild('userProfiles');
    expect(profiles.state).toBe('live');
    await expectMatchesPlainFold(engine, events, new Set([4]));
  });

  it('leaves out skips chosen in a replaced log, even when a crash kept them and no snapshot', async () => {
    const { events, readSide, handler } = await setUp();
    await generate(handler, 50, 'a');
    // Chosen in epoch 0; the log was then replaced (epoch 1) and the tab crashed before it
    // cleared the read side. Position 7 of the new log is another event: it must be folded.
    await readSide.addSkip({ projection: 'userProfiles', position: 7, reason: 'old', logEpoch: 0 });
    const replaced = { ...events, epoch: () => Promise.resolve(1) };
    const { engine } = engineFor(replaced, readSide);
    await engine.start();
    expect(engine.runners.get('userProfiles')?.skips.size).toBe(0);
    await expectMatchesPlainFold(engine, events);
  });

  it('rebuilds one read model to the same content, and verify says they match', async () => {
    const { events, readSide, handler } = await setUp();
    await generate(handler, 700, 'a');
    const { engine } = engineFor(events, readSide);
    await engine.start();
    const before = new Map(engine.runners.get('usersByDomain')!.model);
    await engine.rebuild('usersByDomain');
    expect(engine.runners.get('usersByDomain')!.model).toEqual(before);
    expect(engine.runners.get('usersByDomain')!.replayed).toBe(700);
    const verified = await engine.verify('activitySummary');
    expect(verified.position).toBe(700);
    expect(verified.scratchHash).toBe(verified.liveHash);
    engine.runners
      .get('activitySummary')!
      .model.delete([...engine.runners.get('activitySummary')!.model.keys()][0]!);
    const broken = await engine.verify('activitySummary');
    expect(broken.scratchHash).not.toBe(broken.liveHash);
  });

  it('ends a rebuild whose save the browser refuses, and says so in plain words', async () => {
    const { events, readSide, handler } = await setUp();
    await generate(handler, 300, 'a');
    const refusing: ReadSideStore = {
      ...readSide,
      save: () => Promise.reject(new Error('The browser has no room left')),
    };
    const { engine, messages } = engineFor(events, refusing);
    await engine.start();
    await engine.rebuild('userProfiles');
    const errors = messages.flatMap((m) => (m.type === 'error' ? [m.message] : []));
    expect(errors).toContain('Saving the read models failed: The browser has no room left');
    const last = messages.filter((m) => m.type === 'status').at(-1);
    const status = last?.type === 'status' ? last.projections : [];
    expect(status.find((p) => p.name === 'userProfiles')?.rebuild?.running).toBe(false);
    expect(engine.runners.get('userProfiles')?.state).toBe('live');
  });
});
