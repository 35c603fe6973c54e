/**
 * Commit notices: "the log now reaches position N". Sent in-page to local listeners and on a
 * BroadcastChannel to other tabs and workers. A notice is only a hint to read the log: a
 * reader that gets one twice, late or out of order reads from its own position, so nothing
 * depends on notices being delivered exactly once.
 */
const COMMIT_CHANNEL = 'cqrs-workbench:commits';

export interface CommitNotice {
  /** "appended": the log reaches `position`; "rejected": a command was refused at `position`;
   * "replaced": the whole log was replaced (an import) and now reaches `position`. */
  readonly type: 'appended' | 'rejected' | 'replaced';
  readonly position: number;
  /** Which page or worker sent it, so a page does not hear its own notice twice. */
  readonly source: string;
}

export type CommitListener = (notice: CommitNotice) => void;

const SOURCE = globalThis.crypto.randomUUID();
const localListeners = new Set<CommitListener>();
let channel: BroadcastChannel | undefined;

function sharedChannel(): BroadcastChannel | undefined {
  if (channel === undefined && typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel(COMMIT_CHANNEL);
  }
  return channel;
}

function announce(notice: CommitNotice): void {
  for (const listener of localListeners) listener(notice);
  sharedChannel()?.postMessage(notice);
}

export function announceCommit(position: number): void {
  announce({ type: 'appended', position, source: SOURCE });
}

/** A refused command was kept (see `recordRejections`): the timeline's lane can show it. */
export function announceRejection(position: number): void {
  announce({ type: 'rejected', position, source: SOURCE });
}

/** The whole log was replaced: whatever a tab derived from the old one is stale. */
export function announceReplacement(position: number): void {
  announce({ type: 'replaced', position, source: SOURCE });
}

/** Whether this page sent the notice (its own listeners hear it too). */
export const isOwnNotice = (notice: CommitNotice): boolean => notice.source === SOURCE;

/** Listens to commits from this page and from every other tab or worker of the app. */
export function subscribeCommits(listener: CommitListener): () => void {
  localListeners.add(listener);
  const remote =
    typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(COMMIT_CHANNEL);
  remote?.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isForeignNotice(event.data)) listener(event.data);
  });
  return () => {
    localListeners.delete(listener);
    remote?.close();
  };
}

/** Messages come from other contexts: trust nothing about their shape. */
function isForeignNotice(data: unknown): data is CommitNotice {
  if (typeof data !== 'object' || data === null) return false;
  const notice = data as Partial<CommitNotice>;
  return (
    (notice.type === 'appended' || notice.type === 'rejected' || notice.type === 'replaced') &&
    notice.source !== SOURCE &&
    typeof notice.position === 'number' &&
    Number.isInteger(notice.position)
  );
}
