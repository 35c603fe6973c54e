import { describe, expect, it } from 'vitest';
import { grownFor } from './typedArrays';

describe('grownFor', () => {
  it('copies an array of the same kind, twice as long or long enough for the index', () => {
    const doubled = grownFor(Uint32Array.from([7, 8]), 2);
    expect(doubled).toBeInstanceOf(Uint32Array);
    expect([...doubled]).toEqual([7, 8, 0, 0]);
    const far = grownFor(Int32Array.from([-1]), 9);
    expect(far).toBeInstanceOf(Int32Array);
    expect([...far]).toEqual([-1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(grownFor(new Uint8Array(0), 0)).toHaveLength(1);
  });
});
