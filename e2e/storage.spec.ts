import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../scripts/chromium.mjs';
import { expect, test } from './fixtures';
import { ReadSide } from './pages/ReadSide';
import { UsersPage } from './pages/UsersPage';

/**
 * A real full disk: the browser profile lives on a 3 MB tmpfs, so IndexedDB writes fail once
 * it fills. Mounting needs root; where that is not allowed the test is skipped, saying why.
 */
async function onSmallDisk(
  baseURL: string | undefined,
  body: (page: Page, room: () => void, errors: string[]) => Promise<void>,
): Promise<void> {
  test.setTimeout(120_000);
  const dir = mkdtempSync('/tmp/cqrs-full-disk-');
  try {
    execSync(`mount -t tmpfs -o size=3m tmpfs ${dir}`, { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const reason = `a small tmpfs cannot be mounted here (${String(error).split('\n')[0] ?? ''})`;
    console.log(`Skipped the full-disk test: ${reason}`);
    test.skip(true, reason);
    return;
  }
  const context = await chromium.launchPersistentContext(dir, {
    ...chromiumLaunchOptions(),
    ...(baseURL === undefined ? {} : { baseURL }),
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await body(
      page,
      () => {
        execSync(`mount -o remount,size=64m ${dir}`, { stdio: 'pipe' });
      },
      errors,
    );
  } finally {
    await context.close();
    execSync(`umount ${dir}`, { stdio: 'pipe' });
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Generates 2,000 events at a time until a batch is refused; returns the head it kept, or the
 * head the browser saw before it dropped the database.
 */
async function fillUntilRefused(users: UsersPage, page: Page): Promise<number> {
  await users.goto();
  const generate = page.getByRole('form', { name: 'Generate events' });
  await generate.getByLabel('Event count').fill('2000');
  let head = 0;
  for (let run = 0; run < 30; run++) {
    // The button is disabled while a run goes on, so each click starts the next run.
    await generate.getByRole('button', { name: 'Generate events' }).click();
    const next = `Events in log: ${(head + 2000).toLocaleString('en-US')}`;
    await expect(async () => {
      const failed = (await generate.getByRole('alert').count()) > 0;
      expect(failed || (await users.logHead().textContent()) === next).toBe(true);
    }).toPass({ timeout: 30_000 });
    if ((await generate.getByRole('alert').count()) > 0) break;
    head += 2000;
  }
  expect(head).toBeGreaterThan(0);
  const alert = generate.getByRole('alert');
  // Chromium may drop the database when the generation's worker connects again after the
  // refused write: then the run stops on the loss, which the page reports as well.
  if (((await alert.textContent()) ?? '').includes('where this browser saw')) {
    await expect(alert).toContainText(`saw ${head.toLocaleString('en-US')}`);
    await expect(page.getByRole('alert', { name: 'Events lost' })).toBeVisible();
    return head;
  }
  await expect(alert).toContainText('Generation stopped: The disk is full');
  await expect(alert).toContainText('Nothing was written');
  // Only whole batches: the failed one left nothing behind.
  await users.expectLogHead(head);
  return head;
}

/**
 * After room is made again: the log goes on where it was or, where the browser dropped the
 * database, the page says so and keeps saying it until a person has read it.
 */
async function expectKeptOrReported(page: Page, head: number): Promise<void> {
  const users = new UsersPage(page);
  await users.submit('Create user', { 'User ID': 'after', Email: 'after@x.io', Name: 'After' });
  await expect(users.status('Create user')).toContainText('Recorded UserCreated at position');
  const position = Number(
    ((await users.status('Create user').textContent()) ?? '').replace(/\D/g, ''),
  );
  const lost = page.getByRole('alert', { name: 'Events lost' });
  if (position !== head + 1) {
    expect(position).toBe(1);
    await expect(lost).toContainText(`saw it reach position ${head.toLocaleString('en-US')}`);
    await page.reload();
    await expect(lost).toBeVisible();
    await lost.getByRole('button', { name: 'Carry on without them' }).click();
    await expect(lost).toHaveCount(0);
    await page.reload();
    await users.expectLogHead(1);
  }
  await expect(lost).toHaveCount(0);
  await new ReadSide(page).expectEqualToRebuilds(position);
}

/**
 * Chromium 156, once a write failed for want of space, may keep the site's database, fail to
 * open it, or drop it, on the next connection or after a reload (seen here: each of these).
 * No page code prevents a drop; what the app guarantees is that it never goes on in silence
 * with a shorter log.
 */
test('a full disk refuses the write in plain words, keeps nothing partial, and the app goes on once there is room', async ({
  baseURL,
}) => {
  await onSmallDisk(baseURL, async (page, room, errors) => {
    const head = await fillUntilRefused(new UsersPage(page), page);
    room(); // no reload: the store opens a new connection itself
    await expectKeptOrReported(page, head);
    expect(errors).toEqual([]);
  });
});

test('reloaded on a full disk, the page says in plain words what it could open, and loses nothing in silence', async ({
  baseURL,
}) => {
  await onSmallDisk(baseURL, async (page, room, errors) => {
    const users = new UsersPage(page);
    const head = await fillUntilRefused(users, page);
    await page.reload();
    const unopened = page.getByRole('alert').filter({ hasText: 'could not open the stored log' });
    await expect(users.logHead().or(unopened)).toBeVisible();
    room();
    if (await unopened.isVisible())
      await unopened.getByRole('button', { name: 'Try again' }).click();
    await expectKeptOrReported(page, head);
    expect(errors).toEqual([]);
  });
});
