import { expect, test } from './fixtures';
import type { CommandFormName } from './pages/UsersPage';

test('the Users page offers the six command forms with their labelled fields', async ({
  usersPage,
}) => {
  await usersPage.goto();
  const forms: [CommandFormName, string[]][] = [
    ['Create user', ['User ID', 'Email', 'Name']],
    ['Update email', ['User ID', 'New email']],
    ['Rename user', ['User ID', 'Name']],
    ['Record login', ['User ID']],
    ['Place order', ['User ID', 'Order ID', 'Amount']],
    ['Deactivate user', ['User ID']],
  ];
  for (const [name, labels] of forms) {
    const form = usersPage.form(name);
    for (const label of labels) await expect(form.getByLabel(label, { exact: true })).toBeVisible();
    await expect(form.getByRole('button', { name })).toBeVisible();
  }
  await expect(usersPage.page.getByRole('button', { name: 'Load seed scenario' })).toBeVisible();
  await expect(usersPage.page.getByRole('button', { name: 'Generate events' })).toBeVisible();
  await expect(usersPage.page.getByLabel('Event count')).toBeVisible();
});

test('every command records its event and names it with its position', async ({ usersPage }) => {
  await usersPage.goto();
  const steps: [CommandFormName, Record<string, string>, string][] = [
    [
      'Create user',
      { 'User ID': 'u1', Email: 'ann@example.com', Name: 'Ann' },
      'UserCreated at position 1',
    ],
    [
      'Update email',
      { 'User ID': 'u1', 'New email': 'ann@company.com' },
      'UserEmailUpdated at position 2',
    ],
    ['Rename user', { 'User ID': 'u1', Name: 'Ann Lee' }, 'UserRenamed at position 3'],
    ['Record login', { 'User ID': 'u1' }, 'UserLoggedIn at position 4'],
    [
      'Place order',
      { 'User ID': 'u1', 'Order ID': 'o-1', Amount: '19.99' },
      'OrderPlaced at position 5',
    ],
    ['Deactivate user', { 'User ID': 'u1' }, 'UserDeactivated at position 6'],
  ];
  for (const [form, fields, recorded] of steps) {
    await usersPage.submit(form, fields);
    await expect(usersPage.status(form)).toHaveText(`Recorded ${recorded}`);
  }
  await usersPage.expectLogHead(6);
});

test('a double-click records its command once; clicks apart, and Enter again, record each', async ({
  usersPage,
  page,
}) => {
  await usersPage.goto();
  await usersPage.createUser('bob', 'bob@example.com', 'Bob');
  const form = usersPage.form('Create user');
  await form.getByLabel('User ID', { exact: true }).fill('ann');
  await form.getByLabel('Email', { exact: true }).fill('ann@example.com');
  await form.getByLabel('Name', { exact: true }).fill('Ann');
  // One intent: recorded, and not then refused as a user who already exists.
  // Clicks 100 ms apart: the first command is recorded by the second.
  await form.getByRole('button', { name: 'Create user' }).dblclick({ delay: 100 });
  await expect(usersPage.status('Create user')).toHaveText('Recorded UserCreated at position 2');
  await expect(usersPage.alert('Create user')).toHaveCount(0);
  await usersPage.submit('Record login', { 'User ID': 'bob' });
  await expect(usersPage.status('Record login')).toHaveText('Recorded UserLoggedIn at position 3');
  await usersPage
    .form('Record login')
    .getByRole('button', { name: 'Record login' })
    .dblclick({ delay: 100 });
  await expect(usersPage.status('Record login')).toHaveText('Recorded UserLoggedIn at position 4');
  // Enter pressed again, and a click after the double-click interval, each send one.
  await usersPage.form('Record login').getByLabel('User ID').press('Enter');
  await expect(usersPage.status('Record login')).toHaveText('Recorded UserLoggedIn at position 5');
  await usersPage.form('Record login').getByLabel('User ID').press('Enter');
  await expect(usersPage.status('Record login')).toHaveText('Recorded UserLoggedIn at position 6');
  await page.waitForTimeout(600); // past the double-click interval
  await usersPage.form('Record login').getByRole('button', { name: 'Record login' }).click();
  await expect(usersPage.status('Record login')).toHaveText('Recorded UserLoggedIn at position 7');
  await usersPage.expectLogHead(7);
});

