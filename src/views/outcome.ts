import type { CommandOutcome } from '../commands';

/** What a person reads after a command: each recorded event and its position, or why not. */
export function describeOutcomes(outcomes: readonly CommandOutcome[]): {
  readonly kind: 'recorded' | 'rejected';
  readonly text: string;
} {
  const events = outcomes.flatMap((o) => (o.kind === 'recorded' ? o.events : []));
  const list = events.map((e) => `${e.type} at position ${e.position}`).join(', ');
  const rejection = outcomes.find((o) => o.kind === 'rejected');
  // Commands before a refused one (in a scenario) stay recorded: the message says which.
  if (rejection?.kind === 'rejected')
    return {
      kind: 'rejected',
      text:
        events.length === 0
          ? rejection.message
          : `${rejection.message}. The commands before it were recorded: ${list}`,
    };
  const repeated = outcomes.every((o) => o.kind === 'recorded' && o.duplicate);
  return { kind: 'recorded', text: repeated ? `Already recorded: ${list}` : `Recorded ${list}` };
}
