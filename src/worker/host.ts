import { assertNever, messageOf } from '../domain';
import type { EventStore, ReadSideStore } from '../eventstore';
import { projectionTitle as titleOf } from '../projections';
import { throttled, yieldNow } from '../timing';
import { ProjectionEngine } from './engine';
import { RATE_WINDOW_MS } from './rate';
import type { FromWorker, ToWorker } from './protocol';
import { flushSchedule } from './flushSchedule';
import { QueryHub } from './queries';
import { Timeline } from './timeline';

export interface HostOptions {
  readonly events: EventStore;
  /** Reads for long replays from another thread, when the worker could start one. */
  readonly bulkReads?: Pick<EventStore, 'readRun'>;
  readonly readSide: ReadSideStore;
  readonly post: (message: FromWorker) => void;
  readonly now: () => number;
  readonly clock: () => string;
  /** Snapshots are also saved once the log has been quiet this long. */
  readonly idleCheckpointMs?: number;
}

/** Status about once a frame: read-your-writes waits on it. */
const STATUS_EVERY_MS = 16;
/** How far the timeline has folded, a few times a second: a progress bar shows it. */
const TIMELINE_PROGRESS_EVERY_MS = 100;

/**
 * Wires the engine and the query hub to a message port. The worker entry only passes
 * messages here; tests call `handle` directly.
 */
export function startProjector(options: HostOptions): {
  readonly engine: ProjectionEngine;
  readonly hub: QueryHub;
  readonly ready: Promise<void>;
  handle(message: ToWorker): Promise<void>;
} {
  const { post } = options;
  // Rates are of the last RATE_WINDOW_MS: once events stop coming, one more status a little
  // later brings them down (with nothing else to say, "20,000 events per second" had stayed).
  // The follow-up does not ask for another: with a clock that stands still, the rates would
  // never fall, and it would go on for ever.
  let settle: ReturnType<typeof setTimeout> | undefined;
  let following = false;
  const settling = (send: (message: FromWorker) => void) => (message: FromWorker) => {
    send(message);
    if (message.type !== 'status' || following) return;
    clearTimeout(settle);
    if (message.projections.some((p) => p.eventsPerSecond > 0))
      settle = setTimeout(() => {
        following = true;
        engine.emitStatus();
        following = false;
      }, RATE_WINDOW_MS + 250);
  };
  const sendStatus = throttled((message: FromWorker) => {
    post(message);
  }, STATUS_EVERY_MS).call;
  const engine = new ProjectionEngine({
    events: options.events,
    ...(options.bulkReads === undefined ? {} : { bulkReads: options.bulkReads }),
    readSide: options.readSide,
    now: options.now,
    clock: options.clock,
    emit: settling(sendStatus),
    emitNow: settling(post),
    yieldNow,
  });
  // The timeline's first fold reads the whole log: far behind the head, through the log
  // reader as the engine's replays do.
  const timeline = new Timeline(
    { readRun: (from, limit) => engine.readerFor(from).readRun(from, limit) },
    yieldNow,
    {
      knownHead: () => engine.head,
      onFolded: throttled((folded: number) => {
        post({ type: 'timelineProgress', folded, head: engine.head });
      }, TIMELINE_PROGRESS_EVERY_MS).call,
    },
  );
  const hub = new QueryHub(engine, options.events, timeline, post);
  /** Work nobody waits for (timers, the start) says when it fails, as a request would. */
  const inBackground = (what: string, work: Promise<unknown>) => {
    work.catch((error: unknown) => {
      post({ type: 'error', message: `${what} failed: ${messageOf(error)}` });
    });
  };

  const answers = flushSchedule({
    hasPending: () => hub.hasPending(),
    behind: () => [...engine.runners.values()].some((r) => r.position < engine.head),
    flush: () => hub.flush(),
    failed: (error) => {
      post({ type: 'error', message: `Answering the views failed: ${messageOf(error)}` });
    },
  });

  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const checkpointWhenIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      inBackground('Saving the read models', whenIdle());
    }, options.idleCheckpointMs ?? 1000);
  };
  /** Quiet time: save the read models, then pack the log's fresh single events. */
  const whenIdle = async () => {
    await engine.checkpoint();
    while ((await options.events.seal()) > 0) await yieldNow();
  };

  engine.onChanges((projections, streams) => {
    hub.changed(projections, streams);
    answers.changed();
    checkpointWhenIdle();
  });

  const ready = engine.start();
  inBackground('Starting the read models', ready);

  async function handle(message: ToWorker): Promise<void> {
    await ready;
    switch (message.type) {
      case 'commit':
        await engine.notify(message.position);
        return;
      case 'exportTest':
        post({
          type: 'exported',
          requestId: message.requestId,
          fixture: await hub.exportFixture(message.from, message.to),
        });
        return;
      case 'rejected':
        hub.rejectionsChanged();
        answers.asked();
        return;
      case 'subscribe':
        hub.subscribe(message.subId, message.version, message.query);
        answers.asked();
        return;
      case 'unsubscribe':
        hub.unsubscribe(message.subId);
        return;
      case 'rebuild': {
        // Status at once, however short the rebuild: a person sees it start and end.
        const rebuilt = engine.rebuild(message.projection);
        engine.emitStatusNow();
        await rebuilt;
        engine.emitStatusNow();
        return;
      }
      case 'verify':
        post({
          type: 'verified',
          requestId: message.requestId,
          projection: message.projection,
          ...(await engine.verify(message.projection)),
        });
        return;
      case 'skip':
        await engine.skip(message.projection, message.position);
        return;
      default:
        assertNever(message);
    }
  }

  return {
    engine,
    hub,
    ready,
    handle: (message) =>
      handle(message).catch((error: unknown) => {
        post({
          type: 'error',
          message: `${describe(message)} failed: ${messageOf(error)}`,
          ...('requestId' in message ? { requestId: message.requestId } : {}),
        });
      }),
  };
}

/** What a request asked for, in the words the pages use. */
function describe(message: ToWorker): string {
  switch (message.type) {
    case 'commit':
    case 'rejected':
      return 'Following the log';
    case 'exportTest':
      return 'Exporting the test';
    case 'subscribe':
    case 'unsubscribe':
      return 'Answering a view';
    case 'rebuild':
      return `Rebuilding ${titleOf(message.projection)}`;
    case 'verify':
      return `Verifying ${titleOf(message.projection)}`;
    case 'skip':
      return `Skipping position ${String(message.position)} in ${titleOf(message.projection)}`;
  }
}
