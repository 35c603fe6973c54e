import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { claimChangesOf } from '../domain';
import { openEventStore, type EventStore, type LogLoss, type MarkKeeper } from '../eventstore';
import { serveGeneration, type GeneratorPort, type OneAtATime } from './generation';
import type { FromGenerator, ToGenerator } from './protocol';

let n = 0;
let ids = 0;

/** Turns as Web Locks give them, within one test: first come, first served. */
function turns(): OneAtATime {
  const queue: (() => void)[] = [];
  let held = false;
  const release = () => {
    held = false;
    queue.shift()?.();
  };
  return (work, { signal, onWait }) =>
    new Promise((resolve, reject) => {
      const go = () => {
        held = true;
        work().then(resolve, reject).finally(release);
      };
      if (!held) {
        go();
        return;
      }
      onWait();
      const abort = () => {
        queue.splice(queue.indexOf(waiter), 1);
        reject(signal.reason as Error);
      };
      const waiter = () => {
        signal.removeEventListener('abort', abort);
        go();
      };
      queue.push(waiter);
      signal.addEventListener('abort', abort, { once: true });
    });
}

/** A worker's port, driven by hand: what the page would send, and what came back. */
function generator(
  open: (marks: MarkKeeper, onLoss: (loss: LogLoss) => void) => Promise<EventStore>,
  oneAtATime: OneAtATime = turns(),
) {
  const received: FromGenerator[] = [];
  const waiters: (() => void)[] = [];
  const port: GeneratorPort = {
    onmessage: null,
    postMessage(message) {
      received.push(message);
      for (const wake of waiters.splice(0)) wake();
    },
  };
  const announced: number[] = [];
  serveGeneration(port, {
    open,
    announce: (position) => announced.push(position),
    newId: () => `gen-${++ids}`,
    clock: () => '2026-05-05T00:00:00.000Z',
    oneAtATime,
  });
  const send = (message: ToGenerator) => {
    port.onmessage?.({ data: message } as MessageEvent<ToGenerator>);
  };
  const until = async (done: (m: FromGenerator) => boolean) => {
    while (!received.some(done)) await new Promise<void>((wake) => waiters.push(wake));
    return received.find(done);
  };
  return { received, announced, send, until };
}

/** A fresh log, opened the way the worker opens it: with the page's watermark keeper. */
function fresh() {
  const name = `generation-${++n}`;
  return {
    open: (marks: MarkKeeper, onLoss: (loss: LogLoss) => void) =>
      openEventStore({ name, claimRule: claimChangesOf, marks, onLoss }),
    store: () => openEventStore({ name, claimRule: claimChangesOf }),
  };
}

