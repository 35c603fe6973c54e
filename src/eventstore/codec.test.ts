import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../domain';
import { decodeSegment, decodeStreams, encodeSegment } from './codec';

const event = (position: number, streamId: string, data: unknown): RecordedEvent => ({
  position,
  streamId,
  version: position,
  type: position % 2 === 0 ? 'Even' : 'Odd',
  schemaVersion: 1 + (position % 3),
  data,
  metadata: {
    eventId: `e${position}`,
    commandId: `c${Math.ceil(position / 2)}`,
    causationId: 'cause',
    correlationId: `c${Math.ceil(position / 2)}`,
    recordedAt: `2026-01-01T00:00:0${position % 10}.000Z`,
  },
});

const events = [
  event(41, 'a', { text: 'plain', n: 1.25, nested: { list: [1, 'two', null] } }),
  event(42, 'b', { text: '<script>alert(1)</script>', quote: '"\\n\u2028' }),
  event(43, 'a', { text: 'ünïcödé ✓', empty: '' }),
  event(44, 'c\nd', null),
];

describe('segment columns', () => {
  it('gives back exactly the events it packed', () => {
    const segment = encodeSegment(events);
    expect(segment).toMatchObject({ first: 41, last: 44 });
    expect(decodeSegment(segment)).toEqual(events);
  });

  it('decodes part of a segment, and the events of chosen streams', () => {
    const segment = encodeSegment(events);
    expect(decodeSegment(segment, 42, 43)).toEqual(events.slice(1, 3));
    expect(decodeSegment(segment, 1, 41)).toEqual(events.slice(0, 1));
    expect(decodeSegment(segment, 45, 99)).toEqual([]);
    expect(decodeStreams(segment, new Set(['a', 'c\nd']))).toEqual([
      events[0],
      events[2],
      events[3],
    ]);
    expect(decodeStreams(segment, new Set(['z']))).toEqual([]);
  });

  it('keeps event ids made from the command id, and any others, exactly', () => {
    const withIds = (ids: [string, string][]) =>
      ids.map(([commandId, eventId], i) => {
        const e = event(10 + i, 'a', { i });
        return { ...e, metadata: { ...e.metadata, commandId, eventId } };
      });
    // The first event's command began in the segment before: its place here is not its place.
    const log = withIds([
      ['c0', 'c0/2'],
      ['c1', 'c1/1'],
      ['c1', 'c1/2'],
      ['c2', 'c2/1'],
      ['c3', 'random-id'],
      ['c3', 'c3/2'],
    ]);
    expect(decodeSegment(encodeSegment(log))).toEqual(log);
    expect(decodeSegment(encodeSegment(log), 12, 13)).toEqual(log.slice(2, 4));
  });

  it('reads segments written before ids were kept apart, with every string in one table', () => {
    const segment = encodeSegment(events);
    const ids = JSON.parse(segment.ids ?? '[]') as string[];
    const strings = JSON.parse(segment.strings) as string[];
    // The same segment as an older writer made it: ids after the other strings, refs moved.
    const columns = segment.columns.map((ref, at) =>
      at % 9 >= 4 && at % 9 <= 7 && ref !== 0xffffffff ? ref + strings.length : ref,
    );
    const older = {
      first: segment.first,
      last: segment.last,
      strings: JSON.stringify([...strings, ...ids]),
      columns,
      data: segment.data,
    };
    expect(decodeSegment(older)).toEqual(events);
  });

  it('refuses events that are not consecutive', () => {
    expect(() => encodeSegment([events[0] as RecordedEvent, events[2] as RecordedEvent])).toThrow(
      /consecutive/,
    );
  });
});
