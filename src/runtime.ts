import { createCommandHandler, type CommandHandler } from './commands';
import { claimChangesOf } from './domain';
import {
  announceCommit,
  announceRejection,
  openEventStore,
  subscribeCommits,
  type EventStore,
} from './eventstore';
import { observeLogHead } from './stores/logHead';
import { connectReadSide, notifyCommit, notifyRejection } from './stores/readSide';
import { requestPersistentStorage } from './stores/storage';
import { needReload } from './stores/upgrade';

/** The composition root: the one place that picks the real clock, id source and database. */
export interface Runtime {
  readonly store: EventStore;
  readonly handler: CommandHandler;
  readonly newId: () => string;
}

export async function createRuntime(): Promise<Runtime> {
  const store = await openEventStore({ claimRule: claimChangesOf, onVersionChange: needReload });
  const newId = () => crypto.randomUUID();
  const handler = createCommandHandler({
    store,
    clock: () => new Date().toISOString(),
    announce: announceCommit,
    announceRejection,
  });
  observeLogHead(await store.head());
  void requestPersistentStorage();
  connectReadSide(
    new Worker(new URL('./worker/projector.worker.ts', import.meta.url), { type: 'module' }),
  );
  subscribeCommits((notice) => {
    observeLogHead(notice.position);
    if (notice.type === 'appended') notifyCommit(notice.position);
    else notifyRejection();
  });
  return { store, handler, newId };
}
