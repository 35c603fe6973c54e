import { describe, expect, it } from 'vitest';
import { createCommandHandler, generateEvents } from '../commands';
import { claimChangesOf, upcast } from '../domain';
import { openEventStore, openReadSideStore, type EventStore } from '../eventstore';
import { foldEvents, PROJECTIONS } from '../projections';
import { ProjectionEngine } from './engine';
import type { LogReadReply, LogReadRequest } from './protocol';
import { answerLogRead, remoteLog } from './remoteLog';

/** The log reader on the far end of a real MessageChannel, as the worker entry wires it. */
function readerOver(events: Pick<EventStore, 'readPieces'>) {
  const channel = new MessageChannel();
  const asked: LogReadRequest[] = [];
  channel.port2.onmessage = ({ data }: MessageEvent<LogReadRequest>) => {
    asked.push(data);
    void answerLogRead(events, data).then(({ reply, transfer }) => {
      channel.port2.postMessage(reply, transfer);
    });
  };
  const port = {
    postMessage: (m: LogReadRequest) => {
      channel.port1.postMessage(m);
    },
    set onmessage(handler: ((m: MessageEvent<LogReadReply>) => void) | null) {
      channel.port1.onmessage = handler;
    },
    get onmessage() {
      return null;
    },
  };
  return {
    reads: remoteLog(port),
    asked,
    close: () => {
      channel.port1.close();
    },
  };
}

let n = 0;
async function logOf(count: number) {
  const events = await openEventStore({ name: `remote-log-${++n}`, claimRule: claimChangesOf });
  const handler = createCommandHandler({
    store: events,
    clock: () => '2026-05-05T00:00:00.000Z',
    announce: () => undefined,
  });
  let ids = 0;
  await generateEvents(handler, {
    count,
    seed: 9,
    runTag: 'r',
    batchSize: 250,
    newId: () => `id-${String(++ids)}`,
  });
  return events;
}

describe('the log reader in another thread', () => {
  it('hands over runs that walk to the same events, segments and singles alike', async () => {
    const events = await logOf(700);
    await events.append({
      commandId: 'single',
      recordedAt: '2026-05-05T00:00:00.000Z',
      streams: [
        {
          streamId: 'user-r-u1',
          expectedVersion: 'any',
          events: [
            { eventId: 'e', type: 'UserLoggedIn', schemaVersion: 1, data: { userId: 'r-u1' } },
          ],
        },
      ],
    });
    const reader = readerOver(events);
    const remote: unknown[] = [];
    (await reader.reads.readRun(5, 1000)).forEach((e) => remote.push(e));
    reader.close();
    expect(remote).toEqual(await events.readFrom(5, 1000));
    expect(remote).toHaveLength(697);
  });

  it('lets a long replay fold through it to the plain fold, and a live follow read in place', async () => {
    const events = await logOf(1500);
    const reader = readerOver(events);
    const engine = new ProjectionEngine({
      events,
      bulkReads: reader.reads,
      bulkReadFrom: 300,
      batchSize: 200,
      readSide: await openReadSideStore(`remote-log-read-${String(n)}`),
      now: () => 0,
      clock: () => '2026-05-05T00:00:00.000Z',
      emit: () => undefined,
      yieldNow: () => Promise.resolve(),
    });
    await engine.start();
    reader.close();
    const log = (await events.readFrom(1, 10_000)).map(upcast);
    for (const p of PROJECTIONS)
      expect(engine.runners.get(p.name)?.model).toEqual(foldEvents(p as never, log));
    // Far behind the head: through the reader; the last stretch: read in place.
    expect(reader.asked.length).toBeGreaterThan(0);
    expect(Math.max(...reader.asked.map((r) => r.from))).toBeLessThanOrEqual(1500 - 300);
  });

  it('passes a failed read on as a failed read', async () => {
    const reader = readerOver({ readPieces: () => Promise.reject(new Error('disk gone')) });
    await expect(reader.reads.readRun(1, 10)).rejects.toThrow('disk gone');
    reader.close();
  });
});
