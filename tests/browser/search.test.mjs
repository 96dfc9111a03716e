// Search in a real browser (Chromium through playwright-core), at 1280×900 and 390×844, as
// a visitor who has rejected optional cookies with the real banner:
//
// 1. With JavaScript: `intnue` typed into the header's search box (#site-search-q) opens its
//    listbox (ARIA 1.2 combobox: role=combobox, aria-expanded, aria-controls) with options
//    whose highlighted words include "Intune"; ArrowDown makes the first option active
//    (aria-activedescendant, aria-selected) and Enter opens that option's page; Escape
//    closes an open list; no horizontal overflow and no axe violation (all rules) with the
//    list open.
// 2. Without JavaScript: the header's box is a plain GET form — `md102` and Enter lead to
//    /en/search?q=md102, whose Certifications group starts with MD-102; /en/search?q=intnue
//    highlights Intune; `MD 102`, `Md-102` and `md-102` find MD-102 first; `autopliot`
//    highlights Autopilot; /de/search?q=Gerät finds the German reference answer; no
//    overflow, no axe violation.
//
// Screenshots: artifacts/screenshots/search-<state>-<width>-<js|nojs>.png.
//
// Run: `node --test tests/browser/search.test.mjs` (after `cargo build`), or the whole
// browser suite with `cargo test --test suites browser`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  assertNone,
  axeProblem,
  decidedOn,
  launchBrowser,
  overflowProblem,
  pathname as path,
  screenshots,
  startServer,
  visitor,
  where,
} from './harness.mjs';

const VIEWPORTS = [
  { width: 1280, height: 900, phone: false },
  { width: 390, height: 844, phone: true },
];
const BOX = '#site-search-q';
const LIST = '#site-search-q-suggestions';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

const shot = screenshots('search');

