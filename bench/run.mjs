// `npm run bench -- --events 100000 [--runs 3] [--cold-opens 5]`: builds the benchmark page, runs it in headless
// Chromium against the app's own modules, and prints a table and one JSON line per figure.
// Every figure is measured in the same run as its baselines, so ratios hold on a noisy machine.
import { execSync, spawn } from 'node:child_process';
import os from 'node:os';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../scripts/chromium.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
};
const EVENTS = option('events', 100_000);
const RUNS = option('runs', EVENTS > 200_000 ? 1 : 3);
const COMMANDS = option('commands', 200);
const COLD_OPENS = option('cold-opens', 5);
const PORT = 4175;

execSync('node scripts/ensure-browser.mjs', { stdio: 'inherit' });
execSync('npx vite build --config bench/vite.config.ts --logLevel warn', { stdio: 'inherit' });
const server = spawn('npx', ['vite', 'preview', '--config', 'bench/vite.config.ts'], {
  stdio: 'ignore',
  detached: true,
});
const stopServer = () => {
  try {
    process.kill(-server.pid);
  } catch {
    /* already gone */
  }
};
process.on('exit', stopServer);

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://localhost:${PORT}/bench/index.html`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the benchmark server did not start');
}

const browser = await chromium.launch(
  chromiumLaunchOptions([
    '--enable-blink-features=ForceEagerMeasureMemory',
    '--js-flags=--expose-gc',
  ]),
);

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const median = (values) => percentile(values, 50);

/** A fresh browser context (its own storage) with the benchmark page open in it. */
async function benchPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(0);
  const open = async () => {
    await page.goto(`http://localhost:${PORT}/bench/index.html`);
    await page.waitForSelector('body[data-ready="true"]');
  };
  const call = (fn, ...a) => page.evaluate(([f, x]) => window.bench[f](...x), [fn, a]);
  await open();
  return { context, open, call };
}

