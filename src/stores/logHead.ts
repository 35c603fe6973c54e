import { createStore } from 'zustand/vanilla';

/** How far the log reaches, as last heard from this tab or another. */
export const logHeadStore = createStore<{ readonly head: number }>(() => ({ head: 0 }));

/** Notices may arrive late or out of order: the head only ever moves forward. */
export function observeLogHead(position: number): void {
  if (position > logHeadStore.getState().head) logHeadStore.setState({ head: position });
}
