// The pages that help a reader decide, in a real browser (Chromium through playwright-core),
// at 1280×900 and 390×844, with JavaScript on and off, as a visitor who has rejected
// optional cookies with the real banner:
//
// 1. The comparison /en/compare/md-102-vs-ms-102 answers 200 and does not overflow
//    sideways; every weight chart (`svg.weight-bar`) has a <title> and no `style` attribute
//    (neither has anything inside it); "As a table" (`details.as-table`) opens on a click and
//    on Enter and then shows the table, whose numbers are those of the charts; axe-core
//    with all its rules finds nothing, with the table open.
// 2. The advisor /en/advisor: "A main part" chosen for device-fleet and endpoint-security
//    with the real <select>s and sent with "Show my advice" ends, through a 303, on exactly
//    /en/advisor?device-fleet=3&endpoint-security=3; the first ranked exam is MD-102; the
//    selects keep the choices; no overflow and no axe violation on the form nor on the
//    results. At 1280 with JavaScript: Tab from the first select goes through every select,
//    the held codes and the button in order, and leaves the form (no trap).
// 3. A shared advisor address in another order is redirected to the canonical one (the
//    form's order) and its path has "Prerequisite of MS-102" on a step before MS-102.
// 4. The team planner /en/plan, the CSV pasted into #csv and sent: Alex Muster has two or
//    more mismatches, "Little of the work" and "Prerequisite missing" among them; "Rows
//    that could not be planned" names Line 4; the text box still holds the CSV; "Ask about
//    places for N" links to the course's form with people=N; no overflow, no axe violation
//    on the form nor on the results. The same CSV uploaded as a file through #file, the
//    text box empty, gives the same plan. At 1280: "Download the plan as CSV" brings
//    training-plan.csv whose first line is the header. At 1280 with JavaScript, printed:
//    the forms are not shown, the plan is.
//
// Screenshots: artifacts/screenshots/decide-<state>-<width>-<js|nojs>.png (state: compare,
// advisor-form, advisor-results, advisor-shared, plan-form, plan-results, plan-upload,
// plan-print).
//
// axe cannot finish in a page whose scripts are disabled; without JavaScript it checks the
// very DOM that page got, reloaded with the site's scripts blocked by CSP (see axeProblem in
// harness.mjs, shared with inquiry.test.mjs).
//
// Each viewport × JavaScript combination has its own server (the consent form's rate limit
// counts every decision of a client).
//
// Run: `node --test tests/browser/decide.test.mjs` (after `cargo build`), or the whole
// browser suite with `cargo test --test suites browser`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

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

const COMPARE = '/en/compare/md-102-vs-ms-102';
const ADVISOR = '/en/advisor';
const ADVISOR_CHOSEN = '/en/advisor?device-fleet=3&endpoint-security=3';
const SHARED = { 'tenant-administration': '3', 'identity-access': '2', 'compliance-data-protection': '2' };
const SHARED_URL = `${ADVISOR}?${new URLSearchParams(SHARED)}`;
const PLAN = '/en/plan';

const TEAM_CSV =
  'name,responsibilities,held,assigned\n' +
  'Alex Muster,device-fleet:3;endpoint-security:2,,MS-102\n' +
  'Sam Beispiel,tenant-administration:3;identity-access:2;compliance-data-protection:2,MD-102,\n' +
  'Bad Row,nonsense:3,,\n';
const PLAN_HEADER = 'line,name,path,days,price,assigned,mismatches';
const DOWNLOAD_NAME = 'training-plan.csv';

const VIEWPORTS = [
  { width: 1280, height: 900, phone: false },
  { width: 390, height: 844, phone: true },
];
const MODES = [
  { js: true, label: 'JavaScript on', tag: 'js' },
  { js: false, label: 'JavaScript off', tag: 'nojs' },
];

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

const text = async (locator) => (await locator.textContent()).trim().replace(/\s+/g, ' ');
const shot = screenshots('decide');
const FORM = 'form#choices';

/** Clicks `button` of a form and waits for the page it leads to; returns that response. */
async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response;
}

