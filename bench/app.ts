import {
  createCommandGenerator,
  createCommandHandler,
  generateEvents,
  GENERATION_BATCH_SIZE,
} from '../src/commands';
import { applyDecided, EMPTY_AGGREGATE, type LoadedAggregate } from '../src/commands/aggregate';
import { claimChangesOf, decide, userStreamId } from '../src/domain';
import {
  announceCommit,
  DEFAULT_DB_NAME,
  DEFAULT_READ_DB_NAME,
  openEventStore,
  type EventStore,
} from '../src/eventstore';
import {
  connectReadSide,
  newWindowId,
  showWindow,
  windowsStore,
  notifyCommit,
  readSideStore,
  rebuildProjection,
  type ReadSideState,
} from '../src/stores/readSide';
import { generationInWorker } from '../src/stores/generation';
import { request } from './baselines';

async function deleteDatabase(name: string): Promise<void> {
  await request(indexedDB.deleteDatabase(name));
}

export async function resetApp(): Promise<void> {
  localStorage.clear(); // the log's watermark, raised by the last run
  await deleteDatabase(DEFAULT_DB_NAME);
  await deleteDatabase(DEFAULT_READ_DB_NAME);
}

/** Drops the read models' snapshots (the whole read-side database), keeping the log. */
export async function forgetReadModels(): Promise<void> {
  await deleteDatabase(DEFAULT_READ_DB_NAME);
}

/** Runs `work` on the app's log database, opened at whatever version it has. */
async function onLogDatabase<T>(work: (db: IDBDatabase) => Promise<T>): Promise<T> {
  const db = await request(indexedDB.open(DEFAULT_DB_NAME));
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

/** Drops the kept copy of the write index, so that the next build folds the whole log. */
export async function forgetWriteIndex(): Promise<void> {
  await onLogDatabase((db) =>
    request(db.transaction('writeIndex', 'readwrite').objectStore('writeIndex').clear()),
  );
}

/** Waits until a kept copy of the write index stands at the log's head. */
export async function waitForKeptIndex(): Promise<void> {
  const head = await logHead();
  for (;;) {
    const header = (await onLogDatabase((db) =>
      request(db.transaction('writeIndex').objectStore('writeIndex').get(0)),
    )) as { position?: number } | undefined;
    if (header?.position === head) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

let store: EventStore | undefined;

/** The page's own handle on the app's event store, opened once. */
async function eventStore(): Promise<EventStore> {
  store ??= await openEventStore({ claimRule: claimChangesOf });
  return store;
}

const logHead = async () => (await eventStore()).head();
let ids = 0;
const newId = () => `bench-${++ids}-${crypto.randomUUID()}`;

async function handler() {
  return createCommandHandler({
    store: await eventStore(),
    clock: () => new Date().toISOString(),
    announce: announceCommit,
  });
}

/** Events per second through the real command path, in the app's own batches. */
export async function generate(count: number): Promise<{
  ms: number;
  recorded: number;
  appendMs: number;
  readMs: number;
  longTasks: LongTasks;
}> {
  const inner = await eventStore();
  const spent = { append: 0, read: 0 };
  const timed =
    <A extends unknown[], R>(key: keyof typeof spent, fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      const t = performance.now();
      try {
        return await fn(...a);
      } finally {
        spent[key] += performance.now() - t;
      }
    };
  const h = createCommandHandler({
    store: {
      ...inner,
      appendBatch: timed('append', (r: Parameters<EventStore['appendBatch']>[0]) =>
        inner.appendBatch(r),
      ),
      readStreams: timed('read', (ids: readonly string[]) => inner.readStreams(ids)),
    },
    clock: () => new Date().toISOString(),
    announce: announceCommit,
  });
  const longTasks = watchLongTasks();
  const t0 = performance.now();
  const result = await generateEvents(h, {
    count,
    seed: 1,
    runTag: 'g0',
    batchSize: GENERATION_BATCH_SIZE,
    newId,
  });
  return {
    ms: performance.now() - t0,
    recorded: result.recorded,
    appendMs: spent.append,
    readMs: spent.read,
    longTasks: longTasks(),
  };
}

/**
 * The floor under "generate": the same commands made, decided and folded into their users'
 * aggregates, with nothing stored, on the page's thread. What the command path costs before
 * the handler's bookkeeping and the event store's work.
 */
export function decideOnly(count: number): { ms: number } {
  const next = createCommandGenerator(1, 'g0');
  const aggregates = new Map<string, LoadedAggregate>();
  const now = new Date().toISOString();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const command = next();
    const streamId = userStreamId(command.data.userId);
    const loaded = aggregates.get(streamId) ?? EMPTY_AGGREGATE;
    const decision = decide(command, loaded.state, { commandId: `d-${String(i)}`, now });
    if (decision.ok) aggregates.set(streamId, applyDecided(loaded, decision.events));
  }
  return { ms: performance.now() - t0 };
}

/**
 * The same run the way the app makes it: in a worker of its own (`generator.worker.ts`),
 * with the page's long tasks meanwhile.
 */
export async function generateInWorker(
  count: number,
): Promise<{ ms: number; recorded: number; longTasks: LongTasks }> {
  const run = generationInWorker(
    () =>
      new Worker(new URL('../src/worker/generator.worker.ts', import.meta.url), {
        type: 'module',
      }),
  );
  const longTasks = watchLongTasks();
  const t0 = performance.now();
  const result = await run({
    count,
    seed: 1,
    signal: new AbortController().signal,
    onWaiting: () => undefined,
    onProgress: () => undefined,
  });
  return { ms: performance.now() - t0, recorded: result.recorded, longTasks: longTasks() };
}

interface LongTasks {
  count: number;
  longestMs: number;
}

function watchLongTasks(): () => LongTasks {
  const tasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.duration > 50) tasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  return () => {
    observer.disconnect();
    return { count: tasks.length, longestMs: Math.round(Math.max(0, ...tasks)) };
  };
}

function until(predicate: (s: ReadSideState) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate(readSideStore.getState())) {
      resolve();
      return;
    }
    const stop = readSideStore.subscribe((s) => {
      if (predicate(s)) {
        stop();
        resolve();
      }
    });
  });
}

