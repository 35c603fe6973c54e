/// <reference lib="webworker" />
// The generation worker's entry: one bulk run of generated commands, off the page's thread.
import { claimChangesOf } from '../domain';
import { announceCommit, DEFAULT_DB_NAME, openEventStore } from '../eventstore';
import { serveGeneration, webLockTurns } from './generation';

serveGeneration(self, {
  open: (marks, onLoss) => openEventStore({ claimRule: claimChangesOf, marks, onLoss }),
  announce: announceCommit,
  newId: () => crypto.randomUUID(),
  clock: () => new Date().toISOString(),
  oneAtATime: webLockTurns(`${DEFAULT_DB_NAME}: generation`),
});
