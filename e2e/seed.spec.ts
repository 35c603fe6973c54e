import { expect, test } from './fixtures';

test('the seed scenario records the guide\u2019s three commands, once', async ({
  usersPage,
  page,
}) => {
  await usersPage.goto();
  const seed = page.getByRole('button', { name: 'Load seed scenario' });
  await seed.click();
  await expect(page.getByRole('status').filter({ hasText: 'UserEmailUpdated' })).toHaveText(
    'Recorded UserCreated at position 1, UserCreated at position 2, UserEmailUpdated at position 3',
  );
  await seed.click();
  await expect(page.getByRole('alert')).toHaveText('User user123 already exists');
  await usersPage.expectLogHead(3);
});

test('a scenario refused part way says what it recorded before the refusal', async ({
  usersPage,
  page,
}) => {
  await usersPage.goto();
  await usersPage.createUser('user456', 'other@x.io', 'Other');
  await page.getByRole('button', { name: 'Load seed scenario' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'User user456 already exists. The commands before it were recorded: UserCreated at position 2',
  );
  await usersPage.expectLogHead(2);
});

test('a reload keeps every recorded event', async ({ usersPage, page }) => {
  await usersPage.goto();
  await page.getByRole('button', { name: 'Load seed scenario' }).click();
  await usersPage.expectLogHead(3);
  await page.reload();
  await usersPage.expectLogHead(3);
  // The write side folds user123 from its stored stream: its current email is the new one.
  await usersPage.submit('Update email', {
    'User ID': 'user123',
    'New email': 'john.doe@company.com',
  });
  await expect(usersPage.alert('Update email')).toContainText(
    'already has email john.doe@company.com',
  );
  await usersPage.submit('Create user', {
    'User ID': 'u9',
    Email: 'john@example.com',
    Name: 'Reuse',
  });
  await expect(usersPage.status('Create user')).toHaveText('Recorded UserCreated at position 4');
});

test('each page loads directly by its URL and after a reload', async ({ page }) => {
  for (const [path, link] of [
    ['/', 'Users'],
    ['/timeline', 'Timeline'],
    ['/projections', 'Projections'],
  ] as const) {
    await page.goto(path);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: link })).toHaveAttribute('aria-current', 'page');
    await page.reload();
    await expect(nav.getByRole('link', { name: link })).toHaveAttribute('aria-current', 'page');
    await expect(page).toHaveTitle(`${link} · CQRS Workbench`);
  }
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('form', { name: 'Create user' })).toBeVisible();
});

test('a path that names no page says so, and links to the pages', async ({ page }) => {
  await page.goto('/nope');
  const notFound = page.getByRole('region', { name: 'No such page' });
  await expect(notFound).toContainText('There is no page at /nope.');
  await expect(page).toHaveTitle('No such page · CQRS Workbench');
  await notFound.getByRole('link', { name: 'Timeline' }).click();
  await expect(page).toHaveURL(/\/timeline$/);
  await expect(page.getByRole('region', { name: 'No such page' })).toHaveCount(0);
  await page.goto('/projections/');
  await expect(page.getByRole('table', { name: 'Projections' })).toBeVisible();
  // A user's path with a broken escape names no user: said so, where it had emptied the page.
  await page.evaluate(() => {
    window.history.pushState(null, '', '/users/%E0%A4');
    window.dispatchEvent(new PopStateEvent('popstate'));
  });
  await expect(page.getByRole('region', { name: 'No such page' })).toContainText(
    'There is no page at /users/%E0%A4.',
  );
});
