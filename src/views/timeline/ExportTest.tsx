import { useState, type SubmitEvent } from 'react';
import { messageOf, wholeNumberOf } from '../../domain';
import { exportProjectionTest } from '../../stores/readSide';
import { download } from '../download';
import { OutcomeMessage, type Outcome } from '../OutcomeMessage';

/** Downloads the events of a range with the read models before and after, as a projection test. */
export function ExportTest({ position, head }: { position: number; head: number }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [from, setFrom] = useState('1');
  // "To" follows the cursor until a person types in it; what they typed is never reset.
  const [typedTo, setTypedTo] = useState<string | null>(null);
  const to = typedTo ?? String(position);

  const submit = async (first: number, last: number) => {
    if (
      !Number.isInteger(first) ||
      !Number.isInteger(last) ||
      first < 1 ||
      last < first ||
      last > head
    ) {
      setOutcome({
        kind: 'rejected',
        text: `The range must be whole positions with 1 ≤ from ≤ to ≤ ${String(head)}`,
      });
      return;
    }
    setBusy(true);
    const fixture = await exportProjectionTest(first, last).catch((error: unknown) => {
      setOutcome({ kind: 'rejected', text: messageOf(error) });
      return null;
    });
    setBusy(false);
    if (fixture === null) return;
    download(
      new Blob([JSON.stringify(fixture, null, 2)], { type: 'application/json' }),
      `projection-test-${String(first)}-${String(last)}.json`,
    );
    setOutcome({
      kind: 'recorded',
      text: `Exported events ${String(first)} to ${String(last)} as a projection test`,
    });
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    void submit(wholeNumberOf(from) ?? Number.NaN, wholeNumberOf(to) ?? Number.NaN);
  };

  return (
    <form className="card export-test" aria-label="Export as test" noValidate onSubmit={onSubmit}>
      <h3>Export as a test</h3>
      <p className="hint">
        The events of a range as given, and the read models before and after them as expected: a
        ready-made unit test of the projections.
      </p>
      <div className="inline-fields">
        <label className="field">
          From position
          <input
            name="from"
            type="text"
            inputMode="numeric"
            value={from}
            onChange={(e) => {
              setFrom(e.target.value);
            }}
          />
        </label>
        <label className="field">
          To position
          <input
            name="to"
            type="text"
            inputMode="numeric"
            value={to}
            onChange={(e) => {
              setTypedTo(e.target.value);
            }}
          />
        </label>
      </div>
      <button type="submit" disabled={busy || head === 0}>
        Export as test
      </button>
      <OutcomeMessage outcome={outcome} />
    </form>
  );
}
