import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ReadSide } from './pages/ReadSide';

async function exportLog(page: Page): Promise<string> {
  const downloaded = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export log' }).click();
  const download = await downloaded;
  expect(download.suggestedFilename()).toBe('cqrs-workbench-log.ndjson');
  return readFileSync(await download.path(), 'utf8');
}

async function chooseFile(page: Page, name: string, text: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import log' }).click();
  await (
    await chooser
  ).setFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
}

const event = (position: number, fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    position,
    streamId: 'user-ann',
    version: position,
    type: 'UserLoggedIn',
    schemaVersion: 1,
    data: { userId: 'ann', at: '2026-01-02T00:00:00.000Z' },
    metadata: {
      eventId: `e${String(position)}`,
      commandId: `c${String(position)}`,
      causationId: `c${String(position)}`,
      correlationId: `c${String(position)}`,
      recordedAt: '2026-01-02T00:00:00.000Z',
    },
    ...fields,
  });

/** Ann, created by an older version of the app: UserCreated of schema version 1. */
const annV1 = event(1, {
  type: 'UserCreated',
  data: { userId: 'ann', email: 'Ann@example.com', name: 'Ann' },
  command: { type: 'CreateUser', data: { userId: 'ann', email: 'Ann@example.com', name: 'Ann' } },
});

test('export, import and export again give the same bytes, and the read models rebuild', async ({
  page,
  usersPage,
}) => {
  await usersPage.goto();
  await page.getByRole('button', { name: 'Load seed scenario' }).click();
  await usersPage.expectLogHead(3);
  await usersPage.submit('Place order', { 'User ID': 'user456', 'Order ID': 'o1', Amount: '12.5' });
  await expect(usersPage.status('Place order')).toBeVisible();
  const exported = await exportLog(page);
  expect(exported.trimEnd().split('\n')).toHaveLength(4);
  await expect(page.getByRole('status').filter({ hasText: 'Exported 4 events.' })).toBeVisible();
  // Change the log, then put the exported one back.
  await usersPage.createUser('later', 'later@x.io', 'Later');
  await usersPage.expectLogHead(5);
  const other = await page.context().newPage();
  await other.goto('/timeline');
  await expect(other.getByText('Position 5 of 5')).toBeVisible();
  await chooseFile(page, 'saved.ndjson', exported);
  const confirm = page.getByRole('alertdialog', { name: 'Replace the log?' });
  await expect(confirm).toContainText('saved.ndjson holds 4 good events');
  await expect(confirm).toContainText('replaces the log of 5 events');
  await confirm.getByRole('button', { name: 'Replace log' }).click();
  await usersPage.expectLogHead(4);
  // The other tab loads again on the new log, and says why.
  await expect(other.getByRole('status').filter({ hasText: 'Another tab imported' })).toHaveText(
    'Another tab imported a log of 4 events, replacing this one. This page loaded again on it.',
  );
  await expect(other.getByText('Position 4 of 4')).toBeVisible();
  await other.close();
  // The page loads again on the new log, and says what it imported, once.
  const imported = page
    .getByRole('status')
    .filter({ hasText: 'Imported 4 events from saved.ndjson.' });
  await expect(imported).toBeVisible();
  const read = new ReadSide(page);
  await read.expectUpToDate(4);
  await expect(read.userRow('user123')).toContainText('john.doe@company.com');
  await expect(read.userRow('later')).toHaveCount(0);
  expect(await exportLog(page)).toBe(exported);
  await page.reload();
  await usersPage.expectLogHead(4);
  await expect(imported).toHaveCount(0);
});

