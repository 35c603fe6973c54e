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
  /** One entry per stream, so an event costs one lookup of its stream id. */
  private readonly streams = new Map<string, StreamEntry>();
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
    const stream = this.streams.get(streamId);
    if (stream === undefined) {
      this.streams.set(streamId, {
        version: event.version,
        positions: [event.position],
        number: this.firsts.push(event.position) - 1,
      });
    } else {
      stream.version = event.version;
      stream.positions.push(event.position);
    }
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
    return this.streams.get(streamId)?.version ?? 0;
  }

  positionsOf(streamId: string): readonly number[] {
    return this.streams.get(streamId)?.positions ?? [];
  }

  /**
   * What this index knows of stream numbers (a stream's number: how many streams began
   * before it) for events packed from position `first` on: how many streams began before it
   * when the index has come that far, and the number of any stream it has seen.
   */
  streamNumbers(first: number): StreamNumbers {
    return {
      begun: this.position >= first - 1 ? countBelow(this.firsts, first) : undefined,
      numberOf: (streamId) => this.streams.get(streamId)?.number,
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

interface StreamEntry {
  version: number;
  readonly positions: number[];
  /** How many streams began before it. */
  readonly number: number;
}
