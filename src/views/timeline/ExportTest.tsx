import { useState, type SubmitEvent } from 'react';
import { exportProjectionTest } from '../../stores/readSide';
import { OutcomeMessage, type Outcome } from '../OutcomeMessage';

/** Downloads the events of a range with the read models before and after, as a projection test. */
export function ExportTest({ position, head }: { position: number; head: number }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const from = Number(data.get('from'));
    const to = Number(data.get('to'));
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < from || to > head) {
      setOutcome({
        kind: 'rejected',
        text: `The range must be whole positions with 1 ≤ from ≤ to ≤ ${String(head)}`,
      });
      return;
    }
    setBusy(true);
    const fixture = await exportProjectionTest(from, to);
    const url = URL.createObjectURL(
      new Blob([JSON.stringify(fixture, null, 2)], { type: 'application/json' }),
    );
    const link = document.createElement('a');
    link.href = url;
    link.download = `projection-test-${String(from)}-${String(to)}.json`;
    link.click();
    URL.revokeObjectURL(url);
    setBusy(false);
    setOutcome({
      kind: 'recorded',
      text: `Exported events ${String(from)} to ${String(to)} as a projection test`,
    });
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    void submit(event.currentTarget);
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
            defaultValue="1"
            key={`from-${String(head)}`}
          />
        </label>
        <label className="field">
          To position
          <input
            name="to"
            type="text"
            inputMode="numeric"
            defaultValue={String(position)}
            key={`to-${String(position)}`}
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
