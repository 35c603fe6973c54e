/// <reference lib="webworker" />
// The log reader's entry: reads runs of the log and hands them over, their typed arrays
// transferred, to the projection worker that started it.
import { claimChangesOf } from '../domain';
import { openEventStore } from '../eventstore';
import { answerLogRead } from './remoteLog';
import type { LogReadRequest } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const events = openEventStore({ claimRule: claimChangesOf });
scope.onmessage = (message: MessageEvent<LogReadRequest>) => {
  void answerLogRead(events, message.data).then(({ reply, transfer }) => {
    scope.postMessage(reply, transfer);
  });
};
