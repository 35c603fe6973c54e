/**
 * Command ids of the whole log, in flat typed arrays: a 32-bit hash and the position of the
 * command's first event per slot (open addressing, 0 = empty). A million commands take
 * about 16 MB, where a Map of their id strings would take several times that. A hash names
 * candidates only: the caller reads the event there and compares the id.
 */
export class CommandTable {
  private hashes = new Uint32Array(1 << 12);
  private firsts = new Uint32Array(1 << 12);
  private size = 0;

  add(commandId: string, first: number): void {
    if ((this.size + 1) * 4 > this.firsts.length * 3) this.grow();
    this.insert(hashOf(commandId), first);
    this.size += 1;
  }

  /** First positions of the recorded commands whose id may be this one. */
  candidates(commandId: string): number[] {
    const found: number[] = [];
    this.probe(hashOf(commandId), (first) => {
      found.push(first);
      return true;
    });
    return found;
  }

  /** Whether any recorded command may have this id; false is certain. Asked of every append. */
  mayHave(commandId: string): boolean {
    return this.probe(hashOf(commandId), stop);
  }

  /** Visits the slots holding this hash until `more` says stop; true if it said so. */
  private probe(hash: number, more: (first: number) => boolean): boolean {
    const mask = this.firsts.length - 1;
    for (let slot = hash & mask; this.firsts[slot] !== 0; slot = (slot + 1) & mask) {
      if (this.hashes[slot] === hash && !more(this.firsts[slot] ?? 0)) return true;
    }
    return false;
  }

  private insert(hash: number, first: number): void {
    const mask = this.firsts.length - 1;
    let slot = hash & mask;
    while (this.firsts[slot] !== 0) slot = (slot + 1) & mask;
    this.hashes[slot] = hash;
    this.firsts[slot] = first;
  }

  private grow(): void {
    const { hashes, firsts } = this;
    this.hashes = new Uint32Array(hashes.length * 2);
    this.firsts = new Uint32Array(firsts.length * 2);
    firsts.forEach((first, slot) => {
      if (first !== 0) this.insert(hashes[slot] ?? 0, first);
    });
  }
}

const stop = () => false;

/** FNV-1a over the UTF-16 code units. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
