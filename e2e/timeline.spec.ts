import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { loadSeedScenario } from './pages/seed';

const seed = loadSeedScenario;

const usersAt = (page: Page, n: number) =>
  page.getByRole('table', { name: `Users at position ${String(n)}`, exact: true });
const positionText = (page: Page) => page.getByText(/^Position \d+ of \d+$/);

test('stepping through the seed scenario tells the guide\u2019s story', async ({ page }) => {
  await seed(page);
  await page.getByRole('link', { name: 'Timeline' }).click();
  await expect(positionText(page)).toHaveText('Position 3 of 3');
  await page.getByRole('button', { name: 'First event' }).click();
  await expect(positionText(page)).toHaveText('Position 1 of 3');
  await expect(usersAt(page, 1)).toContainText('john@example.com');
  await expect(usersAt(page, 1)).not.toContainText('user456');
  await page.getByRole('button', { name: 'Next event' }).click();
  await expect(usersAt(page, 2)).toContainText('john@example.com');
  await expect(usersAt(page, 2)).toContainText('jane@example.com');
  await page.getByRole('button', { name: 'Next event' }).click();
  await expect(usersAt(page, 3)).toContainText('john.doe@company.com');
  await expect(usersAt(page, 3)).not.toContainText('john@example.com');
  const changes = page.getByRole('region', { name: 'Changes at position 3' });
  await expect(changes).toContainText('john@example.com');
  await expect(changes).toContainText('john.doe@company.com');
  await expect(page.getByRole('button', { name: 'Next event' })).toBeDisabled();
  await page.getByRole('button', { name: 'Previous event' }).click();
  await expect(positionText(page)).toHaveText('Position 2 of 3');
  await expect(page).toHaveURL(/\/timeline\?at=2$/);
});

test('the rows the event at the cursor wrote are marked in the read models as of it', async ({
  page,
}) => {
  await seed(page);
  await page.goto('/timeline?at=3');
  const row = (n: number, text: string) =>
    usersAt(page, n).getByRole('row').filter({ hasText: text });
  await expect(row(3, 'user123')).toHaveClass(/written/);
  await expect(row(3, 'user456')).not.toHaveClass(/written/);
  await expect(page.getByText('2 rows, 1 marked: written by this event').first()).toBeVisible();
  await page.getByRole('button', { name: 'Previous event' }).click();
  await expect(row(2, 'user456')).toHaveClass(/written/);
  await expect(row(2, 'user123')).not.toHaveClass(/written/);
  const domains = page.getByRole('table', { name: 'Users by email domain at position 2' });
  await expect(domains.getByRole('row').filter({ hasText: 'user456' })).toHaveClass(/written/);
});

test('a row the event wrote is shown and marked even past the first hundred rows', async ({
  page,
  usersPage,
}) => {
  await usersPage.goto();
  await usersPage.generate(1000); // seed 1: the same log every time
  await page.goto('/timeline?at=978');
  // Event 978 is one of g0-u93's, who sorts after the first 100 of the 109 users.
  const users = usersAt(page, 978);
  await expect(page.getByRole('region', { name: 'Event at position 978' })).toContainText(
    'user-g0-u93',
  );
  await expect(
    page.getByText(
      'first 100 of 109 rows, and 1 more written by this event, 1 marked: written by this event',
    ),
  ).toBeVisible();
  await expect(users.getByRole('row').last()).toHaveClass(/written/);
  await expect(users.getByRole('row').last()).toContainText('g0-u93');
});

test('the keyboard steps and jumps, and the slider and number field follow', async ({ page }) => {
  await seed(page);
  await page.goto('/timeline?at=2');
  await expect(positionText(page)).toHaveText('Position 2 of 3');
  await page.keyboard.press('ArrowLeft');
  await expect(positionText(page)).toHaveText('Position 1 of 3');
  await page.keyboard.press('End');
  await expect(positionText(page)).toHaveText('Position 3 of 3');
  await page.keyboard.press('Home');
  await expect(positionText(page)).toHaveText('Position 1 of 3');
  await page.keyboard.press('ArrowRight');
  await expect(positionText(page)).toHaveText('Position 2 of 3');
  await expect(page.getByRole('slider', { name: 'Position' })).toHaveValue('2');
  await expect(page.getByRole('spinbutton', { name: 'Position' })).toHaveValue('2');
  await page.getByRole('spinbutton', { name: 'Position' }).fill('3');
  await expect(positionText(page)).toHaveText('Position 3 of 3');
});

