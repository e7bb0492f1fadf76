// The web UI in a real browser: Debian's Chromium driven by playwright-core (no browser
// download). Logs in, uploads the sample APK, waits for the worker to finish it, opens the app
// page with its 31-item grid and the full report, switches to English, logs out. Screenshots go
// to the directory given (test artefacts). Any console error (a CSP violation included) fails.
// Usage: node service_e2e.mjs BASE_URL APK SCREENSHOT_DIR USER PASSWORD
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from './browser.mjs';

const [base, apk, shots, user, password] = process.argv.slice(2);
const fail = (msg) => { console.error(`service_e2e: ${msg}`); process.exit(1); };
fs.mkdirSync(shots, { recursive: true });
const { context, close } = await launchBrowser('e2e');
const errors = [];
// caret 'initial': Playwright's default hides the caret with an injected <style>, which the
// pages' CSP (no inline style) rightly refuses and reports as a console error.
const shot = (page, name, fullPage = false) =>
  page.screenshot({ path: path.join(shots, name), fullPage, caret: 'initial' });
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(`${base}/`);
  if (!page.url().endsWith('/login')) fail(`not sent to the login page: ${page.url()}`);
  await page.fill('#name', user);
  await page.fill('#password', password);
  await shot(page, '1-login.png');
  await page.click('#login');
  await page.waitForURL(`${base}/`);

  await page.goto(`${base}/upload`);
  await page.setInputFiles('#apk', apk);
  await page.click('#upload');
  await page.waitForURL(/\/scans\/\d+$/);
  const scanUrl = page.url();
  await shot(page, '2-scan-queued.png');

  const deadline = Date.now() + 300_000;
  while (!(await page.locator('#item-grid').count())) {
    if (Date.now() > deadline) fail('the scan did not finish within 300 s');
    if ((await page.locator('#scan-status.failed').count())) fail('the scan failed');
    await page.waitForTimeout(1000);
    await page.goto(scanUrl);
  }
  await shot(page, '3-scan-done.png', true);

  await page.click('text=应用页面');
  await page.waitForURL(/\/apps\//);
  const cells = await page.locator('#item-grid .cell').count();
  if (cells !== 31) fail(`the app page shows ${cells} items, not 31`);
  await shot(page, '4-app-grid.png', true);

  await page.click('#report-link');
  await page.waitForURL(/report\.html/);
  const text = await page.textContent('body');
  if (!text.includes('IM-1.1') || !text.includes('IM-6.5')) fail('the report lacks the items');
  await shot(page, '5-report.png');

  await page.goto(`${scanUrl}?lang=en`);
  if (!(await page.textContent('body')).includes('Open the full report')) fail('no English page');
  await page.click('#logout');
  await page.waitForURL(/\/login$/);
  await page.goto(`${base}/apps`);
  if (!page.url().endsWith('/login')) fail('still logged in after logout');
  await shot(page, '6-logged-out.png');
} finally {
  await close();
}
if (errors.length) fail(`console errors: ${errors.join(' | ')}`);
console.log(`service_e2e: ok, screenshots in ${shots}`);
