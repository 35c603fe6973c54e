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
  private count: number;

  constructor(private readonly base: ReadonlyMap<string, unknown>) {
    this.count = base.size;
  }

  get size(): number {
    return this.count;
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
    if (!this.has(key)) this.count += 1;
    this.top.set(key, row);
    return this;
  }

  delete(key: string): boolean {
    const had = this.has(key);
    if (had) this.count -= 1;
    if (this.base.has(key)) this.top.set(key, REMOVED);
    else this.top.delete(key);
    return had;
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
    for (const key of this.base.keys()) {
      if (this.top.get(key) !== REMOVED) yield key;
    }
    for (const [key, row] of this.top) {
      if (row !== REMOVED && !this.base.has(key)) yield key;
    }
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
