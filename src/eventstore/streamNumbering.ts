/**
 * Streams numbered in the order they began (a stream's number: how many streams began before
 * it), as the log's segments number them beside each event (`SegmentRecord.streams`): so a
 * number stored there can stand in for a lookup by id.
 */
export class StreamNumbering {
  private readonly ids: string[] = [];
  private readonly numbers = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  /** Every stream's id, by number. */
  get streamIds(): readonly string[] {
    return this.ids;
  }

  idOf(number: number): string | undefined {
    return this.ids[number];
  }

  /** The number of a stream met before; undefined for one not met. */
  get(streamId: string): number | undefined {
    return this.numbers.get(streamId);
  }

  /**
   * The stream's number; the next one if it was not met before. `storedNumber` is the number
   * + 1 the log stores beside an event (0: not known): used where it names this very stream,
   * it spares the lookup by id, which at a million events over 120,000 streams was most of
   * the time the write index took to build.
   */
  numberOf(streamId: string, storedNumber = 0): number {
    const hinted = storedNumber - 1;
    if (hinted >= 0 && this.ids[hinted] === streamId) return hinted;
    let number = this.numbers.get(streamId);
    if (number === undefined) {
      number = this.ids.push(streamId) - 1;
      this.numbers.set(streamId, number);
    }
    return number;
  }

  /**
   * The numbering of these ids, in order, `step` at a time with `pause` between, so a page's
   * thread is not held for long. Throws if an id comes twice.
   */
  static async of(
    ids: readonly string[],
    pause: () => Promise<void>,
    step: number,
  ): Promise<StreamNumbering> {
    const numbering = new StreamNumbering();
    for (let i = 0; i < ids.length; i++) {
      numbering.numberOf(ids[i] ?? '');
      if (i % step === step - 1) await pause();
    }
    if (numbering.size !== ids.length) throw new Error('A stream id came twice');
    return numbering;
  }
}
