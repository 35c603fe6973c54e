import { formatCount } from './format';

/**
 * A progress bar with its value in ARIA attributes (aria-valuenow, aria-valuemax), which
 * assistive technology and tests read the same way whatever the browser does with <progress>.
 */
export function ProgressBar({ label, value, max }: { label: string; value: number; max: number }) {
  const percent = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <div
      className="progressbar"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={`${formatCount(value)} of ${formatCount(max)}`}
    >
      <div className="progressbar-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
