import { expect, test } from './fixtures';
import { ReadSide } from './pages/ReadSide';
import { loadSeedScenario } from './pages/seed';

const seed = loadSeedScenario;

test('after the seed scenario the tables show the guide\u2019s results, also after a reload', async ({
  usersPage,
  page,
}) => {
  const read = new ReadSide(page);
  await usersPage.goto();
  await seed(page);
  for (let round = 0; round < 2; round++) {
    await read.expectUpToDate(3);
    await expect(read.userRow('user123')).toContainText('john.doe@company.com');
    await expect(read.userRow('user123')).toContainText('John Doe');
    await expect(read.userRow('user456')).toContainText('jane@example.com');
    await read.queryDomain('company.com');
    await expect(read.usersInDomain().getByRole('row')).toHaveCount(2);
    await expect(read.usersInDomain()).toContainText('user123');
    await read.queryDomain('example.com');
    await expect(read.usersInDomain().getByRole('row')).toHaveCount(2);
    await expect(read.usersInDomain()).toContainText('user456');
    await expect(page.getByText('1 user in example.com')).toBeVisible();
    // Nothing of a domain in it: no count of the users of none, once the query is answered.
    await read.queryDomain('@');
    await expect(read.usersInDomain().getByRole('row')).toHaveCount(1);
    await expect(page.getByText(/users? in/)).toHaveCount(0);
    await page.reload();
  }
});

test('the Users table has the contract\u2019s columns and sorts by any of them', async ({
  usersPage,
  page,
}) => {
  const read = new ReadSide(page);
  await usersPage.goto();
  await seed(page);
  const headers = read.usersTable().getByRole('columnheader');
  await expect(headers).toHaveText([
    'User ID ▲',
    'Email',
    'Name',
    'Status',
    'Logins',
    'Last login',
    'Orders',
    'Created',
    'Updated',
  ]);
  const firstUser = read.usersTable().getByRole('row').nth(1).getByRole('link');
  await expect(firstUser).toHaveText('user123');
  await read.usersTable().getByRole('button', { name: 'User ID' }).click();
  await expect(read.usersTable().getByRole('columnheader', { name: 'User ID' })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  await expect(firstUser).toHaveText('user456');
  await read.usersTable().getByRole('button', { name: 'Email' }).click();
  await expect(firstUser).toHaveText('user456'); // jane@… sorts before john.doe@…
  await page.getByLabel('Filter users').fill('doe');
  await expect(read.usersTable().getByRole('link')).toHaveText(['user123']);
  // The sort and the filter are kept in the address: a reload, and Back from a user's page,
  // show the same view.
  await page.getByLabel('Filter users').fill('user');
  await read.usersTable().getByRole('button', { name: 'Email' }).click();
  const emailHeader = read.usersTable().getByRole('columnheader', { name: 'Email' });
  await expect(emailHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/\/\?sort=email&order=desc&filter=user$/);
  await page.reload();
  await expect(emailHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByLabel('Filter users')).toHaveValue('user');
  await expect(firstUser).toHaveText('user123'); // john.doe@… sorts after jane@…
  await firstUser.click();
  await expect(page.getByRole('heading', { name: 'User user123' })).toBeVisible();
  await page.goBack();
  await expect(emailHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByLabel('Filter users')).toHaveValue('user');
});

test('a command shows up live, and its success waits for the read model', async ({
  usersPage,
  page,
}) => {
  const read = new ReadSide(page);
  await usersPage.goto();
  await usersPage.createUser('ann', 'ann@example.com', 'Ann');
  // The status appears only once the read models have folded the event: no wait needed.
  await expect(read.userRow('ann')).toContainText('ann@example.com');
  await usersPage.submit('Record login', { 'User ID': 'ann' });
  await expect(usersPage.status('Record login')).toBeVisible();
  await expect(read.userRow('ann').getByRole('cell').nth(4)).toHaveText('1');
});

test('a second page of the app sees a command from the first', async ({ usersPage, context }) => {
  await usersPage.goto();
  const other = await context.newPage();
  await other.goto('/');
  const otherRead = new ReadSide(other);
  await otherRead.expectUpToDate(0);
  await usersPage.createUser('from-tab-one', 'one@example.com', 'One');
  await expect(otherRead.userRow('from-tab-one')).toBeVisible();
  await otherRead.expectUpToDate(1);
});

test('a user\u2019s page shows the profile, the activity and their own events', async ({
  usersPage,
  page,
}) => {
  await usersPage.goto();
  await seed(page);
  await usersPage.submit('Place order', {
    'User ID': 'user123',
    'Order ID': 'o-1',
    Amount: '12.50',
  });
  await expect(usersPage.status('Place order')).toBeVisible();
  await new ReadSide(page).userRow('user123').getByRole('cell').nth(2).click();
  await expect(page).toHaveURL(/\/users\/user123$/);
  const events = page.getByRole('table', { name: 'Events of user123' });
  await expect(events.getByRole('row')).toHaveCount(4);
  await expect(events).toContainText('UserCreated');
  await expect(events).toContainText('UserEmailUpdated');
  await expect(page.getByRole('region', { name: 'Activity' })).toContainText('12.50');
  await page.reload();
  await expect(page.getByRole('region', { name: 'Profile' })).toContainText('john.doe@company.com');
  await expect(new ReadSide(page).lag()).toHaveText('up to date at position 4');
});

test('a generated log of 10,000 events scrolls to its last row', async ({ usersPage, page }) => {
  const read = new ReadSide(page);
  await usersPage.goto();
  await usersPage.generate(10000, { timeout: 60_000 });
  await read.expectUpToDate(10000);
  const rowCount = Number(await read.usersTable().getAttribute('aria-rowcount'));
  expect(rowCount).toBeGreaterThan(500);
  await read.usersTable().evaluate((table) => {
    const scroller = table.parentElement!;
    scroller.scrollTop = scroller.scrollHeight;
  });
  const last = read.usersTable().locator(`tr[aria-rowindex="${rowCount}"]`);
  await expect(last).toBeVisible();
  await expect(last.getByRole('link')).toBeVisible();
});
