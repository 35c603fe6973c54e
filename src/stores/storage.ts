import { createStore } from 'zustand/vanilla';

/** What the browser says of this site's storage. */
export interface StorageState {
  /** Bytes used and allowed, when the browser says. */
  readonly usage: number | null;
  readonly quota: number | null;
  /** Whether the browser keeps the data under storage pressure; null before it answers. */
  readonly persisted: boolean | null;
}

export const storageStore = createStore<StorageState>(() => ({
  usage: null,
  quota: null,
  persisted: null,
}));

/**
 * Asks the browser to keep this site's data even when the disk runs low (an event log is
 * only worth keeping if it is not cleared behind the user's back), then reads how much is
 * used. The browser may say no; the page says which.
 */
export async function requestPersistentStorage(): Promise<void> {
  const storage = navigator.storage as StorageManager | undefined;
  if (storage === undefined) return;
  const persisted = (await storage.persisted()) || (await storage.persist());
  storageStore.setState({ persisted });
  await refreshStorageEstimate();
}

export async function refreshStorageEstimate(): Promise<void> {
  const storage = navigator.storage as StorageManager | undefined;
  if (storage === undefined) return;
  const { usage, quota } = await storage.estimate();
  storageStore.setState({ usage: usage ?? null, quota: quota ?? null });
}
