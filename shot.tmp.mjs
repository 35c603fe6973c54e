import { chromium } from '@playwright/test';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
page.on('console', (m) => console.log('console', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto('http://localhost:4173/');
await page.getByRole('button', { name: 'Load seed scenario' }).click();
await page.waitForTimeout(1000);
console.log(await page.getByRole('status', { name: 'Read model lag' }).textContent());
await page.getByLabel('Email domain').fill('company.com');
await page.waitForTimeout(500);
await page.screenshot({ path: '/tmp/users3.png', fullPage: true });
await page.getByLabel('Event count').fill('20000');
await page.getByRole('button', { name: 'Generate events' }).click();
await page.waitForTimeout(1500);
console.log(await page.getByRole('status', { name: 'Read model lag' }).textContent());
await page.waitForFunction(() => document.body.innerText.includes('Generated'), null, {
  timeout: 120000,
});
await page.waitForTimeout(1000);
console.log(await page.getByRole('status', { name: 'Read model lag' }).textContent());
await page.screenshot({ path: '/tmp/users4.png', fullPage: true });
await page.goto('http://localhost:4173/projections');
await page.waitForTimeout(1000);
await page.screenshot({ path: '/tmp/proj.png', fullPage: true });
await browser.close();