test('the Position field can be emptied and written again; a fraction moves nothing', async ({
  page,
  usersPage,
}) => {
  await usersPage.goto();
  await usersPage.generate(200);
  await page.goto('/timeline?at=50');
  await expect(positionText(page)).toHaveText('Position 50 of 200');
  const field = page.getByRole('spinbutton', { name: 'Position' });
  await field.click();
  await field.press('ControlOrMeta+a');
  await field.press('Backspace');
  await expect(field).toHaveValue('');
  await expect(positionText(page)).toHaveText('Position 50 of 200');
  await field.pressSequentially('75');
  await expect(positionText(page)).toHaveText('Position 75 of 200');
  await expect(field).toHaveValue('75');
  await field.fill('1.5');
  await expect(positionText(page)).toHaveText('Position 75 of 200');
  await field.blur();
  await expect(field).toHaveValue('75');
  // Past the end: the cursor goes to the last event, and the field says so.
  await field.fill('999');
  await expect(positionText(page)).toHaveText('Position 200 of 200');
  await expect(field).toHaveValue('200');
  // Written in another notation, a position in the address is no position: the last event.
  await page.goto('/timeline?at=0x2');
  await expect(positionText(page)).toHaveText('Position 200 of 200');
  await expect(page).toHaveURL(/\/timeline\?at=200$/);
});

test('Play stops at the last event, and says Play again', async ({ page, usersPage }) => {
  await usersPage.goto();
  await usersPage.generate(200);
  await page.goto('/timeline?at=196');
  await page.getByLabel('Speed').selectOption('As fast as the browser draws');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(positionText(page)).toHaveText('Position 200 of 200');
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveCount(0);
});

test('a button disabled under the focus hands it to the slider, where the arrows still step', async ({
  page,
}) => {
  await seed(page);
  await page.goto('/timeline?at=2');
  // The buttons are enabled once the log's length is known.
  await expect(positionText(page)).toHaveText('Position 2 of 3');
  const next = page.getByRole('button', { name: 'Next event' });
  await next.focus();
  await expect(next).toBeFocused();
  await page.keyboard.press('End');
  await expect(positionText(page)).toHaveText('Position 3 of 3');
  const slider = page.getByRole('slider', { name: 'Position' });
  await expect(slider).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(positionText(page)).toHaveText('Position 2 of 3');
});

test('a deep link opens the inspector at its position, also after a reload', async ({ page }) => {
  await seed(page);
  await page.goto('/timeline?at=2');
  await expect(usersAt(page, 2)).toContainText('john@example.com');
  await page.reload();
  await expect(positionText(page)).toHaveText('Position 2 of 3');
  await expect(usersAt(page, 2)).toContainText('jane@example.com');
  await expect(
    page.getByRole('table', { name: 'Events' }).getByRole('row', { selected: true }),
  ).toContainText('UserCreated');
});

test('a deep link far into the log shows its event selected in the events list', async ({
  usersPage,
  page,
}) => {
  await usersPage.goto();
  await usersPage.generate(1000);
  await page.goto('/timeline?at=800');
  await expect(positionText(page)).toHaveText('Position 800 of 1000');
  const selected = page.getByRole('table', { name: 'Events' }).getByRole('row', { selected: true });
  await expect(selected.getByRole('cell').first()).toHaveText('800');
  // In view within the list's own scrolling box, wherever the page itself is scrolled.
  const inList = () =>
    selected.evaluate((row) => {
      let box = row.parentElement;
      while (box !== null && getComputedStyle(box).overflowY === 'visible') box = box.parentElement;
      const outer = (box ?? document.documentElement).getBoundingClientRect();
      const inner = row.getBoundingClientRect();
      return inner.top >= outer.top && inner.bottom <= outer.bottom;
    });
  await expect.poll(inList).toBe(true);
});

test('blame on user123\u2019s email lists the events that wrote it, as links', async ({ page }) => {
  await seed(page);
  await page.goto('/timeline?at=3');
  await usersAt(page, 3).getByText('john.doe@company.com').click();
  const blame = page.getByRole('region', { name: 'Who wrote Email of user123 in Users' });
  await expect(blame.getByRole('link')).toHaveText([
    'Position 1: UserCreated',
    'Position 3: UserEmailUpdated',
  ]);
  await blame.getByRole('link', { name: 'Position 1: UserCreated' }).click();
  await expect(positionText(page)).toHaveText('Position 1 of 3');
  await expect(
    page.getByRole('region', { name: 'Who wrote Email of user123 in Users' }).getByRole('link'),
  ).toHaveText(['Position 1: UserCreated']);
});

test('the events list filters by type, and the selected event shows its command', async ({
  page,
}) => {
  await seed(page);
  await page.goto('/timeline?at=1');
  const events = page.getByRole('table', { name: 'Events' });
  await expect(events.getByRole('row')).toHaveCount(4);
  await page.getByLabel('Event type').selectOption('UserEmailUpdated');
  await expect(events.getByRole('row')).toHaveCount(2);
  await events.getByRole('row').nth(1).click();
  await expect(positionText(page)).toHaveText('Position 3 of 3');
  const detail = page.getByRole('region', { name: 'Event at position 3' });
  await expect(detail).toContainText('schema version 1');
  await expect(detail).toContainText('john.doe@company.com');
  await expect(detail).toContainText('Caused by command');
  await expect(detail).toContainText(
    'UpdateUserEmail {"userId":"user123","newEmail":"john.doe@company.com"}',
  );
  await page.getByLabel('Event type').selectOption('');
  await page.getByLabel('Payload text').fill('jane');
  await expect(events.getByRole('row')).toHaveCount(2);
  await expect(events).toContainText('user-user456');
});

