import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSchedule } from './flushSchedule';

describe('when the views are answered', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A schedule whose flushes are counted; a flush sends what was waiting. */
  function counted(behind = false) {
    const state = { flushes: 0, pending: false, behind };
    const schedule = flushSchedule({
      hasPending: () => state.pending,
      behind: () => state.behind,
      flush: () => {
        state.flushes += 1;
        state.pending = false;
        return Promise.resolve();
      },
      failed: () => undefined,
    });
    return {
      state,
      schedule,
      change: () => {
        state.pending = true;
        schedule.changed();
      },
      ask: () => {
        state.pending = true;
        schedule.asked();
      },
    };
  }

  it('answers a change that comes alone within a frame', async () => {
    const { state, change } = counted();
    change();
    await vi.advanceTimersByTimeAsync(15);
    expect(state.flushes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.flushes).toBe(1);
  });

  it('answers changes that keep coming a tenth of a second apart', async () => {
    const { state, change } = counted();
    for (let t = 0; t < 50; t++) {
      change();
      await vi.advanceTimersByTimeAsync(10);
    }
    // 500 ms of a change every 10 ms: the first at 16 ms, then one every 100 ms.
    expect(state.flushes).toBe(5);
  });

  it('answers a new query at once, even while changes wait their turn', async () => {
    const { state, change, ask } = counted();
    change();
    await vi.advanceTimersByTimeAsync(20);
    change(); // one of a stream now: answered 100 ms after the last
    await vi.advanceTimersByTimeAsync(5);
    const before = state.flushes;
    ask();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.flushes).toBe(before + 1);
  });

  it('answers less often while a read model replays far behind the head', async () => {
    const { state, change } = counted(true);
    change();
    await vi.advanceTimersByTimeAsync(199);
    expect(state.flushes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.flushes).toBe(1);
  });

  it('schedules nothing when no window has anything to send', async () => {
    const { state, schedule } = counted();
    schedule.changed();
    schedule.asked();
    await vi.advanceTimersByTimeAsync(1000);
    expect(state.flushes).toBe(0);
  });
});