test('ids are taken without the spaces around them, as emails and names are', async ({
  usersPage,
}) => {
  await usersPage.goto();
  await usersPage.createUser('  carol ', ' carol@example.com ', ' Carol ');
  await usersPage.submit('Place order', { 'User ID': 'carol ', 'Order ID': ' o-1 ', Amount: '5' });
  await expect(usersPage.status('Place order')).toHaveText('Recorded OrderPlaced at position 2');
  await usersPage.page.goto('/users/carol');
  await expect(usersPage.page.getByRole('heading', { name: 'User carol' })).toBeVisible();
  await expect(usersPage.page.getByText('carol@example.com', { exact: true })).toBeVisible();
});

test.describe('a rejected command shows why and records nothing', () => {
  const cases: [string, CommandFormName, Record<string, string>, string][] = [
    [
      'an existing user',
      'Create user',
      { 'User ID': 'user123', Email: 'x@y.io', Name: 'X' },
      'User user123 already exists',
    ],
    [
      'an invalid email',
      'Create user',
      { 'User ID': 'n1', Email: 'not-an-email', Name: 'X' },
      'Email is not valid',
    ],
    [
      'an email in use',
      'Create user',
      { 'User ID': 'n1', Email: 'JOHN.DOE@company.com', Name: 'X' },
      'Email JOHN.DOE@company.com is already in use'.replace('JOHN.DOE', 'john.doe'),
    ],
    [
      'a bad user id',
      'Create user',
      { 'User ID': 'has space', Email: 'x@y.io', Name: 'X' },
      'User ID must be 1 to 64 characters of letters, digits, "_" or "-"',
    ],
    [
      'a blank name',
      'Create user',
      { 'User ID': 'n1', Email: 'x@y.io', Name: '   ' },
      'Name must be 1 to 200 characters and not blank',
    ],
    [
      'the same email',
      'Update email',
      { 'User ID': 'user123', 'New email': 'john.doe@company.com' },
      'User user123 already has email john.doe@company.com; nothing was recorded',
    ],
    [
      'another user\u2019s email',
      'Update email',
      { 'User ID': 'user123', 'New email': 'jane@example.com' },
      'Email jane@example.com is already in use',
    ],
    [
      'the same name',
      'Rename user',
      { 'User ID': 'user456', Name: 'Jane Smith' },
      'User user456 is already named Jane Smith; nothing was recorded',
    ],
    ['a missing user', 'Record login', { 'User ID': 'ghost' }, 'User ghost does not exist'],
    [
      'a bad amount',
      'Place order',
      { 'User ID': 'user123', 'Order ID': 'o1', Amount: '1.005' },
      'Amount must be a number above 0 with at most 2 decimals',
    ],
    [
      'an amount in hexadecimal',
      'Place order',
      { 'User ID': 'user123', 'Order ID': 'o1', Amount: '0x10' },
      'Amount must be a number above 0 with at most 2 decimals',
    ],
    [
      'an amount too large',
      'Place order',
      { 'User ID': 'user123', 'Order ID': 'o1', Amount: '9007199254740993' },
      'Amount must be at most 1,000,000,000',
    ],
    [
      'an empty amount',
      'Place order',
      { 'User ID': 'user123', 'Order ID': 'o1', Amount: '' },
      'Amount must be a number above 0 with at most 2 decimals',
    ],
    [
      'a missing user to deactivate',
      'Deactivate user',
      { 'User ID': 'ghost' },
      'User ghost does not exist',
    ],
    [
      'an empty user id',
      'Record login',
      { 'User ID': '' },
      'User ID must be 1 to 64 characters of letters, digits, "_" or "-"',
    ],
    [
      'a user id of 65 characters',
      'Create user',
      { 'User ID': 'u'.repeat(65), Email: 'x@y.io', Name: 'X' },
      'User ID must be 1 to 64 characters of letters, digits, "_" or "-"',
    ],
    [
      'a name of 10 kB',
      'Rename user',
      { 'User ID': 'user123', Name: 'n'.repeat(10_240) },
      'Name must be 1 to 200 characters and not blank',
    ],
    [
      'an email of 10 kB',
      'Update email',
      { 'User ID': 'user123', 'New email': `${'e'.repeat(10_240)}@x.io` },
      'Email is not valid',
    ],
    [
      'an email with markup',
      'Create user',
      { 'User ID': 'n1', Email: '<b>x</b>@y.io', Name: 'X' },
      'Email is not valid',
    ],
    [
      'a missing user to rename',
      'Rename user',
      { 'User ID': 'ghost', Name: 'G' },
      'User ghost does not exist',
    ],
    [
      'a missing user to order',
      'Place order',
      { 'User ID': 'ghost', 'Order ID': 'o1', Amount: '5' },
      'User ghost does not exist',
    ],
    ...(['0', '-5', 'abc', 'NaN', 'Infinity', '1e400'] as const).map(
      (amount): [string, CommandFormName, Record<string, string>, string] => [
        `the amount ${amount}`,
        'Place order',
        { 'User ID': 'user123', 'Order ID': 'o1', Amount: amount },
        'Amount must be a number above 0 with at most 2 decimals',
      ],
    ),
  ];
  for (const [what, form, fields, message] of cases) {
    test(what, async ({ usersPage, page }) => {
      await usersPage.goto();
      await page.getByRole('button', { name: 'Load seed scenario' }).click();
      await usersPage.expectLogHead(3);
      await usersPage.submit(form, fields);
      await expect(usersPage.alert(form)).toHaveText(message);
      await expect(usersPage.status(form)).toHaveCount(0);
      await usersPage.expectLogHead(3);
    });
  }

  test('a reused order id and a deactivated user', async ({ usersPage }) => {
    await usersPage.goto();
    await usersPage.createUser('u1', 'a@b.io', 'A');
    await usersPage.submit('Place order', { 'User ID': 'u1', 'Order ID': 'o1', Amount: '5' });
    await expect(usersPage.status('Place order')).toContainText('OrderPlaced at position 2');
    await usersPage.submit('Place order', { 'User ID': 'u1', 'Order ID': 'o1', Amount: '6' });
    await expect(usersPage.alert('Place order')).toHaveText(
      'Order o1 was already placed by user u1',
    );
    await usersPage.submit('Deactivate user', { 'User ID': 'u1' });
    await expect(usersPage.status('Deactivate user')).toBeVisible();
    await usersPage.submit('Record login', { 'User ID': 'u1' });
    await expect(usersPage.alert('Record login')).toHaveText('User u1 is deactivated');
    await usersPage.expectLogHead(3);
  });
});

