import { expect, test } from './fixtures';

test('generating 1,000 events finishes with its progress bar full', async ({ usersPage }) => {
  await usersPage.goto();
  await usersPage.generate(1000);
  const bar = usersPage.generateForm().getByRole('progressbar');
  await expect(bar).toHaveAttribute('aria-valuenow', '1000');
  await expect(bar).toHaveAttribute('aria-valuemax', '1000');
  await usersPage.expectLogHead(1_000);
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
  for (const count of ['0', 'ten', '1.5', '2000000']) {
    await form.getByLabel('Event count').fill(count);
    await form.getByRole('button', { name: 'Generate events' }).click();
    await expect(form.getByRole('alert')).toHaveText(
      'Event count must be a whole number from 1 to 1,000,000',
    );
  }
  await usersPage.expectLogHead(0);
});
