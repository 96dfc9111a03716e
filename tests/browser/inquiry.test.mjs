// From answer to course in one click (issue 9), in a real browser (Chromium through
// playwright-core), at 1280×900 and 390×844, with JavaScript on and off:
//
// 1. From the reference answer, after a consent decision made with the real banner
//    ("Reject all"), one click on the first "Request a place" of the Related information
//    table reaches the course page's form with that session chosen; the form, filled and
//    sent with "Send", lands on the thank-you page.
// 2. Sent with mistakes (empty name, `mia@localhost`, the box unticked), the course page
//    comes back with 422, a message next to each wrong field, the typed values kept,
//    `aria-invalid="true"` on those fields; no horizontal overflow; axe-core with all its
//    rules finds nothing there, on the course index, on the course page and on the
//    thank-you page.
// 3. The honeypot `#inquiry-website` is neither seen nor announced, and Tab skips it.
// 4. Tab reaches name, email, company, session, message, the agree box and Send in that
//    order, and leaves the form after Send (no trap).
//
// Screenshots: artifacts/screenshots/inquiry-<state>-<width>-<js|nojs>.png (state: chosen,
// thanks, errors, index, course).
//
// axe cannot finish in a page whose scripts are disabled; without JavaScript it checks the
// very DOM that page got, reloaded with the site's scripts blocked by CSP (see axeProblem in
// harness.mjs).
//
// Each viewport × JavaScript combination has its own server: the inquiry rate limit
// (5 POSTs per client per minute, every POST counted, valid or not) would otherwise be
// reached. Each such block sends exactly two inquiries (one valid, one with mistakes).
//
// Run: `node --test tests/browser/inquiry.test.mjs` (after `cargo build`), or the whole
// browser suite with `cargo test --test suites browser`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  assertNone,
  axeProblem,
  decidedOn,
  focused,
  launchBrowser,
  overflowProblem,
  pathname as path,
  screenshots,
  startServer,
  visitor,
  where,
} from './harness.mjs';

const ANSWER = '/en/answers/md-102-vs-ms-102-difference';
const COURSE = '/en/courses/md-102-endpoint-administrator';
const INDEX = '/en/courses/';
const THANKS = `${COURSE}/thanks`;
const INQUIRY = `${COURSE}/inquiry`;

const VIEWPORTS = [
  { width: 1280, height: 900, phone: false },
  { width: 390, height: 844, phone: true },
];
const MODES = [
  { js: true, label: 'JavaScript on', tag: 'js' },
  { js: false, label: 'JavaScript off', tag: 'nojs' },
];

/** The messages of tests/inquiries.rs (src/i18n.rs, English). */
const MESSAGES = {
  name: 'Please fill this in.',
  email: 'Please enter an email address like name@example.com.',
  agree: 'Please tick this box so that we may answer you.',
};
const PROBLEMS_NOTICE = 'Please check the fields marked below.';
const TRAP_LABEL = 'Leave this field empty';

/** The form's controls in the order Tab must reach them. */
const TAB_ORDER = ['#inquiry-name', '#inquiry-email', '#inquiry-company', '#inquiry-session', '#inquiry-message', '#inquiry-agree', 'button "Send"'];
/** Enough Tab presses to get through header, breadcrumbs, facts and sessions to the form. */
const MAX_TABS = 200;

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

const shot = screenshots('inquiry');
const FORM = 'form.inquiry-form';

