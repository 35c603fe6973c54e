/**
 * A write the browser refused, in words a person can act on. The transaction it was part of
 * was aborted, so nothing of it was written.
 */
export class StorageWriteError extends Error {
  constructor(readonly refusal: unknown) {
    super(describeRefusal(refusal));
    this.name = 'StorageWriteError';
  }
}

function describeRefusal(refusal: unknown): string {
  const { name, message } =
    refusal instanceof Error || refusal instanceof DOMException
      ? refusal
      : { name: 'Error', message: String(refusal) };
  switch (name) {
    case 'QuotaExceededError':
      return 'The browser has no more room for this site (its storage quota is full). Nothing was written; free some space and try again.';
    case 'UnknownError':
    case 'DataError':
      if (/NO_SPACE|No space|IOError|IO error/.test(message))
        return 'The disk is full: the browser could not write to storage. Nothing was written; try again once there is space.';
      break;
    case 'InvalidStateError':
      return 'The database was closed (another tab may have upgraded it), so nothing was written. Reload the page to go on.';
  }
  return `The browser could not write to storage (${name}: ${message}); the disk may be full. Nothing was written; try again once there is space.`;
}

/**
 * The log was not the one a replacement was confirmed for: another tab, or this one, wrote to
 * it (or replaced it) after the person was told how many events the import would replace.
 */
export class LogChangedError extends Error {
  constructor(readonly head: number) {
    super(
      `the log changed after the file was checked: it now holds ${head.toLocaleString('en-US')} events. Choose the file again to replace them`,
    );
    this.name = 'LogChangedError';
  }
}

/**
 * Queues a write inside a transaction without awaiting it. Should it fail, the transaction
 * aborts and its own error is what `committed` (or the open, for an upgrade) reports; the
 * write's own rejection must not also surface as an unhandled one.
 */
export function queued(write: Promise<unknown>): void {
  write.catch(() => undefined);
}

/**
 * Runs the writes of one transaction to its end; if the browser refuses them, the error says
 * why in plain words, from the transaction's own error rather than the abort it caused.
 */
export async function committed(
  tx: { readonly error: DOMException | null },
  work: Promise<unknown>,
): Promise<void> {
  try {
    await work;
  } catch (error) {
    throw new StorageWriteError(tx.error ?? error);
  }
}
