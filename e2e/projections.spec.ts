import { expect, test } from './fixtures';
import { loadSeedScenario } from './pages/seed';
import { READ_MODEL_TITLES, ReadSide } from './pages/ReadSide';
import { UsersPage } from './pages/UsersPage';

const seed = loadSeedScenario;

test('the Projections page lists every read model with its figures', async ({ page }) => {
  await seed(page);
  await page.getByRole('link', { name: 'Projections' }).click();
  const table = page.getByRole('table', { name: 'Projections' });
  for (const name of ['Name', 'Status', 'Position', 'Lag', 'Events per second']) {
    await expect(table.getByRole('columnheader', { name, exact: true })).toBeVisible();
  }
  const read = new ReadSide(page);
  for (const title of READ_MODEL_TITLES) {
    await expect(read.projectionRow(title)).toContainText('live');
    await expect(read.projectionRow(title).getByRole('cell').nth(1)).toHaveText('3');
  }
});

test('events per second fall back to 0 once events stop coming', async ({ page, usersPage }) => {
  await usersPage.goto();
  await usersPage.generate(20_000);
  await page.getByRole('link', { name: 'Projections' }).click();
  const read = new ReadSide(page);
  // The rate is of the last two seconds: with no event since, each says 0 (the last rate of
  // the run had stayed on screen).
  for (const title of READ_MODEL_TITLES) {
    await expect(read.projectionRow(title).getByRole('cell').nth(3)).toHaveText('0');
    await expect(read.projectionRow(title).getByRole('cell').nth(2)).toHaveText('0 events');
  }
});

test('a reload restores the snapshots and replays only the tail', async ({ page }) => {
  await seed(page);
  const read = new ReadSide(page);
  await page.goto('/projections');
  // The worker saves snapshots once the log has been quiet for a second.
  await expect(async () => {
    await page.reload();
    await expect(read.projectionRow('User profiles')).toContainText(
      'restored a snapshot at position 3, replayed 0 events',
      { timeout: 500 },
    );
  }).toPass({ timeout: 15_000 });
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('form', { name: 'Record login' }).getByLabel('User ID').fill('user456');
  await page.getByRole('button', { name: 'Record login' }).click();
  await expect(page.getByRole('form', { name: 'Record login' }).getByRole('status')).toBeVisible();
  await page.getByRole('link', { name: 'Projections' }).click();
  await expect(read.projectionRow('Activity summary')).toContainText(
    'restored a snapshot at position 3, replayed 1 event',
  );
});

test('a rebuild replays from position 1 with a progress bar and ends with the same tables', async ({
  page,
}) => {
  await seed(page);
  await page.goto('/projections');
  const read = new ReadSide(page);
  await expect(read.projectionRow('User profiles')).toContainText('live');
  await page.getByRole('button', { name: 'Rebuild User profiles' }).click();
  // Seen even for three events: it stays, full, a moment after the rebuild ends.
  const bar = page.getByRole('progressbar', { name: 'Rebuild of User profiles' });
  await expect(bar).toBeVisible();
  // Only a finished rebuild says how long it took: the page's own replay of the same three
  // events, when it loaded before any snapshot was saved, reads the same but for that.
  await expect(read.projectionRow('User profiles')).toContainText(
    /folded from position 1, replayed 3 events \(rebuilt to position 3 in [\d,]+ ms\)/,
  );
  await expect(read.projectionRow('User profiles')).toContainText('live');
  // The bar is for a rebuild that runs: it goes a moment after the rebuild ends.
  await expect(bar).toBeHidden();
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(read.userRow('user123')).toContainText('john.doe@company.com');
  await expect(read.userRow('user456')).toContainText('jane@example.com');
});

test('verify rebuilds a scratch copy and reports a match', async ({ page }) => {
  await seed(page);
  await new ReadSide(page).expectEqualToRebuilds(3);
});

