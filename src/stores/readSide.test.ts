import { describe, expect, it } from 'vitest';
import { describeLag } from '../views/ReadModelLag';
import type { FromWorker, ProjectionStatus } from '../worker/protocol';
import {
  applyWindowPatch,
  closeWindow,
  connectReadSide,
  newWindowId,
  readSideStore,
  showWindow,
  verifyProjection,
  waitForReadModels,
  windowsStore,
} from './readSide';

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

describe('the projection worker', () => {
  it('that stops is reported in plain words, and nothing waits on it', async () => {
    const worker = {
      sent: [] as unknown[],
      postMessage(message: unknown) {
        this.sent.push(message);
      },
      onmessage: null as ((e: MessageEvent<FromWorker>) => void) | null,
      onerror: null as ((e: ErrorEvent) => void) | null,
    };
    connectReadSide(worker);
    const verifying = verifyProjection('userProfiles');
    expect(worker.sent).toHaveLength(1);
    worker.onerror?.({
      message: 'Uncaught UnknownError: the database could not be opened',
      preventDefault: () => undefined,
    } as ErrorEvent);
    await expect(verifying).rejects.toThrow('The projection worker stopped before it answered.');
    expect(readSideStore.getState().error).toBe(
      'The projection worker stopped (Uncaught UnknownError: the database could not be opened). Reload the page to start it again.',
    );
    expect(describeLag(readSideStore.getState(), ['userProfiles'])).toBe(
      'stopped: the projection worker failed (Uncaught UnknownError: the database could not be opened); reload the page',
    );
    expect(await waitForReadModels(5, ['userProfiles'], 60_000)).toEqual({
      reached: false,
      at: 0,
      stopped:
        'the projection worker failed (Uncaught UnknownError: the database could not be opened); reload the page',
    });
  });
});

describe('the read-model lag', () => {
  const status = (position: number, state: ProjectionStatus['state'] = 'live') =>
    ({
      name: 'userProfiles',
      title: 'User profiles',
      state,
      position,
      lag: 0,
      lagMs: 0,
      eventsPerSecond: 0,
      fault: state === 'faulted' ? { position: position + 1, message: 'no such user' } : null,
      rebuild: null,
      restoredFrom: null,
      replayed: 0,
      skipped: [],
    }) satisfies ProjectionStatus;
  const state = (head: number, projection: ProjectionStatus) => ({
    head,
    projections: [projection],
    error: null,
    stopped: null,
    timeline: null,
  });

  it('is up to date only at the head this page knows, not just at the one the worker heard of', () => {
    expect(describeLag(state(28_003, status(28_003)), ['userProfiles'], 28_003)).toBe(
      'up to date at position 28003',
    );
    expect(describeLag(state(28_003, status(28_003)), ['userProfiles'], 38_003)).toBe(
      'catching up: 10,000 events behind (at position 28003 of 38003)',
    );
  });

  it('names every faulted read model', () => {
    const faulted = {
      ...state(5, status(3, 'faulted')),
      projections: [
        status(3, 'faulted'),
        { ...status(1, 'faulted'), name: 'activitySummary', title: 'Activity summary' } as const,
      ],
    };
    expect(describeLag(faulted, ['userProfiles', 'activitySummary'])).toBe(
      'stopped: User profiles is faulted at position 4; Activity summary is faulted at position 2 (see Projections)',
    );
  });
});
