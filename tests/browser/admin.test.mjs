// The editors' area in a real browser: a new admin created on the command line logs in,
// is sent to change the temporary password, fixes a refused form, reaches the dashboard,
// reads the audit log, and logs out — with axe-core (every rule) on each page and state,
// and no page wider than a phone's screen.
//
// Run: `node --test tests/browser/admin.test.mjs` (after `cargo build`), or the whole
// browser suite with `cargo test --test suites browser`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { ROOT, axeRun, formatViolations, launchBrowser, newPage, screenshot, startServer } from './harness.mjs';

let server;
let browser;

before(async () => {
  const [s, b] = await Promise.allSettled([startServer(), launchBrowser()]);
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

describe("the editors' area", () => {
  test('first login, the temporary password, the dashboard, the audit log, logout', async () => {
    const temporary = certwise('user', 'add', 'ada@example.ch', '--role', 'admin').trim();
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      const { context, page } = await newPage(browser, server, { viewport });
      const at = `${viewport.width}px`;
      await page.goto('/admin/audit');
      assert.equal(new URL(page.url()).pathname, '/admin/login');
      await assertAccessible(page, `the login page (${at})`);

      await page.getByLabel('Email address').fill('ada@example.ch');
      await page.getByLabel('Password').fill('not my password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText('The email address or the password is not right.').waitFor();
      assert.equal(await page.getByLabel('Email address').inputValue(), 'ada@example.ch', 'the email is kept');
      await assertAccessible(page, `a refused login (${at})`);

      const password = viewport.width === 1280 ? temporary : 'plum tree at dawn';
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      if (viewport.width === 1280) {
        await page.waitForURL('**/admin/password');
        await assertAccessible(page, `the forced password change (${at})`);
        await page.getByLabel('Current password').fill(temporary);
        await page.getByLabel('New password', { exact: true }).fill('plum tree at dawn');
        await page.getByLabel('New password again').fill('plum tree at dusk');
        await page.getByRole('button', { name: 'Change password' }).click();
        await page.getByText('The two new passwords differ').waitFor();
        await assertAccessible(page, `a refused password change (${at})`);
        await screenshot(page, `screenshots/admin-password-refused-${viewport.width}.png`, { fullPage: true });
        await page.getByLabel('Current password').fill(temporary);
        await page.getByLabel('New password', { exact: true }).fill('plum tree at dawn');
        await page.getByLabel('New password again').fill('plum tree at dawn');
        await page.getByRole('button', { name: 'Change password' }).click();
      }
      await page.waitForURL((url) => url.pathname === '/admin/' || url.pathname === '/admin/audit');
      for (const path of ['/admin/', '/admin/audit', '/admin/users', '/admin/sessions', '/admin/password']) {
        const response = await page.goto(path);
        assert.equal(response.status(), 200, path);
        assert.equal(response.headers()['cache-control'], 'no-store', path);
        await assertAccessible(page, `${path} (${at})`);
        const name = path.replace(/^\/admin\/?/, '') || 'dashboard';
        await screenshot(page, `screenshots/admin-${name}-${viewport.width}.png`, { fullPage: true });
      }
      await page.goto('/admin/audit');
      await page.getByRole('cell', { name: 'password.change' }).first().waitFor();
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL('**/admin/login');
      const again = await page.goto('/admin/');
      assert.equal(new URL(again.url()).pathname, '/admin/login', 'logged out');
      await context.close();
    }
  });
});
