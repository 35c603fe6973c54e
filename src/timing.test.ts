import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttled } from './timing';

describe('throttled', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a call after a quiet spell at once, and a stream of calls once per interval', () => {
    const fn = vi.fn<() => void>();
    const { call } = throttled(fn, 100);
    call();
    expect(fn).toHaveBeenCalledTimes(1);
    for (let t = 0; t < 10; t++) {
      vi.advanceTimersByTime(10);
      call();
    }
    // 100 ms after the first run, the calls that came meanwhile run once.
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(30);
    call();
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(70);
    expect(fn).toHaveBeenCalledTimes(3);
    // Quiet again: the next call runs at once.
    vi.advanceTimersByTime(500);
    call();
    expect(fn).toHaveBeenCalledTimes(4);
  });

  it('runs a waiting call with the latest value it was given', () => {
    const seen: number[] = [];
    const { call } = throttled((n: number) => seen.push(n), 100);
    for (let n = 1; n <= 5; n++) call(n);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([1, 5]);
  });

  it('drops a waiting call when cancelled', () => {
    const fn = vi.fn<() => void>();
    const { call, cancel } = throttled(fn, 100);
    call();
    call();
    cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
