// `npm test`: the typecheck, the lint, the format check, the unit tests and the end-to-end
// tests, all run even when an earlier one fails, then one closing line
// `N passed, N failed` that counts every unit and end-to-end test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const REPORTS = '.reports';
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

const steps = [
  ['browser', 'node scripts/ensure-browser.mjs'],
  ['typecheck', 'npx tsc -p tsconfig.json --noEmit'],
  ['lint', 'npx eslint . --max-warnings 0'],
  ['format', 'npx prettier --check .'],
  [
    'unit',
    `npx vitest run --reporter=default --reporter=json --outputFile.json=${REPORTS}/unit.json`,
  ],
  ['e2e', 'npx playwright test'],
];

const failedSteps = [];
for (const [name, command] of steps) {
  console.log(`\n── ${name}: ${command}`);
  const { status } = spawnSync(command, { shell: true, stdio: 'inherit' });
  if (status !== 0) failedSteps.push(name);
}

function readJson(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

const unit = readJson(`${REPORTS}/unit.json`);
const e2e = readJson(`${REPORTS}/e2e.json`);
const counts = {
  unitPassed: unit?.numPassedTests ?? 0,
  unitFailed: unit?.numFailedTests ?? 0,
  e2ePassed: (e2e?.stats?.expected ?? 0) + (e2e?.stats?.flaky ?? 0),
  e2eFailed: e2e?.stats?.unexpected ?? 0,
};
// A suite that could not report at all counts as one failure, so it is never silent.
if (unit === undefined) counts.unitFailed += 1;
if (e2e === undefined) counts.e2eFailed += 1;

const passed = counts.unitPassed + counts.e2ePassed;
const failed = counts.unitFailed + counts.e2eFailed;
console.log(`\nunit: ${counts.unitPassed} passed, ${counts.unitFailed} failed`);
console.log(`e2e: ${counts.e2ePassed} passed, ${counts.e2eFailed} failed`);
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
