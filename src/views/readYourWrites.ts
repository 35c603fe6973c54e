import { PROJECTION_NAMES } from '../projections';
import type { CommandOutcome } from '../commands';
import { waitForReadModels } from '../stores/readSide';
import { describeOutcomes } from './outcome';
import type { Outcome } from './OutcomeMessage';

const READ_MODEL_TIMEOUT_MS = 5000;

/**
 * Read-your-writes: a success is shown only once the read models on screen have folded
 * the command's last event, so a person never sees their own change missing. If they do
 * not get there in time, the message says so plainly.
 */
export async function outcomeWhenVisible(outcomes: readonly CommandOutcome[]): Promise<Outcome> {
  const described = describeOutcomes(outcomes);
  const last = Math.max(
    0,
    ...outcomes.flatMap((o) => (o.kind === 'recorded' ? o.events.map((e) => e.position) : [])),
  );
  if (described.kind !== 'recorded' || last === 0) return described;
  const caughtUp = await waitForReadModels(last, PROJECTION_NAMES, READ_MODEL_TIMEOUT_MS);
  if (caughtUp.reached) return described;
  return {
    kind: 'recorded',
    text:
      caughtUp.stopped === null
        ? `${described.text}. The read models have not caught up yet (they are at position ${String(caughtUp.at)}); the tables will show it when they do.`
        : `${described.text}. The tables cannot show it yet: ${caughtUp.stopped}.`,
  };
}
