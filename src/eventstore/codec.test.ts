import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../domain';
import {
  decodeSegment,
  decodeStreams,
  encodeSegment,
  frontCode,
  frontDecode,
  SegmentColumns,
  StringView,
} from './codec';

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
      // As long as a derived id, and alike but for one part.
      ['c4', 'c5/1'],
      ['c6', 'c6-1'],
      ['c7', 'c7/2'],
      ['c8', 'c8/10'],
      ['c9', 'c9/11'],
    ]);
    expect(decodeSegment(encodeSegment(log))).toEqual(log);
    expect(decodeSegment(encodeSegment(log), 12, 13)).toEqual(log.slice(2, 4));
  });

  it('reads segments written before ids and payloads were kept apart: one table, all JSON', () => {
    const segment = encodeSegment(events);
    const ids = frontDecode(segment.ids ?? '[]');
    const view = new StringView(segment);
    const strings = Array.from({ length: view.size }, (_, i) => view.at(i));
    // The same segment as an older writer made it: ids after the other strings, refs moved.
    const columns = segment.columns.map((ref, at) =>
      at % 9 >= 4 && at % 9 <= 7 && ref !== 0xffffffff ? ref + strings.length : ref,
    );
    // Its payloads all in JSON, as they were before flat ones went in columns.
    const older = {
      first: segment.first,
      last: segment.last,
      strings: JSON.stringify([...strings, ...ids]),
      columns,
      data: JSON.stringify(events.map((e) => e.data)),
    };
    expect(decodeSegment(older)).toEqual(events);
  });

  it('keeps flat payloads in columns, and reads every payload back as JSON would', () => {
    const payloads: unknown[] = [
      { userId: 'u1', at: '2026-01-01T00:00:01.000Z' },
      { userId: 'u1', orderId: 'o1', amount: 12.34 },
      { userId: 'u2', at: '2026-01-01T00:00:01.000Z' },
      { big: 2 ** 53 + 2, tiny: 5e-324, negative: -1.5, zero: -0 },
      { 2: 'b', 1: 'a', x: 1, text: 'ünïcödé ✓ \u2028 "quoted"' },
      {},
      JSON.parse('{"__proto__": "own key", "a": 1}'),
      { flag: true },
      { missing: null, nested: { a: 1 } },
      { notANumber: Number.NaN, infinite: Number.POSITIVE_INFINITY },
      [1, 'two'],
      'text',
      null,
    ];
    const log = payloads.map((data, i) => event(100 + i, `s${i % 3}`, data));
    const segment = encodeSegment(log);
    expect(JSON.parse(segment.data)).toHaveLength(7); // the ones that are not flat
    // What the log held before payloads were kept in columns: the events through JSON.
    expect(decodeSegment(segment)).toEqual(JSON.parse(JSON.stringify(log)));
    expect(decodeSegment(segment).map((e) => JSON.stringify(e.data))).toEqual(
      payloads.map((data) => JSON.stringify(data)),
    );
    expect(Object.is((decodeSegment(segment, 103, 103)[0]?.data as { zero: number }).zero, 0)).toBe(
      true,
    );
  });

  it('finds a payload its own shape when one type has several, whatever came before it', () => {
    const withoutPrototype = Object.assign(Object.create(null) as object, { a: 1, b: 'x' });
    class Payload {
      a = 1;
      b = 'x';
    }
    // One type throughout: each payload follows one of another shape, of its type's last.
    const payloads: unknown[] = [
      { a: 1, b: 'x' },
      { b: 'x', a: 1 },
      { a: 1, b: 'x' },
      { a: 1 },
      { a: 1, b: 'x', c: 2 },
      { a: 'one', b: 'x' },
      { a: 1, b: 2 },
      { b: 3, a: 4 },
      { a: Number.NaN, b: 'x' },
      { a: 1, b: undefined },
      { a: 1, b: 'x' },
      withoutPrototype,
      new Payload(),
      [1, 'x'],
      { a: 1, b: 'x' },
      JSON.parse('{"a": 1, "__proto__": "x"}'),
      { a: -0, b: '' },
    ];
    const log = payloads.map((data, i) => ({ ...event(200 + i, 's', data), type: 'One' }));
    const segment = encodeSegment(log);
    expect(decodeSegment(segment)).toEqual(JSON.parse(JSON.stringify(log)));
    expect(decodeSegment(segment).map((e) => JSON.stringify(e.data))).toEqual(
      payloads.map((data) => JSON.stringify(data)),
    );
    // [a, b] both orders, [a], [a, b, c], a or b of the other kind, and b, a of numbers.
    expect(JSON.parse(segment.shapes ?? '[]')).toHaveLength(7);
  });

  it('stores only own keys of a payload, even with a key added to every object', () => {
    const log = [{ a: 'x', b: 'own' }, { a: 'y' }].map((data, i) => ({
      ...event(300 + i, 's', data),
      type: 'One',
    }));
    Object.defineProperty(Object.prototype, 'b', {
      value: 'inherited',
      enumerable: true,
      configurable: true,
      writable: true,
    });
    try {
      const segment = encodeSegment(log);
      expect(decodeSegment(segment).map((e) => Object.keys(e.data as object))).toEqual([
        ['a', 'b'],
        ['a'],
      ]);
    } finally {
      delete (Object.prototype as { b?: unknown }).b;
    }
  });

  it('reads strings where they lie, and flat payload fields from columns', () => {
    const log = [
      event(1, 'user-u1', { userId: 'u1', amount: 2.5 }),
      event(2, 'user-u22', { userId: 'u22', at: 'noon' }),
      event(3, 'user-u1', { nested: { userId: 'u1' } }),
    ];
    const segment = encodeSegment(log);
    const columns = new SegmentColumns(segment);
    const { strings } = columns;
    const ref = (text: string) =>
      Array.from({ length: strings.size }, (_, i) => strings.at(i)).indexOf(text);
    expect(strings.at(columns.streamRef(1))).toBe('user-u22');
    expect(strings.length(ref('user-u22'))).toBe(8);
    expect(strings.startsWith(ref('user-u22'), 'user-')).toBe(true);
    expect(strings.startsWith(ref('u22'), 'user-')).toBe(false);
    expect(strings.endsWith(ref('user-u22'), ref('u22'))).toBe(true);
    expect(strings.endsWith(ref('user-u1'), ref('u22'))).toBe(false);
    expect(strings.endsWith(ref('user-u22'), ref('u1'))).toBe(false);
    expect(strings.endsWith(ref('u1'), ref('user-u1'))).toBe(false);
    const { payloads } = columns;
    expect(payloads.stringRef(payloads.field(0, 'userId', 's'))).toBe(ref('u1'));
    expect(payloads.number(payloads.field(0, 'amount', 'n'))).toBe(2.5);
    expect(payloads.field(0, 'amount', 's')).toBe(-1); // a number, asked for as a string
    expect(payloads.field(1, 'amount', 'n')).toBe(-1); // not in this payload
    expect(payloads.field(2, 'nested', 's')).toBe(-1); // not flat: in JSON
    expect(payloads.data(2)).toEqual({ nested: { userId: 'u1' } });
  });

  it('front-codes ids: each as what it shares with the one before, and the rest', () => {
    const ids = [
      'run-7/c-1',
      'run-7/c-2',
      'run-7/c-10',
      'other',
      '',
      'o',
      '\ud83d\ude00a',
      '\ud83d\ude01b',
    ];
    expect(JSON.parse(frontCode(ids.slice(0, 3)))).toEqual([0, 'run-7/c-1', 8, '2', 8, '10']);
    expect(frontDecode(frontCode(ids))).toEqual(ids);
    expect(frontDecode(frontCode([]))).toEqual([]);
  });

  it('front-codes the longest shared start, whatever the one before shared', () => {
    // Shared starts that grow, shrink, vanish and come back: short strings of 0s and 1s.
    const ids = Array.from({ length: 2000 }, (_, k) =>
      ((k * 2654435761) >>> 0).toString(2).slice(1, 1 + (k % 6)),
    );
    const parts = JSON.parse(frontCode(ids)) as (number | string)[];
    ids.forEach((id, k) => {
      const before = ids[k - 1] ?? '';
      let longest = 0;
      while (longest < Math.min(id.length, before.length) && id[longest] === before[longest])
        longest++;
      expect([parts[2 * k], parts[2 * k + 1]]).toEqual([longest, id.slice(longest)]);
    });
    expect(frontDecode(frontCode(ids))).toEqual(ids);
  });

  it('refuses events that are not consecutive', () => {
    expect(() => encodeSegment([events[0] as RecordedEvent, events[2] as RecordedEvent])).toThrow(
      /consecutive/,
    );
  });
});