/**
 * The planner's answer as a reader sees it, for comparing two answers: the text of the
 * sections "The team", "Rows that could not be planned" and "Each person".
 */
async function planResults(page) {
  return page.evaluate(() =>
    ['team', 'skipped', 'people'].map((id) => {
      const section = document.querySelector(`section[aria-labelledby="${id}"]`);
      return section ? section.innerText.trim().replace(/[ \t]+/g, ' ') : `(no section[aria-labelledby="${id}"])`;
    }),
  );
}

/** The checks of the planner's answer to TEAM_CSV; returns the problems. */
async function planProblems(page, response, how) {
  const problems = [];
  const request = response.request();
  if (request.method() !== 'POST') problems.push(`${how}: the form was not posted (a ${request.method()} of ${where(page)})`);
  if (path(response.url()) !== PLAN) problems.push(`${how}: the answer is at ${where(page)}, not ${PLAN}`);
  if (request.redirectedFrom()) problems.push(`${how}: the plan should be the answer to the POST itself, not a redirect from ${request.redirectedFrom().url()}`);
  if (response.status() !== 200) problems.push(`${how}: POST ${PLAN} answered ${response.status()}, not 200`);

  for (const [id, heading] of [['team', 'The team'], ['skipped', 'Rows that could not be planned'], ['people', 'Each person']]) {
    const h = page.locator(`h2#${id}`);
    if ((await h.count()) !== 1) problems.push(`${how}: no heading h2#${id} "${heading}"`);
    else if ((await text(h)) !== heading) problems.push(`${how}: h2#${id} says "${await text(h)}", not "${heading}"`);
  }
  const places = page.getByRole('heading', { name: 'Courses and places', exact: true });
  if ((await places.count()) !== 1) problems.push(`${how}: no heading "Courses and places"`);

  // "Ask about places for N" → the course's form with people=N.
  const asks = page.getByRole('link', { name: /^Ask about places for \d+$/ });
  const n = await asks.count();
  if (n === 0) problems.push(`${how}: no "Ask about places for N" link in "Courses and places"`);
  for (let i = 0; i < n; i += 1) {
    const link = asks.nth(i);
    const label = await text(link);
    const href = await link.getAttribute('href');
    const people = label.match(/(\d+)$/)[1];
    if (!new RegExp(`^/en/courses/[a-z0-9-]+\\?people=${people}#inquiry$`).test(href ?? '')) {
      problems.push(`${how}: "${label}" links to ${href}, not to /en/courses/…?people=${people}#inquiry`);
    }
  }

  const alex = page.locator('article.person').filter({ has: page.locator('h3', { hasText: 'Alex Muster' }) });
  if ((await alex.count()) !== 1) {
    problems.push(`${how}: one article.person for Alex Muster; found ${await alex.count()}`);
  } else {
    const items = alex.locator('ul.mismatches > li');
    const found = await items.allTextContents();
    const kinds = found.map((t) => t.trim().replace(/\s+/g, ' '));
    if (kinds.length < 2) problems.push(`${how}: Alex Muster (assigned MS-102) has ${kinds.length} mismatch(es) in ul.mismatches, expected two or more: ${JSON.stringify(kinds)}`);
    for (const kind of ['Little of the work', 'Prerequisite missing']) {
      if (!kinds.some((k) => k.startsWith(`${kind}:`))) problems.push(`${how}: Alex Muster's mismatches have no "${kind}": ${JSON.stringify(kinds)}`);
    }
    if ((await alex.locator('ul.mismatches').isVisible()) === false) problems.push(`${how}: Alex Muster's ul.mismatches is not visible`);
  }
  const sam = page.locator('article.person').filter({ has: page.locator('h3', { hasText: 'Sam Beispiel' }) });
  if ((await sam.count()) !== 1) problems.push(`${how}: one article.person for Sam Beispiel; found ${await sam.count()}`);
  const bad = page.locator('article.person').filter({ has: page.locator('h3', { hasText: 'Bad Row' }) });
  if ((await bad.count()) !== 0) problems.push(`${how}: "Bad Row" (an unknown responsibility) has an article.person, as if it had been planned`);

  const skipped = await page.locator('section[aria-labelledby="skipped"] li').allTextContents();
  const lines = skipped.map((t) => t.trim().replace(/\s+/g, ' '));
  if (!lines.some((l) => /^Line 4\b/.test(l))) problems.push(`${how}: "Rows that could not be planned" does not list Line 4: ${JSON.stringify(lines)}`);
  if (lines.length !== 1) problems.push(`${how}: "Rows that could not be planned" lists ${lines.length} rows, expected only Line 4: ${JSON.stringify(lines)}`);

  const kept = await page.locator('#csv').inputValue();
  if (kept !== TEAM_CSV) problems.push(`${how}: the text box #csv holds ${JSON.stringify(kept)}, not the CSV that was planned ${JSON.stringify(TEAM_CSV)}`);
  return problems;
}