test('a fold that throws stops only its read model, and "Skip event" goes on', async ({ page }) => {
  await seed(page);
  // An event the profiles cannot fold, as an imported or hand-edited log might hold:
  // a rename of a user that was never created. Written straight into the log.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('cqrs-workbench');
      open.onsuccess = () => {
        resolve(open.result);
      };
      open.onerror = () => {
        reject(new Error(String(open.error)));
      };
    });
    const tx = db.transaction(['events', 'meta'], 'readwrite');
    tx.objectStore('events').add({
      position: 4,
      streamId: 'user-ghost',
      version: 1,
      type: 'UserRenamed',
      schemaVersion: 1,
      data: { userId: 'ghost', oldName: 'A', newName: 'B' },
      metadata: {
        eventId: 'x',
        commandId: 'x',
        causationId: 'x',
        correlationId: 'x',
        recordedAt: new Date().toISOString(),
      },
    });
    tx.objectStore('meta').put(4, 'head');
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
    new BroadcastChannel('cqrs-workbench:commits').postMessage({
      type: 'appended',
      position: 4,
      source: 'test',
    });
  });
  await page.goto('/projections');
  const read = new ReadSide(page);
  await expect(read.projectionRow('User profiles')).toContainText('faulted');
  await expect(read.projectionRow('Activity summary')).toContainText('live');
  const notes = page.getByRole('region', { name: 'User profiles notes' });
  await expect(notes.getByRole('alert')).toContainText(
    'Stopped at position 4: UserRenamed at position 4 needs the profile of user "ghost"',
  );
  // Meanwhile a command is recorded, and says why the tables cannot show it yet.
  await page.goto('/');
  const users = new UsersPage(page);
  await users.createUser('carol', 'carol@x.io', 'Carol');
  await expect(users.status('Create user')).toHaveText(
    'Recorded UserCreated at position 5. The tables cannot show it yet: User profiles is faulted at position 4 (see Projections).',
  );
  await expect(page.getByRole('status', { name: 'Read model lag' })).toHaveText(
    'stopped: User profiles is faulted at position 4 (see Projections)',
  );
  // A projection test of a range holding that event would fail on it: it is not exported.
  await page.goto('/timeline?at=5');
  const exportTest = page.getByRole('form', { name: 'Export as test' });
  await exportTest.getByLabel('From position').fill('3');
  await exportTest.getByLabel('To position').fill('5');
  await exportTest.getByRole('button', { name: 'Export as test' }).click();
  await expect(exportTest.getByRole('alert')).toContainText(
    'event 4 cannot be folded (UserRenamed at position 4 needs the profile of user "ghost"',
  );
  await page.goto('/projections');
  await notes.getByRole('button', { name: 'Skip event' }).click();
  await expect(read.projectionRow('User profiles')).toContainText('live');
  await expect(read.projectionRow('User profiles').getByRole('cell').nth(1)).toHaveText('5');
  await expect(notes).toContainText('Skipped positions: 4');
  await page.getByRole('button', { name: 'Rebuild User profiles' }).click();
  await expect(read.projectionRow('User profiles')).toContainText(
    'folded from position 1, replayed 4 events',
  );
  await expect(read.projectionRow('User profiles')).toContainText('live');
});

test('the Projections page shows how much storage is used and whether it is kept', async ({
  page,
}) => {
  await seed(page);
  await page.goto('/projections');
  const storage = page.getByRole('region', { name: 'Storage' });
  await expect(storage).toContainText(/Using [\d.,]+ MB of [\d.,]+ MB \([\d.]+%\)\./);
  await expect(storage).toContainText(/Persistent storage: (granted|not granted)\./);
});

test('a long replay reads the log in a worker of its own and folds the same read models', async ({
  usersPage,
  page,
}) => {
  test.setTimeout(120_000);
  await usersPage.goto();
  const form = page.getByRole('form', { name: 'Generate events' });
  await form.getByLabel('Event count').fill('30000');
  await form.getByRole('button', { name: 'Generate events' }).click();
  await expect(form.getByRole('status')).toHaveText('Generated 30,000 events', {
    timeout: 60_000,
  });
  // The live read models followed the log in place; a verify folds a copy from position 1,
  // more than 20,000 events behind the head, through the log reader, event by event.
  await new ReadSide(page).expectEqualToRebuilds(30_000, 30_000);
  // A rebuild folds in bulk (batches of 10,000): the verify after checks it against `project`.
  await page.getByRole('button', { name: 'Rebuild Activity summary' }).click();
  const read = new ReadSide(page);
  await expect(read.projectionRow('Activity summary')).toContainText('live', { timeout: 30_000 });
  await read.expectEqualToRebuilds(30_000, 30_000);
  // The reader ran (its worker started, under the page's content security policy), and
  // never failed: a failure would read in place and say so on this page.
  expect(page.workers().map((w) => w.url())).toContainEqual(
    expect.stringContaining('logReader.worker'),
  );
  await expect(page.getByRole('alert')).toHaveCount(0);
});
