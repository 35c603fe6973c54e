import { useEffect } from 'react';
import { useStore } from 'zustand';
import { readSideStore } from '../../stores/readSide';
import { refreshStorageEstimate, storageStore } from '../../stores/storage';

const megabytes = (bytes: number): string =>
  `${(bytes / 2 ** 20).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;

/** How much of the browser's storage the log and the read models use, and whether it stays. */
export function StoragePanel() {
  const { usage, quota, persisted } = useStore(storageStore);
  const head = useStore(readSideStore, (s) => s.head);
  // Read again once the log has stopped growing for a moment, not on every event.
  useEffect(() => {
    const later = setTimeout(() => void refreshStorageEstimate(), 500);
    return () => {
      clearTimeout(later);
    };
  }, [head]);
  return (
    <section className="card" aria-label="Storage">
      <h3>Storage</h3>
      <p>
        {usage === null || quota === null
          ? 'This browser does not say how much storage is used.'
          : `Using ${megabytes(usage)} of ${megabytes(quota)} (${((100 * usage) / quota).toFixed(2)}%).`}
      </p>
      <p className="hint">
        {persisted === null
          ? 'Asking the browser to keep the data…'
          : persisted
            ? 'Persistent storage: granted. The browser will not clear the log when space runs low.'
            : 'Persistent storage: not granted. The browser may clear the log when space runs low.'}
      </p>
    </section>
  );
}
