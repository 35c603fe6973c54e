import { describe, expect, it } from 'vitest';
import { generateEvents } from '../commands';
import { freshLog, TEST_TIME } from '../commands/testLog';
import { upcast } from '../domain';
import { openReadSideStore, type EventStore, type LogRun } from '../eventstore';
import { foldEvents, PROJECTIONS } from '../projections';
import { ProjectionEngine } from './engine';
import type { LogReadReply, LogReadRequest } from './protocol';
import { answerLogRead, remoteLog, serveLogReads } from './remoteLog';

/** The log reader on the far end of a real MessageChannel, as the worker entry wires it. */
function readerOver(
  events: Pick<EventStore, 'readPieces'>,
  inPlace: Pick<EventStore, 'readRun'> = {
    readRun: () => Promise.reject(new Error('read in place')),
  },
) {
  const channel = new MessageChannel();
  const asked: LogReadRequest[] = [];
  const failures: string[] = [];
  const starts = { count: 0 };
  let answering = true;
  channel.port2.onmessage = ({ data }: MessageEvent<LogReadRequest>) => {
    asked.push(data);
    if (answering)
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
    onerror: null as ((event: ErrorEvent) => void) | null,
  };
  return {
    reads: remoteLog(
      () => {
        starts.count += 1;
        return port;
      },
      inPlace,
      (why) => failures.push(why),
    ),
    starts,
    asked,
    failures,
    /** The reader dies: it answers nothing more, and its worker reports an error. */
    die: () => {
      answering = false;
      port.onerror?.({ message: 'gone' } as ErrorEvent);
    },
    close: () => {
      channel.port1.close();
    },
  };
}

async function logOf(count: number) {
  const { events, handler } = await freshLog('remote-log');
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
    expect(reader.starts.count).toBe(0); // started by the first read, not before
    const remote: unknown[] = [];
    (await reader.reads.readRun(5, 1000)).forEach((e) => remote.push(e));
    reader.close();
    expect(reader.starts.count).toBe(1);
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
      readSide: await openReadSideStore('remote-log-read'),
      now: () => 0,
      clock: () => TEST_TIME,
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

  it('reads in place what the reader fails, and everything once the reader is gone', async () => {
    const events = await logOf(300);
    const walk = async (run: Promise<LogRun>) => {
      const seen: number[] = [];
      (await run).forEach((e) => seen.push(e.position));
      return seen;
    };
    const failing = readerOver(
      { readPieces: () => Promise.reject(new Error('disk gone')) },
      events,
    );
    expect(await walk(failing.reads.readRun(1, 10))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(failing.failures).toEqual(['The log reader could not read: Error: disk gone']);
    failing.close();

    const dying = readerOver(events, events);
    expect(await walk(dying.reads.readRun(1, 3))).toEqual([1, 2, 3]);
    dying.die();
    expect(await walk(dying.reads.readRun(4, 3))).toEqual([4, 5, 6]);
    expect(dying.asked).toHaveLength(1);
    expect(dying.failures).toEqual(['The log reader stopped (gone); the log is read in place.']);
    dying.close();
  });

  it('answers every request, even when its store would not open', async () => {
    const answer = await answerLogRead(Promise.reject(new Error('no database')), {
      requestId: 7,
      from: 1,
      limit: 10,
    });
    expect(answer.reply).toEqual({ requestId: 7, error: 'Error: no database' });
  });

  it('reads in place a read still waiting when the reader dies', async () => {
    const events = await logOf(50);
    const reader = readerOver({ readPieces: () => new Promise(() => undefined) }, events);
    const waiting = reader.reads.readRun(1, 5);
    reader.die();
    expect((await waiting).count).toBe(5);
    reader.close();
  });

  it('sends an error for a reply that cannot be sent, so the asker reads in place', async () => {
    const sent: LogReadReply[] = [];
    let refuse = true;
    const port = {
      onmessage: null as ((message: MessageEvent<LogReadRequest>) => void) | null,
      postMessage(reply: LogReadReply) {
        if (refuse) {
          refuse = false;
          throw new DOMException('a buffer could not be transferred', 'DataCloneError');
        }
        sent.push(reply);
      },
    };
    serveLogReads(port, { readPieces: () => Promise.resolve([]) });
    port.onmessage?.({
      data: { requestId: 7, from: 1, limit: 10 },
    } as MessageEvent<LogReadRequest>);
    await expect.poll(() => sent).toHaveLength(1);
    expect(sent[0]).toEqual({
      requestId: 7,
      error: 'the reply could not be sent: DataCloneError: a buffer could not be transferred',
    });
  });
});