test('a deactivated user is refused by every command that needs an active one', async ({
  usersPage,
}) => {
  await usersPage.goto();
  await usersPage.createUser('d1', 'd1@x.io', 'D');
  await usersPage.submit('Deactivate user', { 'User ID': 'd1' });
  await expect(usersPage.status('Deactivate user')).toBeVisible();
  const refused: [CommandFormName, Record<string, string>][] = [
    ['Update email', { 'User ID': 'd1', 'New email': 'd2@x.io' }],
    ['Rename user', { 'User ID': 'd1', Name: 'E' }],
    ['Record login', { 'User ID': 'd1' }],
    ['Place order', { 'User ID': 'd1', 'Order ID': 'o1', Amount: '1' }],
    ['Deactivate user', { 'User ID': 'd1' }],
  ];
  for (const [form, fields] of refused) {
    await usersPage.submit(form, fields);
    await expect(usersPage.alert(form)).toContainText('User d1 is deactivated');
  }
  await usersPage.expectLogHead(2);
});

test('text with markup or script is kept and shown as text, never run', async ({
  usersPage,
  page,
}) => {
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs += 1;
    void dialog.dismiss();
  });
  const name = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
  await usersPage.goto();
  await usersPage.createUser('h1', 'h1@x.io', name);
  await expect(
    page.getByRole('table', { name: 'Users' }).getByRole('cell', { name }),
  ).toBeVisible();
  await page.goto('/users/h1');
  await expect(page.getByText(name).first()).toBeVisible();
  await page.goto('/timeline?at=1');
  await expect(page.getByText(name).first()).toBeVisible();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(dialogs).toBe(0);
});

test('a deactivated user frees their email for someone else', async ({ usersPage }) => {
  await usersPage.goto();
  await usersPage.createUser('u1', 'shared@x.io', 'A');
  await usersPage.submit('Create user', { 'User ID': 'u2', Email: 'Shared@X.io', Name: 'B' });
  await expect(usersPage.alert('Create user')).toHaveText('Email shared@x.io is already in use');
  await usersPage.submit('Deactivate user', { 'User ID': 'u1' });
  await expect(usersPage.status('Deactivate user')).toBeVisible();
  await usersPage.submit('Create user', { 'User ID': 'u2', Email: 'Shared@X.io', Name: 'B' });
  await expect(usersPage.status('Create user')).toHaveText('Recorded UserCreated at position 3');
});
