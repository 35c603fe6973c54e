import { createStore } from 'zustand/vanilla';
import { MAX_GENERATED_EVENTS, noneDone, type GenerationProgress } from '../commands';
import { messageOf, wholeNumberOf } from '../domain';
import { raiseMark } from '../eventstore';
import type { FromGenerator, GenerationResult, ToGenerator } from '../worker/protocol';
import { localStorageMarks, reportLogLoss } from './logLoss';
import { observeLogHead } from './logHead';

export type GenerationState =
  | { readonly status: 'idle' }
  /** Another run over this log, most likely in another tab, goes first. */
  | { readonly status: 'waiting'; readonly progress: GenerationProgress }
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

/** Runs one generation somewhere (a worker, in the app) and reports its batches. */
export type GenerationRunner = (run: {
  readonly count: number;
  readonly seed: number;
  readonly signal: AbortSignal;
  /** Another run holds the turn: this one starts when it ends. */
  readonly onWaiting: () => void;
  readonly onProgress: (progress: GenerationProgress) => void;
}) => Promise<GenerationResult>;

export interface GenerationRequest {
  readonly run: GenerationRunner;
  readonly count: string;
  readonly seed: string;
}

/** A whole number within [min, max], as typed; null otherwise. */
function parseWhole(value: string, min: number, max: number): number | null {
  const n = wholeNumberOf(value);
  return n !== null && n >= min && n <= max ? n : null;
}

/** Whether a run was asked for and has not ended: it runs, or waits for its turn. */
export const isUnderway = (state: GenerationState): boolean =>
  state.status === 'running' || state.status === 'waiting';

export async function startGeneration(request: GenerationRequest): Promise<void> {
  if (isUnderway(generationStore.getState())) return;
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
  const none = noneDone(count);
  generationStore.setState({ status: 'running', progress: none });
  try {
    const result = await request.run({
      count,
      seed,
      signal: controller.signal,
      onWaiting: () => {
        generationStore.setState({ status: 'waiting', progress: none });
      },
      onProgress: (progress) => {
        generationStore.setState({ status: 'running', progress });
      },
    });
    generationStore.setState({ status: 'finished', progress: result, cancelled: result.cancelled });
  } catch (error) {
    generationStore.setState({
      status: 'failed',
      message: `Generation stopped: ${messageOf(error)}`,
    });
  } finally {
    controller = undefined;
  }
}

/** Takes effect between batches: the batch in flight is recorded whole. */
export function cancelGeneration(): void {
  controller?.abort();
}

/**
 * Generation in a worker of its own (`src/worker/generator.worker.ts`), started per run and
 * ended with it. The page keeps the watermark the worker's store raises, and shows the log's
 * head as each batch lands, before the run's outcome, so the two always agree.
 */
export function generationInWorker(start: () => Worker): GenerationRunner {
  return ({ count, seed, signal, onWaiting, onProgress }) =>
    new Promise<GenerationResult>((resolve, reject) => {
      const worker = start();
      const send = (message: ToGenerator) => {
        worker.postMessage(message);
      };
      const cancel = () => {
        send({ type: 'cancel' });
      };
      const end = () => {
        signal.removeEventListener('abort', cancel);
        worker.terminate();
      };
      worker.onmessage = ({ data }: MessageEvent<FromGenerator>) => {
        switch (data.type) {
          case 'mark':
            raiseMark(localStorageMarks, data.mark);
            return;
          case 'lost':
            reportLogLoss(data.loss);
            return;
          case 'waiting':
            onWaiting();
            return;
          case 'progress':
            observeLogHead(data.head);
            onProgress(data.progress);
            return;
          case 'finished':
            if (data.head !== null) observeLogHead(data.head);
            end();
            resolve(data.result);
            return;
          case 'failed':
            end();
            reject(new Error(data.message));
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        end();
        // A worker whose script would not load fires a plain Event, with no message.
        const { message } = event as Partial<ErrorEvent>;
        reject(
          new Error(
            typeof message === 'string' && message !== ''
              ? `the generation worker stopped (${message})`
              : 'the generation worker could not be loaded; reloading the page may help',
          ),
        );
      };
      signal.addEventListener('abort', cancel);
      send({ type: 'start', count, seed, mark: localStorageMarks.read() });
    });
}
