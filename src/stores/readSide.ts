import { createStore } from 'zustand/vanilla';
import type { ProjectionName } from '../projections';
import type {
  FromWorker,
  ProjectionFixture,
  ProjectionStatus,
  Query,
  ToWorker,
  WindowPatch,
} from '../worker/protocol';

/** The read side as the page sees it: the worker's status reports. */
export interface ReadSideState {
  readonly head: number;
  readonly projections: readonly ProjectionStatus[];
  readonly error: string | null;
  /** Why the projection worker itself stopped, if it did: nothing more will come from it. */
  readonly stopped: string | null;
  /** How far the timeline's own fold has come, of the log's length, when the worker said. */
  readonly timeline: { readonly folded: number; readonly head: number } | null;
}

export const readSideStore = createStore<ReadSideState>(() => ({
  head: 0,
  projections: [],
  error: null,
  stopped: null,
  timeline: null,
}));

/** A window a view draws: the rows the worker sent for its query, by key and in order. */
export interface WindowState {
  readonly version: number;
  /** The rows answer the latest query. */
  readonly loaded: boolean;
  /** Some answer came, perhaps to an earlier query: false only until the first one. */
  readonly answered: boolean;
  readonly total: number;
  readonly offset: number;
  readonly keys: readonly string[];
  readonly rows: ReadonlyMap<string, unknown>;
}

/** A window before its first answer. Its empty rows are never changed in place: a patch
 * copies them. */
export const NO_ANSWER: WindowState = {
  version: 0,
  loaded: false,
  answered: false,
  total: 0,
  offset: 0,
  keys: [],
  rows: new Map(),
};

export const windowsStore = createStore<Readonly<Record<string, WindowState>>>(() => ({}));

export interface VerifyResult {
  readonly projection: ProjectionName;
  readonly position: number;
  readonly match: boolean;
  readonly liveHash: string;
  readonly scratchHash: string;
}

interface Port {
  postMessage(message: ToWorker): void;
}

let port: Port | null = null;
let nextId = 0;
type Reply = Extract<FromWorker, { requestId: string }>;
const replies = new Map<string, (reply: Reply | Error) => void>();

/**
 * Sends a request and resolves with what `read` takes from the worker's reply to it, or
 * rejects with the worker's error when the request failed there.
 */
function ask<T>(request: (requestId: string) => ToWorker, read: (reply: Reply) => T): Promise<T> {
  const requestId = `r${String(++nextId)}`;
  return new Promise((resolve, reject) => {
    replies.set(requestId, (reply) => {
      if (reply instanceof Error) reject(reply);
      else resolve(read(reply));
    });
    send(request(requestId));
  });
}

function answer(requestId: string, reply: Reply | Error): void {
  replies.get(requestId)?.(reply);
  replies.delete(requestId);
}

/** Connects the stores to the projection worker; the composition root calls this once. */
export function connectReadSide(
  worker: Port & {
    onmessage: ((e: MessageEvent<FromWorker>) => void) | null;
    onerror?: ((e: ErrorEvent) => void) | null;
  },
): void {
  port = worker;
  worker.onmessage = (event) => {
    receive(event.data);
  };
  // A worker that could not open the databases, or whose script would not load, ends with
  // an error event (a plain Event, with no message, for a script that did not load).
  worker.onerror = (event) => {
    event.preventDefault();
    const why = (event as Partial<ErrorEvent>).message ?? '';
    const stopped = why === '' ? 'its script did not load' : why;
    readSideStore.setState({
      stopped,
      error: `The projection worker stopped (${stopped}). Reload the page to start it again.`,
    });
    for (const requestId of [...replies.keys()])
      answer(requestId, new Error('The projection worker stopped before it answered.'));
  };
}

function receive(message: FromWorker): void {
  switch (message.type) {
    case 'status':
      readSideStore.setState({ head: message.head, projections: message.projections });
      return;
    case 'timelineProgress':
      readSideStore.setState({ timeline: { folded: message.folded, head: message.head } });
      return;
    case 'window':
      applyWindowPatch(message);
      return;
    case 'verified':
    case 'exported':
      answer(message.requestId, message);
      return;
    case 'error':
      if (message.requestId === undefined) readSideStore.setState({ error: message.message });
      else answer(message.requestId, new Error(message.message));
      return;
  }
}

/** Applies a patch to its window; one answering an older query version is dropped. */
export function applyWindowPatch(patch: WindowPatch): void {
  const current = windowsStore.getState()[patch.subId];
  if (current === undefined || patch.version < current.version) return;
  const rows = new Map(current.rows);
  for (const key of patch.deletes) rows.delete(key);
  for (const [key, row] of patch.upserts) rows.set(key, row);
  windowsStore.setState({
    [patch.subId]: {
      version: patch.version,
      loaded: patch.version === current.version,
      answered: true,
      total: patch.total,
      offset: patch.offset,
      keys: patch.keys,
      rows,
    },
  });
}

