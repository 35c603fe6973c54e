import { useId, useRef, useState, type MouseEvent, type SubmitEvent } from 'react';
import { messageOf } from '../../domain';
import { outcomeWhenVisible } from '../readYourWrites';
import { useRuntime } from '../RuntimeContext';
import { OutcomeMessage, type Outcome } from '../OutcomeMessage';
import type { CommandFormSpec } from './commandForms';

/** One command as a form: it shapes the input, hands it to the handler and shows the outcome. */
export function CommandForm({ spec }: { spec: CommandFormSpec }) {
  const { handler, newId } = useRuntime();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  // Set at once, where the state is only seen at the next render: a second submit in the
  // same turn would otherwise send the command twice.
  const sending = useRef(false);
  const id = useId();

  async function submit(form: HTMLFormElement) {
    if (sending.current) return;
    sending.current = true;
    const values = Object.fromEntries(
      [...new FormData(form)].map(([k, v]) => [k, typeof v === 'string' ? v : '']),
    );
    setBusy(true);
    try {
      const result = await handler.execute({ commandId: newId(), command: spec.toCommand(values) });
      setOutcome(await outcomeWhenVisible([result]));
    } catch (error) {
      setOutcome({
        kind: 'rejected',
        text: `The command could not be recorded. ${messageOf(error)}`,
      });
    } finally {
      sending.current = false;
      setBusy(false);
    }
  }

  // A double-click is one intent: its second click (the browser counts them in `detail`)
  // does not submit. A command takes milliseconds, so that click comes after the first is
  // recorded, and would record a second login, or be refused as a user that already exists.
  // Clicks further apart than the system's double-click interval, and Enter pressed again,
  // each send a command.
  const onClick = (event: MouseEvent<HTMLButtonElement>) => {
    if (event.detail > 1) event.preventDefault();
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    void submit(event.currentTarget);
  };

  return (
    <form className="card command-form" aria-label={spec.title} noValidate onSubmit={onSubmit}>
      <h3>{spec.title}</h3>
      <p className="hint">{spec.hint}</p>
      {spec.fields.map((field) => (
        <div className="field" key={field.name}>
          <label htmlFor={`${id}-${field.name}`}>{field.label}</label>
          <input
            id={`${id}-${field.name}`}
            name={field.name}
            type="text"
            inputMode={field.inputMode ?? 'text'}
            placeholder={field.placeholder}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
      ))}
      <button type="submit" disabled={busy} onClick={onClick}>
        {spec.title}
      </button>
      <OutcomeMessage outcome={outcome} />
    </form>
  );
}
