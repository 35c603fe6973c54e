/// <reference lib="webworker" />
// The log reader's entry: reads runs of the log and hands them over, their typed arrays
// transferred, to the projection worker that started it.
import { claimChangesOf } from '../domain';
import { openEventStore } from '../eventstore';
import { serveLogReads } from './remoteLog';

serveLogReads(self, openEventStore({ claimRule: claimChangesOf }));
