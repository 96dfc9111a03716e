// Editing in a real browser: an editor changes the reference answer, previews it as of
// 2026-12-01, has a refused form fixed, submits it; a publisher publishes it and sees it
// live, restores the previous revision and reads both in the difference — with axe-core
// (every rule) on each page and state, at 1280 and 390 px, and no page wider than the
// window.
//
// Run: `node --test tests/browser/edit.test.mjs` (after `cargo build`), or the whole
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

const PASSWORD = 'plum tree at dawn';
const ANSWER = 'answers/en/md-102-vs-ms-102-difference.md';
const PUBLIC = '/en/answers/md-102-vs-ms-102-difference';
const OLD_QUESTION = 'What is the difference between MD-102 and MS-102?';
const NEW_QUESTION = 'MD-102 or MS-102: which one is for me?';

/** A new account whose temporary password is PASSWORD (changed at the first login). */
function account(email, role) {
  const bin = process.env.CERTWISE_BIN || path.join(ROOT, 'target', 'debug', 'certwise');
  execFileSync(bin, ['user', 'add', email, '--role', role, '--password-stdin', '--database', server.database], {
    input: 'temporary password here\n',
    encoding: 'utf8',
  });
}

async function logIn(page, email) {
  await page.goto('/admin/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('temporary password here');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/admin/password');
  await page.getByLabel('Current password').fill('temporary password here');
  await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('New password again').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForURL((url) => url.pathname === '/admin/');
}

async function assertAccessible(page, what) {
  const { violations } = await axeRun(page, { allRules: true });
  assert.equal(violations.length, 0, `axe-core on ${what}:\n${formatViolations(violations)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the window`);
}

describe('editing in the browser', () => {
  test('edit, preview, refuse, submit, publish, see it live, restore, compare', async () => {
    account('eve@example.ch', 'editor');
    account('pat@example.ch', 'publisher');
    const wide = { viewport: { width: 1280, height: 900 } };

    // The editor.
    const { context: editorContext, page } = await newPage(browser, server, wide);
    await logIn(page, 'eve@example.ch');
    await page.getByRole('link', { name: 'Content', exact: true }).first().click();
    await assertAccessible(page, 'the content list (1280px)');
    await page.getByRole('link', { name: OLD_QUESTION }).click();
    await page.waitForURL(`**/admin/edit/${ANSWER}`);
    // The live Markdown preview renders the body as the site does.
    await page.locator('#md-preview .admin-md-body h2').first().waitFor();
    assert.match(await page.locator('#md-preview').innerText(), /MD-102: the devices and their apps/);
    await assertAccessible(page, 'the edit form (1280px)');
    await screenshot(page, 'screenshots/admin-edit-1280.png', { fullPage: true });

    // A refused form: the message is next to its field, the input kept, nothing saved.
    await page.getByLabel('Question').fill(NEW_QUESTION);
    await page.getByLabel('Certifications').fill('MD-102, XX-999');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Not saved: ').waitFor();
    assert.equal(await page.getByLabel('Question').inputValue(), NEW_QUESTION, 'the input is kept');
    const invalid = page.locator('.field.invalid', { has: page.getByLabel('Certifications') });
    assert.match(await invalid.innerText(), /unknown certification `XX-999`/);
    await assertAccessible(page, 'a refused edit (1280px)');
    await screenshot(page, 'screenshots/admin-edit-refused-1280.png', { fullPage: true });

    // Fixed, then previewed as of 2026-12-01 in a new tab: MS-102 has retired by then.
    await page.getByLabel('Certifications').fill('MD-102, MS-102');
    await page.getByLabel('Preview as of').fill('2026-12-01');
    const [preview] = await Promise.all([
      editorContext.waitForEvent('page'),
      page.getByRole('button', { name: 'Preview this form' }).click(),
    ]);
    await preview.waitForLoadState();
    await preview.getByText('Preview as of 2026-12-01').waitFor();
    assert.equal(await preview.getByRole('heading', { level: 1 }).innerText(), NEW_QUESTION);
    assert.match(await preview.locator('main').innerText(), /retired/i);
    await assertAccessible(preview, 'the preview (1280px)');
    await preview.close();

    await page.getByLabel('What changed').fill('A question readers type');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Submitted for review').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Publish' }).count(), 0, 'an editor has no Publish button');
    const live = await page.goto(PUBLIC);
    assert.ok(!(await live.text()).includes(NEW_QUESTION), 'not live before it is published');
    await editorContext.close();

    // The publisher.
    const { context, page: pub } = await newPage(browser, server, wide);
    await logIn(pub, 'pat@example.ch');
    await pub.getByRole('link', { name: 'Drafts', exact: true }).first().click();
    await assertAccessible(pub, 'the drafts (1280px)');
    await pub.getByRole('link', { name: NEW_QUESTION }).click();
    await pub.getByRole('button', { name: 'Publish' }).click();
    await pub.getByText('Published: the public page shows it now.').waitFor();
    await pub.goto(PUBLIC);
    assert.equal(await pub.getByRole('heading', { level: 1 }).innerText(), NEW_QUESTION, 'live without a restart');

    // The revisions: restore the previous one, then compare the two.
    await pub.goto(`/admin/history/${ANSWER}`);
    await assertAccessible(pub, 'the revisions (1280px)');
    const first = pub.getByRole('button', { name: /^Restore revision/ }).last();
    await first.click();
    await pub.getByText('Restored as a new revision').waitFor();
    await pub.goto(PUBLIC);
    assert.equal(await pub.getByRole('heading', { level: 1 }).innerText(), OLD_QUESTION, 'the restore is live');
    await pub.goto(`/admin/history/${ANSWER}`);
    // Newest first: compare the published edit (second row) with the restore (first row).
    await pub.locator('input[name="from"]').nth(1).check();
    await pub.locator('input[name="to"]').first().check();
    await pub.getByRole('button', { name: 'Show the differences' }).click();
    await pub.waitForURL('**/admin/diff?**');
    const diff = await pub.locator('table.diff').innerText();
    assert.ok(diff.includes(NEW_QUESTION) && diff.includes(OLD_QUESTION), diff);
    await assertAccessible(pub, 'the differences (1280px)');
    await screenshot(pub, 'screenshots/admin-diff-1280.png', { fullPage: true });
    await context.close();

    // The same pages on a phone.
    const { context: phone, page: small } = await newPage(browser, server, { viewport: { width: 390, height: 844 } });
    await small.goto('/admin/login');
    await small.getByLabel('Email address').fill('pat@example.ch');
    await small.getByLabel('Password').fill(PASSWORD);
    await small.getByRole('button', { name: 'Log in' }).click();
    await small.waitForURL((url) => url.pathname === '/admin/');
    for (const [url, name] of [
      ['/admin/content', 'content'],
      [`/admin/edit/${ANSWER}`, 'edit'],
      [`/admin/history/${ANSWER}`, 'history'],
      ['/admin/drafts', 'drafts'],
      ['/admin/edit/certifications/ms-102.toml', 'edit-certification'],
      ['/admin/edit/courses/md-102-endpoint-administrator.toml', 'edit-course'],
    ]) {
      const response = await small.goto(url);
      assert.equal(response.status(), 200, url);
      await assertAccessible(small, `${url} (390px)`);
      await screenshot(small, `screenshots/admin-${name}-390.png`, { fullPage: true });
    }
    await phone.close();
  });
});
