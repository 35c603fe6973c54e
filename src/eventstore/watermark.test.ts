import { deleteDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { claimChangesOf } from '../domain';
import { openEventStore } from './store';
import type { AppendRequest } from './types';
import {
  acceptLoss,
  checkMark,
  raiseMark,
  type LogLoss,
  type LogMark,
  type MarkKeeper,
} from './watermark';

function memoryKeeper(): MarkKeeper & { mark: LogMark | null } {
  const keeper = {
    mark: null as LogMark | null,
    read: () => keeper.mark,
    write: (mark: LogMark) => {
      keeper.mark = mark;
    },
  };
  return keeper;
}

let n = 0;
const login = (userId: string): AppendRequest => ({
  commandId: `c${++n}`,
  recordedAt: '2026-01-01T00:00:00.000Z',
  streams: [
    {
      streamId: `user-${userId}`,
      expectedVersion: 'any',
      events: [{ eventId: `e${n}`, type: 'UserLoggedIn', schemaVersion: 1, data: { userId } }],
    },
  ],
});

/** A store on its own database with a watermark in memory, and the losses it reports. */
function storeWithMarks(name: string) {
  const keeper = memoryKeeper();
  const losses: LogLoss[] = [];
  const open = () =>
    openEventStore({
      name,
      claimRule: claimChangesOf,
      marks: keeper,
      onLoss: (l) => losses.push(l),
    });
  /** Closes a store, and lets the connection go before the database is opened again. */
  const close = async (store: { close(): void }) => {
    store.close();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { keeper, losses, open, close };
}

describe('the log watermark', () => {
  it('only ever rises: by head within an epoch, and to any head of a later epoch', () => {
    const keeper = memoryKeeper();
    raiseMark(keeper, { epoch: 0, head: 10 });
    raiseMark(keeper, { epoch: 0, head: 7 });
    expect(keeper.mark).toEqual({ epoch: 0, head: 10 });
    raiseMark(keeper, { epoch: 1, head: 3 });
    expect(keeper.mark).toEqual({ epoch: 1, head: 3 });
    raiseMark(keeper, { epoch: 0, head: 50 });
    expect(keeper.mark).toEqual({ epoch: 1, head: 3 });
  });

  it('reports a log found below the mark until the loss is accepted', () => {
    const keeper = memoryKeeper();
    expect(checkMark(keeper, { epoch: 0, head: 10 })).toBeNull();
    const loss = { seen: { epoch: 0, head: 10 }, found: { epoch: 0, head: 0 } };
    expect(checkMark(keeper, { epoch: 0, head: 0 })).toEqual(loss);
    expect(checkMark(keeper, { epoch: 0, head: 2 })).toEqual({
      ...loss,
      found: { epoch: 0, head: 2 },
    });
    acceptLoss(keeper, { epoch: 0, head: 2 });
    expect(checkMark(keeper, { epoch: 0, head: 2 })).toBeNull();
    // An import (a later epoch) settles it too.
    raiseMark(keeper, { epoch: 0, head: 9 });
    expect(checkMark(keeper, { epoch: 1, head: 1 })).toBeNull();
  });

  it('lets the store tell a database dropped under it from one that was never written', async () => {
    const name = 'watermark-dropped';
    const { keeper, losses, open, close } = storeWithMarks(name);
    const store = await open();
    expect(losses).toEqual([]);
    for (let i = 0; i < 3; i++) expect((await store.append(login('u1'))).kind).toBe('appended');
    expect(keeper.mark).toEqual({ epoch: 0, head: 3 });
    await close(store);
    await deleteDB(name); // what the browser does after a write fails on a full disk
    const reopened = await open();
    expect(losses).toEqual([{ seen: { epoch: 0, head: 3 }, found: { epoch: 0, head: 0 } }]);
    // Writing on into the new log does not hide the loss while it is shorter than the old one.
    expect((await reopened.append(login('u2'))).kind).toBe('appended');
    await close(reopened);
    await close(await open());
    expect(losses).toHaveLength(2);
    expect(losses[1]?.found).toEqual({ epoch: 0, head: 1 });
  });

  it('is not fooled by an import, which replaces the log with a shorter one of a later epoch', async () => {
    const { keeper, losses, open, close } = storeWithMarks('watermark-import');
    const store = await open();
    for (let i = 0; i < 3; i++) await store.append(login('u1'));
    const replacement = await store.replaceLog();
    expect(await replacement.commit()).toBe(0);
    await close(store);
    await close(await open());
    expect(losses).toEqual([]);
    expect(keeper.mark).toEqual({ epoch: 1, head: 0 });
  });
});
