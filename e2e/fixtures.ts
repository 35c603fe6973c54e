import { test as base, expect } from '@playwright/test';
import { UsersPage } from './pages/UsersPage';

/**
 * Every test gets a fresh browser context, so a fresh IndexedDB. The automatic `pageErrors`
 * fixture fails any test during which a page threw or logged an error.
 */
export const test = base.extend<{
  pageErrors: string[];
  usersPage: UsersPage;
  /** Console errors a test causes on purpose, e.g. a blocked script; any other still fails. */
  expectedErrors: readonly RegExp[];
}>({
  expectedErrors: [[], { option: true }],
  pageErrors: [
    async ({ page, expectedErrors }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        const text = message.text();
        if (message.type() === 'error' && !expectedErrors.some((e) => e.test(text)))
          errors.push(`console error: ${text}`);
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