const allLiveAt = (head: number) => (s: ReadSideState) =>
  s.projections.length === 3 &&
  s.projections.every((p) => p.state === 'live' && p.position >= head);

let worker: Worker | undefined;

/** From starting the projection worker to every read model live at the head. */
export async function coldOpen(): Promise<{ ms: number; longTasks: LongTasks }> {
  const head = await logHead();
  const longTasks = watchLongTasks();
  const t0 = performance.now();
  worker = new Worker(new URL('../src/worker/projector.worker.ts', import.meta.url), {
    type: 'module',
  });
  connectReadSide(worker);
  await until(allLiveAt(head));
  return { ms: performance.now() - t0, longTasks: longTasks() };
}

/**
 * Builds what appends check on the log just opened, as the app does once its read models
 * are live: the work a first command would otherwise wait for.
 */
export async function prepareWrites(): Promise<{ ms: number; longTasks: LongTasks }> {
  const events = await eventStore();
  const longTasks = watchLongTasks();
  const t0 = performance.now();
  await events.prepareWrites();
  return { ms: performance.now() - t0, longTasks: longTasks() };
}

/** Command to committed, and to visible (every read model has folded it), over `count` commands. */
export async function commandLatency(
  count: number,
): Promise<{ committed: number[]; visible: number[] }> {
  const h = await handler();
  await h.execute({
    commandId: newId(),
    command: {
      type: 'CreateUser',
      data: { userId: 'bench-user', email: 'bench@bench.io', name: 'Bench' },
    },
  });
  const committed: number[] = [];
  const visible: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const outcome = await h.execute({
      commandId: newId(),
      command: { type: 'RecordLogin', data: { userId: 'bench-user' } },
    });
    committed.push(performance.now() - t0);
    if (outcome.kind !== 'recorded') throw new Error(outcome.message);
    const position = outcome.events.at(-1)?.position ?? 0;
    notifyCommit(position);
    await until((s) => s.projections.every((p) => p.position >= position));
    visible.push(performance.now() - t0);
  }
  return { committed, visible };
}

/** Main-thread long tasks while one read model is rebuilt from position 1 in the worker. */
export async function rebuild(): Promise<{ ms: number; longTasks: LongTasks }> {
  const longTasks = watchLongTasks();
  const t0 = performance.now();
  rebuildProjection('userProfiles');
  await until((s) => s.projections.some((p) => p.rebuild?.running === true));
  await until((s) => s.projections.every((p) => p.rebuild?.running !== true));
  return { ms: performance.now() - t0, longTasks: longTasks() };
}

