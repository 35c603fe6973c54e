import Dexie, { type EntityTable } from 'dexie';
import type { RecordedEvent } from '../src/domain';
import { syntheticEvents } from './events';

const CHUNK = 10_000;

export interface StoreFigures {
  readonly writeMs: number;
  readonly readMs: number;
  readonly read: number;
}

/** An IndexedDB request's result, or its error. */
export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => {
      resolve(req.result);
    };
    req.onerror = () => {
      reject(new Error(String(req.error)));
    };
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => {
      resolve();
    };
    tx.onerror = () => {
      reject(new Error(String(tx.error)));
    };
  });
}

/**
 * What a person would write by hand: one IndexedDB record per event, keyed by position,
 * written in 10k-event transactions and read back with getAll in 10k chunks.
 */
export async function rawIndexedDb(count: number): Promise<StoreFigures> {
  const name = 'bench-raw';
  await request(indexedDB.deleteDatabase(name));
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore('events', { keyPath: 'position' });
  const db = await request(open);
  let writeMs = 0;
  for (const chunk of syntheticEvents(count, CHUNK)) {
    const t0 = performance.now();
    const tx = db.transaction('events', 'readwrite');
    for (const e of chunk) tx.objectStore('events').put(e);
    await done(tx);
    writeMs += performance.now() - t0;
  }
  const t1 = performance.now();
  let read = 0;
  for (let from = 1; ; from += CHUNK) {
    const tx = db.transaction('events');
    const events = await request(
      tx.objectStore('events').getAll(IDBKeyRange.lowerBound(from), CHUNK),
    );
    read += events.length;
    if (events.length < CHUNK) break;
  }
  const readMs = performance.now() - t1;
  db.close();
  return { writeMs, readMs, read };
}

/** Dexie, the library a person would likely reach for: bulkAdd, then chunked range reads. */
export async function dexie(count: number): Promise<StoreFigures> {
  await Dexie.delete('bench-dexie');
  const db = new Dexie('bench-dexie') as Dexie & { events: EntityTable<RecordedEvent, 'position'> };
  db.version(1).stores({ events: 'position' });
  let writeMs = 0;
  for (const chunk of syntheticEvents(count, CHUNK)) {
    const t0 = performance.now();
    await db.events.bulkAdd(chunk);
    writeMs += performance.now() - t0;
  }
  const t1 = performance.now();
  let read = 0;
  for (let from = 1; ; from += CHUNK) {
    const events = await db.events
      .where('position')
      .between(from, from + CHUNK, true, false)
      .toArray();
    read += events.length;
    if (events.length < CHUNK) break;
  }
  const readMs = performance.now() - t1;
  db.close();
  return { writeMs, readMs, read };
}

/**
 * The floor under "command → committed": one readwrite transaction that reads a head and
 * writes one event and the new head, in a store of its own, `count` times with `gapMs`
 * between them (the pause the latency loop spends waiting for the view). Milliseconds each.
 */
export async function rawTransactions(count: number, gapMs: number): Promise<number[]> {
  const name = 'bench-raw-tx';
  await request(indexedDB.deleteDatabase(name));
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore('events', { keyPath: 'position' });
    open.result.createObjectStore('meta');
  };
  const db = await request(open);
  const times: number[] = [];
  const [event] = [...syntheticEvents(1, 1)].flat();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const tx = db.transaction(['events', 'meta'], 'readwrite');
    const head = ((await request(tx.objectStore('meta').get('head'))) as number | undefined) ?? 0;
    tx.objectStore('events').put({ ...event, position: head + 1 });
    tx.objectStore('meta').put(head + 1, 'head');
    await done(tx);
    times.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  db.close();
  return times;
}
