import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ReadSide } from './pages/ReadSide';
import { UsersPage } from './pages/UsersPage';

/** Opens the app again in the same profile, as a person would after the tab died. */
async function reopen(context: BrowserContext): Promise<{ page: Page; users: UsersPage }> {
  const page = await context.newPage();
  const users = new UsersPage(page);
  await users.goto();
  return { page, users };
}

/** Every read model, restored after the crash, has the content hash of a fresh rebuild. */
const expectReadModelsEqualRebuilds = (page: Page, head: number) =>
  new ReadSide(page).expectEqualToRebuilds(head, 30_000);

test('a page closed in the middle of a generate run, a rebuild or an import leaves the log whole', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  // 1. Generation: closed after a few batches. Only whole batches (2,000 commands) remain.
  let users = new UsersPage(page);
  await users.goto();
  const generate = page.getByRole('form', { name: 'Generate events' });
  await generate.getByLabel('Event count').fill('300000');
  await generate.getByRole('button', { name: 'Generate events' }).click();
  const progress = generate.getByRole('progressbar', { name: 'Generation progress' });
  await expect
    .poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(6000);
  await page.close({ runBeforeUnload: false });
  let reopened = await reopen(context);
  users = reopened.users;
  const head = await users.readLogHead();
  expect(head).toBeGreaterThanOrEqual(6000);
  expect(head).toBeLessThan(300_000);
  expect(head % 2000).toBe(0);
  await expectReadModelsEqualRebuilds(reopened.page, head);

  // 2. A rebuild: closed while it runs. The snapshot it dropped is folded again.
  await reopened.page.getByRole('button', { name: 'Rebuild User profiles' }).click();
  await expect(
    reopened.page.getByRole('progressbar', { name: 'Rebuild of User profiles' }),
  ).toBeVisible();
  await reopened.page.close({ runBeforeUnload: false });
  reopened = await reopen(context);
  await reopened.users.expectLogHead(head);
  await expectReadModelsEqualRebuilds(reopened.page, head);

  // 3. An import: closed while it writes. The log is the old one or the new one, whole.
  await reopened.page.goto('/');
  const downloaded = reopened.page.waitForEvent('download');
  await reopened.page.getByRole('button', { name: 'Export log' }).click();
  const lines = readFileSync(await (await downloaded).path(), 'utf8')
    .trimEnd()
    .split('\n');
  const shorter = lines.slice(0, lines.length - 1000);
  const chooser = reopened.page.waitForEvent('filechooser');
  await reopened.page.getByRole('button', { name: 'Import log' }).click();
  await (
    await chooser
  ).setFiles({
    name: 'shorter.ndjson',
    mimeType: 'text/plain',
    buffer: Buffer.from(`${shorter.join('\n')}\n`),
  });
  // Closed while it writes, if it is still writing by then; else once it is done.
  await reopened.page.getByRole('button', { name: 'Replace log' }).click();
  await reopened.page
    .getByRole('progressbar', { name: 'Import of shorter.ndjson' })
    .waitFor({ timeout: 5000 })
    .catch(() => undefined);
  await reopened.page.close({ runBeforeUnload: false });
  reopened = await reopen(context);
  const after = await reopened.users.readLogHead();
  expect([head, head - 1000]).toContain(after);
  await expectReadModelsEqualRebuilds(reopened.page, after);
});
