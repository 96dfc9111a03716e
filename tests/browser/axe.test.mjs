// axe-core with every rule it has, on every page type: zero violations allowed.
//
// Not only the WCAG 2.x A/AA rules that consent.test.mjs runs on the consent states, but
// all of them, by id: the best practices (`region`, `landmark-*`, `heading-order`,
// `page-has-heading-one`, …), the AAA ones (`color-contrast-enhanced`, …), the
// experimental and the deprecated ones, and those axe leaves off when run without options
// (`target-size`). At 1280×900, with JavaScript on, as a visitor who has not decided about
// cookies (the banner shown). The page types are tests/page_types.rs's PAGES plus the
// pages being added (harness.mjs, EXTRA_PAGES).
//
// Run: `node --test tests/browser/axe.test.mjs` (after `cargo build`), or the whole browser
// suite with `cargo test --test suites browser`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { axeRun, formatViolations, launchBrowser, newPage, pageTypes, startServer, threeLocales } from './harness.mjs';

/** Rules that must be among those that ran: the proof that the run was not limited to WCAG tags. */
const MUST_RUN = ['region', 'landmark-one-main', 'landmark-unique', 'page-has-heading-one', 'heading-order', 'target-size'];

let server;
let browser;

before(async () => {
  // Three locales, so that the language switcher is on every page.
  const [s, b] = await Promise.allSettled([startServer({ siteToml: threeLocales }), launchBrowser()]);
  server = s.value;
  browser = b.value;
  for (const r of [s, b]) if (r.status === 'rejected') throw r.reason;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('axe-core, all rules: zero violations on every page type (1280×900, undecided)', () => {
  for (const { name, path, status } of pageTypes()) {
    test(`${name} ${path}`, async (t) => {
      const { context, page } = await newPage(browser, server, { js: true, viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(15_000);
      try {
        const response = await page.goto(path, { waitUntil: 'load' });
        const type = await page.evaluate(() => document.contentType);
        if (type !== 'text/html') {
          // The Markdown twin: the browser shows the text in a document it makes up itself
          // (no lang, no title, no landmarks), which nothing on the site can change.
          assert.equal(response.status(), status, `${name} (${path}): status`);
          t.diagnostic(`${type}, not HTML: axe does not apply`);
          return;
        }
        const problems = [];
        if (response.status() !== status) {
          problems.push(
            `status ${response.status()}, expected ${status}` +
              (status === 200 && response.status() === 404 ? ' — the page is not served (yet)' : '') +
              '; the violations below are of the page that was served',
          );
        }
        const { violations, ran } = await axeRun(page, { allRules: true });
        const missing = MUST_RUN.filter((id) => !ran.includes(id));
        if (missing.length) problems.push(`axe did not run the rules ${missing.join(', ')} (is the run limited to tags?)`);
        if (violations.length) {
          const nodes = violations.reduce((n, v) => n + v.nodes.length, 0);
          problems.push(
            `${violations.length} axe rule(s) violated (${violations.map((v) => v.id).join(', ')}), at ${nodes} element(s):\n${formatViolations(violations)}`,
          );
        }
        if (problems.length) {
          assert.fail(`${name} (${path}) at 1280×900, undecided (${ran.length} axe rules ran):\n  - ${problems.join('\n  - ')}`);
        }
      } finally {
        await context.close();
      }
    });
  }
});
