import { createCommandHandler, type CommandHandler } from './commands';
import { claimChangesOf } from './domain';
import { PROJECTIONS } from './projections';
import {
  acceptLoss,
  announceCommit,
  announceRejection,
  announceReplacement,
  isOwnNotice,
  openEventStore,
  openReadSideStore,
  subscribeCommits,
  type EventStore,
} from './eventstore';
import { tellAfterReload } from './stores/afterReload';
import { generationInWorker, type GenerationRunner } from './stores/generation';
import { observeLogHead } from './stores/logHead';
import { localStorageMarks, logLossStore, reportLogLoss } from './stores/logLoss';
import {
  connectReadSide,
  notifyCommit,
  notifyRejection,
  whenReadModelsStarted,
} from './stores/readSide';
import { requestPersistentStorage } from './stores/storage';
import { needReload } from './stores/upgrade';

/** The composition root: the one place that picks the real clock, id source and database. */
export interface Runtime {
  readonly store: EventStore;
  readonly handler: CommandHandler;
  readonly newId: () => string;
  /** Runs a generation of demo events in a worker of its own, off the page's thread. */
  readonly generate: GenerationRunner;
  /** After an import replaced the log: the read side starts again from it, in every tab. */
  readonly logReplaced: (head: number) => Promise<void>;
  /**
   * A person has read that the browser dropped events: the log as it is now is the one to
   * follow, and every read model is folded again from it.
   */
  readonly acceptLogLoss: () => Promise<void>;
}

export async function createRuntime(): Promise<Runtime> {
  const store = await openEventStore({
    claimRule: claimChangesOf,
    onVersionChange: needReload,
    marks: localStorageMarks,
    onLoss: reportLogLoss,
  });
  const newId = () => crypto.randomUUID();
  const handler = createCommandHandler({
    store,
    clock: () => new Date().toISOString(),
    announce: announceCommit,
    announceRejection,
  });
  observeLogHead(await store.head());
  void requestPersistentStorage();
  // Found shorter than this browser saw it: the read models' snapshots are of the lost log.
  if (logLossStore.getState().loss !== null) await forgetReadModels();
  connectReadSide(
    new Worker(new URL('./worker/projector.worker.ts', import.meta.url), { type: 'module' }),
  );
  subscribeCommits((notice) => {
    observeLogHead(notice.position);
    if (notice.type === 'appended') notifyCommit(notice.position);
    else if (notice.type === 'rejected') notifyRejection();
    else if (!isOwnNotice(notice)) {
      // Another tab replaced the log: this one loads again on the new one, and says why. (This
      // tab's own import reloads it in `logReplaced`.)
      tellAfterReload({ kind: 'replaced', events: notice.position });
      window.location.reload();
    }
  });
  const acceptLogLoss = async () => {
    acceptLoss(localStorageMarks, { epoch: await store.epoch(), head: await store.head() });
    await forgetReadModels();
    window.location.reload();
  };
  // What an append checks is built ahead of the first command, once the read models are
  // live (so it does not slow their first replay), and again after a generation, which
  // wrote from another thread. A failure is not shown here: a command waiting on this build
  // reports it, and the next one builds again.
  const prepareWrites = () => {
    store.prepareWrites().catch(() => undefined);
  };
  whenReadModelsStarted(prepareWrites);
  const inWorker = generationInWorker(
    () => new Worker(new URL('./worker/generator.worker.ts', import.meta.url), { type: 'module' }),
  );
  const generate: GenerationRunner = async (run) => {
    try {
      return await inWorker(run);
    } finally {
      prepareWrites();
    }
  };
  return { store, handler, newId, generate, logReplaced, acceptLogLoss };
}

/**
 * The read models' snapshots and skips belong to the old log: they go (the worker would also
 * see their epoch is stale), every tab is told, and this one reloads, so every read model is
 * folded again from the new log's first event.
 */
async function logReplaced(head: number): Promise<void> {
  await forgetReadModels();
  announceReplacement(head);
  window.location.reload();
}

/** Drops every read model's snapshot and skips: they were made from a log that is gone. */
async function forgetReadModels(): Promise<void> {
  const readSide = await openReadSideStore();
  for (const projection of PROJECTIONS) {
    await readSide.drop(projection.name);
    await readSide.clearSkips(projection.name);
  }
  readSide.close();
}
