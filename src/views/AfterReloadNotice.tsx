import { useState } from 'react';
import { reloadedBecause } from '../stores/afterReload';
import { countOf } from './format';

/** Says why the page just loaded again, when a replaced log made it: until dismissed. */
export function AfterReloadNotice() {
  const [reason, setReason] = useState(reloadedBecause);
  if (reason === null) return null;
  return (
    <div className="notice-banner">
      <p role="status">
        {reason.kind === 'imported'
          ? `Imported ${countOf(reason.events, 'event')} from ${reason.fileName}. The log was replaced, and every read model folded it from the start.`
          : `Another tab imported a log of ${countOf(reason.events, 'event')}, replacing this one. This page loaded again on it.`}
      </p>
      <button
        type="button"
        onClick={() => {
          setReason(null);
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
