import { logHeadStore } from '../stores/logHead';
import { STEADY_MS, useThrottledStore } from './useThrottledStore';

const selectHead = (s: { readonly head: number }) => s.head;

/**
 * How far this page knows the log reaches, drawn at most every STEADY_MS while it keeps
 * moving. It can be ahead of the head the projection worker has heard of, in a burst of
 * batches from another tab or worker.
 */
export function useLogHead(): number {
  return useThrottledStore(logHeadStore, selectHead, STEADY_MS);
}