/** Waits until the worker has saved snapshots at the head (it does after a quiet second). */
export async function waitForSnapshots(): Promise<void> {
  const head = await logHead();
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const db = await new Promise<IDBDatabase>((resolve) => {
      const open = indexedDB.open(DEFAULT_READ_DB_NAME);
      open.onsuccess = () => {
        resolve(open.result);
      };
    });
    const positions = await new Promise<number[]>((resolve) => {
      const req = db.transaction('snapshots').objectStore('snapshots').getAll();
      req.onsuccess = () => {
        resolve((req.result as { position: number }[]).map((s) => s.position));
      };
    });
    db.close();
    if (positions.length === 3 && positions.every((p) => p >= head)) return;
  }
}

/** Page and worker JS heap, as the browser attributes them. */
export async function memory(): Promise<{ pageMb: number; workerMb: number } | null> {
  const measure = (
    performance as unknown as {
      measureUserAgentSpecificMemory?: () => Promise<{
        breakdown: { bytes: number; types: string[]; attribution: { scope: string }[] }[];
      }>;
    }
  ).measureUserAgentSpecificMemory;
  if (measure === undefined || !crossOriginIsolated) return null;
  const result = await measure.call(performance);
  let page = 0;
  let work = 0;
  for (const b of result.breakdown) {
    if (b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope')) work += b.bytes;
    else if (b.types.includes('JavaScript')) page += b.bytes;
  }
  return { pageMb: page / 2 ** 20, workerMb: work / 2 ** 20 };
}

export function stopWorker(): void {
  worker?.terminate();
  worker = undefined;
}

function windowLoaded(subId: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => windowsStore.getState()[subId]?.loaded === true;
    if (check()) {
      resolve();
      return;
    }
    const stop = windowsStore.subscribe(() => {
      if (check()) {
        stop();
        resolve();
      }
    });
  });
}

const timelineWindows = () => ({ users: newWindowId(), changes: newWindowId() });
let timeline: ReturnType<typeof timelineWindows> | undefined;

/** Asks for what the Timeline page shows at `at`: a read model's first rows and the changes. */
function askTimelineAt(at: number): ReturnType<typeof timelineWindows> {
  timeline ??= timelineWindows();
  showWindow(timeline.users, {
    kind: 'timelineModel',
    projection: 'userProfiles',
    at,
    filter: '',
    limit: 100,
  });
  showWindow(timeline.changes, { kind: 'timelineChanges', at });
  return timeline;
}

async function showTimelineAt(at: number): Promise<void> {
  const windows = askTimelineAt(at);
  await Promise.all([windowLoaded(windows.users), windowLoaded(windows.changes)]);
}

/** Opening the timeline: its own fold of the whole log, then the read models at the head. */
export async function timelineOpen(): Promise<{ ms: number; longTasks: LongTasks }> {
  const head = await logHead();
  const longTasks = watchLongTasks();
  const t0 = performance.now();
  await showTimelineAt(head);
  return { ms: performance.now() - t0, longTasks: longTasks() };
}

/** Jumps to random positions: from asking to both windows answered. */
export async function timelineJumps(count: number): Promise<number[]> {
  const head = await logHead();
  const times: number[] = [];
  let seed = 7;
  for (let i = 0; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const at = 1 + (seed % head);
    const t0 = performance.now();
    await showTimelineAt(at);
    times.push(performance.now() - t0);
  }
  return times;
}

/** Play as fast as the browser draws: one step per frame for `ms`, and the long tasks meanwhile. */
export async function timelinePlay(ms: number): Promise<{ frames: number; longTasks: LongTasks }> {
  const head = await logHead();
  const longTasks = watchLongTasks();
  let at = Math.max(1, Math.floor(head / 2));
  let frames = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const frame = () => {
      frames += 1;
      at = Math.min(head, at + 1);
      askTimelineAt(at);
      if (performance.now() - t0 < ms) requestAnimationFrame(frame);
      else resolve();
    };
    requestAnimationFrame(frame);
  });
  return { frames, longTasks: longTasks() };
}
