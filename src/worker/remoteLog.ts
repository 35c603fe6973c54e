import { runOf, type EventStore, type LogPiece, type LogRun } from '../eventstore';
import type { LogReadReply, LogReadRequest } from './protocol';

/**
 * The reader's side: one run of the log as plain pieces, and the buffers to transfer. Every
 * request is answered, a failure too (a store that would not open, a read refused), so the
 * other side never waits for a reply that is not coming.
 */
export async function answerLogRead(
  events: Pick<EventStore, 'readPieces'> | Promise<Pick<EventStore, 'readPieces'>>,
  request: LogReadRequest,
): Promise<{ reply: LogReadReply; transfer: Transferable[] }> {
  const { requestId, from, limit } = request;
  try {
    const pieces = await (await events).readPieces(from, limit);
    return { reply: { requestId, pieces }, transfer: buffersOf(pieces) };
  } catch (error) {
    return { reply: { requestId, error: String(error) }, transfer: [] };
  }
}

/** The reader's end of the channel, as seen from its worker. */
interface ReaderPort {
  postMessage(reply: LogReadReply, transfer: Transferable[]): void;
  onmessage: ((message: MessageEvent<LogReadRequest>) => void) | null;
}

/**
 * Answers every read asked on `port`. A reply that cannot be sent (its buffers cannot be
 * transferred, say) goes as an error instead, which has the asker read in place: a reply
 * lost to a throw here would have left the replay waiting for ever.
 */
export function serveLogReads(
  port: ReaderPort,
  events: Pick<EventStore, 'readPieces'> | Promise<Pick<EventStore, 'readPieces'>>,
): void {
  port.onmessage = ({ data: request }) => {
    void answerLogRead(events, request).then(({ reply, transfer }) => {
      try {
        port.postMessage(reply, transfer);
      } catch (error) {
        port.postMessage(
          { requestId: request.requestId, error: `the reply could not be sent: ${String(error)}` },
          [],
        );
      }
    });
  };
}

/** Each segment's columns came out of IndexedDB into a buffer of their own: moved, not copied. */
function buffersOf(pieces: readonly LogPiece[]): Transferable[] {
  const buffers = new Set<ArrayBuffer>();
  for (const piece of pieces) {
    if (!('segment' in piece)) continue;
    const { columns, streams, shapeOf, values } = piece.segment;
    for (const array of [columns, streams, shapeOf, values])
      if (array !== undefined) buffers.add(array.buffer as ArrayBuffer);
  }
  return [...buffers];
}

interface Port {
  postMessage(message: LogReadRequest): void;
  onmessage: ((message: MessageEvent<LogReadReply>) => void) | null;
  /** The reader could not start or died (a worker's `error` event). */
  onerror: ((event: ErrorEvent) => void) | null;
}

type Read = Pick<EventStore, 'readRun'>;

/**
 * The projection worker's side: `readRun` answered by the log reader. Reading a record out
 * of IndexedDB (unpacking and copying it into JavaScript values) was about a quarter of a
 * cold open's time in the folding thread; here it runs in the reader's, beside the fold.
 * A read the reader fails is read in place instead, and so is every read once the reader
 * itself has failed, so a replay never waits on a reader that is gone; `failed` says so.
 * The reader is started on the first read: a tab whose log is short never starts one.
 */
export function remoteLog(start: () => Port, inPlace: Read, failed: (why: string) => void): Read {
  let next = 0;
  let broken = false;
  let started: Port | null = null;
  const waiting = new Map<number, (reply: LogReadReply | null) => void>();
  const reader = (): Port => {
    if (started !== null) return started;
    const port = start();
    port.onmessage = ({ data: reply }) => {
      waiting.get(reply.requestId)?.(reply);
      waiting.delete(reply.requestId);
    };
    port.onerror = (event) => {
      failed(`The log reader stopped (${event.message}); the log is read in place.`);
      broken = true;
      for (const settle of waiting.values()) settle(null);
      waiting.clear();
    };
    started = port;
    return port;
  };
  return {
    readRun: (from, limit) =>
      broken
        ? inPlace.readRun(from, limit)
        : new Promise<LogRun>((resolve, reject) => {
            const requestId = ++next;
            waiting.set(requestId, (reply) => {
              if (reply !== null && 'pieces' in reply) {
                resolve(runOf(reply.pieces, from));
                return;
              }
              if (reply !== null) failed(`The log reader could not read: ${reply.error}`);
              inPlace.readRun(from, limit).then(resolve, reject);
            });
            reader().postMessage({ requestId, from, limit });
          }),
  };
}
