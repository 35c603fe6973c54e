import type { IDBPDatabase } from 'idb';
import { queued } from './errors';
import { EPOCH_KEY, HEAD_KEY, type WorkbenchDB } from './schema';
import { readRange } from './segments';
import type { ClaimRule } from './types';
import { WriteIndex, type WriteIndexState } from './writeIndex';

/**
 * A copy of a write index, kept so that a tab opening a long log loads it and folds only
 * what came after, instead of folding the whole log before its first write (about 2.2 s at a
 * million events). It is derived data: one that does not match the log is not used, and a
 * failed write of it loses nothing.
 *
 * It is stored in parts of at most a megabyte or 20,000 strings, each its own record: the
 * browser copies a record in or out of storage in one piece on the page's thread, and one
 * record of 22 MB (a million events) took it for about 100 ms.
 */

/**
 * Raised whenever what a write index folds, or how its state is laid out, changes. A change
 * of the claim rule alone is told by its own version (`ClaimRule.version`).
 */
const FORMAT = 1;
const STRINGS_PER_PART = 20_000;
const NUMBERS_PER_PART = 1 << 18;

type NumberField =
  'firsts' | 'versions' | 'lasts' | 'before' | 'ownerNumbers' | 'commandHashes' | 'commandFirsts';
type StringField = 'ids' | 'ownerKeys';

interface Header {
  readonly format: number;
  /** The claim rule's version the owners were folded with. */
  readonly rule: number;
  readonly epoch: number;
  readonly position: number;
  readonly lastCommandId: string;
  readonly commands: number;
  readonly parts: number;
}

type Part =
  | { readonly field: NumberField; readonly numbers: Uint32Array<ArrayBuffer> }
  | { readonly field: StringField; readonly strings: readonly string[] };

/** A record of the `writeIndex` store: the header at key 0, parts from key 1 on. */
export type IndexSnapshotRecord = Header | Part;

function partsOf(state: WriteIndexState): Part[] {
  const parts: Part[] = [];
  const numbers = (field: NumberField, values: Uint32Array<ArrayBuffer>) => {
    for (let i = 0; i < values.length; i += NUMBERS_PER_PART)
      parts.push({ field, numbers: values.slice(i, i + NUMBERS_PER_PART) });
  };
  const strings = (field: StringField, values: readonly string[]) => {
    for (let i = 0; i < values.length; i += STRINGS_PER_PART)
      parts.push({ field, strings: values.slice(i, i + STRINGS_PER_PART) });
  };
  strings('ids', state.ids);
  numbers('firsts', state.firsts);
  numbers('versions', state.versions);
  numbers('lasts', state.lasts);
  numbers('before', state.before);
  strings('ownerKeys', state.ownerKeys);
  numbers('ownerNumbers', state.ownerNumbers);
  numbers('commandHashes', state.commands.hashes);
  numbers('commandFirsts', state.commands.firsts);
  return parts;
}

/** The state the parts were cut from, one field at a time with `pause` between. */
async function stateOf(
  header: Header,
  parts: readonly Part[],
  pause: () => Promise<void>,
): Promise<WriteIndexState> {
  const numbers = async (field: NumberField) => {
    await pause();
    const chunks = parts.flatMap((p) => ('numbers' in p && p.field === field ? [p.numbers] : []));
    const joined = new Uint32Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      joined.set(chunk, at);
      at += chunk.length;
    }
    return joined;
  };
  const strings = async (field: StringField) => {
    await pause();
    return parts.flatMap((p) => ('strings' in p && p.field === field ? p.strings : []));
  };
  return {
    epoch: header.epoch,
    position: header.position,
    lastCommandId: header.lastCommandId,
    ids: await strings('ids'),
    firsts: await numbers('firsts'),
    versions: await numbers('versions'),
    lasts: await numbers('lasts'),
    before: await numbers('before'),
    ownerKeys: await strings('ownerKeys'),
    ownerNumbers: await numbers('ownerNumbers'),
    commands: {
      hashes: await numbers('commandHashes'),
      firsts: await numbers('commandFirsts'),
      size: header.commands,
    },
  };
}

