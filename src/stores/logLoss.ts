import { createStore } from 'zustand/vanilla';
import type { LogLoss, LogMark, MarkKeeper } from '../eventstore';

/** Set when the log was found shorter than this browser saw it committed. */
export const logLossStore = createStore<{ readonly loss: LogLoss | null }>(() => ({ loss: null }));

export function reportLogLoss(loss: LogLoss): void {
  logLossStore.setState({ loss });
}

const MARK_KEY = 'cqrs-workbench:log-mark';

const isMark = (value: unknown): value is LogMark =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as LogMark).epoch) &&
  Number.isSafeInteger((value as LogMark).head);

/**
 * The log's watermark in localStorage: outside IndexedDB, so it outlives a database the
 * browser drops, and shared by every tab of the site. A mark that cannot be read or written
 * (storage full, or blocked) counts as none: that can only hide a loss, never invent one.
 */
export const localStorageMarks: MarkKeeper = {
  read() {
    try {
      const value: unknown = JSON.parse(localStorage.getItem(MARK_KEY) ?? 'null');
      return isMark(value) ? { epoch: value.epoch, head: value.head } : null;
    } catch {
      return null;
    }
  },
  write(mark) {
    try {
      localStorage.setItem(MARK_KEY, JSON.stringify(mark));
    } catch {
      // See above: a mark left lower only weakens the check.
    }
  },
};