for (const viewport of VIEWPORTS) {
  for (const mode of MODES) {
    const { js, label } = mode;
    const at = `${viewport.width}×${viewport.height}, ${label}`;

    describe(`inquiry at ${at}`, () => {
      let server;
      before(async () => {
        server = await startServer();
      });
      after(async () => {
        await server?.stop();
      });

      test('one click on "Request a place" in the answer reaches the form with the session chosen; Send leads to "Thank you"', async () => {
        const { context, page } = await visitor(browser, server, viewport, js);
        try {
          await decidedOn(page, ANSWER, js);

          const table = page.locator('table.compare');
          assert.equal(await table.count(), 1, `one Related information table (table.compare) on ${ANSWER}`);
          const links = table.getByRole('link', { name: /^Request a place/ });
          const n = await links.count();
          assert.ok(n >= 1, `a "Request a place" link in table.compare on ${ANSWER}; found none`);
          const link = links.first();
          const href = await link.getAttribute('href');
          const linkText = (await link.textContent()).trim();
          assert.match(href, /^\/en\/courses\/md-102-endpoint-administrator\?session=[^&#]+#inquiry$/, `the first "Request a place" (${linkText}) links to ${href}`);
          const session = decodeURIComponent(href.match(/session=([^&#]+)/)[1]);

          let navigations = 0;
          page.on('framenavigated', (f) => {
            if (f === page.mainFrame()) navigations += 1;
          });
          const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
          const hop = response.request().redirectedFrom();
          assert.equal(hop, null, `one click, no redirect: ${href} should be answered directly, but ${hop?.url()} was redirected to ${response.url()}`);
          assert.equal(response.status(), 200, `GET ${href}`);
          assert.equal(navigations, 1, `exactly one navigation after the click; saw ${navigations}`);
          const url = new URL(page.url());
          assert.equal(url.pathname, COURSE, `the click lands on the course page, not ${where(page)}`);
          assert.equal(url.searchParams.get('session'), session, `the session stays in the address: ${where(page)}`);
          assert.equal(url.hash, '#inquiry', `the address points at the form: ${where(page)}`);

          const select = page.locator('#inquiry-session');
          assert.equal(await select.count(), 1, 'a session choice (#inquiry-session) on the course page');
          const value = await select.inputValue();
          assert.equal(value, session, `#inquiry-session has ${JSON.stringify(value)} chosen, not the clicked session "${session}"`);
          const chosen = (await select.locator('option:checked').textContent()).trim();
          const date = linkText.replace(/^Request a place:?\s*/, '');
          assert.ok(chosen.startsWith(date), `the chosen option "${chosen}" is the session of the link "${linkText}"`);
          // The fragment brought the form to the screen.
          const title = await page.locator('#inquiry-title').evaluate((e) => {
            const r = e.getBoundingClientRect();
            return { top: Math.round(r.top), bottom: Math.round(r.bottom), height: window.innerHeight };
          });
          assert.ok(title.top >= -1 && title.bottom <= title.height, `the form's heading #inquiry-title is on screen after the click: ${JSON.stringify(title)}`);
          await shot(page, 'chosen', viewport, mode);

          await page.locator('#inquiry-name').fill('Mia Muster');
          await page.locator('#inquiry-email').fill('mia@example.ch');
          await page.locator('#inquiry-company').fill('Muster AG');
          await page.locator('#inquiry-message').fill('Is lunch included?');
          const agree = page.locator('#inquiry-agree');
          assert.equal(await agree.isChecked(), false, 'the agree box #inquiry-agree is not ticked beforehand');
          await agree.check();
          const send = page.locator('form.inquiry-form').getByRole('button', { name: 'Send', exact: true });
          assert.equal(await send.count(), 1, 'one "Send" button in form.inquiry-form');
          const [thanks] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), send.click()]);
          const post = thanks.request().redirectedFrom();
          assert.ok(post, `Send: a redirect after the POST; got ${thanks.status()} ${path(thanks.url())} with no redirect`);
          assert.equal(post.method(), 'POST');
          assert.equal(path(post.url()), INQUIRY, 'the form posts to the course\'s inquiry address');
          assert.equal((await post.response()).status(), 303, `POST ${INQUIRY} answers 303 See Other`);
          assert.equal(thanks.status(), 200, `GET ${path(thanks.url())}`);
          assert.equal(path(page.url()), THANKS, `after Send the browser is on ${THANKS}, not ${where(page)}`);
          const h1 = page.getByRole('heading', { level: 1 });
          assert.equal((await h1.textContent()).trim(), 'Thank you', 'the thank-you page\'s heading');
          assertNone([await overflowProblem(page, viewport.width, 'the thank-you page')], `the thank-you page, ${at}`);
          await shot(page, 'thanks', viewport, mode);
        } finally {
          await context.close();
        }
      });

      test('mistakes: 422, a message next to each wrong field, the input kept, aria-invalid; no overflow; axe all rules clean', async () => {
        const { context, page } = await visitor(browser, server, viewport, js);
        try {
          await decidedOn(page, COURSE, js);
          const heading = (await page.getByRole('heading', { level: 1 }).textContent()).trim();
          const MESSAGE = 'Keep <this> & that';
          await page.locator('#inquiry-name').fill('');
          await page.locator('#inquiry-email').fill('mia@localhost');
          await page.locator('#inquiry-company').fill('Muster AG');
          await page.locator('#inquiry-message').fill(MESSAGE);
          assert.equal(await page.locator('#inquiry-agree').isChecked(), false, 'the agree box stays unticked');
          const send = page.locator('form.inquiry-form').getByRole('button', { name: 'Send', exact: true });
          const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), send.click()]);
          assert.equal(response.request().method(), 'POST', `the form was posted (got a ${response.request().method()} of ${path(response.url())})`);
          assert.equal(path(response.url()), INQUIRY);
          assert.equal(response.request().redirectedFrom(), null, 'the answer to the mistakes is the page itself, not a redirect');
          assert.equal(response.status(), 422, `POST ${INQUIRY} with mistakes answers 422 Unprocessable Content, not ${response.status()}`);
          assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), heading, 'the course page is shown again');
          await shot(page, 'errors', viewport, mode);

          const problems = [];
          const notice = page.locator('#inquiry .form-notice');
          if ((await notice.count()) !== 1) problems.push(`a notice above the form (.form-notice): found ${await notice.count()}`);
          else if ((await notice.textContent()).trim() !== PROBLEMS_NOTICE) problems.push(`the notice says "${(await notice.textContent()).trim()}", not "${PROBLEMS_NOTICE}"`);

          for (const [field, expected] of Object.entries(MESSAGES)) {
            const input = page.locator(`#inquiry-${field}`);
            const error = page.locator(`#inquiry-${field}-error`);
            if ((await error.count()) !== 1) {
              problems.push(`#inquiry-${field}-error: expected one message next to #inquiry-${field}, found ${await error.count()}`);
            } else {
              const text = (await error.textContent()).trim();
              if (text !== expected) problems.push(`#inquiry-${field}-error says "${text}", not "${expected}"`);
              if (!(await error.isVisible())) problems.push(`#inquiry-${field}-error is not visible`);
              const sameField = await page.evaluate(
                ([i, e]) => {
                  const a = document.querySelector(i)?.closest('.field');
                  return Boolean(a) && a === document.querySelector(e)?.closest('.field');
                },
                [`#inquiry-${field}`, `#inquiry-${field}-error`],
              );
              if (!sameField) problems.push(`#inquiry-${field}-error is not in the same .field as #inquiry-${field}`);
            }
            const invalid = await input.getAttribute('aria-invalid');
            if (invalid !== 'true') problems.push(`#inquiry-${field} has aria-invalid=${JSON.stringify(invalid)}, not "true"`);
            const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
            if (!describedBy.split(/\s+/).includes(`inquiry-${field}-error`)) {
              problems.push(`#inquiry-${field} has aria-describedby=${JSON.stringify(describedBy)}, which does not name inquiry-${field}-error`);
            }
          }
          for (const field of ['company', 'session', 'message']) {
            if ((await page.locator(`#inquiry-${field}-error`).count()) !== 0) problems.push(`#inquiry-${field}-error shown, but that field is fine`);
            const invalid = await page.locator(`#inquiry-${field}`).getAttribute('aria-invalid');
            if (invalid !== null) problems.push(`#inquiry-${field} has aria-invalid=${JSON.stringify(invalid)}, but that field is fine`);
          }

          const kept = {
            name: await page.locator('#inquiry-name').inputValue(),
            email: await page.locator('#inquiry-email').inputValue(),
            company: await page.locator('#inquiry-company').inputValue(),
            message: await page.locator('#inquiry-message').inputValue(),
            agree: await page.locator('#inquiry-agree').isChecked(),
          };
          const typed = { name: '', email: 'mia@localhost', company: 'Muster AG', message: MESSAGE, agree: false };
          for (const [k, v] of Object.entries(typed)) {
            if (kept[k] !== v) problems.push(`the typed ${k} is not kept: the field holds ${JSON.stringify(kept[k])}, not ${JSON.stringify(v)}`);
          }
          problems.push(await overflowProblem(page, viewport.width, 'the course page with the form\'s mistakes'));
          problems.push(await axeProblem(page, `the course page with the form's mistakes, ${at}`, { js, server, viewport }));
          assertNone(problems, `the page after sending with mistakes (${where(page)}), ${at}`);
        } finally {
          await context.close();
        }
      });

      // (The thank-you page's picture is taken after a real inquiry, in the first test.)
      for (const [state, url, what] of [
        ['index', INDEX, 'the course index'],
        ['course', COURSE, 'the course page'],
        [null, THANKS, 'the thank-you page'],
      ]) {
        test(`${what} ${url}: axe-core with all rules, no horizontal overflow`, async () => {
          const { context, page } = await visitor(browser, server, viewport, js);
          try {
            await decidedOn(page, url, js, { fresh: true });
            if (state) await shot(page, state, viewport, mode);
            assertNone(
              [await overflowProblem(page, viewport.width, what), await axeProblem(page, `${what}, ${at}`, { js, server, viewport })],
              `${what} (${url}), ${at}`,
            );
          } finally {
            await context.close();
          }
        });
      }

      test('the honeypot #inquiry-website is neither seen nor announced, and Tab skips it', async () => {
        const { context, page } = await visitor(browser, server, viewport, js);
        try {
          await decidedOn(page, COURSE, js);
          const trap = page.locator('#inquiry-website');
          assert.equal(await trap.count(), 1, 'the honeypot #inquiry-website is in the form');
          const seen = await trap.evaluate((input) => {
            const box = (e) => {
              const r = e.getBoundingClientRect();
              return { left: r.left + window.scrollX, right: r.right + window.scrollX, top: r.top + window.scrollY, bottom: r.bottom + window.scrollY, width: r.width, height: r.height };
            };
            // Off the page: entirely left of or above the document (which cannot be
            // scrolled to), or clipped to nothing by an ancestor.
            const offPage = (b) => b.right <= 0 || b.bottom <= 0;
            const clipped = (e) => {
              const b = box(e);
              for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                const s = getComputedStyle(a);
                const ab = box(a);
                if (s.overflow !== 'visible' && (ab.width <= 1 || ab.height <= 1)) return true;
                if (s.overflow !== 'visible' && (b.left >= ab.right || b.right <= ab.left || b.top >= ab.bottom || b.bottom <= ab.top)) return true;
              }
              return false;
            };
            const label = document.querySelector('label[for="inquiry-website"]');
            const show = (e) => ({ box: box(e), checkVisibility: e.checkVisibility({ visibilityProperty: true, opacityProperty: true }), offPage: offPage(box(e)), clipped: clipped(e) });
            return { input: show(input), label: label ? show(label) : null, tabIndex: input.tabIndex };
          });
          const visible = await trap.isVisible();
          const hidden = (s) => !s.checkVisibility || s.offPage || s.clipped;
          assert.ok(!visible || hidden(seen.input), `the honeypot input is visible to a reader: isVisible() ${visible}, ${JSON.stringify(seen.input)}`);
          if (seen.label) assert.ok(hidden(seen.label), `the honeypot's label "${TRAP_LABEL}" is visible to a reader: ${JSON.stringify(seen.label)}`);
          assert.equal(await page.getByRole('textbox', { name: TRAP_LABEL }).count(), 0, `no textbox named "${TRAP_LABEL}" in the accessibility tree`);
          const tree = await page.locator('main').ariaSnapshot();
          assert.ok(!tree.includes(TRAP_LABEL), `"${TRAP_LABEL}" is in the accessibility tree of <main>:\n${tree}`);
          assert.ok(tree.includes('Your name'), `the accessibility tree of <main> has the form (sanity check):\n${tree}`);

          // The field before it in the source is the message; Tab from there goes to the
          // agree box.
          await page.locator('#inquiry-message').focus();
          await page.keyboard.press('Tab');
          const next = await page.evaluate(focused, FORM);
          assert.notEqual(next.key, '#inquiry-website', 'Tab from the message lands on the honeypot');
          assert.equal(next.key, '#inquiry-agree', `Tab from #inquiry-message goes to the agree box, not to ${next.key}`);
          assert.ok(seen.tabIndex < 0, `the honeypot is out of the Tab order (tabIndex ${seen.tabIndex})`);
        } finally {
          await context.close();
        }
      });

      test('keyboard: Tab reaches name, email, company, session, message, agree and Send in that order, and moves on', async () => {
        const { context, page } = await visitor(browser, server, viewport, js);
        try {
          await decidedOn(page, COURSE, js, { fresh: true });
          const stops = [];
          let reached = false;
          for (let i = 0; i < MAX_TABS; i += 1) {
            await page.keyboard.press('Tab');
            const f = await page.evaluate(focused, FORM);
            stops.push(f);
            if (f.key === TAB_ORDER.at(-1) && f.inForm) {
              reached = true;
              break;
            }
            if (stops.length > 1 && f.key === stops[stops.length - 2].key) {
              assert.fail(`focus is stuck on ${f.key}: Tab does not move it (after ${stops.length} presses):\n  ${stops.map((s) => s.key).join('\n  ')}`);
            }
            if (!f.documentHasFocus && stops.some((s) => s.inForm)) {
              assert.fail(`focus left the page before reaching the Send button; stops:\n  ${stops.map((s) => s.key).join('\n  ')}`);
            }
          }
          const list = stops.map((s) => `${s.inForm ? '[form] ' : ''}${s.key}`).join('\n  ');
          assert.ok(reached, `${MAX_TABS} Tab presses from the top of ${COURSE} never reached the Send button; the stops:\n  ${list}`);
          const inForm = stops.filter((s) => s.inForm);
          assert.ok(!stops.some((s) => s.key === '#inquiry-website'), `Tab stopped on the honeypot #inquiry-website:\n  ${list}`);
          assert.deepEqual(
            inForm.filter((s) => s.control).map((s) => s.key),
            TAB_ORDER,
            `the form's controls in Tab order; all stops in the form: ${inForm.map((s) => s.key).join(', ')}`,
          );
          assert.equal(inForm[0].key, TAB_ORDER[0], `the first stop in the form is the name, not ${inForm[0].key}`);
          const others = inForm.filter((s) => !s.control && s.tag !== 'a');
          assert.deepEqual(others.map((s) => s.key), [], 'between the controls only links (the privacy notice) may take focus');
          // No trap: the next Tab leaves the form.
          await page.keyboard.press('Tab');
          const after = await page.evaluate(focused, FORM);
          assert.ok(!after.inForm, `Tab after Send leaves the form; focus is on ${after.key}`);
        } finally {
          await context.close();
        }
      });
    });
  }
}
