/// <reference lib="webworker" />
// The projection worker's entry: opens the stores, starts the projector, passes messages.
import { claimChangesOf } from '../domain';
import { openEventStore, openReadSideStore, subscribeCommits } from '../eventstore';
import { startProjector } from './host';
import { remoteLog } from './remoteLog';
import type { FromWorker, ToWorker } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const pending: ToWorker[] = [];
let handle = (message: ToWorker) => {
  pending.push(message);
};
scope.onmessage = (event: MessageEvent<ToWorker>) => {
  handle(event.data);
};

const [events, readSide] = await Promise.all([
  openEventStore({ claimRule: claimChangesOf }),
  openReadSideStore(),
]);
const projector = startProjector({
  events,
  bulkReads: remoteLog(
    () => new Worker(new URL('./logReader.worker.ts', import.meta.url), { type: 'module' }),
    events,
    (message) => {
      scope.postMessage({ type: 'error', message } satisfies FromWorker);
    },
  ),
  readSide,
  post: (message: FromWorker) => {
    scope.postMessage(message);
  },
  now: () => performance.now(),
  clock: () => new Date().toISOString(),
});
handle = (message) => {
  void projector.handle(message);
};
for (const message of pending.splice(0)) handle(message);
// Commits from other tabs (and this one: duplicates are harmless by design).
subscribeCommits((notice) => {
  // A replaced log ("replaced") reloads the page, and this worker with it.
  if (notice.type === 'appended') handle({ type: 'commit', position: notice.position });
  else if (notice.type === 'rejected') handle({ type: 'rejected' });
});
