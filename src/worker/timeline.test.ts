import { describe, expect, it } from 'vitest';
import { createCommandHandler, generateEvents, runSeedScenario } from '../commands';
import { seededRandom } from '../commands/generator';
import { freshLog, handlerOn } from '../commands/testLog';
import { upcast } from '../domain';
import {
  applyChanges,
  foldEvents,
  PROJECTIONS,
  userProfiles,
  type ProjectionName,
  type UserProfile,
} from '../projections';
import { Timeline } from './timeline';
import { evaluateTimeline, TextFilterCache } from './timelineQueries';

let ids = 0;
const newId = () => `t-${++ids}`;

async function logOf(count: number, seed: number, anchorEvery?: number) {
  // A second later at each command or batch: events share a time only within one.
  let tick = 0;
  const { events, handler } = await freshLog('timeline', () =>
    new Date(Date.UTC(2026, 4, 5) + 1000 * tick++).toISOString(),
  );
  await runSeedScenario(handler, newId);
  await generateEvents(handler, { count, seed, runTag: 'r', batchSize: 150, newId });
  const timeline = new Timeline(events, () => Promise.resolve(), {
    batchSize: 333,
    ...(anchorEvery === undefined ? {} : { anchorEvery }),
  });
  await timeline.follow();
  return { events, timeline, log: (await events.readFrom(1, 1_000_000)).map(upcast) };
}

const plainFoldAt = (log: ReturnType<typeof upcast>[], at: number) =>
  Object.fromEntries(
    PROJECTIONS.map((p) => [p.name, foldEvents(p as never, log.slice(0, at))]),
  ) as Record<ProjectionName, Map<string, unknown>>;