test('a log that changes before Replace log is asked about again, with its new length', async ({
  page,
  usersPage,
}) => {
  await usersPage.goto();
  await usersPage.createUser('keep', 'keep@x.io', 'Keep');
  await chooseFile(page, 'other.ndjson', `${annV1}\n`);
  const confirm = page.getByRole('alertdialog', { name: 'Replace the log?' });
  await expect(confirm).toContainText('replaces the log of 1 event,');
  // A command lands while the question is open.
  await usersPage.createUser('late', 'late@x.io', 'Late');
  await usersPage.expectLogHead(2);
  await confirm.getByRole('button', { name: 'Replace log' }).click();
  await expect(confirm).toContainText('The log has changed since the file was checked.');
  await expect(confirm).toContainText('replaces the log of 2 events');
  await usersPage.expectLogHead(2);
  await confirm.getByRole('button', { name: 'Replace log' }).click();
  await usersPage.expectLogHead(1);
  await expect(new ReadSide(page).userRow('ann')).toBeVisible();
});

test('Cancel leaves the log as it was', async ({ page, usersPage }) => {
  await usersPage.goto();
  await usersPage.createUser('keep', 'keep@x.io', 'Keep');
  await chooseFile(page, 'other.ndjson', `${annV1}\n`);
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  // Escape says no too; the question opens with the focus on its safe answer.
  await chooseFile(page, 'other.ndjson', `${annV1}\n`);
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await usersPage.expectLogHead(1);
  await expect(new ReadSide(page).userRow('keep')).toBeVisible();
});

test.describe('a file with a fault is refused whole, with its line and reason', () => {
  const faults: [string, string[], string][] = [
    ['bad JSON', [annV1, '{"position": 2,'], 'Line 2: it is not valid JSON.'],
    [
      'an unknown type',
      [annV1, event(2, { type: 'UserTeleported' })],
      'Line 2: its type "UserTeleported" is not an event type of this app.',
    ],
    [
      'a gap in positions',
      [annV1, event(3, { version: 2 })],
      'Line 2: its position is 3, but 2 comes next (positions follow each other from 1).',
    ],
    [
      'a wrong stream version',
      [annV1, event(2, { version: 7 })],
      'Line 2: it is version 7 of stream user-ann, but version 2 comes next.',
    ],
    [
      'data that does not fit its type',
      [annV1, event(2, { data: { userId: 'ann', at: 'yesterday' } })],
      'Line 2: the field "at" of UserLoggedIn is not a date and time.',
    ],
  ];
  for (const [what, lines, reason] of faults) {
    test(what, async ({ page, usersPage }) => {
      await usersPage.goto();
      await usersPage.createUser('keep', 'keep@x.io', 'Keep');
      await chooseFile(page, 'bad.ndjson', `${lines.join('\n')}\n`);
      await expect(page.getByRole('alert')).toHaveText(
        `bad.ndjson was not imported, and the log is as it was. ${reason}`,
      );
      await expect(page.getByRole('alertdialog')).toHaveCount(0);
      await usersPage.expectLogHead(1);
      await expect(new ReadSide(page).userRow('keep')).toBeVisible();
    });
  }
});

test('both schema versions of UserCreated import, and the inspector shows the stored and upcast payloads', async ({
  page,
  usersPage,
}) => {
  const annV2 = event(2, {
    streamId: 'user-bob',
    version: 1,
    type: 'UserCreated',
    schemaVersion: 2,
    data: { userId: 'bob', email: 'bob@x.io', normalizedEmail: 'bob@x.io', name: 'Bob' },
  });
  await usersPage.goto();
  await chooseFile(page, 'mixed.ndjson', `${annV1}\n${annV2}\n${event(3, { version: 2 })}\n`);
  await page.getByRole('button', { name: 'Replace log' }).click();
  await usersPage.expectLogHead(3);
  await expect(new ReadSide(page).userRow('ann')).toContainText('Ann@example.com');
  await page.goto('/timeline?at=1');
  const detail = page.getByRole('region', { name: 'Event at position 1' });
  await expect(detail.getByRole('figure', { name: 'Stored payload' })).toContainText(
    'schema version 1',
  );
  await expect(detail.getByRole('figure', { name: 'Stored payload' })).not.toContainText(
    'normalizedEmail',
  );
  await expect(detail.getByRole('figure', { name: 'Upcast payload' })).toContainText(
    '"normalizedEmail": "ann@example.com"',
  );
  await expect(detail).toContainText('CreateUser');
});
