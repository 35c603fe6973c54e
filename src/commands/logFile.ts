import {
  checkEventData,
  claimChangesOf,
  CURRENT_SCHEMA_VERSION,
  emailOfKey,
  isUserEventType,
  userStreamId,
  type RecordedEvent,
} from '../domain';
import type { EventStore, LogMark, RecordedCommand } from '../eventstore';
import { yieldNow } from '../timing';

/**
 * The log as a file: NDJSON, one event per line in position order, each with its metadata,
 * and on the first event of each command the command itself (`command`: type and data) when
 * it was kept. Keys are always written in one order, so exporting an imported file gives it
 * back byte for byte.
 */
function eventLine(event: RecordedEvent, command?: RecordedCommand): string {
  const { metadata: m } = event;
  return JSON.stringify({
    position: event.position,
    streamId: event.streamId,
    version: event.version,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: {
      eventId: m.eventId,
      commandId: m.commandId,
      causationId: m.causationId,
      correlationId: m.correlationId,
      recordedAt: m.recordedAt,
    },
    ...(command?.type === undefined ? {} : { command: { type: command.type, data: command.data } }),
  });
}

const EXPORT_BATCH = 5_000;

/** Where an export goes as it is made: its text in order, then the finished file. */
export interface ExportSink {
  write(text: string): Promise<void>;
  finish(): Promise<Blob>;
  /** Gives up: what was written so far is dropped. */
  abort(): Promise<void>;
}

/**
 * Keeps the export in the browser's blob storage, one Blob per batch. The browser keeps
 * blobs in memory when it cannot page them to disk (a private window): there, a download of
 * more than about 500 MB is canceled. What the page uses when it has no private file system.
 */
export function blobSink(): ExportSink {
  const parts: Blob[] = [];
  return {
    write: (text) => {
      parts.push(new Blob([text]));
      return Promise.resolve();
    },
    finish: () => Promise.resolve(new Blob(parts, { type: NDJSON })),
    abort: () => {
      parts.length = 0;
      return Promise.resolve();
    },
  };
}

const NDJSON = 'application/x-ndjson';

/**
 * Writes the whole log as NDJSON into `sink`, read in batches with a pause between them, so
 * the page holds a batch or two of text at a time, whatever the size. The next batch is read
 * while one is written: storage answers the read while the page formats and the sink writes.
 */
export async function exportLog(
  store: Pick<EventStore, 'head' | 'readFrom' | 'readCommands'>,
  sink: ExportSink = blobSink(),
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<{ readonly file: Blob; readonly events: number }> {
  try {
    const head = await store.head();
    let next = head > 0 ? readAhead(store, 1, head) : null;
    while (next !== null) {
      const { to, events, commands } = await next;
      next = to < head ? readAhead(store, to + 1, head) : null;
      const firstOf = new Map(commands.map((c) => [c.first, c]));
      await sink.write(events.map((e) => `${eventLine(e, firstOf.get(e.position))}\n`).join(''));
      onProgress(to, head);
      await yieldNow();
    }
    return { file: await sink.finish(), events: head };
  } catch (error) {
    await sink.abort().catch(() => undefined);
    throw error;
  }
}

/**
 * One batch of the export, read ahead: events [from, to] and the commands that recorded
 * them. A read that fails is reported where the batch is awaited, not as soon as it fails.
 */
function readAhead(
  store: Pick<EventStore, 'readFrom' | 'readCommands'>,
  from: number,
  head: number,
): ReturnType<typeof readBatch> {
  const batch = readBatch(store, from, head);
  batch.catch(() => undefined);
  return batch;
}

async function readBatch(
  store: Pick<EventStore, 'readFrom' | 'readCommands'>,
  from: number,
  head: number,
) {
  const to = Math.min(head, from + EXPORT_BATCH - 1);
  const [events, commands] = await Promise.all([
    store.readFrom(from, to - from + 1),
    store.readCommands(from, to),
  ]);
  return { to, events, commands };
}

/** One line's verdict: the event it holds, or why it cannot be taken. */
type LineVerdict =
  | {
      readonly ok: true;
      readonly event: RecordedEvent;
      readonly command?: { readonly type: string; readonly data: unknown };
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks an exported log line by line, as it streams in: valid JSON, a known type and schema
 * version, data that fits that type and version, positions that follow each other from 1,
 * per-stream versions that follow each other, a user's life as the decider allows it (created
 * once, first; nothing after deactivation), and unique emails held by one user at a time.
 * A log the app could not have written would stop the read models that fold it.
 */
export class LogChecker {
  private position = 0;
  private readonly versions = new Map<string, number>();
  private readonly owners = new Map<string, string>();
  /** Streams of deactivated users, and where that happened. */
  private readonly ended = new Map<string, number>();

  check(line: string): LineVerdict {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { ok: false, reason: 'it is not valid JSON' };
    }
    const shape = eventShape(value);
    if (typeof shape === 'string') return { ok: false, reason: shape };
    const { event, command } = shape;
    const claims = claimChangesOf(event);
    const wrong = this.inOrder(event, claims.claim);
    if (wrong !== null) return { ok: false, reason: wrong };
    this.position = event.position;
    this.versions.set(event.streamId, event.version);
    if (event.type === 'UserDeactivated') this.ended.set(event.streamId, event.position);
    for (const key of claims.release)
      if (this.owners.get(key) === event.streamId) this.owners.delete(key);
    for (const key of claims.claim) this.owners.set(key, event.streamId);
    return command === undefined ? { ok: true, event } : { ok: true, event, command };
  }

  private inOrder(event: RecordedEvent, claims: readonly string[]): string | null {
    if (event.position !== this.position + 1) {
      return `its position is ${String(event.position)}, but ${String(this.position + 1)} comes next (positions follow each other from 1)`;
    }
    const expected = (this.versions.get(event.streamId) ?? 0) + 1;
    if (event.version !== expected) {
      return `it is version ${String(event.version)} of stream ${event.streamId}, but version ${String(expected)} comes next`;
    }
    const creates = event.type === 'UserCreated';
    if (creates && event.version > 1)
      return `it creates the user of stream ${event.streamId} again (a user is created once)`;
    if (!creates && event.version === 1)
      return `it is the first event of stream ${event.streamId}, but a user's first event is UserCreated`;
    const ended = this.ended.get(event.streamId);
    if (ended !== undefined)
      return `the user of stream ${event.streamId} was deactivated at position ${String(ended)}, and nothing of theirs comes after that`;
    for (const key of claims) {
      const owner = this.owners.get(key);
      if (owner !== undefined && owner !== event.streamId)
        return `email ${emailOfKey(key)} is already held by ${owner}`;
    }
    return null;
  }
}

