import type { UserCommand } from '../domain';
import type { CommandHandler, CommandOutcome } from './handler';

/** The guide's scenario: two users, then the first one's email changes. */
const SEED_SCENARIO: readonly UserCommand[] = [
  { type: 'CreateUser', data: { userId: 'user123', email: 'john@example.com', name: 'John Doe' } },
  {
    type: 'CreateUser',
    data: { userId: 'user456', email: 'jane@example.com', name: 'Jane Smith' },
  },
  { type: 'UpdateUserEmail', data: { userId: 'user123', newEmail: 'john.doe@company.com' } },
];

/**
 * Issues the scenario's commands in order through the handler, stopping at the first
 * rejection: a second run is refused by its first command and records nothing.
 */
export async function runSeedScenario(
  handler: CommandHandler,
  newId: () => string,
): Promise<CommandOutcome[]> {
  const outcomes: CommandOutcome[] = [];
  const correlationId = newId();
  for (const command of SEED_SCENARIO) {
    const outcome = await handler.execute({ commandId: newId(), command, correlationId });
    outcomes.push(outcome);
    if (outcome.kind === 'rejected') break;
  }
  return outcomes;
}
