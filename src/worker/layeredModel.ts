/** What the cursor writes into: a row set, or a row removed. */
export interface RowSink {
  set(key: string, row: unknown): void;
  delete(key: string): void;
}

const REMOVED = Symbol('removed');

/**
 * A read model as of some position, without copying one: the rows of a base model that does
 * not change underneath, with the rows written since (or removed) on top. Moving the cursor
 * writes only the top layer, so a jump costs the writes between the base and the target,
 * never a copy of a hundred thousand rows.
 */
export class LayeredModel implements ReadonlyMap<string, unknown>, RowSink {
  private readonly top = new Map<string, unknown>();
  /** Counted when asked: a move writes thousands of rows and is asked the size once. */
  private counted: number | null;

  constructor(private readonly base: ReadonlyMap<string, unknown>) {
    this.counted = base.size;
  }

  get size(): number {
    if (this.counted === null) {
      let n = 0;
      this.forEachKey(() => {
        n += 1;
      });
      this.counted = n;
    }
    return this.counted;
  }

  get(key: string): unknown {
    const row = this.top.get(key);
    if (row === REMOVED) return undefined;
    return row === undefined ? this.base.get(key) : row;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, row: unknown): this {
    this.top.set(key, row);
    this.counted = null;
    return this;
  }

  delete(key: string): void {
    this.top.set(key, REMOVED);
    this.counted = null;
  }

  /** Every key, without an iterator object per key: what a scan of a whole model uses. */
  forEachKey(visit: (key: string) => void): void {
    if (this.top.size === 0) {
      for (const key of this.base.keys()) visit(key);
      return;
    }
    for (const key of this.base.keys()) if (this.top.get(key) !== REMOVED) visit(key);
    for (const [key, row] of this.top) if (row !== REMOVED && !this.base.has(key)) visit(key);
  }

  *entries(): MapIterator<[string, unknown]> {
    for (const [key, row] of this.base) {
      const over = this.top.get(key);
      if (over === undefined) yield [key, row];
      else if (over !== REMOVED) yield [key, over];
    }
    for (const [key, row] of this.top) {
      if (row !== REMOVED && !this.base.has(key)) yield [key, row];
    }
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<unknown> {
    for (const [, row] of this.entries()) yield row;
  }

  [Symbol.iterator](): MapIterator<[string, unknown]> {
    return this.entries();
  }

  forEach(visit: (row: unknown, key: string, map: ReadonlyMap<string, unknown>) => void): void {
    for (const [key, row] of this.entries()) visit(row, key, this);
  }
}
