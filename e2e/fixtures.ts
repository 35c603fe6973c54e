import { test as base, expect } from '@playwright/test';
import { UsersPage } from './pages/UsersPage';

/**
 * Every test gets a fresh browser context, so a fresh IndexedDB. The automatic `pageErrors`
 * fixture fails any test during which a page threw or logged an error.
 */
export const test = base.extend<{ pageErrors: string[]; usersPage: UsersPage }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
      });
      await use(errors);
      expect(errors, 'the page reported errors').toEqual([]);
    },
    { auto: true },
  ],
  usersPage: async ({ page }, use) => {
    await use(new UsersPage(page));
  },
});

export { expect };