/** A copy at least as far along a log at least as new: one not to be replaced by ours. */
const atLeastAsGood = (stored: Header | Part | undefined, ours: Header): boolean =>
  stored !== undefined &&
  'format' in stored &&
  stored.format === ours.format &&
  stored.rule === ours.rule &&
  (stored.epoch > ours.epoch || (stored.epoch === ours.epoch && stored.position >= ours.position));

/**
 * Replaces the stored copy with this index's state, one part per request, unless the stored
 * one is at least as good (a newer log's, or further along this one). `pause` lets the thread
 * do other work between taking the state and cutting it into parts. Only the `writeIndex`
 * store is in the transaction: appends never wait for a save.
 */
export async function saveIndex(
  db: IDBPDatabase<WorkbenchDB>,
  index: WriteIndex,
  rule: number,
  pause: () => Promise<void>,
): Promise<void> {
  const state = index.state();
  await pause();
  const parts = partsOf(state);
  const header: Header = {
    format: FORMAT,
    rule,
    epoch: state.epoch,
    position: state.position,
    lastCommandId: state.lastCommandId,
    commands: state.commands.size,
    parts: parts.length,
  };
  const tx = db.transaction('writeIndex', 'readwrite');
  // Should the transaction abort, the request that failed reports it; so does this.
  queued(tx.done);
  const store = tx.objectStore('writeIndex');
  if (atLeastAsGood(await store.get(0), header)) return;
  await store.clear();
  // Each part is copied into storage when it is put: one at a time, each in its own task.
  for (const [k, part] of parts.entries()) await store.put(part, k + 1);
  await store.put(header, 0);
  await tx.done;
}

/**
 * The stored copy, if it was taken of this very log with this claim rule: its epoch, a
 * position the log has reached, and at that position an event of the command it names.
 * Null otherwise (none kept, another log's, a log the browser dropped and that was written
 * again since), or when `worth` says a copy of that epoch and position is not worth loading.
 *
 * The check is one short transaction over the log's stores; the parts are read in a second
 * one over the copy's store alone, so other tabs' appends do not wait while they are read.
 */
export async function loadIndex(
  db: IDBPDatabase<WorkbenchDB>,
  claimRule: ClaimRule,
  pause: () => Promise<void>,
  worth: (copy: { readonly epoch: number; readonly position: number }) => boolean = () => true,
): Promise<WriteIndex | null> {
  const check = db.transaction(['writeIndex', 'meta', 'segments', 'events'], 'readonly');
  const [header, head, epoch] = await Promise.all([
    check.objectStore('writeIndex').get(0),
    check.objectStore('meta').get(HEAD_KEY),
    check.objectStore('meta').get(EPOCH_KEY),
  ]);
  if (
    header === undefined ||
    !('format' in header) ||
    header.format !== FORMAT ||
    header.rule !== (claimRule.version ?? 0) ||
    header.epoch !== (epoch ?? 0) ||
    header.position > (head ?? 0) ||
    header.position < 1 ||
    !worth(header)
  )
    return null;
  const log = { segments: check.objectStore('segments'), events: check.objectStore('events') };
  const [there] = await readRange(log, header.position, header.position);
  await check.done;
  if (there?.metadata.commandId !== header.lastCommandId) return null;

  const read = db.transaction('writeIndex', 'readonly');
  const store = read.objectStore('writeIndex');
  // Asked for together; each is copied out of storage as its own answer comes in.
  const [again, ...found] = await Promise.all([
    store.get(0),
    ...Array.from({ length: header.parts }, (_, k) => store.get(k + 1)),
  ]);
  await read.done;
  // Replaced by another save between the two transactions: not the copy that was checked.
  if (JSON.stringify(again) !== JSON.stringify(header)) return null;
  const parts = found.flatMap((part) => (part === undefined || 'format' in part ? [] : [part]));
  if (parts.length !== header.parts) return null;
  return WriteIndex.fromState(claimRule, await stateOf(header, parts, pause), pause);
}
