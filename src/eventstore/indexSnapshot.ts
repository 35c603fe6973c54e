import type { IDBPDatabase } from 'idb';
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

/** Raised whenever what a write index folds, or how its state is laid out, changes. */
const FORMAT = 1;
const STRINGS_PER_PART = 20_000;
const NUMBERS_PER_PART = 1 << 18;

type NumberField = 'firsts' | 'versions' | 'lasts' | 'before' | 'ownerNumbers' | 'hashes' | 'slots';
type StringField = 'ids' | 'ownerKeys';

interface Header {
  readonly format: number;
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
  numbers('hashes', state.commands.hashes);
  numbers('slots', state.commands.firsts);
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
      hashes: await numbers('hashes'),
      firsts: await numbers('slots'),
      size: header.commands,
    },
  };
}

/**
 * Replaces the stored copy with this index's state, one part per request; `pause` lets the
 * thread do other work between taking the state and cutting it into parts.
 */
export async function saveIndex(
  db: IDBPDatabase<WorkbenchDB>,
  index: WriteIndex,
  pause: () => Promise<void>,
): Promise<void> {
  const state = index.state();
  await pause();
  const parts = partsOf(state);
  const header: Header = {
    format: FORMAT,
    epoch: state.epoch,
    position: state.position,
    lastCommandId: state.lastCommandId,
    commands: state.commands.size,
    parts: parts.length,
  };
  const tx = db.transaction('writeIndex', 'readwrite');
  const store = tx.objectStore('writeIndex');
  await store.clear();
  // Each part is copied into storage when it is put: one at a time, each in its own task.
  for (const [k, part] of parts.entries()) await store.put(part, k + 1);
  await store.put(header, 0);
  await tx.done;
}

/**
 * The stored copy, if it was taken of this very log: its epoch, a position the log has
 * reached, and at that position an event of the command it names. Null otherwise (none
 * kept, another log's, a log the browser dropped and that was written again since), or
 * when `worth` says a copy of that epoch and position is not worth loading.
 */
export async function loadIndex(
  db: IDBPDatabase<WorkbenchDB>,
  claimRule: ClaimRule,
  pause: () => Promise<void>,
  worth: (copy: { readonly epoch: number; readonly position: number }) => boolean = () => true,
): Promise<WriteIndex | null> {
  const tx = db.transaction(['writeIndex', 'meta', 'segments', 'events'], 'readonly');
  const store = tx.objectStore('writeIndex');
  const [header, head, epoch] = await Promise.all([
    store.get(0),
    tx.objectStore('meta').get(HEAD_KEY),
    tx.objectStore('meta').get(EPOCH_KEY),
  ]);
  if (
    header === undefined ||
    !('format' in header) ||
    header.format !== FORMAT ||
    header.epoch !== (epoch ?? 0) ||
    header.position > (head ?? 0) ||
    header.position < 1 ||
    !worth(header)
  )
    return null;
  const log = { segments: tx.objectStore('segments'), events: tx.objectStore('events') };
  const [there] = await readRange(log, header.position, header.position);
  if (there?.metadata.commandId !== header.lastCommandId) return null;
  // Asked for together; each is copied out of storage as its own answer comes in.
  const found = await Promise.all(Array.from({ length: header.parts }, (_, k) => store.get(k + 1)));
  await tx.done;
  const parts = found.flatMap((part) => (part === undefined || 'format' in part ? [] : [part]));
  if (parts.length !== header.parts) return null;
  return WriteIndex.fromState(claimRule, await stateOf(header, parts, pause), pause);
}
