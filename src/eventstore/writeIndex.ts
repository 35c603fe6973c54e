import type { RecordedEvent } from '../domain';
import { CommandTable } from './commandTable';
import { countBelow, type StreamNumbers } from './segments';
import type { ClaimRule } from './types';

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
  private readonly versions = new Map<string, number>();
  private readonly positions = new Map<string, number[]>();
  /** Each stream's first position, in the order they began: a stream's number is its index. */
  private readonly firsts: number[] = [];
  private readonly owners = new Map<string, string>();
  private readonly commands = new CommandTable();
  private lastCommandId = '';

  /** The log's epoch it was built from: a replaced log has another, and needs a new index. */
  constructor(
    private readonly claimRule: ClaimRule,
    readonly epoch: number,
  ) {}

  /** Folds the next event in; one already folded in is ignored. */
  apply(event: RecordedEvent): void {
    if (event.position <= this.position) return;
    if (event.position !== this.position + 1) {
      throw new Error(`The write index is at ${this.position} and cannot take ${event.position}`);
    }
    this.position = event.position;
    const { streamId } = event;
    this.versions.set(streamId, event.version);
    const positions = this.positions.get(streamId);
    if (positions === undefined) {
      this.positions.set(streamId, [event.position]);
      this.firsts.push(event.position);
    } else positions.push(event.position);
    const claims = this.claimRule(event);
    for (const key of claims.release)
      if (this.owners.get(key) === streamId) this.owners.delete(key);
    for (const key of claims.claim) this.owners.set(key, streamId);
    // A command's events are consecutive: it is recorded at its first.
    const { commandId } = event.metadata;
    if (commandId !== this.lastCommandId) this.commands.add(commandId, event.position);
    this.lastCommandId = commandId;
  }

  version(streamId: string): number {
    return this.versions.get(streamId) ?? 0;
  }

  positionsOf(streamId: string): readonly number[] {
    return this.positions.get(streamId) ?? [];
  }

  /**
   * What this index knows of stream numbers (a stream's number: how many streams began
   * before it) for events packed from position `first` on: how many streams began before it
   * when the index has come that far, and the number of any stream it has seen.
   */
  streamNumbers(first: number): StreamNumbers {
    return {
      begun: this.position >= first - 1 ? countBelow(this.firsts, first) : undefined,
      numberOf: (streamId) => {
        const start = this.positions.get(streamId)?.[0];
        return start === undefined ? undefined : countBelow(this.firsts, start);
      },
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
