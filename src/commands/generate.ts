import type { AggregateCache, CommandHandler } from './handler';
import { createCommandGenerator } from './generator';

export interface GenerationProgress {
  /** Commands handled so far (all of them in whole batches). */
  readonly done: number;
  readonly total: number;
  readonly recorded: number;
  readonly rejected: number;
}

export interface GenerationOptions {
  readonly count: number;
  readonly seed: number;
  readonly runTag: string;
  readonly batchSize: number;
  readonly newId: () => string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: GenerationProgress) => void;
}

/** Where a run of `total` commands stands before its first batch. */
export const noneDone = (total: number): GenerationProgress => ({
  done: 0,
  total,
  recorded: 0,
  rejected: 0,
});

export const MAX_GENERATED_EVENTS = 1_000_000;

/** Commands per transaction when generating: a cancelled run keeps whole batches only. */
export const GENERATION_BATCH_SIZE = 2000;

/**
 * Issues `count` synthetic commands through the real handler, one transaction per batch.
 * Cancelling takes effect between batches, so every batch is recorded whole or not at all.
 */
export async function generateEvents(
  handler: CommandHandler,
  options: GenerationOptions,
): Promise<GenerationProgress & { readonly cancelled: boolean }> {
  const next = createCommandGenerator(options.seed, options.runTag);
  // One fresh id per run, numbered per command: unique across tabs, and no random id each.
  const runId = options.newId();
  const cache: AggregateCache = new Map();
  let progress = noneDone(options.count);
  while (progress.done < options.count) {
    if (options.signal?.aborted === true) return { ...progress, cancelled: true };
    const size = Math.min(options.batchSize, options.count - progress.done);
    const batch = Array.from({ length: size }, (_, k) => ({
      commandId: `${runId}-${String(progress.done + k + 1)}`,
      command: next(),
    }));
    const outcomes = await handler.executeBatch(batch, cache);
    const recorded = outcomes.filter((o) => o.kind === 'recorded').length;
    progress = {
      done: progress.done + size,
      total: options.count,
      recorded: progress.recorded + recorded,
      rejected: progress.rejected + size - recorded,
    };
    options.onProgress?.(progress);
  }
  return { ...progress, cancelled: false };
}