const send = (message: ToWorker) => port?.postMessage(message);

export function newWindowId(): string {
  return `w${++nextId}`;
}

/**
 * Shows `query` in window `subId`: opens the window, or changes what it shows. Until the
 * answer comes, the old rows stay on screen; an answer to an older query is dropped.
 */
export function showWindow(subId: string, query: Query): void {
  const current = windowsStore.getState()[subId];
  const version = current === undefined ? 0 : current.version + 1;
  windowsStore.setState({
    [subId]:
      current === undefined ? { ...NO_ANSWER, version } : { ...current, version, loaded: false },
  });
  send({ type: 'subscribe', subId, version, query });
}

export function closeWindow(subId: string): void {
  send({ type: 'unsubscribe', subId });
  const { [subId]: _closed, ...rest } = windowsStore.getState();
  windowsStore.setState(rest, true);
}

export function notifyCommit(position: number): void {
  send({ type: 'commit', position });
}

/** A projection test for events from..to, exported from the worker's timeline. */
export function exportProjectionTest(from: number, to: number): Promise<ProjectionFixture> {
  return ask(
    (requestId) => ({ type: 'exportTest', requestId, from, to }),
    (reply) => {
      if (reply.type !== 'exported') throw new Error(`Expected an export, got ${reply.type}`);
      return reply.fixture;
    },
  );
}

export function notifyRejection(): void {
  send({ type: 'rejected' });
}

export function rebuildProjection(projection: ProjectionName): void {
  send({ type: 'rebuild', projection });
}

export function skipEvent(projection: ProjectionName, position: number): void {
  send({ type: 'skip', projection, position });
}

export function verifyProjection(projection: ProjectionName): Promise<VerifyResult> {
  return ask(
    (requestId) => ({ type: 'verify', requestId, projection }),
    (reply) => {
      if (reply.type !== 'verified') throw new Error(`Expected a verification, got ${reply.type}`);
      const { requestId: _id, type: _type, ...rest } = reply;
      return { ...rest, match: rest.liveHash === rest.scratchHash };
    },
  );
}

/** Every read model is done with its first replay: live, or stopped by a fault. */
const started = (s: ReadSideState) =>
  s.projections.length > 0 &&
  s.projections.every((p) => p.state === 'live' || p.state === 'faulted');

/** Calls `then` once, the first time every read model is done with its first replay. */
export function whenReadModelsStarted(then: () => void): void {
  if (started(readSideStore.getState())) {
    then();
    return;
  }
  const stop = readSideStore.subscribe((s) => {
    if (!started(s)) return;
    stop();
    then();
  });
}

export type CatchUp =
  | { readonly reached: true }
  | {
      readonly reached: false;
      readonly at: number;
      /** Why they will not get there without a person's help, if that is why. */
      readonly stopped: string | null;
    };

/** Why the named read models have stopped following the log, in words; null if they have not. */
export function stoppedBecause(
  state: ReadSideState,
  names: readonly ProjectionName[],
): string | null {
  if (state.stopped !== null)
    return `the projection worker failed (${state.stopped}); reload the page`;
  const faulted = state.projections.flatMap((p) =>
    names.includes(p.name) && p.state === 'faulted' && p.fault !== null
      ? [`${p.title} is faulted at position ${String(p.fault.position)}`]
      : [],
  );
  // The Projections page shows each fault, and can skip the event.
  return faulted.length === 0 ? null : `${faulted.join('; ')} (see Projections)`;
}

/**
 * Read-your-writes: resolves once every named read model has folded `position`, or after
 * `timeoutMs` (or at once for a faulted one) with where they stand.
 */
export function waitForReadModels(
  position: number,
  names: readonly ProjectionName[],
  timeoutMs: number,
): Promise<CatchUp> {
  const lowest = (s: ReadSideState) =>
    Math.min(...names.map((n) => s.projections.find((p) => p.name === n)?.position ?? 0));
  return new Promise((resolve) => {
    const check = (s: ReadSideState): boolean => {
      const stopped = stoppedBecause(s, names);
      if (lowest(s) >= position) resolve({ reached: true });
      else if (stopped !== null) resolve({ reached: false, at: lowest(s), stopped });
      else return false;
      return true;
    };
    if (check(readSideStore.getState())) return;
    const timer = setTimeout(() => {
      unsubscribe();
      resolve({ reached: false, at: lowest(readSideStore.getState()), stopped: null });
    }, timeoutMs);
    const unsubscribe = readSideStore.subscribe((s) => {
      if (check(s)) {
        clearTimeout(timer);
        unsubscribe();
      }
    });
  });
}
