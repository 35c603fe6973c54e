import { describe, expect, it } from 'vitest';
import { EventIndex } from './writeLog';

describe('event index', () => {
  it("uses the log's stored stream number only where it names the event's own stream", () => {
    const streamOf = (p: number) => `s${(p * 7) % 30}`;
    const numbers = new Map<string, number>();
    const index = new EventIndex();
    const matching: number[] = [];
    for (let p = 1; p <= 400; p++) {
      const id = streamOf(p);
      if (!numbers.has(id)) numbers.set(id, numbers.size);
      const right = (numbers.get(id) ?? 0) + 1;
      // Right, unknown, another stream's, and one no stream has: in turn.
      index.append('T', id, 't', [right, 0, (right % 30) + 1, 99][p % 4]);
      if (id.includes('s2')) matching.push(p);
    }
    for (let p = 1; p <= 400; p++) expect(index.summary(p)?.streamId).toBe(streamOf(p));
    expect(index.matching('', 's2')).toEqual(matching);
  });
});