test('Follow moves the cursor as new events arrive', async ({ page, context }) => {
  await seed(page);
  await page.goto('/timeline?at=1');
  await page.getByLabel('Follow').check();
  await expect(positionText(page)).toHaveText('Position 3 of 3');
  const other = await context.newPage();
  await other.goto('/');
  await other.getByRole('form', { name: 'Record login' }).getByLabel('User ID').fill('user456');
  await other.getByRole('button', { name: 'Record login' }).click();
  await expect(positionText(page)).toHaveText('Position 4 of 4');
  await expect(page.getByRole('region', { name: 'Changes at position 4' })).toContainText(
    'loginCount',
  );
  // A step back leaves the head, and so ends Follow.
  await page.getByRole('button', { name: 'Previous event' }).click();
  await expect(positionText(page)).toHaveText('Position 3 of 4');
  await expect(page.getByLabel('Follow')).not.toBeChecked();
  await page.keyboard.press('Home');
  await expect(positionText(page)).toHaveText('Position 1 of 4');
  // So does a row of the events list, reached from the keyboard by its position's link.
  await page.getByLabel('Follow').check();
  await expect(positionText(page)).toHaveText('Position 4 of 4');
  const events = page.getByRole('table', { name: 'Events' });
  await events.getByRole('link', { name: '2', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(positionText(page)).toHaveText('Position 2 of 4');
  await expect(page.getByLabel('Follow')).not.toBeChecked();
  await expect(events.getByRole('row', { selected: true })).toContainText('UserCreated');
});

test('skip this event shows the read models without it, in a sandbox only', async ({ page }) => {
  await seed(page);
  await page.goto('/timeline?at=3');
  await page.getByRole('button', { name: 'Skip this event' }).click();
  const sandbox = page.getByRole('region', { name: 'What if event 3 had not happened' });
  const table = sandbox.getByRole('table', { name: 'Without event 3' });
  const profile = table.getByRole('row').filter({ hasText: 'User profiles' });
  await expect(profile).toContainText('john.doe@company.com');
  await expect(profile.getByRole('cell').nth(3)).toContainText('john@example.com');
  await expect(table.getByRole('row').filter({ hasText: 'example.com/user123' })).toContainText(
    '(absent)',
  );
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('table', { name: 'Users', exact: true })).toContainText(
    'john.doe@company.com',
  );
  await expect(page.getByRole('status', { name: 'Read model lag' })).toHaveText(
    'up to date at position 3',
  );
});

test('a rejected command appears in its own lane with its reason', async ({ page }) => {
  await seed(page);
  await page.getByRole('form', { name: 'Create user' }).getByLabel('User ID').fill('user456');
  await page.getByRole('form', { name: 'Create user' }).getByLabel('Email').fill('new@example.com');
  await page.getByRole('form', { name: 'Create user' }).getByLabel('Name').fill('Again');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('alert')).toHaveText('User user456 already exists');
  await page.getByRole('link', { name: 'Timeline' }).click();
  const lane = page.getByRole('table', { name: 'Rejected commands' });
  await expect(
    lane.getByRole('row').filter({ hasText: 'User user456 already exists' }),
  ).toContainText('CreateUser');
  await expect(lane.getByRole('row').nth(1).getByRole('link')).toHaveText('3');
  await expect(positionText(page)).toHaveText('Position 3 of 3');
});

test('a range exports as a projection test, and the density chart moves the cursor', async ({
  page,
}) => {
  await seed(page);
  await page.goto('/timeline?at=3');
  const form = page.getByRole('form', { name: 'Export as test' });
  await form.getByLabel('From position').fill('2');
  await form.getByLabel('To position').fill('3');
  const download = page.waitForEvent('download');
  await form.getByRole('button', { name: 'Export as test' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('projection-test-2-3.json');
  const fixture = JSON.parse(await readFile(await file.path(), 'utf8')) as {
    initial: Record<string, [string, { email?: string }][]>;
    events: { position: number }[];
    expected: Record<string, [string, { email?: string }][]>;
  };
  expect(fixture.events.map((e) => e.position)).toEqual([2, 3]);
  expect(fixture.initial.userProfiles?.map(([k]) => k)).toEqual(['user123']);
  expect(fixture.expected.userProfiles?.find(([k]) => k === 'user123')?.[1].email).toBe(
    'john.doe@company.com',
  );
  await expect(form.getByRole('status')).toHaveText('Exported events 2 to 3 as a projection test');
  await page.getByRole('button', { name: /^Positions 1 to 1:/ }).click();
  await expect(positionText(page)).toHaveText('Position 1 of 3');
});
