import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** How far the page is wider than its window: 0 when nothing runs off the side. */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test('the longest id, email and name fit the pages that show them', async ({ page, usersPage }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await usersPage.goto();
  const userId = 'w'.repeat(64);
  await usersPage.createUser(userId, `${'a'.repeat(64)}@${'b'.repeat(60)}.com`, 'N'.repeat(200));
  await page.goto(`/users/${userId}`);
  await expect(page.getByRole('heading', { name: `User ${userId}` })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeInViewport();
  expect(await overflow(page)).toBe(0);
  await page.goto('/timeline?at=1');
  await expect(page.getByRole('region', { name: 'Changes at position 1' })).toContainText('added');
  await expect(page.getByRole('region', { name: 'Event at position 1' })).toContainText(userId);
  expect(await overflow(page)).toBe(0);
});

test('the Projections page fits a narrow window', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 900 });
  await page.goto('/projections');
  await expect(page.getByRole('button', { name: 'Rebuild Users by email domain' })).toBeVisible();
  expect(await overflow(page)).toBe(0);
});

test('a command’s outcome appears below its button without moving it', async ({ usersPage }) => {
  await usersPage.goto();
  await usersPage.createUser('bob', 'bob@example.com', 'Bob');
  const button = usersPage.form('Record login').getByRole('button', { name: 'Record login' });
  const before = await button.boundingBox();
  await usersPage.submit('Record login', { 'User ID': 'bob' });
  await expect(usersPage.status('Record login')).toBeVisible();
  expect((await button.boundingBox())?.y).toBe(before?.y);
});
