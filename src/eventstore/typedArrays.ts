type Growable = Uint8Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>;

/**
 * A copy of the array with room at `index`: twice as long, or long enough, the rest zero. How
 * the flat arrays of the write index and of a bulk replay grow; callers ask only when `index`
 * is past the end, so the common case stays one comparison in place.
 */
export function grownFor<T extends Growable>(array: T, index: number): T {
  const grown = new (array.constructor as new (length: number) => T)(
    Math.max(array.length * 2, index + 1),
  );
  grown.set(array);
  return grown;
}
