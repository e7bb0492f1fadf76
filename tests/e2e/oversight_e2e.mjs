// The oversight process walked through in a real browser (Debian's Chromium, playwright-core):
//  1. a developer uploads the app (store s1);
//  2. an inspector records a complaint against it, then orders rectification on 2026-04-30, the
//     day before the 劳动节 holiday: the 5-working-day deadline skips May 1-5 and lands on
//     2026-05-11 (not 05-07, where weekdays alone would put it);
//  3. the order runs overdue (the dashboard lists it), the inspector marks it overdue, publishes
//     the notice, is refused removal inside the 5 days after it, removes after them;
//  4. the public page (no login) shows the notice and the removal;
//  5. the store checks a renamed package signed with the same certificate inside the 40-working-
//     day bar: refused, matched by certificate;
//  6. the developer uploads the rectified build and applies to relist with a pledge: the case
//     page shows both scans side by side, the case's items now compliant;
//  7. the inspector is refused relisting inside the bar, relists the day after it ends; the
//     store's check of the renamed package on that day passes.
// Screenshots of each step go to SCREENSHOT_DIR. Any console error (a CSP violation) fails.
// Usage: node oversight_e2e.mjs BASE_URL SAMPLE_APK RECTIFIED_APK RENAMED_APK SCREENSHOT_DIR
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from './browser.mjs';

const [base, sampleApk, rectifiedApk, renamedApk, shots] = process.argv.slice(2);
const fail = (msg) => { console.error(`oversight_e2e: ${msg}`); process.exit(1); };
const expect = (cond, msg) => { if (!cond) fail(msg); };
fs.mkdirSync(shots, { recursive: true });
const { context, close } = await launchBrowser('oversight');
const errors = [];
let shotNo = 0;
const shot = (page, name) => page.screenshot({
  path: path.join(shots, `${String(++shotNo).padStart(2, '0')}-${name}.png`), fullPage: true,
  caret: 'initial' });
const addDays = (iso, n) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

