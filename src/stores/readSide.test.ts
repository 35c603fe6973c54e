import { describe, expect, it } from 'vitest';
import { applyWindowPatch, closeWindow, newWindowId, showWindow, windowsStore } from './readSide';

const patch = (
  subId: string,
  version: number,
  keys: string[],
  upserts: [string, unknown][],
  deletes: string[] = [],
) => ({
  type: 'window' as const,
  subId,
  version,
  position: 7,
  total: keys.length,
  offset: 0,
  keys,
  upserts,
  deletes,
});

describe('window store', () => {
  it('applies patches by key and drops answers to older queries', () => {
    const id = newWindowId();
    showWindow(id, { kind: 'user', userId: 'a' });
    applyWindowPatch(
      patch(
        id,
        0,
        ['a', 'b'],
        [
          ['a', 1],
          ['b', 2],
        ],
      ),
    );
    expect(windowsStore.getState()[id]).toMatchObject({ loaded: true, keys: ['a', 'b'] });
    showWindow(id, { kind: 'user', userId: 'b' });
    applyWindowPatch(patch(id, 0, ['z'], [['z', 0]])); // stale: answers version 0
    expect(windowsStore.getState()[id]?.keys).toEqual(['a', 'b']);
    expect(windowsStore.getState()[id]?.loaded).toBe(false);
    applyWindowPatch(patch(id, 1, ['b', 'c'], [['c', 3]], ['a']));
    const state = windowsStore.getState()[id];
    expect(state?.loaded).toBe(true);
    expect([...(state?.rows ?? [])]).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
    closeWindow(id);
    applyWindowPatch(patch(id, 1, ['q'], [['q', 1]]));
    expect(windowsStore.getState()[id]).toBeUndefined();
  });
});
