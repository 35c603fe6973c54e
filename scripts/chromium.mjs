// How this project starts Chromium, for the end-to-end tests and the benchmark alike: the
// system Chromium where there is one (no browser download works on the machines this project
// is built on), else Playwright's own; and the flags that keep it quiet on a closed network.
import { existsSync } from 'node:fs';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** @param {readonly string[]} extraArgs @returns {{ executablePath?: string, args: string[] }} */
export function chromiumLaunchOptions(extraArgs = []) {
  return {
    ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  };
}