/** An event line's own shape, before its place in the log is looked at. */
function eventShape(
  value: unknown,
): { event: RecordedEvent; command?: { type: string; data: unknown } } | string {
  if (!isObject(value)) return 'it is not an event (a JSON object)';
  const { position, streamId, version, type, schemaVersion, data, metadata, command } = value;
  if (!isCount(position)) return 'its position is not a whole number from 1';
  if (typeof streamId !== 'string' || streamId === '') return 'it has no stream id';
  if (!isCount(version)) return 'its version is not a whole number from 1';
  if (typeof type !== 'string' || !isUserEventType(type))
    return `its type ${JSON.stringify(type)} is not an event type of this app`;
  if (!isCount(schemaVersion) || schemaVersion > CURRENT_SCHEMA_VERSION[type])
    return `${type} has no schema version ${JSON.stringify(schemaVersion)}`;
  const wrongData = checkEventData(type, schemaVersion, data);
  if (wrongData !== null) return wrongData;
  const userId = (data as { userId: string }).userId;
  if (streamId !== userStreamId(userId))
    return `it is in stream ${streamId}, but its user ${userId} belongs in ${userStreamId(userId)}`;
  if (!isObject(metadata)) return 'it has no metadata';
  for (const key of ['eventId', 'commandId', 'causationId', 'correlationId'] as const) {
    const id = metadata[key];
    if (typeof id !== 'string' || id === '') return `its metadata has no ${key}`;
  }
  const recordedAt = metadata.recordedAt;
  if (typeof recordedAt !== 'string' || Number.isNaN(Date.parse(recordedAt)))
    return 'its metadata has no recordedAt date and time';
  if (command !== undefined && (!isObject(command) || typeof command.type !== 'string'))
    return 'its command has no type';
  const event: RecordedEvent = {
    position,
    streamId,
    version,
    type,
    schemaVersion,
    data,
    metadata: {
      eventId: metadata.eventId as string,
      commandId: metadata.commandId as string,
      causationId: metadata.causationId as string,
      correlationId: metadata.correlationId as string,
      recordedAt,
    },
  };
  return command === undefined
    ? { event }
    : { event, command: { type: command.type as string, data: command.data } };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

/** What checking or importing a file came to. */
export type LogFileOutcome =
  | { readonly ok: true; readonly events: number }
  | { readonly ok: false; readonly line: number; readonly reason: string };

/**
 * Bytes of the file read at once: few enough reads that waiting on each costs little, and
 * small enough to decode well inside one of the page's turns (about 8 ms for 1 MB).
 */
const READ_BYTES = 1 << 20;

/**
 * The file's lines in order, a slice of it at a time, the next slice read while one is
 * walked: a large file is never whole in memory. Read as a stream, a 100 MB file came in
 * 64 KB chunks, and the page spent about a third of a check waiting on them one by one.
 */
export async function* lineBatchesOf(
  file: Blob,
  sliceBytes = READ_BYTES,
): AsyncGenerator<readonly string[]> {
  const decoder = new TextDecoder();
  const read = (at: number) => {
    if (at >= file.size) return null;
    const bytes = file.slice(at, at + sliceBytes).arrayBuffer();
    bytes.catch(() => undefined); // reported where it is awaited, if it is
    return bytes;
  };
  let rest = '';
  let next = read(0);
  for (let at = 0; next !== null; at += sliceBytes) {
    const bytes = await next;
    next = read(at + sliceBytes);
    // A character cut at the slice's end is held back until the next slice completes it.
    const lines = (rest + decoder.decode(bytes, { stream: next !== null })).split('\n');
    rest = lines.pop() ?? '';
    yield lines;
  }
  if (rest !== '') yield [rest];
}

/** Events in order, checked, with every command's range; `visit` gets them in batches. */
async function readLogFile(
  file: Blob,
  visit: (events: RecordedEvent[], commands: RecordedCommand[]) => Promise<void>,
): Promise<LogFileOutcome> {
  const checker = new LogChecker();
  let events: RecordedEvent[] = [];
  let commands: RecordedCommand[] = [];
  let count = 0;
  let since = performance.now();
  let number = 0;
  for await (const lines of lineBatchesOf(file)) {
    for (const line of lines) {
      number += 1;
      // The lines of a slice are walked without a turn for the page: this loop gives it one,
      // by the clock.
      if (number % 256 === 0 && performance.now() - since > TURN_MS) {
        await yieldNow();
        since = performance.now();
      }
      if (line.trim() === '') return { ok: false, line: number, reason: 'it is empty' };
      const verdict = checker.check(line);
      if (!verdict.ok) return { ok: false, line: number, reason: verdict.reason };
      const { event } = verdict;
      const last = commands.at(-1);
      // A batch ends only between commands, so a command's range is never split.
      if (events.length >= IMPORT_BATCH && last?.commandId !== event.metadata.commandId) {
        // Packing the batch for storage starts a turn of its own.
        await yieldNow();
        await visit(events, commands);
        since = performance.now();
        events = [];
        commands = [];
      }
      const open = commands.at(-1);
      if (open?.commandId === event.metadata.commandId) {
        commands[commands.length - 1] = { ...open, last: event.position };
      } else {
        commands.push({
          commandId: event.metadata.commandId,
          first: event.position,
          last: event.position,
          ...(verdict.command ?? {}),
        });
      }
      events.push(event);
      count += 1;
    }
    // The next slice is decoded at the start of a turn of its own.
    await yieldNow();
    since = performance.now();
  }
  if (count === 0) return { ok: false, line: 1, reason: 'the file holds no events' };
  await visit(events, commands);
  return { ok: true, events: count };
}

/**
 * Events per staging transaction. Each batch is packed and handed to storage in one go on
 * the page's thread: 8,192 at a time took it for 50-83 ms, about 45 times in an import of
 * a million events; 2,048, about a quarter of that, and the import was no slower.
 */
const IMPORT_BATCH = 2_048;
/** How long a check or import works before the page gets a turn: well under a long task. */
const TURN_MS = 25;

/** Checks a whole file and writes nothing: the answer a person gets before confirming. */
export function checkLogFile(file: Blob): Promise<LogFileOutcome> {
  return readLogFile(file, yieldNow);
}

/**
 * Replaces the log with the file's events, checking every line again as it goes. Nothing
 * changes unless the whole file is good: the events are staged, then swapped in at once.
 */
export async function importLogFile(
  store: Pick<EventStore, 'replaceLog'>,
  file: Blob,
  onProgress: (done: number) => void = () => undefined,
  expected?: LogMark,
): Promise<LogFileOutcome> {
  const replacement = await store.replaceLog();
  try {
    const outcome = await readLogFile(file, async (events, commands) => {
      await replacement.add(events, commands);
      onProgress(events.at(-1)?.position ?? 0);
    });
    if (!outcome.ok) {
      await replacement.abandon();
      return outcome;
    }
    await replacement.commit(expected);
    return outcome;
  } catch (error) {
    await replacement.abandon();
    throw error;
  }
}
