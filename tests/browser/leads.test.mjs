// Leads for staff in a real browser: two inquiries sent with the course page's form, a
// publisher created on the command line logs in (changing the temporary password), reads
// /admin/leads with the webhook's first failed attempt shown, filters by course and session
// with the plain GET form, marks a lead handled (back on the same filtered list), sends the
// notification again, downloads the CSV, and sees the empty state of a filter that selects
// nothing — with axe-core (every rule) and no horizontal overflow at 1280 and 390 px.
//
// The server announces leads to a webhook on a port where nothing listens, so every
// notification fails and waits for its next try: the state staff must see.
//
// Run: `node --test tests/browser/leads.test.mjs` (after `cargo build`), or the whole
// browser suite with `cargo test --test suites browser`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { ROOT, axeRun, formatViolations, freePort, launchBrowser, newPage, rejectAll, screenshot, startServer } from './harness.mjs';

const COURSE = '/en/courses/md-102-endpoint-administrator';
const PASSWORD = 'plum tree at dawn';
const VIEWPORTS = [{ width: 1280, height: 900 }, { width: 390, height: 844 }];

let server;
let browser;

/** A port where nothing listens: bound, then closed again. */
async function deadPort() {
  const port = await freePort();
  await new Promise((resolve) => { const s = net.createServer(); s.listen(port, '127.0.0.1', () => s.close(resolve)); });
  return port;
}

before(async () => {
  const env = {
    CERTWISE_LEAD_WEBHOOK_URL: `http://127.0.0.1:${await deadPort()}/leads`,
    CERTWISE_LEAD_WEBHOOK_SECRET: 'a browser test secret of enough bytes',
  };
  const [s, b] = await Promise.allSettled([startServer({ env }), launchBrowser()]);
  server = s.value;
  browser = b.value;
  for (const r of [s, b]) if (r.status === 'rejected') throw r.reason;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** `certwise ARGS… --database` (the server's database); returns standard output. */
function certwise(...args) {
  const bin = process.env.CERTWISE_BIN || path.join(ROOT, 'target', 'debug', 'certwise');
  return execFileSync(bin, [...args, '--database', server.database], { encoding: 'utf8' });
}

async function assertAccessible(page, what) {
  const { violations } = await axeRun(page, { allRules: true });
  assert.equal(violations.length, 0, `axe-core on ${what}:\n${formatViolations(violations)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the window`);
}

/** Sends an inquiry with the course page's form, as a reader would. */
async function inquire(page, { name, email, session, message }) {
  await page.goto(COURSE);
  if (await page.locator('#consent-banner').count()) await rejectAll(page, true);
  await page.locator('#inquiry-name').fill(name);
  await page.locator('#inquiry-email').fill(email);
  if (session) await page.locator('#inquiry-session').selectOption({ index: 1 });
  await page.locator('#inquiry-message').fill(message);
  await page.locator('#inquiry-agree').check();
  await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/thanks')), page.getByRole('button', { name: 'Send' }).click()]);
}

/** The ids of the rows listed. */
const rows = (page) => page.locator('table.admin-leads tbody tr');

describe('leads for staff', () => {
  test('list, filter, mark handled, send again, download, empty state', async () => {
    const reader = await newPage(browser, server);
    await inquire(reader.page, {
      name: 'Mia Muster',
      email: 'mia@example.ch',
      session: true,
      message: 'Is lunch included? We are three people from the same team and would like to come together.\nAnd is there parking?',
    });
    await inquire(reader.page, { name: 'Noah Beispiel', email: 'noah@example.ch', session: false, message: 'Do you run it in French?' });
    await reader.context.close();

    const temporary = certwise('user', 'add', 'pat@example.ch', '--role', 'publisher').trim();
    const { context, page } = await newPage(browser, server);
    await page.goto('/admin/leads');
    await page.getByLabel('Email address').fill('pat@example.ch');
    await page.getByLabel('Password').fill(temporary);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/admin/password');
    await page.getByLabel('Current password').fill(temporary);
    await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('New password again').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL((url) => url.pathname !== '/admin/password');

    // The worker's first attempt fails at once (nothing listens): wait until both show it.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await page.goto('/admin/leads');
      assert.equal(response.status(), 200);
      assert.equal(response.headers()['cache-control'], 'no-store');
      if ((await page.getByText('Last error:').count()) === 2) break;
      assert.ok(Date.now() < deadline, `no failed attempt shown within 20 s:\n${await page.locator('main').innerText()}`);
      await page.waitForTimeout(500);
    }
    assert.equal(await rows(page).count(), 2);
    assert.match(await rows(page).first().innerText(), /Noah Beispiel/, 'newest first');

    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.goto('/admin/leads');
      await assertAccessible(page, `the leads (${viewport.width}px)`);
      await page.locator('details summary').first().click();
      await page.getByText('And is there parking?').waitFor();
      await assertAccessible(page, `the leads with a message opened (${viewport.width}px)`);
      await screenshot(page, `screenshots/admin-leads-${viewport.width}.png`, { fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS[0]);

    // Filter with the plain form: the course, then its session.
    await page.goto('/admin/leads');
    await page.getByLabel('Course').selectOption({ label: 'MD-102: Microsoft 365 Endpoint Administrator' });
    await Promise.all([page.waitForURL(/course=md-102-endpoint-administrator/), page.getByRole('button', { name: 'Show leads' }).click()]);
    assert.equal(await rows(page).count(), 2);
    await page.getByLabel('Session').selectOption({ index: 1 });
    await Promise.all([page.waitForURL(/session=/), page.getByRole('button', { name: 'Show leads' }).click()]);
    assert.equal(await rows(page).count(), 1);
    assert.match(await rows(page).first().innerText(), /Mia Muster/);
    const filtered = new URL(page.url());
    await assertAccessible(page, 'the leads of one session');

    // Mark it handled: back on the same filtered list, with who did it.
    await page.getByRole('button', { name: /^Mark handled\W+Mia Muster/ }).click();
    await page.getByText('The lead is marked handled.').waitFor();
    const back = new URL(page.url());
    assert.equal(back.pathname, '/admin/leads');
    for (const name of ['course', 'session']) assert.equal(back.searchParams.get(name), filtered.searchParams.get(name), name);
    assert.match(await rows(page).first().innerText(), /by pat@example\.ch/);
    await assertAccessible(page, 'a lead marked handled');

    // Send its notification again: due at once.
    await page.getByRole('button', { name: /^Send again now\W+Mia Muster/ }).click();
    await page.getByText('The notification is due again').waitFor();
    await assertAccessible(page, 'a notification sent again');
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await screenshot(page, `screenshots/admin-leads-handled-${viewport.width}.png`, { fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS[0]);

    // The CSV of the filtered list.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /as CSV/ }).click()]);
    assert.match(download.suggestedFilename(), /^leads-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split('\n');
    assert.match(lines[0], /^id,received_at,.*,handled_at,handled_by,notification,/);
    assert.ok(csv.includes('Mia Muster') && csv.includes('pat@example.ch'), csv);
    assert.ok(!csv.includes('Noah Beispiel'), 'only the filtered lead');

    // A filter that selects nothing: the empty state, at both widths.
    await page.getByLabel('Handled', { exact: true }).selectOption({ label: 'Not handled yet' });
    await page.getByRole('button', { name: 'Show leads' }).click();
    await page.getByText('No lead matches these filters.').waitFor();
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await assertAccessible(page, `no lead matching (${viewport.width}px)`);
    }
    await context.close();
  });
});