describe('timeline', () => {
  it('gives the read models as of random positions, equal to a plain fold from position 1', async () => {
    const { timeline, log } = await logOf(1500, 11, 97);
    const random = seededRandom(5);
    const positions = [
      0,
      1,
      3,
      log.length,
      ...Array.from({ length: 25 }, () => Math.floor(random() * (log.length + 1))),
    ];
    for (const at of positions) {
      const expected = plainFoldAt(log, at);
      const actual = timeline.modelsAt(at);
      for (const p of PROJECTIONS)
        expect(new Map(actual[p.name]), `${p.name} at ${at}`).toEqual(expected[p.name]);
    }
  });

  it('counts events by type in any range, and lists every event unfiltered, as a scan does', async () => {
    const { timeline, events, log } = await logOf(1200, 3);
    for (const e of log)
      expect(timeline.summary(e.position)).toEqual({
        position: e.position,
        type: e.type,
        streamId: e.streamId,
        recordedAt: e.metadata.recordedAt,
      });
    const scan = (from: number, to: number) => {
      const counts: Record<string, number> = {};
      for (const e of log.slice(from - 1, to)) counts[e.type] = (counts[e.type] ?? 0) + 1;
      return counts;
    };
    for (const buckets of [1, 7, 100, 2000]) {
      for (const b of timeline.density(buckets))
        expect(b.counts, `${String(buckets)} buckets, ${String(b.from)}..${String(b.to)}`).toEqual(
          scan(b.from, b.to),
        );
    }
    const query = { kind: 'timelineEvents', type: '', stream: '', text: '', limit: 50 } as const;
    for (const offset of [0, 600, log.length - 20, log.length + 5]) {
      const window = await evaluateTimeline(
        timeline,
        events,
        { ...query, offset },
        new TextFilterCache(),
      );
      expect(window.total).toBe(log.length);
      expect(window.rows.map((r) => r.key)).toEqual(
        log.slice(offset, offset + 50).map((e) => String(e.position)),
      );
    }
  });

  it('tells how far its fold has come after each batch, up to the end of the log', async () => {
    const { events, log } = await logOf(700, 17);
    const told: number[] = [];
    const timeline = new Timeline(events, () => Promise.resolve(), {
      batchSize: 100,
      onFolded: (position) => told.push(position),
    });
    await timeline.follow();
    expect(told).toEqual(
      Array.from({ length: Math.ceil(log.length / 100) }, (_, k) =>
        Math.min(log.length, 100 * (k + 1)),
      ),
    );
  });

  it('folds a log that grows while it reads ahead, with no event missed or folded twice', async () => {
    const { events } = await logOf(500, 13);
    // The head as a reader learns it: from the notices of the appends, a little behind them.
    const known = { head: await events.head() };
    const timeline = new Timeline(events, () => Promise.resolve(), {
      batchSize: 37,
      knownHead: () => known.head,
    });
    const handler = createCommandHandler({
      store: events,
      clock: () => '2026-05-05T00:00:01.000Z',
      announce: (position) => {
        setTimeout(() => {
          known.head = Math.max(known.head, position);
        }, 0);
      },
    });
    const appending: { done: boolean } = { done: false };
    const grown = generateEvents(handler, {
      count: 1200,
      seed: 14,
      runTag: 'g',
      batchSize: 40,
      newId,
    }).finally(() => {
      appending.done = true;
    });
    while (!appending.done) {
      await timeline.follow();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await grown;
    await timeline.follow();
    const log = (await events.readFrom(1, 1_000_000)).map(upcast);
    const models = timeline.modelsAt(log.length);
    const expected = plainFoldAt(log, log.length);
    for (const p of PROJECTIONS) expect(new Map(models[p.name])).toEqual(expected[p.name]);
    expect(timeline.summary(log.length)?.position).toBe(log.length);
    expect(timeline.summary(log.length + 1)).toBeUndefined();
  });

  it('following a live log, reads once when nothing is new and twice when something is', async () => {
    const { events } = await logOf(100, 15);
    const asked: number[] = [];
    const timeline = new Timeline(
      {
        readRun: (from, limit) => {
          asked.push(from);
          return events.readRun(from, limit);
        },
      },
      () => Promise.resolve(),
      { knownHead: () => 0 },
    );
    await timeline.follow();
    const head = await events.head();
    asked.length = 0;
    await timeline.follow();
    expect(asked).toEqual([head + 1]);
    asked.length = 0;
    const handler = handlerOn(events, () => '2026-05-05T00:00:01.000Z');
    await generateEvents(handler, { count: 5, seed: 16, runTag: 'l', batchSize: 5, newId });
    await timeline.follow();
    expect(asked).toEqual([head + 1, (await events.head()) + 1]);
  });

  it('gives what each event changed, equal to the difference of the folds around it', async () => {
    const { timeline, log } = await logOf(400, 12);
    const random = seededRandom(9);
    for (let i = 0; i < 20; i++) {
      const at = 1 + Math.floor(random() * log.length);
      const before = plainFoldAt(log, at - 1);
      const after = plainFoldAt(log, at);
      const writes = timeline.writesAt(at);
      for (const p of PROJECTIONS) {
        const keys = new Set([...before[p.name].keys(), ...after[p.name].keys()]);
        const changed = [...keys].filter(
          (k) =>
            before[p.name].get(k) !== after[p.name].get(k) &&
            JSON.stringify(before[p.name].get(k)) !== JSON.stringify(after[p.name].get(k)),
        );
        const written = writes.filter((w) => w.projection === p.name);
        expect(written.map((w) => w.key).sort(), `${p.name} at ${at}`).toEqual(changed.sort());
        for (const w of written) {
          expect(w.before).toEqual(before[p.name].get(w.key));
          expect(w.after).toEqual(after[p.name].get(w.key));
        }
      }
    }
  });

  it('folds a what-if sandbox equal to a plain fold of the log without that event', async () => {
    const { timeline, log } = await logOf(500, 14);
    for (const skip of [3, 40, 250, log.length]) {
      const without = plainFoldAt(
        log.filter((e) => e.position !== skip),
        log.length - 1,
      );
      const real = plainFoldAt(log, log.length);
      const differences = await timeline.withoutEvent(skip);
      for (const p of PROJECTIONS) {
        const expected = [...new Set([...real[p.name].keys(), ...without[p.name].keys()])]
          .filter(
            (k) => JSON.stringify(real[p.name].get(k)) !== JSON.stringify(without[p.name].get(k)),
          )
          .sort();
        const mine = differences.filter((d) => d.projection === p.name);
        expect(mine.map((d) => d.key).sort(), `${p.name} without ${skip}`).toEqual(expected);
        for (const d of mine) expect(d.sandbox).toEqual(without[p.name].get(d.key));
      }
    }
    const atHead = timeline.modelsAt(log.length);
    for (const p of PROJECTIONS)
      expect(new Map(atHead[p.name])).toEqual(plainFoldAt(log, log.length)[p.name]);
  });

  it('blames exactly the events a brute-force scan finds', async () => {
    const { timeline, log } = await logOf(600, 13);
    expect(timeline.blame('userProfiles', 'user123', 'email', 3)).toEqual([
      { position: 1, value: 'john@example.com' },
      { position: 3, value: 'john.doe@company.com' },
    ]);
    expect(timeline.blame('userProfiles', 'user123', 'email', 2)).toEqual([
      { position: 1, value: 'john@example.com' },
    ]);
    const random = seededRandom(3);
    const users = [...plainFoldAt(log, log.length).userProfiles.keys()];
    for (let i = 0; i < 15; i++) {
      const user = users[Math.floor(random() * users.length)] ?? 'user123';
      const at = Math.floor(random() * (log.length + 1));
      for (const field of ['email', 'name', 'status'] as const) {
        // Brute force: fold event by event, and note every position where the field moved.
        const brute: { position: number; value: unknown }[] = [];
        const model = new Map<string, UserProfile>();
        let previous: unknown;
        for (const event of log.slice(0, at)) {
          applyChanges(
            model,
            userProfiles.project(event, (k) => model.get(k)),
          );
          const value = model.get(user)?.[field];
          if (value !== previous) brute.push({ position: event.position, value });
          previous = value;
        }
        expect(
          timeline.blame('userProfiles', user, field, at),
          `${user}.${field} at ${at}`,
        ).toEqual(brute);
      }
    }
  });
});
