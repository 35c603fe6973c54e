/** A committed state of the log: which log (its epoch) and how far it went (its head). */
export interface LogMark {
  readonly epoch: number;
  readonly head: number;
}

/**
 * Where a page keeps the furthest mark it has seen committed, outside IndexedDB (the app uses
 * localStorage), so that it outlives a database the browser drops. Within one epoch the log
 * only grows, and epochs only rise (an import raises it), so a log found below the mark has
 * lost committed events: the database was dropped under the app. Chromium does that after a
 * write fails for want of disk space.
 */
export interface MarkKeeper {
  read(): LogMark | null;
  write(mark: LogMark): void;
}

/** What was lost: the furthest state seen, and the state found instead. */
export interface LogLoss {
  readonly seen: LogMark;
  readonly found: LogMark;
}

/** Whether two marks name one state of one log. */
export const sameMark = (a: LogMark, b: LogMark): boolean =>
  a.head === b.head && a.epoch === b.epoch;

const isBelow = (a: LogMark, b: LogMark): boolean =>
  a.epoch < b.epoch || (a.epoch === b.epoch && a.head < b.head);

/**
 * Records a committed state. Never lowers the mark, so a tab that writes a stale mark after
 * another tab went further only keeps the mark a little lower than it could be: a check can
 * then miss a loss of those last events, but never report one that did not happen.
 */
export function raiseMark(keeper: MarkKeeper, mark: LogMark): void {
  const seen = keeper.read();
  if (seen === null || isBelow(seen, mark)) keeper.write(mark);
}

/**
 * Compares the log as opened with the mark. A loss is reported on every open until it is
 * settled: by an import (a higher epoch), or by `acceptLoss` once a person has read it.
 */
export function checkMark(keeper: MarkKeeper, found: LogMark): LogLoss | null {
  const seen = keeper.read();
  if (seen !== null && isBelow(found, seen)) return { seen, found };
  raiseMark(keeper, found);
  return null;
}

/** The person has seen the loss: the log as it is now is the one to follow from here. */
export function acceptLoss(keeper: MarkKeeper, now: LogMark): void {
  keeper.write(now);
}
