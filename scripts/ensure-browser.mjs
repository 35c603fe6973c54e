// Makes sure a Chromium for the end-to-end tests is installed, so a fresh machine needs no
// step someone has to remember. Prefers the system Chromium (Debian's `chromium` package:
// on the machines this project is built on, no browser download works); elsewhere it falls
// back to Playwright's own browser.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SYSTEM_CHROMIUM } from './chromium.mjs';

const run = (command) => execSync(command, { stdio: 'inherit' });
const has = (command) => {
  try {
    execSync(`command -v ${command}`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

if (existsSync(SYSTEM_CHROMIUM)) {
  console.log(`Browser: ${SYSTEM_CHROMIUM}`);
} else if (process.getuid?.() === 0 && has('apt-get')) {
  console.log('Installing Chromium from Debian packages…');
  run('apt-get update -qq');
  run('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
} else {
  console.log('No system Chromium: installing Playwright’s own browser…');
  run('npx playwright install --with-deps chromium');
}
