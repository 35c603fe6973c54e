import { useCallback, useSyncExternalStore } from 'react';
import type { StoreApi } from 'zustand';
import { throttled } from '../timing';

/** How often a view that keeps changing is drawn: about ten times a second. */
export const STEADY_MS = 100;

/**
 * A value from a store, drawn again at most every `ms`: a change after a quiet spell shows at
 * once, changes that keep coming show every `ms`, and the last of them always shows. For the
 * parts of a page that change with every commit: while events were generated, drawing them
 * at every frame took the page's thread from the workers that make and fold those events.
 */
export function useThrottledStore<S, T>(
  store: StoreApi<S>,
  select: (state: S) => T,
  ms: number,
): T {
  const subscribe = useCallback(
    (changed: () => void) => {
      const tell = throttled(changed, ms);
      const unsubscribe = store.subscribe(() => {
        tell.call();
      });
      return () => {
        tell.cancel();
        unsubscribe();
      };
    },
    [store, ms],
  );
  return useSyncExternalStore(subscribe, () => select(store.getState()));
}
