import type { RecordedEvent } from '../domain';
import { CommandTable } from './commandTable';
import { countBelow, type StreamNumbers } from './segments';
import type { ClaimRule } from './types';
import { grownFor } from './typedArrays';

/**
 * What an append checks, kept in memory instead of in records written with every command:
 * each stream's version and the positions of its events, the owner of each unique key, and
 * the id of every recorded command. It is a pure fold of the log, so it is built by reading
 * the log once and kept current by folding what is appended, by this tab or by any other:
 * inside each transaction the stored head says how far the log has moved since.
 */
export class WriteIndex {
  /** The last position folded in. */
  position = 0;
  /**
   * Each stream's number, by id; what is known of a stream is in flat arrays by that number,
   * and of an event in flat arrays by its position. An object and an array per stream were
   * 40.6 MB of heap at a million events over 120,000 streams; these, 12.4 MB.
   */
  private readonly numbers = new Map<string, number>();
  /** By stream number: its version, and the position of its last event. */
  private versions = new Uint32Array(1024);
  private lasts = new Uint32Array(1024);
  /** Each stream's first position, and its id, in the order they began: its number is the index. */
  private readonly firsts: number[] = [];
  private readonly ids: string[] = [];
  /** By position: the position of the stream's event before it (0: none). */
  private before = new Uint32Array(1024);
  private readonly owners = new Map<string, string>();
  private readonly commands = new CommandTable();
  private lastCommandId = '';

  /** The log's epoch it was built from: a replaced log has another, and needs a new index. */
  constructor(
    private readonly claimRule: ClaimRule,
    readonly epoch: number,
  ) {}

  /**
   * Folds the next event in; one already folded in is ignored. `stored` is the stream's
   * number + 1 as the log stores it beside the event (0: not known): used where it names
   * this very stream, it spares a lookup by id, which at a million events over 120,000
   * streams was most of the time an index took to build.
   */
  apply(event: RecordedEvent, stored = 0): void {
    if (event.position <= this.position) return;
    if (event.position !== this.position + 1) {
      throw new Error(`The write index is at ${this.position} and cannot take ${event.position}`);
    }
    const { streamId, position } = event;
    this.position = position;
    let number =
      stored > 0 && this.ids[stored - 1] === streamId ? stored - 1 : this.numbers.get(streamId);
    if (number === undefined) {
      number = this.firsts.push(position) - 1;
      this.ids.push(streamId);
      this.numbers.set(streamId, number);
      if (number >= this.versions.length) {
        this.versions = grownFor(this.versions, number);
        this.lasts = grownFor(this.lasts, number);
      }
    }
    if (position >= this.before.length) this.before = grownFor(this.before, position);
    this.before[position] = this.lasts[number] ?? 0;
    this.lasts[number] = position;
    this.versions[number] = event.version;
    const claims = this.claimRule(event);
    for (const key of claims.release)
      if (this.owners.get(key) === streamId) this.owners.delete(key);
    for (const key of claims.claim) this.owners.set(key, streamId);
    // A command's events are consecutive: it is recorded at its first.
    const { commandId } = event.metadata;
    if (commandId !== this.lastCommandId) this.commands.add(commandId, position);
    this.lastCommandId = commandId;
  }

  version(streamId: string): number {
    const number = this.numbers.get(streamId);
    return number === undefined ? 0 : (this.versions[number] ?? 0);
  }

  /** The positions of a stream's events, in order. */
  positionsOf(streamId: string): number[] {
    const number = this.numbers.get(streamId);
    const positions: number[] = [];
    for (
      let p = number === undefined ? 0 : (this.lasts[number] ?? 0);
      p > 0;
      p = this.before[p] ?? 0
    )
      positions.push(p);
    return positions.reverse();
  }

  /**
   * What this index knows of stream numbers (a stream's number: how many streams began
   * before it) for events packed from position `first` on: how many streams began before it
   * when the index has come that far, and the number of any stream it has seen.
   */
  streamNumbers(first: number): StreamNumbers {
    return {
      begun: this.position >= first - 1 ? countBelow(this.firsts, first) : undefined,
      numberOf: (streamId) => this.numbers.get(streamId),
    };
  }

  owner(key: string): string | undefined {
    return this.owners.get(key);
  }

  /** Whether a recorded command may have this id (a hash matched); false is certain. */
  mayHaveCommand(commandId: string): boolean {
    return this.commands.mayHave(commandId);
  }

  /** First positions of recorded commands whose id may be this one (a hash matched). */
  commandCandidates(commandId: string): number[] {
    return this.commands.candidates(commandId);
  }
}
