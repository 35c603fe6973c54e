import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ReadSide } from './pages/ReadSide';
import { UsersPage } from './pages/UsersPage';

/** A second tab of the same browser profile: the same IndexedDB, the same BroadcastChannel. */
async function secondTab(page: Page): Promise<{ tab: Page; users: UsersPage }> {
  const tab = await page.context().newPage();
  const users = new UsersPage(tab);
  await users.goto();
  return { tab, users };
}

const usersTableText = (page: Page) =>
  new ReadSide(page).usersTable().getByRole('row').allInnerTexts();

test('a command in one tab appears live in another', async ({ page, usersPage }) => {
  await usersPage.goto();
  const { tab, users } = await secondTab(page);
  await usersPage.createUser('t1', 't1@x.io', 'Tab One');
  await users.expectLogHead(1);
  await expect(new ReadSide(tab).userRow('t1')).toContainText('t1@x.io');
  await new ReadSide(tab).expectUpToDate(1);
  await users.createUser('t2', 't2@x.io', 'Tab Two');
  await expect(new ReadSide(page).userRow('t2')).toContainText('t2@x.io');
  await usersPage.expectLogHead(2);
});

test('two tabs racing on one stream: one wins or both decide again, and the log stays gapless', async ({
  page,
  usersPage,
}) => {
  await usersPage.goto();
  const { tab, users } = await secondTab(page);
  // The same new user from both tabs at once: exactly one is recorded.
  await Promise.all([
    usersPage.submit('Create user', { 'User ID': 'race', Email: 'a@x.io', Name: 'A' }),
    users.submit('Create user', { 'User ID': 'race', Email: 'b@x.io', Name: 'B' }),
  ]);
  const outcomes = await Promise.all(
    [usersPage, users].map(async (p) => {
      const form = p.form('Create user');
      await expect(form.getByRole('status').or(form.getByRole('alert'))).toBeVisible();
      return (await form.getByRole('status').count()) > 0 ? 'recorded' : 'refused';
    }),
  );
  expect([...outcomes].sort()).toEqual(['recorded', 'refused']);
  const refused = outcomes[0] === 'refused' ? usersPage : users;
  await expect(refused.alert('Create user')).toHaveText('User race already exists');
  // Renames of one user from both tabs at once: the loser decides again on the new state.
  await Promise.all([
    usersPage.submit('Rename user', { 'User ID': 'race', Name: 'From tab one' }),
    users.submit('Rename user', { 'User ID': 'race', Name: 'From tab two' }),
  ]);
  for (const p of [usersPage, users])
    await expect(p.status('Rename user')).toContainText('Recorded UserRenamed at position');
  await usersPage.expectLogHead(3);
  await users.expectLogHead(3);
  await new ReadSide(page).expectUpToDate(3);
  await new ReadSide(tab).expectUpToDate(3);
  expect(await usersTableText(tab)).toEqual(await usersTableText(page));
  // Gapless: the timeline of either tab lists positions 1 to 3.
  await tab.goto('/timeline');
  await expect(tab.getByText('Position 3 of 3')).toBeVisible();
});

test('two tabs generating at once take turns, and neither run refuses a command', async ({
  page,
  usersPage,
}) => {
  await usersPage.goto();
  const { users } = await secondTab(page);
  const forms = [usersPage.generateForm(), users.generateForm()];
  for (const form of forms) await form.getByLabel('Event count').fill('6000');
  // Both at the same log head: each run's users and emails must still be its own.
  await Promise.all(
    forms.map((form) => form.getByRole('button', { name: 'Generate events' }).click()),
  );
  for (const form of forms)
    await expect(form.getByRole('status')).toHaveText('Generated 6,000 events', {
      timeout: 30_000,
    });
  await usersPage.expectLogHead(12_000);
  await users.expectLogHead(12_000);
});

test('a generation waits while another tab generates, and can be cancelled while it waits', async ({
  page,
  usersPage,
}) => {
  await usersPage.goto();
  const { users } = await secondTab(page);
  const first = usersPage.generateForm();
  await first.getByLabel('Event count').fill('500000');
  await first.getByRole('button', { name: 'Generate events' }).click();
  const bar = first.getByRole('progressbar');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  const second = users.generateForm();
  await second.getByLabel('Event count').fill('1000');
  await second.getByRole('button', { name: 'Generate events' }).click();
  await expect(second.getByRole('status')).toHaveText(
    'Waiting for the generation running in another tab to end',
  );
  await expect(second.getByRole('button', { name: 'Generate events' })).toBeDisabled();
  await second.getByRole('button', { name: 'Cancel' }).click();
  await expect(second.getByRole('status')).toHaveText(
    'Cancelled before it started: 0 events recorded',
  );
  // Waiting again, it starts once the first run ends.
  await second.getByRole('button', { name: 'Generate events' }).click();
  await expect(second.getByRole('status')).toHaveText(
    'Waiting for the generation running in another tab to end',
  );
  await first.getByRole('button', { name: 'Cancel' }).click();
  await expect(first.getByRole('status')).toContainText('Cancelled after');
  await expect(second.getByRole('status')).toHaveText('Generated 1,000 events', {
    timeout: 30_000,
  });
  const head = await usersPage.readLogHead();
  expect(head % 2000).toBe(1000);
  await users.expectLogHead(head);
});

test.describe('a database upgrade from another tab', () => {
  test('closes this tab’s connection, asks for a reload, and blocks neither tab', async ({
    page,
    usersPage,
  }) => {
    await usersPage.goto();
    await usersPage.createUser('u1', 'u1@x.io', 'U');
    const other = await page.context().newPage();
    await other.goto('/');
    // What a newer build would do: open the log at a higher schema version.
    const opened = await other.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const request = indexedDB.open('cqrs-workbench', 99);
          request.onsuccess = () => {
            request.result.close();
            resolve('opened');
          };
          request.onblocked = () => {
            resolve('blocked');
          };
          request.onerror = () => {
            resolve(String(request.error));
          };
        }),
    );
    expect(opened).toBe('opened');
    await expect(page.getByRole('alert').filter({ hasText: 'reload to go on' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Reload' })).toBeVisible();
  });
});
