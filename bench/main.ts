import * as app from './app';
import * as baselines from './baselines';

/** The benchmark page: `bench/run.mjs` drives these from headless Chromium. */
Object.assign(window, { bench: { ...app, ...baselines } });
document.body.dataset.ready = 'true';
