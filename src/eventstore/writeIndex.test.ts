import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../domain';
import { claimChangesOf } from '../domain';
import { WriteIndex } from './writeIndex';

/** A log over `streams` streams, event p on stream (p * 7) % streams, with versions. */
function log(count: number, streams: number): RecordedEvent[] {
  const versions = new Map<string, number>();
  return Array.from({ length: count }, (_, i) => {
    const position = i + 1;
    const streamId = `s${(position * 7) % streams}`;
    const version = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, version);
    return {
      position,
      streamId,
      version,
      type: 'T',
      schemaVersion: 1,
      data: {},
      metadata: {
        eventId: `e${position}`,
        commandId: `c${Math.ceil(position / 2)}`,
        causationId: 'c',
        correlationId: 'c',
        recordedAt: '2026-01-01T00:00:00.000Z',
      },
    };
  });
}

describe('write index', () => {
  it("keeps each stream's version, positions and number, past the first sizes of its arrays", () => {
    const events = log(5000, 1500);
    const index = new WriteIndex(claimChangesOf, 0);
    for (const e of events) index.apply(e);
    const byStream = new Map<string, number[]>();
    for (const e of events)
      byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.position]);
    const begun = [...byStream.keys()];
    for (const [streamId, positions] of byStream) {
      expect(index.positionsOf(streamId)).toEqual(positions);
      expect(index.version(streamId)).toBe(positions.length);
      expect(index.streamNumbers(1).numberOf(streamId)).toBe(begun.indexOf(streamId));
    }
    expect(index.version('never')).toBe(0);
    expect(index.positionsOf('never')).toEqual([]);
    expect(index.streamNumbers(1).numberOf('never')).toBeUndefined();
    // How many streams began before a position; unknown past where the index has come.
    const firsts = [...byStream.values()].map((p) => p[0] ?? 0);
    expect(index.streamNumbers(2001).begun).toBe(firsts.filter((p) => p < 2001).length);
    expect(index.streamNumbers(5001).begun).toBe(1500);
    expect(index.streamNumbers(5002).begun).toBeUndefined();
  });

  it("uses the log's stored stream number only where it names the event's own stream", () => {
    const events = log(3000, 700);
    const plain = new WriteIndex(claimChangesOf, 0);
    for (const e of events) plain.apply(e);
    const numberOf = (id: string) => plain.streamNumbers(1).numberOf(id) ?? -1;
    const hinted = new WriteIndex(claimChangesOf, 0);
    events.forEach((e, i) => {
      // Right, unknown, another stream's, and one no stream has: in turn.
      const right = numberOf(e.streamId) + 1;
      hinted.apply(e, [right, 0, (right % 700) + 1, 5000][i % 4]);
    });
    for (const id of new Set(events.map((e) => e.streamId))) {
      expect(hinted.streamNumbers(1).numberOf(id)).toBe(numberOf(id));
      expect(hinted.version(id)).toBe(plain.version(id));
      expect(hinted.positionsOf(id)).toEqual(plain.positionsOf(id));
    }
  });

  it('ignores an event folded in before, and refuses one past the next position', () => {
    const [first, second, third] = log(3, 2);
    const index = new WriteIndex(claimChangesOf, 0);
    if (first === undefined || second === undefined || third === undefined) throw new Error();
    index.apply(first);
    index.apply(second);
    index.apply(first);
    expect(index.position).toBe(2);
    expect(index.positionsOf(first.streamId)).toEqual([1]);
    expect(() => {
      index.apply({ ...third, position: 4 });
    }).toThrow('cannot take 4');
  });

  it('knows who holds each unique key, and whether a command id may be recorded', () => {
    const index = new WriteIndex(claimChangesOf, 0);
    const [base] = log(1, 1);
    if (base === undefined) throw new Error();
    index.apply({
      ...base,
      streamId: 'user-u1',
      type: 'UserCreated',
      data: { userId: 'u1', email: 'A@x.io', name: 'A' },
    });
    expect(index.owner('email:a@x.io')).toBe('user-u1');
    expect(index.mayHaveCommand('c1')).toBe(true);
    expect(index.commandCandidates('c1')).toEqual([1]);
    index.apply({
      ...base,
      position: 2,
      version: 2,
      streamId: 'user-u1',
      type: 'UserDeactivated',
      data: { userId: 'u1', email: 'A@x.io' },
      metadata: { ...base.metadata, commandId: 'c2' },
    });
    expect(index.owner('email:a@x.io')).toBeUndefined();
  });
});
