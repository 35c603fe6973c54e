import { createStore } from 'zustand/vanilla';

/**
 * Set when another tab opened the database with a newer schema: this tab has closed its
 * connection so that tab is not blocked, and can go on only after a reload.
 */
export const upgradeStore = createStore<{ readonly reloadNeeded: boolean }>(() => ({
  reloadNeeded: false,
}));

export function needReload(): void {
  upgradeStore.setState({ reloadNeeded: true });
}