async function oneRun(run) {
  const figures = {};
  const log = (name, value) => {
    figures[name] = value;
    console.error(`  run ${run}: ${name} = ${JSON.stringify(value)}`);
  };
  // The baselines run in a context of their own, closed before the app is measured, so the
  // app's figures are not taken beside two million baseline records left in the same storage.
  const baselines = await benchPage();
  const raw = await baselines.call('rawIndexedDb', EVENTS);
  log('baseline raw IndexedDB: write ms', raw.writeMs);
  log('baseline raw IndexedDB: read ms', raw.readMs);
  const dexie = await baselines.call('dexie', EVENTS);
  log('baseline Dexie: write ms', dexie.writeMs);
  log('baseline Dexie: read ms', dexie.readMs);
  await baselines.context.close();
  const { context, open, call } = await benchPage();
  await call('resetApp');
  // First the app's way, in a worker, for the page's long tasks; then, on a fresh log, on
  // the page's own thread, where the time spent in appends and reads can be told apart.
  const inWorker = await call('generateInWorker', EVENTS);
  log('generate in a worker, as the app does: ms', inWorker.ms);
  log('generate in a worker: page long tasks', inWorker.longTasks.count);
  log('generate in a worker: page longest task ms', inWorker.longTasks.longestMs);
  await open();
  await call('resetApp');
  const generated = await call('generate', EVENTS);
  log('generate: events per second', (generated.recorded / generated.ms) * 1000);
  log('generate: ms', generated.ms);
  log('generate: of which append transactions ms', generated.appendMs);
  log('generate: of which stream reads ms', generated.readMs);
  log('generate: long tasks', generated.longTasks.count);
  log('generate: longest task ms', generated.longTasks.longestMs);
  const decided = await call('decideOnly', EVENTS);
  log('generate: making and deciding the commands alone, nothing stored: ms', decided.ms);
  // Cold opens from a reload with no read-model snapshot, the median of COLD_OPENS: one
  // cold open varied by up to a fifth here, the first after a large generation most.
  const colds = [];
  let mem = null;
  for (let i = 0; i < COLD_OPENS; i++) {
    await open();
    if (i > 0) await call('forgetReadModels');
    colds.push(await call('coldOpen'));
    if (i === 0) mem = await call('memory');
  }
  log('cold open, no snapshot: ms', median(colds.map((c) => c.ms)));
  console.error(`  run ${run}: cold opens ms: ${colds.map((c) => Math.round(c.ms)).join(' / ')}`);
  log('cold open, no snapshot: long tasks', Math.max(...colds.map((c) => c.longTasks.count)));
  log(
    'cold open, no snapshot: longest task ms',
    Math.max(...colds.map((c) => c.longTasks.longestMs)),
  );
  if (mem) {
    log('memory after cold open: page heap MB', mem.pageMb);
    log('memory after cold open: worker heap MB', mem.workerMb);
  }
  await call('waitForSnapshots');
  await open(); // a reload, with snapshots
  const warm = await call('coldOpen');
  log('cold open, with snapshot: ms', warm.ms);
  log('cold open, with snapshot: long tasks', warm.longTasks.count);
  const latency = await call('commandLatency', COMMANDS);
  log('command to committed: p50 ms', median(latency.committed));
  log('command to committed: p99 ms', percentile(latency.committed, 99));
  log('command to visible: p50 ms', median(latency.visible));
  log('command to visible: p99 ms', percentile(latency.visible, 99));
  const floor = await call('rawTransactions', COMMANDS, median(latency.visible));
  log('baseline one raw readwrite transaction: p50 ms', median(floor));
  const opened = await call('timelineOpen');
  log('timeline: first open ms', opened.ms);
  log('timeline: first open long tasks', opened.longTasks.count);
  const jumps = await call('timelineJumps', 50);
  log('timeline: jump p50 ms', median(jumps));
  log('timeline: jump p95 ms', percentile(jumps, 95));
  const play = await call('timelinePlay', 3000);
  log('timeline: play frames in 3 s', play.frames);
  log('timeline: play long tasks', play.longTasks.count);
  log('timeline: play longest task ms', play.longTasks.longestMs);
  const memTimeline = await call('memory');
  if (memTimeline) log('memory with the timeline open: worker heap MB', memTimeline.workerMb);
  const rebuild = await call('rebuild');
  log('rebuild user profiles: ms', rebuild.ms);
  log('rebuild: long tasks', rebuild.longTasks.count);
  log('rebuild: longest task ms', rebuild.longTasks.longestMs);
  // Last, after a reload, with no worker running: the app does this once its read models
  // are live, and it would otherwise slow the figures above (the worker saves snapshots
  // once the page has been quiet for a second).
  // First with no kept copy of the write index: the build folds the whole log and keeps one.
  await open();
  await call('forgetWriteIndex');
  await open();
  const prepared = await call('prepareWrites');
  log('prepare writes after a reload, no kept index: ms', prepared.ms);
  log('prepare writes, no kept index: longest task ms', prepared.longTasks.longestMs);
  await call('waitForKeptIndex');
  await open();
  const loaded = await call('prepareWrites');
  log('prepare writes after a reload, from the kept index: ms', loaded.ms);
  log('prepare writes, from the kept index: longest task ms', loaded.longTasks.longestMs);
  await context.close();
  return figures;
}

await waitForServer();
console.error(`Benchmark: ${EVENTS} events, ${RUNS} run(s), ${COMMANDS} commands for latency`);
const runs = [];
for (let run = 1; run <= RUNS; run++) runs.push(await oneRun(run));
await browser.close();
stopServer();

const names = Object.keys(runs[0]);
const result = Object.fromEntries(
  names.map((n) => [n, median(runs.map((r) => r[n]).filter((v) => v !== undefined))]),
);
const rawRead = result['baseline raw IndexedDB: read ms'];
const dexieRead = result['baseline Dexie: read ms'];
const cold = result['cold open, no snapshot: ms'];
result['cold open vs raw read: times faster'] = rawRead / cold;
result['cold open vs Dexie read: times faster'] = dexieRead / cold;

const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${browser.version ? `Chromium ${browser.version()}` : 'Chromium'}`;
const round = (v) => (Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100);
console.log(
  `\n| figure (median of ${RUNS} run${RUNS === 1 ? '' : 's'}, ${EVENTS.toLocaleString('en-US')} events) | value |`,
);
console.log('|---|---|');
for (const [name, value] of Object.entries(result))
  console.log(`| ${name} | ${round(value).toLocaleString('en-US')} |`);
console.log(`\n${machine}, ${new Date().toISOString().slice(0, 10)}\n`);
for (const [name, value] of Object.entries(result)) {
  console.log(
    JSON.stringify({ figure: name, value: round(value), events: EVENTS, runs: RUNS, machine }),
  );
}
