import { describe, expect, it } from 'vitest';
import { runOf, type LogRun } from '../eventstore';
import { ReadAhead } from './readAhead';

/** A ReadAhead over a log that holds nothing, and the positions it was asked to read from. */
function recorded(size: number, depth: number) {
  const asked: number[] = [];
  const reads = new ReadAhead(
    (from): Promise<LogRun> => {
      asked.push(from);
      return Promise.resolve(runOf([], from));
    },
    size,
    depth,
  );
  return { asked, reads };
}

describe('read-ahead', () => {
  it('keeps its depth of batches in flight, each asked for once, none past the end', async () => {
    const { asked, reads } = recorded(10, 3);
    await reads.next(1, 55);
    expect(asked).toEqual([1, 11, 21, 31]);
    for (const from of [11, 21, 31, 41, 51]) await reads.next(from, 55);
    expect(asked).toEqual([1, 11, 21, 31, 41, 51]);
  });

  it('asks for a batch once when it is the last before the end', async () => {
    const { asked, reads } = recorded(10, 3);
    await reads.next(1, 10);
    expect(asked).toEqual([1]);
  });

  it('starts again from a position it did not expect', async () => {
    const { asked, reads } = recorded(10, 2);
    await reads.next(1, 100);
    await reads.next(6, 100); // the batch from 1 was short: it ended at 5
    expect(asked).toEqual([1, 11, 21, 6, 16, 26]);
  });
});
