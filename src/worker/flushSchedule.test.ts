import { describe, expect, it } from 'vitest';
import { flushDelay } from './host';

describe('when the views are answered', () => {
  it('answers a change that comes alone within a frame', () => {
    expect(flushDelay(false, 5_000)).toBe(16);
    expect(flushDelay(false, Infinity)).toBe(16);
  });

  it('answers a stream of changes a tenth of a second after the last answer', () => {
    expect(flushDelay(false, 0)).toBe(100);
    expect(flushDelay(false, 30)).toBe(70);
    expect(flushDelay(false, 99)).toBe(1);
  });

  it('answers less often while a read model replays far behind the head', () => {
    expect(flushDelay(true, 0)).toBe(200);
    expect(flushDelay(true, 5_000)).toBe(200);
  });
});
