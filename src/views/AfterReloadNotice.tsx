import { useEffect, useState } from 'react';
import { reloadedBecause, type ReloadReason } from '../stores/afterReload';
import { countOf } from './format';

/** Says why the page just loaded again, when a replaced log made it: until dismissed. */
export function AfterReloadNotice() {
  const [reason, setReason] = useState<ReloadReason | null>(null);
  // Put in the live region once it is on the page: text it holds from the start is not read
  // out by screen readers.
  useEffect(() => {
    const timer = setTimeout(() => {
      setReason(reloadedBecause);
    }, 0);
    return () => {
      clearTimeout(timer);
    };
  }, []);
  if (reloadedBecause === null) return null;
  return (
    <div className={reason === null ? 'notice-slot' : 'notice-banner'}>
      <p role="status">
        {reason === null
          ? ''
          : reason.kind === 'imported'
            ? `Imported ${countOf(reason.events, 'event')} from ${reason.fileName}. The log was replaced, and every read model folded it from the start.`
            : `Another tab imported a log of ${countOf(reason.events, 'event')}, replacing this one. This page loaded again on it.`}
      </p>
      {reason !== null && (
        <button
          type="button"
          onClick={() => {
            setReason(null);
          }}
        >
          Dismiss
        </button>
      )}
    </div>
  );
}
