import { createStore } from 'zustand/vanilla';
import {
  generateEvents,
  GENERATION_BATCH_SIZE,
  MAX_GENERATED_EVENTS,
  type CommandHandler,
  type GenerationProgress,
} from '../commands';

export type GenerationState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly progress: GenerationProgress }
  | {
      readonly status: 'finished';
      readonly progress: GenerationProgress;
      readonly cancelled: boolean;
    }
  | { readonly status: 'failed'; readonly message: string };

/**
 * A generation run lives here rather than in a component, so it keeps going, and its
 * progress stays visible, when a person moves to another page and back.
 */
export const generationStore = createStore<GenerationState>(() => ({ status: 'idle' }));

let controller: AbortController | undefined;

export interface GenerationRequest {
  readonly handler: CommandHandler;
  readonly newId: () => string;
  readonly head: number;
  readonly count: string;
  readonly seed: string;
}

function parseWhole(value: string, min: number, max: number): number | null {
  const n = Number(value.trim());
  return value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

export async function startGeneration(request: GenerationRequest): Promise<void> {
  if (generationStore.getState().status === 'running') return;
  const count = parseWhole(request.count, 1, MAX_GENERATED_EVENTS);
  const seed = parseWhole(request.seed, 0, 2 ** 32 - 1);
  if (count === null || seed === null) {
    generationStore.setState({
      status: 'failed',
      message:
        count === null
          ? `Event count must be a whole number from 1 to ${MAX_GENERATED_EVENTS.toLocaleString('en-US')}`
          : 'Seed must be a whole number from 0 to 4294967295',
    });
    return;
  }
  controller = new AbortController();
  generationStore.setState({
    status: 'running',
    progress: { done: 0, total: count, recorded: 0, rejected: 0 },
  });
  try {
    const result = await generateEvents(request.handler, {
      count,
      seed,
      // Ids carry where the log stood, so a second run over the same log never collides.
      runTag: `g${request.head.toString(36)}`,
      batchSize: GENERATION_BATCH_SIZE,
      newId: request.newId,
      signal: controller.signal,
      onProgress: (progress) => {
        generationStore.setState({ status: 'running', progress });
      },
    });
    generationStore.setState({ status: 'finished', progress: result, cancelled: result.cancelled });
  } catch (error) {
    generationStore.setState({
      status: 'failed',
      message: `Generation stopped: ${error instanceof Error ? error.message : String(error)}`,
    });
  } finally {
    controller = undefined;
  }
}

/** Takes effect between batches: the batch in flight is recorded whole. */
export function cancelGeneration(): void {
  controller?.abort();
}