try {
  const page = context.pages()[0] ?? await context.newPage();
  // The refusals the walk provokes answer 409/422 with the case page; the browser logs those as
  // failed loads. Any other console error (a CSP violation, a script) counts.
  const provoked = /\/cases\/\d+\/steps: Failed to load resource: .* status of (409|422)/;
  page.on('console', (m) => {
    const text = `${page.url()}: ${m.text()}`;
    if (m.type() === 'error' && !provoked.test(text)) errors.push(text);
  });
  page.on('pageerror', (e) => errors.push(String(e)));

  const login = async (name, password) => {
    await page.goto(`${base}/login`);
    await page.fill('#name', name);
    await page.fill('#password', password);
    await page.click('#login');
    await page.waitForURL(`${base}/`);
  };
  const logout = async () => {
    await page.click('#logout');
    await page.waitForURL(/\/login$/);
  };
  // Uploads an APK through the upload page and waits until the worker has judged it.
  const upload = async (apk, fields = {}) => {
    await page.goto(`${base}/upload`);
    await page.setInputFiles('#apk', apk);
    for (const [k, v] of Object.entries(fields)) await page.fill(`#${k}`, v);
    await page.click('#upload');
    await page.waitForURL(/\/scans\/\d+$/);
    const url = page.url();
    const deadline = Date.now() + 300_000;
    while (!(await page.locator('#item-grid').count())) {
      if (Date.now() > deadline) fail(`${apk} not judged within 300 s`);
      if (await page.locator('#scan-status.failed').count()) fail(`${apk}: the scan failed`);
      await page.waitForTimeout(1000);
      await page.goto(url);
    }
    return url;
  };
  // Takes one step on the case page; returns the refusal shown, or '' when the step was taken.
  const step = async (action, date, fill = {}) => {
    const form = page.locator(`#step-${action}`);
    expect(await form.count() === 1, `no form for '${action}' on ${page.url()}`);
    await form.locator('input[name=date]').fill(date);
    for (const [name, value] of Object.entries(fill)) {
      const field = form.locator(`[name=${name}]`);
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    await form.locator(`#do-${action}`).click();
    await page.waitForLoadState('load');
    const refused = page.locator('#step-refused');
    return (await refused.count()) ? (await refused.textContent()) : '';
  };
  const caseState = async () => page.locator('#case-state').getAttribute('data-state');

  // 1. The developer's upload.
  await login('dev1', 'e2e developer pw');
  const scanUrl = await upload(sampleApk, { store: 's1' });
  await shot(page, 'developer-upload-judged');
  await logout();

  // 2. The complaint and the order, dated before the holiday.
  await login('inspector1', 'e2e inspector pw');
  await page.goto(scanUrl);
  const complaint = page.locator('#complaint');
  await complaint.locator('input[name=date]').fill('2026-04-20');
  await complaint.locator('input[name=complainant]').fill('<b>Zhang San</b>');
  await complaint.locator('textarea[name=text]').fill('应用无法撤回同意，也无法删除个人信息。<script>alert(1)</script>');
  await complaint.locator('input[value="IM-3.8"]').check();
  await complaint.locator('input[value="IM-6.1"]').check();
  await shot(page, 'complaint-form');
  await page.click('#complaint-submit');
  await page.waitForURL(/\/cases\/\d+$/);
  const caseUrl = page.url();
  expect(await caseState() === 'complaint_received', `complaint case is '${await caseState()}'`);
  // 15 working days from 2026-04-20 skip 劳动节 (May 1-5) and count the make-up Saturday 05-09.
  const answerDue = await page.locator('#case-deadline').getAttribute('data-date');
  expect(answerDue === '2026-05-13', `the complaint's answer is due ${answerDue}, not 2026-05-13`);
  expect(await page.locator('#case-items').textContent() === 'IM-3.8, IM-6.1', 'case items');
  await shot(page, 'case-complaint-received');

  expect(await step('order_rectification', '2026-04-30', { document: '请于5个工作日内完成整改。' }) === '',
         'the order was refused');
  expect(await caseState() === 'rectification_ordered', 'not rectification_ordered');
  const due = await page.locator('#case-deadline').getAttribute('data-date');
  expect(due === '2026-05-11', `rectification due ${due}: expected 2026-05-11 (the holiday skipped)`);
  await shot(page, 'order-deadline-skips-holiday');

  // 3. Overdue, notice, removal.
  await page.goto(`${base}/`);
  const overdue = page.locator(`#overdue tr[data-case="${caseUrl.split('/').pop()}"]`);
  expect(await overdue.count() === 1, 'the dashboard does not list the case as overdue');
  await shot(page, 'dashboard-overdue');
  await page.goto(caseUrl);
  const early = await step('mark_overdue', '2026-05-11');
  expect(early.includes('2026-05-11'), `marking overdue on the due day was not refused: '${early}'`);
  expect(await step('mark_overdue', '2026-05-12') === '', 'marking overdue was refused');
  expect(await step('publish_notice', '2026-05-12', { document: '公告：该应用未按期整改。' }) === '',
         'publishing the notice was refused');
  const tooSoon = await step('remove', '2026-05-15');
  expect(tooSoon !== '', 'removal 3 days after the notice was not refused');
  await shot(page, 'removal-refused-inside-notice-period');
  expect(await step('remove', '2026-05-18') === '', 'removal after the notice period was refused');
  expect(await caseState() === 'removed', 'not removed');
  const barEnds = await page.locator('#case-deadline').getAttribute('data-date');
  expect(barEnds > '2026-07-01', `bar ends ${barEnds}: 40 working days from 2026-05-18 end in July`);
  await shot(page, 'removed-bar');
  await logout();

  // 4. The public page, without login.
  await page.goto(`${base}/public/notices`);
  expect(page.url().endsWith('/public/notices'), 'the public page asked for a login');
  expect(await page.locator('#notices tr[data-kind=notice]').count() === 1, 'no notice listed');
  expect(await page.locator('#notices tr[data-kind=removal]').count() === 1, 'no removal listed');
  const publicText = await page.locator('#notices').textContent();
  expect(publicText.includes('com.piaudit.sample.torch') && publicText.includes(barEnds),
         'the public page lacks the package or the bar');
  expect(!publicText.includes('Zhang San'), 'the public page shows the complainant');
  await shot(page, 'public-notices');

  // 5. The store checks the renamed package inside the bar.
  await login('store1', 'e2e store pw');
  const renamedUrl = await upload(renamedApk, { developer: 'dev1' });
  const listing = async (date) => {
    await page.goto(renamedUrl);
    await page.locator('#listing-check input[name=date]').fill(date);
    await page.click('#listing-check-submit');
    await page.waitForLoadState('load');
    return page.locator('#listing-result').getAttribute('data-allowed');
  };
  expect(await listing('2026-06-01') === 'no', 'the renamed package was allowed inside the bar');
  const gate = await page.locator('#listing-gate').textContent();
  expect(['pass', 'review', 'block'].includes(gate), `no gate decision on the listing page: '${gate}'`);
  const reason = await page.locator('#listing-reason').textContent();
  expect(reason.includes('certificate'), `the refusal does not name the certificate: ${reason}`);
  await shot(page, 'store-renamed-package-refused');
  await logout();

  // 6. The rectified build and the application to relist.
  await login('dev1', 'e2e developer pw');
  const rectifiedUrl = await upload(rectifiedApk, { store: 's1' });
  const rectifiedScan = rectifiedUrl.split('/').pop();
  await page.goto(caseUrl);
  expect(await page.locator('#step-apply_relist').count() === 1, 'the developer cannot apply');
  expect(await step('apply_relist', '2026-06-02', { rescan_scan: rectifiedScan }) !== '',
         'applying without a pledge was not refused');
  expect(await step('apply_relist', '2026-06-02',
                    { rescan_scan: rectifiedScan, pledge: '本公司承诺依法收集使用个人信息。' }) === '',
         'the application to relist was refused');
  expect(await caseState() === 'relisting_applied', 'not relisting_applied');
  for (const item of ['IM-3.8', 'IM-6.1']) {
    const row = page.locator(`#rescan-table tr[data-item="${item}"]`);
    expect(await row.locator('td.cell.violation').count() === 1, `${item} was not a violation before`);
    expect(await row.locator('td.cell.compliant').count() === 1, `${item} is not compliant after`);
  }
  await shot(page, 'rescan-side-by-side');
  await logout();

  // 7. Relisting: refused inside the bar, allowed the day after it ends.
  await login('inspector1', 'e2e inspector pw');
  await page.goto(caseUrl);
  const inside = await step('relist', '2026-06-03');
  expect(inside.includes(barEnds), `relisting inside the bar: '${inside}'`);
  await shot(page, 'relist-refused-inside-bar');
  expect(await step('relist', addDays(barEnds, 1)) === '', 'relisting after the bar was refused');
  expect(await caseState() === 'relisted', 'not relisted');
  await shot(page, 'relisted-timeline');
  await logout();
  await login('store1', 'e2e store pw');
  expect(await listing(addDays(barEnds, 1)) === 'yes', 'the renamed package is still refused after the bar');
  await shot(page, 'store-listing-after-bar');

  // Hostile text stayed text.
  await logout();
  await login('inspector1', 'e2e inspector pw');
  await page.goto(caseUrl);
  expect(await page.locator('script').count() === 0, 'a script element reached the case page');
  if (errors.length) fail(`console errors:\n${errors.join('\n')}`);
  console.log(`oversight_e2e: walked case ${caseUrl}: order due 2026-05-11, bar ends ${barEnds}`);
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await close();
}
