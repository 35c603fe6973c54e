import { useEffect, useState } from 'react';

/**
 * How long a finished run's progress bar stays on screen, full, before it goes: long enough
 * to be seen (a short run can end before a frame shows it running), short enough that a bar
 * on screen means a run.
 */
export const LINGER_MS = 1_000;

/** True while `active`, and for `LINGER_MS` after it turns false. */
export function useLingering(active: boolean): boolean {
  const [was, setWas] = useState(active);
  const [lingering, setLingering] = useState(false);
  // Derived during render, as React has it for what changed since the last one.
  if (active !== was) {
    setWas(active);
    setLingering(!active);
  }
  useEffect(() => {
    if (!lingering) return;
    const timer = setTimeout(() => {
      setLingering(false);
    }, LINGER_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [lingering]);
  return active || lingering;
}
