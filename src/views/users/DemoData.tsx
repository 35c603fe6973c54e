import { useState, type SubmitEvent } from 'react';
import { useStore } from 'zustand';
import { runSeedScenario } from '../../commands';
import { messageOf } from '../../domain';
import {
  cancelGeneration,
  generationStore,
  isUnderway,
  startGeneration,
  type GenerationState,
} from '../../stores/generation';
import { OutcomeMessage, type Outcome } from '../OutcomeMessage';
import { ProgressBar } from '../ProgressBar';
import { outcomeWhenVisible } from '../readYourWrites';
import { useRuntime } from '../RuntimeContext';
import { useLingering } from '../useLingering';
import { countOf, formatCount as format } from '../format';

export function DemoData() {
  return (
    <section className="card demo" aria-labelledby="demo-heading">
      <h2 id="demo-heading">Demo data</h2>
      <SeedScenario />
      <GenerateEvents />
    </section>
  );
}

function SeedScenario() {
  const { handler, newId } = useRuntime();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      setOutcome(await outcomeWhenVisible(await runSeedScenario(handler, newId)));
    } catch (error) {
      setOutcome({
        kind: 'rejected',
        text: `The scenario could not run. ${messageOf(error)}`,
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="demo-part">
      <p className="hint">
        The guide&apos;s three commands: create user123 and user456, then change user123&apos;s
        email.
      </p>
      <button type="button" disabled={busy} onClick={() => void run()}>
        Load seed scenario
      </button>
      <OutcomeMessage outcome={outcome} />
    </div>
  );
}

function GenerateEvents() {
  const { generate } = useRuntime();
  const state = useStore(generationStore);
  const running = isUnderway(state);
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => {
      const v = data.get(name);
      return typeof v === 'string' ? v : '';
    };
    void startGeneration({
      run: generate,
      count: text('count'),
      seed: text('seed'),
    });
  };
  return (
    <form className="demo-part" aria-label="Generate events" noValidate onSubmit={onSubmit}>
      <p className="hint">
        A seeded, repeatable mix of commands through the same handler, recorded in batches.
      </p>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor="generate-count">Event count</label>
          <input
            id="generate-count"
            name="count"
            type="text"
            inputMode="numeric"
            defaultValue="1000"
          />
        </div>
        <div className="field">
          <label htmlFor="generate-seed">Seed</label>
          <input id="generate-seed" name="seed" type="text" inputMode="numeric" defaultValue="1" />
        </div>
      </div>
      <div className="actions">
        <button type="submit" disabled={running}>
          Generate events
        </button>
        {running && (
          <button type="button" onClick={cancelGeneration}>
            Cancel
          </button>
        )}
      </div>
      <GenerationStatus state={state} />
    </form>
  );
}

function GenerationStatus({ state }: { state: GenerationState }) {
  const barShown = useLingering(state.status === 'running');
  switch (state.status) {
    case 'idle':
      return null;
    case 'waiting':
      return (
        <p role="status" className="outcome waiting">
          Waiting for the generation running in another tab to end
        </p>
      );
    case 'running':
      return <Progress done={state.progress.done} total={state.progress.total} />;
    case 'finished': {
      const { done, total, recorded, rejected } = state.progress;
      const text = !state.cancelled
        ? `Generated ${countOf(recorded, 'event')}` +
          (rejected > 0 ? ` (${countOf(rejected, 'command')} rejected)` : '')
        : done === 0
          ? 'Cancelled before it started: 0 events recorded'
          : `Cancelled after ${format(done)} of ${countOf(total, 'command')}: ${countOf(recorded, 'event')} recorded, in whole batches only`;
      return (
        <>
          {/* None for a run cancelled while it waited for its turn: it never ran. */}
          {barShown && done > 0 && <Progress done={done} total={total} />}
          <OutcomeMessage outcome={{ kind: 'recorded', text }} />
        </>
      );
    }
    case 'failed':
      return <OutcomeMessage outcome={{ kind: 'rejected', text: state.message }} />;
  }
}

function Progress({ done, total }: { done: number; total: number }) {
  return (
    <div className="progress">
      <ProgressBar label="Generation progress" value={done} max={total} />
      <span aria-hidden="true">
        {format(done)} of {format(total)}
      </span>
    </div>
  );
}
