export interface Outcome {
  readonly kind: 'recorded' | 'rejected';
  readonly text: string;
}

/**
 * A success is a polite `status`, a refusal an `alert`. Rendered only when there is
 * something to say, so a page holds no empty live regions.
 */
export function OutcomeMessage({ outcome }: { outcome: Outcome | null }) {
  if (outcome === null) return null;
  return outcome.kind === 'recorded' ? (
    <p role="status" className="outcome ok">
      {outcome.text}
    </p>
  ) : (
    <p role="alert" className="outcome error">
      {outcome.text}
    </p>
  );
}
