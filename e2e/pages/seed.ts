import { expect, type Page } from '@playwright/test';

/** Opens the Users page and loads the guide's three commands, as a person would. */
export async function loadSeedScenario(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Load seed scenario' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'UserEmailUpdated at position 3' }),
  ).toBeVisible();
}
