/** What went wrong, in the words of the error itself: its message, without its class's name. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * A whole number written as a person writes one: decimal digits, spaces around them allowed.
 * Number() alone would also take "0x10", "1e3" or "1.0". Null for anything else.
 */
export function wholeNumberOf(text: string): number | null {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}

/** Compile-time exhaustiveness check for `switch` statements over discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

/**
 * What a command knows about the moment it runs. Time and ids are passed in so the
 * domain never reads a clock or a random source and stays a pure function of its inputs.
 */
export interface CommandMeta {
  readonly commandId: string;
  /** ISO-8601 instant at which the command is handled. */
  readonly now: string;
}

/** A decision either accepts the command with events or rejects it with a typed reason. */
export type Decision<E, R> =
  | { readonly ok: true; readonly events: readonly E[] }
  | { readonly ok: false; readonly rejection: R };

export const accept = <E>(
  ...events: E[]
): { readonly ok: true; readonly events: readonly E[] } => ({
  ok: true,
  events,
});

export const reject = <R>(rejection: R): { readonly ok: false; readonly rejection: R } => ({
  ok: false,
  rejection,
});