for (const viewport of VIEWPORTS) {
  describe(`search at ${viewport.width}×${viewport.height}`, () => {
    let server;
    before(async () => {
      server = await startServer();
    });
    after(async () => {
      await server?.stop();
    });

    test('JavaScript on: typing `intnue` suggests Intune results; ArrowDown and Enter open one; Escape closes; axe clean', async () => {
      const mode = { js: true, tag: 'js' };
      const { context, page } = await visitor(browser, server, viewport, true);
      try {
        await decidedOn(page, '/en/', true, { fresh: true });
        const box = page.locator(BOX);
        assert.equal(await box.getAttribute('role'), 'combobox', 'the header box is a combobox once the script ran');
        assert.equal(await box.getAttribute('aria-controls'), LIST.slice(1));
        assert.equal(await box.getAttribute('aria-expanded'), 'false');
        await box.click();
        await box.pressSequentially('intnue', { delay: 30 });
        const list = page.locator(LIST);
        await list.waitFor({ state: 'visible' });
        assert.equal(await list.getAttribute('role'), 'listbox');
        assert.equal(await box.getAttribute('aria-expanded'), 'true');
        const options = list.locator('[role=option]');
        assert.ok((await options.count()) > 0, 'at least one suggestion');
        const marks = (await list.locator('mark').allTextContents()).map((m) => m.toLowerCase());
        assert.ok(marks.includes('intune'), `a suggestion highlights Intune: ${JSON.stringify(marks)}`);

        await shot(page, 'suggestions', viewport, mode);
        assertNone(
          [
            await overflowProblem(page, viewport.width, 'the home page with suggestions open'),
            await axeProblem(page, 'the home page with suggestions open', { js: true, server, viewport }),
          ],
          'suggestions',
        );

        await page.keyboard.press('ArrowDown');
        const first = options.first();
        const id = await first.getAttribute('id');
        assert.equal(await box.getAttribute('aria-activedescendant'), id, 'ArrowDown makes the first option active');
        assert.equal(await first.getAttribute('aria-selected'), 'true');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowUp');
        assert.equal(await box.getAttribute('aria-activedescendant'), id, 'ArrowUp comes back to it');
        assert.equal(await page.evaluate(() => document.activeElement.id), BOX.slice(1), 'the focus stays in the box');

        // The option's address, from the API the list was built from.
        const api = await page.evaluate(async () => (await fetch('/api/v1/search?limit=8&locale=en&q=intnue')).json());
        const target = api.items[0].url;
        await Promise.all([page.waitForURL((u) => u.pathname === target), page.keyboard.press('Enter')]);
        assert.equal(path(page.url()), target, `Enter opened the active suggestion (${where(page)})`);

        // Escape closes an open list.
        const again = page.locator(BOX);
        await again.click();
        await again.pressSequentially('autopliot', { delay: 30 });
        await page.locator(LIST).waitFor({ state: 'visible' });
        await page.keyboard.press('Escape');
        await page.locator(LIST).waitFor({ state: 'hidden' });
        assert.equal(await again.getAttribute('aria-expanded'), 'false', 'Escape closes the list');
      } finally {
        await context.close();
      }
    });

    test('JavaScript off: the header box and the results page work as plain HTML; axe clean', async () => {
      const mode = { js: false, tag: 'nojs' };
      const { context, page } = await visitor(browser, server, viewport, false);
      try {
        await decidedOn(page, '/en/', false, { fresh: true });
        const box = page.locator(BOX);
        await box.fill('md102');
        await Promise.all([page.waitForURL((u) => u.pathname === '/en/search'), box.press('Enter')]);
        assert.equal(where(page), '/en/search?q=md102');
        const firstCertification = page.locator('section[aria-labelledby="results-certification"] li a').first();
        assert.match((await firstCertification.textContent()).trim(), /^MD-102: /);
        await shot(page, 'results', viewport, mode);
        const problems = [
          await overflowProblem(page, viewport.width, '/en/search?q=md102'),
          await axeProblem(page, '/en/search?q=md102', { js: false, server, viewport }),
        ];

        const response = await page.goto('/en/search?q=intnue', { waitUntil: 'load' });
        assert.equal(response.status(), 200);
        const marks = (await page.locator('main mark').allTextContents()).map((m) => m.toLowerCase());
        assert.ok(marks.includes('intune'), `the results highlight Intune: ${JSON.stringify(marks)}`);
        problems.push(await overflowProblem(page, viewport.width, '/en/search?q=intnue'));

        // The other spellings of an exam code, a swapped pair of letters, a German word.
        for (const typed of ['MD 102', 'Md-102', 'md-102']) {
          await page.goto(`/en/search?q=${encodeURIComponent(typed)}`, { waitUntil: 'load' });
          const first = page.locator('section[aria-labelledby="results-certification"] li a').first();
          assert.match((await first.textContent()).trim(), /^MD-102: /, `\`${typed}\` finds MD-102 first`);
        }
        await page.goto('/en/search?q=autopliot', { waitUntil: 'load' });
        const autopilot = (await page.locator('main mark').allTextContents()).map((m) => m.toLowerCase());
        assert.ok(autopilot.includes('autopilot'), `autopliot highlights Autopilot: ${JSON.stringify(autopilot)}`);
        const german = await page.goto(`/de/search?q=${encodeURIComponent('Gerät')}`, { waitUntil: 'load' });
        assert.equal(german.status(), 200);
        const answers = await page.locator('section[aria-labelledby="results-answer"] li a').allTextContents();
        assert.ok(
          answers.some((t) => t.includes('Unterschied zwischen MD-102 und MS-102')),
          `a German word finds the German answer: ${JSON.stringify(answers)}`,
        );
        problems.push(await overflowProblem(page, viewport.width, '/de/search?q=Gerät'));
        problems.push(await axeProblem(page, '/de/search?q=Gerät', { js: false, server, viewport }));
        assertNone(problems, 'the results page without JavaScript');
      } finally {
        await context.close();
      }
    });
  });
}
