import { runOf, type EventStore, type LogPiece, type LogRun } from '../eventstore';
import type { LogReadReply, LogReadRequest } from './protocol';

/** The reader's side: one run of the log as plain pieces, and the buffers to transfer. */
export async function answerLogRead(
  events: Pick<EventStore, 'readPieces'>,
  request: LogReadRequest,
): Promise<{ reply: LogReadReply; transfer: Transferable[] }> {
  const { requestId, from, limit } = request;
  try {
    const pieces = await events.readPieces(from, limit);
    return { reply: { requestId, pieces }, transfer: buffersOf(pieces) };
  } catch (error) {
    return { reply: { requestId, error: String(error) }, transfer: [] };
  }
}

/** Each segment's columns came out of IndexedDB into a buffer of their own: moved, not copied. */
function buffersOf(pieces: readonly LogPiece[]): Transferable[] {
  const buffers = new Set<ArrayBuffer>();
  for (const piece of pieces) {
    if ('segment' in piece) buffers.add(piece.segment.columns.buffer as ArrayBuffer);
  }
  return [...buffers];
}

interface Port {
  postMessage(message: LogReadRequest): void;
  onmessage: ((message: MessageEvent<LogReadReply>) => void) | null;
}

/**
 * The projection worker's side: `readRun` answered by the log reader. Reading a record out
 * of IndexedDB (unpacking and copying it into JavaScript values) was about a quarter of a
 * cold open's time in the folding thread; here it runs in the reader's, beside the fold.
 */
export function remoteLog(port: Port): Pick<EventStore, 'readRun'> {
  let next = 0;
  const waiting = new Map<number, (reply: LogReadReply) => void>();
  port.onmessage = ({ data: reply }) => {
    waiting.get(reply.requestId)?.(reply);
    waiting.delete(reply.requestId);
  };
  return {
    readRun: (from, limit) =>
      new Promise<LogRun>((resolve, reject) => {
        const requestId = ++next;
        waiting.set(requestId, (reply) => {
          if ('error' in reply) reject(new Error(reply.error));
          else resolve(runOf(reply.pieces, from));
        });
        port.postMessage({ requestId, from, limit });
      }),
  };
}
