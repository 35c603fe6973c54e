import { expect, type Locator, type Page } from '@playwright/test';

export type CommandFormName =
  | 'Create user'
  | 'Update email'
  | 'Rename user'
  | 'Record login'
  | 'Place order'
  | 'Deactivate user';

/** The Users page, located the way a person (or a screen reader) finds things. */
export class UsersPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(this.form('Create user')).toBeVisible();
  }

  form(name: CommandFormName): Locator {
    return this.page.getByRole('form', { name });
  }

  /** Fills the labelled fields of a command form and submits it. */
  async submit(name: CommandFormName, fields: Readonly<Record<string, string>>): Promise<void> {
    const form = this.form(name);
    for (const [label, value] of Object.entries(fields)) {
      await form.getByLabel(label, { exact: true }).fill(value);
    }
    await form.getByRole('button', { name }).click();
  }

  status(name: CommandFormName): Locator {
    return this.form(name).getByRole('status');
  }

  alert(name: CommandFormName): Locator {
    return this.form(name).getByRole('alert');
  }

  /** "Events in log: N" in the header. */
  logHead(): Locator {
    return this.page.getByText(/^Events in log: /);
  }

  async expectLogHead(count: number): Promise<void> {
    await expect(this.logHead()).toHaveText(`Events in log: ${count.toLocaleString('en-US')}`);
  }

  async readLogHead(): Promise<number> {
    const text = (await this.logHead().textContent()) ?? '';
    return Number(text.replace(/\D/g, ''));
  }

  /** The demo data's form that generates events. */
  generateForm(): Locator {
    return this.page.getByRole('form', { name: 'Generate events' });
  }

  /** Generates `count` events and waits until the form says it has. */
  async generate(count: number, options: { timeout?: number } = {}): Promise<void> {
    const form = this.generateForm();
    await form.getByLabel('Event count').fill(String(count));
    await form.getByRole('button', { name: 'Generate events' }).click();
    await expect(form.getByRole('status')).toHaveText(
      `Generated ${count.toLocaleString('en-US')} events`,
      options,
    );
  }

  async createUser(userId: string, email: string, name: string): Promise<void> {
    await this.submit('Create user', { 'User ID': userId, Email: email, Name: name });
    await expect(this.status('Create user')).toContainText('Recorded UserCreated');
  }
}
