import { expect, type Locator, type Page } from '@playwright/test';

/** The titles of the three read models, as the Projections page names them. */
export const READ_MODEL_TITLES = ['User profiles', 'Users by email domain', 'Activity summary'];

/** The read side as a person sees it: the live tables, the lag status, the Projections page. */
export class ReadSide {
  constructor(readonly page: Page) {}

  usersTable(): Locator {
    return this.page.getByRole('table', { name: 'Users', exact: true });
  }

  usersInDomain(): Locator {
    return this.page.getByRole('table', { name: 'Users in domain', exact: true });
  }

  lag(): Locator {
    return this.page.getByRole('status', { name: 'Read model lag' });
  }

  async expectUpToDate(position: number): Promise<void> {
    await expect(this.lag()).toHaveText(`up to date at position ${position}`);
  }

  /** The body rows of the Users table that hold a user (not spacers or placeholders). */
  userRow(userId: string): Locator {
    return this.usersTable()
      .getByRole('row')
      .filter({ has: this.page.getByRole('link', { name: userId, exact: true }) });
  }

  async queryDomain(domain: string): Promise<void> {
    await this.page.getByLabel('Email domain', { exact: true }).fill(domain);
  }

  projectionRow(title: string): Locator {
    return this.page
      .getByRole('table', { name: 'Projections' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: title }) });
  }

  /**
   * On the Projections page, "Verify" each read model: a scratch copy is folded from
   * position 1, and its content hash must match the live one at `position`.
   */
  async expectEqualToRebuilds(position: number, timeout?: number): Promise<void> {
    await this.page.goto('/projections');
    for (const title of READ_MODEL_TITLES) {
      await this.page.getByRole('button', { name: `Verify ${title}` }).click();
      await expect(
        this.page.getByRole('region', { name: `${title} notes` }).getByRole('status'),
      ).toContainText(`${title} matches a fresh rebuild at position ${String(position)}`, {
        ...(timeout === undefined ? {} : { timeout }),
      });
    }
  }
}
