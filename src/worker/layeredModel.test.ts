import { describe, expect, it } from 'vitest';
import { seededRandom } from '../commands/generator';
import { LayeredModel } from './layeredModel';

describe('layered model', () => {
  it('reads, counts and lists exactly what a copy of its base with the same writes holds', () => {
    const random = seededRandom(3);
    const base = new Map(Array.from({ length: 50 }, (_, i) => [`k${i}`, { i }] as const));
    const layered = new LayeredModel(base);
    const copy = new Map<string, unknown>(base);
    for (let step = 0; step < 2000; step++) {
      const key = `k${Math.floor(random() * 80)}`;
      if (random() < 0.4) {
        layered.delete(key);
        copy.delete(key);
      } else {
        layered.set(key, { step });
        copy.set(key, { step });
      }
      expect(layered.size).toBe(copy.size);
      expect(layered.get(key)).toEqual(copy.get(key));
    }
    expect(new Map(layered)).toEqual(copy);
    expect([...layered.keys()].sort()).toEqual([...copy.keys()].sort());
    expect(base.size).toBe(50); // the base is never written
  });
});
