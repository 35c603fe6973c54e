import { useState } from 'react';
import { useStore } from 'zustand';
import { messageOf } from '../domain';
import { logLossStore } from '../stores/logLoss';
import { countOf, formatCount } from './format';
import { useRuntime } from './RuntimeContext';

const held = (head: number) => (head === 0 ? 'no events' : `only ${countOf(head, 'event')}`);

/**
 * Says plainly that the browser dropped committed events, so the loss is never silent: the
 * page remembered how far the log went, and the database it opened is shorter.
 */
export function LogLossBanner() {
  const loss = useStore(logLossStore, (s) => s.loss);
  const { acceptLogLoss } = useRuntime();
  const [failed, setFailed] = useState<string | null>(null);
  if (loss === null) return null;
  const carryOn = () => {
    setFailed(null);
    acceptLogLoss().catch((error: unknown) => {
      setFailed(`The log could not be read to carry on: ${messageOf(error)}`);
    });
  };
  return (
    <div role="alert" aria-label="Events lost" className="reload-banner">
      <p>
        Events are missing from the stored log: this browser saw it reach position{' '}
        {formatCount(loss.seen.head)}, but when it opened the log again it held{' '}
        {held(loss.found.head)}. The browser dropped the database, as Chromium does after a write
        fails because the disk is full. Import your last export (Import log on the Users page) to
        put the events back, or carry on with the log as it is.
      </p>
      <button type="button" onClick={carryOn}>
        Carry on without them
      </button>
      {failed !== null && <p>{failed}</p>}
    </div>
  );
}