describe('the generation worker', () => {
  it('keeps a copy of what appends check before it reports the run finished', async () => {
    const name = `generation-${++n}`;
    const g = generator((marks, onLoss) =>
      openEventStore({ name, claimRule: claimChangesOf, marks, onLoss, keptIndexStride: 1_000 }),
    );
    g.send({ type: 'start', count: 3_000, seed: 2, mark: null });
    await g.until((m) => m.type === 'finished');
    const db = await openDB(name);
    const kept = (await db.get('writeIndex', 0)) as { position: number } | undefined;
    db.close();
    const store = await openEventStore({ name, claimRule: claimChangesOf });
    expect(kept?.position).toBe(await store.head());
  });

  it('runs the commands through the handler and reports each batch with the head', async () => {
    const log = fresh();
    const g = generator(log.open);
    g.send({ type: 'start', count: 5_000, seed: 1, mark: null });
    const finished = await g.until((m) => m.type === 'finished');
    const head = await (await log.store()).head();
    expect(finished).toEqual({
      type: 'finished',
      result: {
        done: 5_000,
        total: 5_000,
        recorded: head,
        rejected: 5_000 - head,
        cancelled: false,
      },
      head,
    });
    const progress = g.received.filter((m) => m.type === 'progress');
    // The first says the run began (a run that waited for its turn stops saying so).
    expect(progress.map((m) => m.progress.done)).toEqual([0, 2_000, 4_000, 5_000]);
    expect(progress.at(-1)?.head).toBe(head);
    expect(g.announced.at(-1)).toBe(head);
    // The watermark goes to the page, which keeps it (a worker has no localStorage).
    expect(g.received.filter((m) => m.type === 'mark').at(-1)).toMatchObject({
      mark: { head },
    });
  });

  it('stops between batches when cancelled: whole batches only', async () => {
    const log = fresh();
    const g = generator(log.open);
    g.send({ type: 'start', count: 20_000, seed: 2, mark: null });
    await g.until((m) => m.type === 'progress');
    g.send({ type: 'cancel' });
    const finished = await g.until((m) => m.type === 'finished');
    if (finished?.type !== 'finished') throw new Error('no outcome');
    expect(finished.result.cancelled).toBe(true);
    expect(finished.result.done % 2_000).toBe(0);
    expect(finished.result.done).toBeLessThan(20_000);
    expect(await (await log.store()).head()).toBe(finished.head);
  });

  it('runs over one log take turns, so two begun at the same head refuse nothing', async () => {
    const log = fresh();
    const shared = turns();
    const [first, second] = [generator(log.open, shared), generator(log.open, shared)];
    first.send({ type: 'start', count: 3_000, seed: 1, mark: null });
    second.send({ type: 'start', count: 3_000, seed: 1, mark: null });
    expect(second.received[0]).toEqual({ type: 'waiting' });
    for (const g of [first, second]) {
      const finished = await g.until((m) => m.type === 'finished');
      expect(finished).toMatchObject({ result: { recorded: 3_000, rejected: 0 } });
    }
    expect(await (await log.store()).head()).toBe(6_000);
  });

  it('a run cancelled while it waits for its turn writes nothing, and says so', async () => {
    const log = fresh();
    const shared = turns();
    const [first, second] = [generator(log.open, shared), generator(log.open, shared)];
    first.send({ type: 'start', count: 20_000, seed: 1, mark: null });
    second.send({ type: 'start', count: 1_000, seed: 1, mark: null });
    await second.until((m) => m.type === 'waiting');
    second.send({ type: 'cancel' });
    expect(await second.until((m) => m.type === 'finished')).toEqual({
      type: 'finished',
      result: { done: 0, total: 1_000, recorded: 0, rejected: 0, cancelled: true },
      head: null,
    });
    first.send({ type: 'cancel' });
    const finished = await first.until((m) => m.type === 'finished');
    expect(await (await log.store()).head()).toBe(finished?.type === 'finished' && finished.head);
  });

  it('a run cancelled once it has begun reports how it ended, not that it never began', async () => {
    const g = generator(() => Promise.reject(new Error('the disk is full')));
    g.send({ type: 'start', count: 10, seed: 1, mark: null });
    g.send({ type: 'cancel' });
    expect(await g.until((m) => m.type === 'failed' || m.type === 'finished')).toEqual({
      type: 'failed',
      message: 'the disk is full',
    });
  });

  it('writes nothing over a log found shorter than the page saw it, and says so', async () => {
    const log = fresh();
    const g = generator(log.open);
    // The page saw 500 events committed in this log; the database holds none now.
    g.send({ type: 'start', count: 2_000, seed: 1, mark: { epoch: 0, head: 500 } });
    expect(await g.until((m) => m.type === 'failed')).toEqual({
      type: 'failed',
      message:
        'the log holds 0 events where this browser saw 500: nothing more is written until that is settled',
    });
    expect(g.received.find((m) => m.type === 'lost')).toEqual({
      type: 'lost',
      loss: { seen: { epoch: 0, head: 500 }, found: { epoch: 0, head: 0 } },
    });
    expect(await (await log.store()).head()).toBe(0);
  });

  it('reports a store that would not open, in words', async () => {
    const g = generator(() => Promise.reject(new Error('the disk is full')));
    g.send({ type: 'start', count: 10, seed: 1, mark: null });
    expect(await g.until((m) => m.type === 'failed')).toEqual({
      type: 'failed',
      message: 'the disk is full',
    });
  });
});
