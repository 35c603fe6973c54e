import { expect, test } from './fixtures';

test('a generation shows its progress bar while it runs, and not after', async ({ usersPage }) => {
  await usersPage.goto();
  const form = usersPage.generateForm();
  await form.getByLabel('Event count').fill('100000');
  await form.getByRole('button', { name: 'Generate events' }).click();
  const bar = form.getByRole('progressbar', { name: 'Generation progress' });
  await expect(bar).toHaveAttribute('aria-valuemax', '100000');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await expect(form.getByRole('status')).toHaveText('Generated 100,000 events', {
    timeout: 30_000,
  });
  await expect(bar).toBeHidden();
  await usersPage.expectLogHead(100_000);
  // A short run too: its bar is seen, full, and then goes.
  await usersPage.generate(1000);
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute('aria-valuenow', '1000');
  await expect(bar).toBeHidden();
  await usersPage.expectLogHead(101_000);
});

test('a generation runs in a worker of its own, off the page', async ({ usersPage, page }) => {
  await usersPage.goto();
  const started = page.waitForEvent('worker', (w) => w.url().includes('generator'));
  await usersPage.generate(20000);
  const worker = await started;
  await usersPage.expectLogHead(20_000);
  // Ended with its run: nothing of it is left running.
  await expect.poll(() => page.workers().includes(worker)).toBe(false);
});

test('a cancelled run leaves only whole batches', async ({ usersPage }) => {
  await usersPage.goto();
  const form = usersPage.generateForm();
  await form.getByLabel('Event count').fill('500000');
  await form.getByRole('button', { name: 'Generate events' }).click();
  const bar = form.getByRole('progressbar');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(form.getByRole('status')).toContainText('Cancelled after');
  const head = await usersPage.readLogHead();
  expect(head).toBeGreaterThan(0);
  expect(head).toBeLessThan(500000);
  expect(head % 2000).toBe(0);
  await expect(form.getByRole('status')).toContainText(
    `${head.toLocaleString('en-US')} events recorded`,
  );
});

test('an event count that is not a whole number is refused in plain words', async ({
  usersPage,
}) => {
  await usersPage.goto();
  const form = usersPage.generateForm();
  for (const count of ['0', 'ten', '1.5', '2000000', '0x10']) {
    await form.getByLabel('Event count').fill(count);
    await form.getByRole('button', { name: 'Generate events' }).click();
    await expect(form.getByRole('alert')).toHaveText(
      'Event count must be a whole number from 1 to 1,000,000',
    );
  }
  await usersPage.expectLogHead(0);
});

test('after a long generation, a reload checks commands against the copy its worker kept', async ({
  usersPage,
  page,
}) => {
  test.setTimeout(120_000);
  await usersPage.goto();
  await usersPage.generate(60_000, { timeout: 60_000 });
  // The generation's worker kept a copy of what appends check, at the log's head.
  const kept = await page.evaluate(
    () =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('cqrs-workbench');
        open.onerror = () => {
          reject(new Error(String(open.error)));
        };
        open.onsuccess = () => {
          const get = open.result.transaction('writeIndex').objectStore('writeIndex').get(0);
          get.onsuccess = () => {
            open.result.close();
            resolve(get.result);
          };
        };
      }),
  );
  expect(kept).toMatchObject({ position: 60_000 });
  const users = page.getByRole('table', { name: 'Users' });
  const first = users.getByRole('row').nth(1);
  const userId = (await first.getByRole('cell').nth(0).textContent()) ?? '';
  const email = (await first.getByRole('cell').nth(1).textContent()) ?? '';
  expect(email).toContain('@');

  await page.reload();
  await usersPage.submit('Create user', { 'User ID': 'newcomer', Email: email, Name: 'N' });
  await expect(usersPage.alert('Create user')).toHaveText(`Email ${email} is already in use`);
  await usersPage.submit('Create user', { 'User ID': userId, Email: 'new@x.io', Name: 'N' });
  await expect(usersPage.alert('Create user')).toHaveText(`User ${userId} already exists`);
  await usersPage.submit('Record login', { 'User ID': userId });
  await expect(usersPage.status('Record login')).toHaveText(
    'Recorded UserLoggedIn at position 60001',
  );
  await usersPage.expectLogHead(60_001);
});
