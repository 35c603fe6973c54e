/**
 * Command ids of the whole log, in flat typed arrays: a 32-bit hash and the position of the
 * command's first event per slot (open addressing, 0 = empty). A million commands take
 * about 16 MB, where a Map of their id strings would take several times that. A hash names
 * candidates only: the caller reads the event there and compares the id.
 *
 * The table doubles when three quarters full, and moves its entries over a little at each
 * later add instead of all at once: at 786,432 commands moving them in one go held the page
 * for 64 ms, in the middle of a generation. Until every entry has moved, a lookup searches
 * both tables; an entry of the old one counts only until it has been moved.
 */
export class CommandTable {
  private current = emptyTable(1 << 12);
  /** The table being emptied into `current`, and how many of its slots have moved so far. */
  private previous: { table: Table; moved: number } | null = null;
  private size = 0;

  add(commandId: string, first: number): void {
    if ((this.size + 1) * 4 > this.current.firsts.length * 3) this.grow();
    insert(this.current, hashOf(commandId), first);
    this.size += 1;
    this.moveSome();
  }

  /** Its entries as plain data to store: copies, so later adds do not change them. */
  state(): CommandTableState {
    this.finishMoving();
    const { hashes, firsts } = this.current;
    return { hashes: hashes.slice(), firsts: firsts.slice(), size: this.size };
  }

  /** The table a `state` was taken of, its arrays taken over; throws if it cannot be one. */
  static fromState({ hashes, firsts, size }: CommandTableState): CommandTable {
    const slots = firsts.length;
    // A size below the entries would let the table fill up, and a probe then never ends.
    if (
      hashes.length !== slots ||
      slots < 1 ||
      (slots & (slots - 1)) !== 0 ||
      size * 4 > slots * 3 ||
      occupied(firsts) !== size
    )
      throw new Error('Not the state of a command table');
    const table = new CommandTable();
    table.current = { hashes, firsts };
    table.size = size;
    return table;
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

  /** Visits the entries holding this hash until `more` says stop; true if it said so. */
  private probe(hash: number, more: (first: number) => boolean): boolean {
    if (probe(this.current, hash, 0, more)) return true;
    const { previous } = this;
    return previous !== null && probe(previous.table, hash, previous.moved, more);
  }

  private grow(): void {
    // Twice the size, and at least eight moves per add: the old table is empty long before
    // the new one is three quarters full (it holds half, with a quarter of adds to go).
    this.finishMoving();
    this.previous = { table: this.current, moved: 0 };
    this.current = emptyTable(this.current.firsts.length * 2);
  }

  private moveSome(): void {
    const { previous } = this;
    if (previous === null) return;
    const { hashes, firsts } = previous.table;
    const end = Math.min(firsts.length, previous.moved + MOVES_PER_ADD);
    for (let slot = previous.moved; slot < end; slot++) {
      const first = firsts[slot] ?? 0;
      if (first !== 0) insert(this.current, hashes[slot] ?? 0, first);
    }
    previous.moved = end;
    if (end === firsts.length) this.previous = null;
  }

  private finishMoving(): void {
    while (this.previous !== null) this.moveSome();
  }
}

export interface CommandTableState {
  readonly hashes: Uint32Array<ArrayBuffer>;
  readonly firsts: Uint32Array<ArrayBuffer>;
  readonly size: number;
}

interface Table {
  readonly hashes: Uint32Array;
  readonly firsts: Uint32Array;
}

const MOVES_PER_ADD = 8;

function occupied(firsts: Uint32Array): number {
  let count = 0;
  for (let slot = 0; slot < firsts.length; slot++) if (firsts[slot] !== 0) count++;
  return count;
}
const stop = () => false;

const emptyTable = (slots: number): Table => ({
  hashes: new Uint32Array(slots),
  firsts: new Uint32Array(slots),
});

/**
 * Visits the entries holding this hash, skipping slots below `from` (moved elsewhere; they
 * are still walked over, since an open-addressing chain runs through them).
 */
function probe(
  { hashes, firsts }: Table,
  hash: number,
  from: number,
  more: (first: number) => boolean,
): boolean {
  const mask = firsts.length - 1;
  for (let slot = hash & mask; firsts[slot] !== 0; slot = (slot + 1) & mask) {
    if (slot >= from && hashes[slot] === hash && !more(firsts[slot] ?? 0)) return true;
  }
  return false;
}

function insert({ hashes, firsts }: Table, hash: number, first: number): void {
  const mask = firsts.length - 1;
  let slot = hash & mask;
  while (firsts[slot] !== 0) slot = (slot + 1) & mask;
  hashes[slot] = hash;
  firsts[slot] = first;
}

/** FNV-1a over the UTF-16 code units. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