for (const viewport of VIEWPORTS) {
  for (const mode of MODES) {
    const { js, label } = mode;
    const at = `${viewport.width}×${viewport.height}, ${label}`;
    const options = { js, viewport };

    describe(`decide at ${at}`, () => {
      let server;
      before(async () => {
        server = await startServer();
        options.server = server;
      });
      after(async () => {
        await server?.stop();
      });

      test(`comparison ${COMPARE}: 200, no overflow, charts with <title> and no style, "as a table" opens on click and Enter; axe all rules clean`, async () => {
        const { context, page } = await visitor(browser, server, viewport, js);
        try {
          await decidedOn(page, COMPARE, js, { fresh: true });
          const problems = [];
          for (const heading of ['At a glance']) {
            if ((await page.getByRole('heading', { level: 2, name: heading, exact: true }).count()) !== 1) problems.push(`no h2 "${heading}"`);
          }
          if ((await page.locator('table.compare').count()) < 1) problems.push('no comparison table (table.compare)');

          // The charts: every bar named by its <title>, styled by the style sheet only.
          const bars = await page.locator('svg.weight-bar').evaluateAll((svgs) =>
            svgs.map((svg) => {
              const title = svg.querySelector(':scope > title');
              const styled = [svg, ...svg.querySelectorAll('*')].filter((e) => e.hasAttribute('style')).map((e) => `<${e.localName} style="${e.getAttribute('style')}">`);
              const figure = svg.closest('figure');
              return {
                title: title ? title.textContent.trim() : null,
                styled,
                code: figure?.querySelector('figcaption .exam-code')?.textContent.trim() ?? null,
                width: svg.getBoundingClientRect().width,
              };
            }),
          );
          if (bars.length === 0) problems.push('no svg.weight-bar on the page');
          bars.forEach((b, i) => {
            if (!b.title) problems.push(`svg.weight-bar #${i + 1} (${b.code}) has no <title> child with text`);
            if (b.styled.length) problems.push(`svg.weight-bar #${i + 1} (${b.code}: ${b.title}) has style attributes: ${b.styled.join(', ')}`);
            if (!(b.width > 0)) problems.push(`svg.weight-bar #${i + 1} (${b.code}: ${b.title}) is ${b.width} px wide`);
          });
          const codes = [...new Set(bars.map((b) => b.code))];
          for (const code of ['MD-102', 'MS-102']) {
            if (!codes.includes(code)) problems.push(`no chart for ${code} (charts for ${codes.join(', ')})`);
          }

          // "As a table": closed at first; a click opens it, a second closes it, Enter on the
          // summary opens it again; open, the table is seen.
          const details = page.locator('details.as-table');
          assert.equal(await details.count(), 1, `one details.as-table on ${COMPARE}`);
          const summary = details.locator('summary');
          const table = details.locator('table');
          assert.equal(await table.count(), 1, 'a table in details.as-table');
          const isOpen = () => details.evaluate((d) => d.open);
          assert.equal(await isOpen(), false, 'details.as-table is closed when the page opens');
          assert.equal(await table.isVisible(), false, 'the table in details.as-table is hidden while it is closed');
          await summary.click();
          assert.equal(await isOpen(), true, 'a click on the summary opens details.as-table');
          await table.waitFor({ state: 'visible' });
          await summary.click();
          assert.equal(await isOpen(), false, 'a second click on the summary closes details.as-table');
          await table.waitFor({ state: 'hidden' });
          await summary.focus();
          await page.keyboard.press('Enter');
          assert.equal(await isOpen(), true, 'Enter on the focused summary opens details.as-table');
          await table.waitFor({ state: 'visible' });

          // The table's numbers are the charts'.
          const rows = await table.locator('tbody tr').evaluateAll((trs) =>
            trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim().replace(/\s+/g, ' '))),
          );
          const fromTable = rows.map(([code, domain, weight]) => `${code} ${domain}: ${weight}`).sort();
          const fromCharts = bars.map((b) => `${b.code} ${b.title}`).sort();
          try {
            assert.deepEqual(fromTable, fromCharts);
          } catch {
            problems.push(`the table in details.as-table does not have the charts' numbers:\n      table:  ${fromTable.join(' | ')}\n      charts: ${fromCharts.join(' | ')}`);
          }

          await shot(page, 'compare', viewport, mode);
          problems.push(await overflowProblem(page, viewport.width, 'the comparison, "as a table" open'));
          problems.push(await axeProblem(page, `the comparison, "as a table" open, ${at}`, options));
          assertNone(problems, `${COMPARE}, ${at}`);
        } finally {
          await context.close();
        }
      });

      test(`advisor: "A main part" for device-fleet and endpoint-security → ${ADVISOR_CHOSEN}, MD-102 first, the choices kept; axe clean on form and results`, async () => {
        const { context, page } = await visitor(browser, server, viewport, js);
        try {
          await decidedOn(page, ADVISOR, js, { fresh: true });
          const form = page.locator('form#choices');
          assert.equal(await form.count(), 1, `one form#choices on ${ADVISOR}`);
          assert.equal((await form.getAttribute('method'))?.toLowerCase(), 'get', 'form#choices is a GET form');
          const problems = [];
          problems.push(await overflowProblem(page, viewport.width, 'the advisor\'s form'));
          problems.push(await axeProblem(page, `the advisor's form, ${at}`, options));
          await shot(page, 'advisor-form', viewport, mode);
          assertNone(problems, `${ADVISOR} (the form), ${at}`);

          const selects = await form.locator('select').evaluateAll((ss) => ss.map((s) => s.id));
          for (const id of ['r-device-fleet', 'r-endpoint-security']) {
            assert.ok(selects.includes(id), `a select #${id} in the form; there are ${selects.join(', ')}`);
            const options = await page.locator(`#${id} option`).evaluateAll((os) => os.map((o) => [o.value, o.textContent.trim()]));
            assert.deepEqual(options.map(([v]) => v), ['', '1', '2', '3'], `#${id}'s option values`);
            const chosen = await page.locator(`#${id}`).selectOption({ label: 'A main part' });
            assert.deepEqual(chosen, ['3'], `"A main part" of #${id} has the value 3`);
          }
          const button = form.getByRole('button', { name: 'Show my advice', exact: true });
          assert.equal(await button.count(), 1, 'one "Show my advice" button in form#choices');
          const response = await submit(page, button);

          const sent = response.request().redirectedFrom();
          assert.ok(sent, `"Show my advice": the form's full query is redirected to the canonical address; got ${response.status()} ${where(page)} with no redirect`);
          assert.equal(sent.method(), 'GET');
          assert.equal((await sent.response()).status(), 303, `GET ${decodeURIComponent(new URL(sent.url()).search)} answers 303 See Other`);
          assert.equal(response.status(), 200, `GET ${where(page)}`);
          const u = new URL(page.url());
          assert.equal(`${u.pathname}${u.search}`, ADVISOR_CHOSEN, 'the address after "Show my advice" has only the chosen responsibilities');

          const ranked = page.locator('ol.ranked > li');
          assert.ok((await ranked.count()) >= 1, 'ranked exams (ol.ranked > li) on the results');
          assert.equal(await text(page.getByRole('heading', { level: 2, name: 'Exams ranked for your role' })), 'Exams ranked for your role');
          const first = await text(ranked.first().locator('.exam-code').first());
          assert.equal(first, 'MD-102', `the first ranked exam is MD-102, not ${first} (${await text(ranked.first())})`);
          assert.ok((await page.locator('ol.path > li').count()) >= 1, '"Your path" (ol.path) has a step');

          for (const id of selects) {
            const want = ['r-device-fleet', 'r-endpoint-security'].includes(id) ? '3' : '';
            const value = await page.locator(`#${id}`).inputValue();
            problems.push(value === want ? null : `#${id} holds ${JSON.stringify(value)} on the results, not ${JSON.stringify(want)}`);
          }
          await shot(page, 'advisor-results', viewport, mode);
          problems.push(await overflowProblem(page, viewport.width, 'the advisor\'s results'));
          problems.push(await axeProblem(page, `the advisor's results, ${at}`, options));
          assertNone(problems, `${where(page)} (the results), ${at}`);
        } finally {
          await context.close();
        }
      });

      test(`advisor: a shared address in another order is redirected to the canonical one; the path has "Prerequisite of MS-102" before MS-102`, async () => {
        const { context, page } = await visitor(browser, server, viewport, js);
        try {
          // The canonical order is the form's (the catalog's).
          await decidedOn(page, ADVISOR, js, { fresh: true });
          const order = await page.locator('form#choices select').evaluateAll((ss) => ss.map((s) => s.name));
          const canonical = `${ADVISOR}?${order.filter((n) => n in SHARED).map((n) => `${n}=${SHARED[n]}`).join('&')}`;
          assert.notEqual(canonical, SHARED_URL, 'the shared address is in another order than the form (else nothing to redirect)');

          const response = await page.goto(SHARED_URL, { waitUntil: 'load' });
          const hop = response.request().redirectedFrom();
          assert.ok(hop, `${SHARED_URL} is redirected; got ${response.status()} with no redirect`);
          assert.equal((await hop.response()).status(), 303, `${SHARED_URL} answers 303`);
          assert.equal(response.status(), 200);
          const u = new URL(page.url());
          assert.equal(`${u.pathname}${u.search}`, canonical, `${SHARED_URL} is redirected to the form's order`);

          const steps = await page.locator('ol.path > li').evaluateAll((lis) =>
            lis.map((li) => ({
              code: li.querySelector('.step-head .exam-code')?.textContent.trim() ?? null,
              notes: li.querySelector('.step-notes')?.textContent.trim().replace(/\s+/g, ' ') ?? '',
            })),
          );
          const list = steps.map((s, i) => `${i + 1}. ${s.code}${s.notes ? ` (${s.notes})` : ''}`).join('; ');
          const ms102 = steps.findIndex((s) => s.code === 'MS-102');
          const prerequisite = steps.findIndex((s) => s.notes.includes('Prerequisite of MS-102'));
          assert.ok(ms102 >= 0, `the path has an MS-102 step: ${list}`);
          assert.ok(prerequisite >= 0, `the path has a step "Prerequisite of MS-102": ${list}`);
          assert.ok(prerequisite < ms102, `the step "Prerequisite of MS-102" comes before MS-102: ${list}`);
          await shot(page, 'advisor-shared', viewport, mode);
          assertNone([await overflowProblem(page, viewport.width, 'the shared advice')], `${where(page)}, ${at}`);
        } finally {
          await context.close();
        }
      });

      if (viewport.width === 1280 && js) {
        test('advisor, keyboard: Tab from the first select goes through every select, the held codes and the button, and leaves the form', async () => {
          const { context, page } = await visitor(browser, server, viewport, js);
          try {
            await decidedOn(page, ADVISOR, js, { fresh: true });
            const controls = await page.locator('form#choices').locator('select, input:not([type="hidden"]), button').evaluateAll((es) =>
              es.map((e) => (e.id ? `#${e.id}` : `button "${e.textContent.trim()}"`)),
            );
            assert.ok(controls.length >= 3, `form#choices has its controls: ${controls.join(', ')}`);
            assert.equal(controls.at(-1), 'button "Show my advice"');
            await page.locator(controls[0]).focus();
            const stops = [await page.evaluate(focused, FORM)];
            assert.equal(stops[0].key, controls[0], `the first select takes the focus (it is on ${stops[0].key})`);
            for (let i = 1; i <= controls.length; i += 1) {
              await page.keyboard.press('Tab');
              const f = await page.evaluate(focused, FORM);
              if (f.key === stops.at(-1).key) {
                assert.fail(`focus is stuck on ${f.key}: Tab does not move it; the stops:\n  ${[...stops, f].map((s) => s.key).join('\n  ')}`);
              }
              stops.push(f);
            }
            const list = stops.map((s) => `${s.inForm ? '[form] ' : ''}${s.key}`).join('\n  ');
            assert.equal(stops[1].key, controls[1], `Tab from the first select reaches the next select; the stops:\n  ${list}`);
            assert.deepEqual(stops.slice(0, controls.length).map((s) => s.key), controls, `Tab goes through the form's controls in order; the stops:\n  ${list}`);
            const last = stops.at(-1);
            assert.ok(!last.inForm, `Tab after "Show my advice" leaves the form (no trap); focus is on ${last.key}`);
            assert.ok(last.documentHasFocus && last.key !== 'body', `after the form, focus goes on in the page (to the planner link), not to ${last.key}`);
          } finally {
            await context.close();
          }
        });
      }

      test('planner: the CSV pasted and sent — the mismatches, the skipped row, the CSV kept; axe clean on form and results', async () => {
        const { context, page } = await visitor(browser, server, viewport, js);
        try {
          await decidedOn(page, PLAN, js, { fresh: true });
          const form = page.locator('form.plan-form');
          assert.equal(await form.count(), 1, `one form.plan-form on ${PLAN}`);
          assert.equal(await form.getAttribute('enctype'), 'multipart/form-data', 'form.plan-form posts multipart/form-data');
          assert.equal(await page.locator('#file').getAttribute('type'), 'file', '#file is a file input');
          const problems = [];
          problems.push(await overflowProblem(page, viewport.width, 'the planner\'s form'));
          problems.push(await axeProblem(page, `the planner's form, ${at}`, options));
          await shot(page, 'plan-form', viewport, mode);
          assertNone(problems, `${PLAN} (the form), ${at}`);

          await page.locator('#csv').fill(TEAM_CSV);
          const button = form.getByRole('button', { name: 'Plan the training', exact: true });
          assert.equal(await button.count(), 1, 'one "Plan the training" button in form.plan-form');
          const response = await submit(page, button);
          await shot(page, 'plan-results', viewport, mode);
          problems.push(...(await planProblems(page, response, 'pasted')));
          problems.push(await overflowProblem(page, viewport.width, 'the planner\'s results'));
          problems.push(await axeProblem(page, `the planner's results, ${at}`, options));
          assertNone(problems, `${PLAN} (the results of the pasted CSV), ${at}`);
        } finally {
          await context.close();
        }
      });

      test('planner: the same CSV uploaded as a file, the text box empty, gives the same plan', async () => {
        const { context, page } = await visitor(browser, server, viewport, js);
        try {
          await decidedOn(page, PLAN, js, { fresh: true });
          const form = page.locator('form.plan-form');
          const button = form.getByRole('button', { name: 'Plan the training', exact: true });
          await page.locator('#csv').fill(TEAM_CSV);
          await submit(page, button);
          const pasted = await planResults(page);

          await page.goto(PLAN, { waitUntil: 'load' });
          assert.equal(await page.locator('#csv').inputValue(), '', 'the text box is empty on a fresh form');
          await page.locator('#file').setInputFiles({ name: 'team.csv', mimeType: 'text/csv', buffer: Buffer.from(TEAM_CSV, 'utf8') });
          const response = await submit(page, form.getByRole('button', { name: 'Plan the training', exact: true }));
          await shot(page, 'plan-upload', viewport, mode);
          const problems = await planProblems(page, response, 'uploaded');
          const uploaded = await planResults(page);
          try {
            assert.deepEqual(uploaded, pasted);
          } catch {
            problems.push(`the plan of the uploaded file differs from the plan of the pasted CSV:\n      uploaded: ${JSON.stringify(uploaded)}\n      pasted:   ${JSON.stringify(pasted)}`);
          }
          problems.push(await overflowProblem(page, viewport.width, 'the planner\'s results of the upload'));
          assertNone(problems, `${PLAN} (the results of the uploaded file), ${at}`);
        } finally {
          await context.close();
        }
      });

      if (viewport.width === 1280) {
        test(`planner: "Download the plan as CSV" brings ${DOWNLOAD_NAME}, whose first line is the header`, async () => {
          const { context, page } = await visitor(browser, server, viewport, js);
          try {
            await decidedOn(page, PLAN, js, { fresh: true });
            await page.locator('#csv').fill(TEAM_CSV);
            await submit(page, page.locator('form.plan-form').getByRole('button', { name: 'Plan the training', exact: true }));
            const results = where(page);
            const button = page.locator('form.plan-download').getByRole('button', { name: 'Download the plan as CSV', exact: true });
            assert.equal(await button.count(), 1, 'one "Download the plan as CSV" button in form.plan-download');
            let answer = null;
            page.on('response', (r) => {
              if (r.request().method() === 'POST' && path(r.url()) === PLAN) answer = r;
            });
            const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
            assert.equal(download.suggestedFilename(), DOWNLOAD_NAME, `the download's name is ${DOWNLOAD_NAME}`);
            const failure = await download.failure();
            assert.equal(failure, null, `the download failed: ${failure}`);
            const raw = fs.readFileSync(await download.path(), 'utf8');
            // A byte-order mark first, so that spreadsheet programs read the names as UTF-8.
            assert.ok(raw.startsWith('\uFEFF'), `${DOWNLOAD_NAME} starts with a byte-order mark`);
            const body = raw.slice(1);
            const [first, ...rest] = body.split(/\r?\n/);
            assert.equal(first, PLAN_HEADER, `the first line of ${DOWNLOAD_NAME}:\n${body}`);
            assert.ok(rest.some((l) => l.startsWith('2,Alex Muster,')), `${DOWNLOAD_NAME} has Alex Muster's row (line 2):\n${body}`);
            assert.ok(rest.some((l) => l.startsWith('4,')), `${DOWNLOAD_NAME} has the row of line 4 that could not be planned:\n${body}`);
            assert.ok(answer, `the browser saw the answer to the download's POST ${PLAN}`);
            assert.equal(answer.status(), 200, `the download's POST ${PLAN} answers 200`);
            const headers = answer.headers();
            assert.match(headers['content-type'] ?? '', /^text\/csv\b/, 'the download is sent as text/csv');
            assert.match(headers['content-disposition'] ?? '', /^attachment\b/, 'the download is sent as an attachment');
            assert.equal(where(page), results, 'the results page stays after the download');
          } finally {
            await context.close();
          }
        });
      }

      if (viewport.width === 1280 && js) {
        test('planner, printed: the forms are not shown, the plan is', async () => {
          const { context, page } = await visitor(browser, server, viewport, js);
          try {
            await decidedOn(page, PLAN, js, { fresh: true });
            await page.locator('#csv').fill(TEAM_CSV);
            await submit(page, page.locator('form.plan-form').getByRole('button', { name: 'Plan the training', exact: true }));
            assert.equal(await page.locator('form.plan-form').isVisible(), true, 'on screen, form.plan-form is shown (sanity check)');
            await page.emulateMedia({ media: 'print' });
            await shot(page, 'plan-print', viewport, mode);
            const problems = [];
            for (const selector of ['form.plan-form', 'form.plan-download', '#change']) {
              if (await page.locator(selector).isVisible()) problems.push(`${selector} is shown in print`);
            }
            for (const selector of ['h2#team', 'article.person']) {
              if (!(await page.locator(selector).first().isVisible())) problems.push(`${selector} is not shown in print`);
            }
            assertNone(problems, `${PLAN} (the results), printed`);
          } finally {
            await context.close();
          }
        });
      }
    });
  }
}
