import { expect, test } from './fixtures';

test.describe('the content security policy', () => {
  test.use({ expectedErrors: [/Content Security Policy/] });

  test('forbids inline script and eval on every page', async ({ page }) => {
    for (const path of ['/', '/timeline', '/projections']) {
      await page.goto(path);
      const policy = page.locator('meta[http-equiv="Content-Security-Policy"]');
      await expect(policy).toHaveAttribute('content', /script-src 'self';/);
      // Neither is allowed back in: no inline script, no eval and its kin.
      await expect(policy).not.toHaveAttribute('content', /unsafe-inline|unsafe-eval/);
      const ran = await page.evaluate(() => {
        const inline = document.createElement('script');
        inline.textContent = 'window.inlineRan = true';
        document.body.append(inline);
        return 'inlineRan' in window;
      });
      expect(ran).toBe(false);
    }
  });
});
