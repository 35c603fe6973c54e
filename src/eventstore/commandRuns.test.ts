import { describe, expect, it } from 'vitest';
import { claimChangesOf } from '../domain';
import { commandRuns, commandsOf, HEAD_KEY, type RecordedCommand } from './schema';
import { openDatabase, openEventStore } from './store';

const roundTrip = (commands: RecordedCommand[]) => commandRuns(commands).flatMap(commandsOf);

describe('command run records', () => {
  it('keep adjoining commands as ids and spans, and read them back exactly', () => {
    // Each begins where the one before ended; a third of them without the command kept.
    let next = 1;
    const adjoining: RecordedCommand[] = Array.from({ length: 2500 }, (_, i) => {
      const first = next;
      next += 1 + (i % 3);
      return {
        commandId: `5f0c9a1e-run-${i + 1}`,
        first,
        last: next - 1,
        ...(i % 3 === 0 ? {} : { type: 'PlaceOrder', data: { userId: `u${i}`, amount: i / 4 } }),
      };
    });
    const runs = commandRuns(adjoining);
    expect(runs.map((r) => [r.first, r.last])).toEqual([
      [1, adjoining[1023]?.last],
      [adjoining[1024]?.first, adjoining[2047]?.last],
      [adjoining[2048]?.first, next - 1],
    ]);
    expect(runs.every((r) => r.ids !== undefined)).toBe(true);
    expect(roundTrip(adjoining)).toEqual(adjoining);
  });

  it('keep commands that leave gaps, or keep a type without data, as whole objects', () => {
    const gap: RecordedCommand[] = [
      { commandId: 'a', first: 1, last: 2, type: 'T', data: { x: 1 } },
      { commandId: 'b', first: 4, last: 4 },
    ];
    const typeOnly: RecordedCommand[] = [{ commandId: 'c', first: 1, last: 1, type: 'T' }];
    for (const commands of [gap, typeOnly]) {
      expect(commandRuns(commands)[0]?.ids).toBeUndefined();
      expect(roundTrip(commands)).toEqual(commands);
    }
  });

  it('read back ids of any characters, and data of any JSON', () => {
    const commands: RecordedCommand[] = [
      { commandId: 'ä/1 "quoted"', first: 1, last: 1, type: 'X', data: null },
      {
        commandId: 'ä/1 "quoted"-2',
        first: 2,
        last: 3,
        type: 'Y',
        data: [1, { '': 'é\u{1F600}' }],
      },
      { commandId: '', first: 4, last: 4 },
    ];
    expect(roundTrip(commands)).toEqual(commands);
  });

  it('written before, as whole objects, are still read by the store', async () => {
    const name = 'command-runs-written-before';
    const store = await openEventStore({ name, claimRule: claimChangesOf });
    store.close();
    const db = await openDatabase({ name, claimRule: claimChangesOf });
    const old: RecordedCommand[] = [
      { commandId: 'old-1', first: 1, last: 1, type: 'RecordLogin', data: { userId: 'u1' } },
      { commandId: 'old-2', first: 2, last: 3 },
    ];
    const tx = db.transaction(['commandRuns', 'events', 'meta'], 'readwrite');
    await Promise.all([
      tx.objectStore('commandRuns').add({ first: 1, last: 3, commands: JSON.stringify(old) }),
      ...[1, 2, 3].map((position) =>
        tx.objectStore('events').add({
          position,
          streamId: 's',
          version: position,
          type: 'T',
          schemaVersion: 1,
          data: {},
          metadata: {
            eventId: `e${position}`,
            commandId: position === 1 ? 'old-1' : 'old-2',
            causationId: 'c',
            correlationId: 'c',
            recordedAt: '2026-01-01T00:00:00.000Z',
          },
        }),
      ),
      tx.objectStore('meta').put(3, HEAD_KEY),
      tx.done,
    ]);
    db.close();
    const reopened = await openEventStore({ name, claimRule: claimChangesOf });
    expect(await reopened.readCommands(1, 3)).toEqual(old);
    expect(await reopened.commandAt(3)).toEqual(old[1]);
    expect([...(await reopened.recordedCommands(['old-2'])).keys()]).toEqual(['old-2']);
    reopened.close();
  });
});
