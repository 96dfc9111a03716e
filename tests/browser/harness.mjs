// The harness for the real-browser tests: starts certwise on a free port over a temporary
// database (optionally over a temporary copy of the content with a changed site.toml),
// launches the system Chromium through playwright-core, and runs axe-core.
//
// The server binary comes from CERTWISE_BIN (the Rust wrapper tests/suites.rs sets it to
// the binary cargo built), else target/debug/certwise.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CONTENT = path.join(ROOT, 'content');
export const ARTIFACTS = path.join(ROOT, 'artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const TODAY = '2026-11-26';

/** A port nobody listens on right now (the kernel's choice for port 0). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * site.toml with the three locales of the reference provider (en, de, fr), so that every
 * page carries the language switcher: for `startServer({ siteToml: threeLocales })`.
 */
export const threeLocales = (text) => text.replace(/^locales = .*$/m, 'locales = ["en", "de", "fr"]');

/**
 * Starts certwise.
 *
 * options.port: the port to use (default: a free one).
 * options.siteToml: a function (text, port) => text; when given, the server runs on a
 *   temporary copy of content/ whose site.toml is replaced by its result.
 * options.env: more environment variables for the server (e.g. CERTWISE_LEAD_WEBHOOK_URL).
 *
 * Returns { baseURL, port, database, stop(), log() } (`database`: the server's
 * `sqlite://` URL, for commands such as `certwise user add`).
 */
export async function startServer(options = {}) {
  const bin = process.env.CERTWISE_BIN || path.join(ROOT, 'target', 'debug', 'certwise');
  if (!fs.existsSync(bin)) {
    throw new Error(`certwise binary not found at ${bin}: run \`cargo build\` or set CERTWISE_BIN`);
  }
  const port = options.port ?? (await freePort());
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certwise-browser-'));
  let content = CONTENT;
  if (options.siteToml) {
    content = path.join(tmp, 'content');
    fs.cpSync(CONTENT, content, { recursive: true });
    const file = path.join(content, 'site.toml');
    fs.writeFileSync(file, options.siteToml(fs.readFileSync(file, 'utf8'), port));
  }
  const database = `sqlite://${path.join(tmp, 'db.sqlite')}`;
  const args = [
    'serve',
    '--addr', `127.0.0.1:${port}`,
    '--database', database,
    '--content', content,
  ];
  const child = spawn(bin, args, {
    env: { ...process.env, CERTWISE_TODAY: TODAY, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  let exited = null;
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => { exited = { code, signal }; resolve(); });
  });

  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) {
      throw new Error(`certwise exited (${JSON.stringify(exited)}) before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${baseURL}/healthz`);
      if (res.ok && (await res.text()).trim() === 'ok') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`certwise did not answer /healthz within 20 s:\n${output}`);
    }
    await sleep(50);
  }

  return {
    baseURL,
    port,
    database,
    log: () => output,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 5_000);
        await exit;
        clearTimeout(timer);
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** The system Chromium, headless. playwright-core manages its user-data-dir. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh context (own cookies) on the server, with JavaScript on or off.
 * extra: more context options (viewport, extraHTTPHeaders, bypassCSP, …).
 */
export function newContext(browser, server, { js = true, ...extra } = {}) {
  return browser.newContext({
    baseURL: server.baseURL,
    javaScriptEnabled: js,
    viewport: { width: 1280, height: 900 },
    ...extra,
  });
}

/** A new page in a fresh context; closing the returned context closes the page. */
export async function newPage(browser, server, options = {}) {
  const context = await newContext(browser, server, options);
  const page = await context.newPage();
  return { context, page };
}

const AXE_SOURCE = fs.readFileSync(
  path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js'),
  'utf8',
);

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core's violations, one readable block per violation and node. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    at ${n.target.join(' ')}\n      ${n.html}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/** Runs axe-core on the page as it is now (see axeRun) and returns its violations. */
export async function axeViolations(page, { allRules = false } = {}) {
  return (await axeRun(page, { allRules })).violations;
}

/**
 * Runs axe-core on the page as it is now: by default the rules tagged AXE_TAGS (WCAG 2.0,
 * 2.1 and 2.2, A and AA); with `allRules`, every rule this axe-core has, by id — best
 * practices (`region`, `landmark-*`, `heading-order`, …), the AAA ones, the experimental
 * ones and the deprecated ones too, including those axe leaves off when run without options
 * (`target-size`, `color-contrast-enhanced`, …). Returns { violations, ran } where `ran` is
 * the ids of the rules that ran.
 *
 * The site's CSP allows scripts only with the response's nonce, so `addScriptTag` (an
 * inline <script> without the nonce) would be blocked. axe's source is evaluated through
 * the DevTools protocol instead (page.evaluate), which CSP does not govern; this is the
 * only place the tests run code the page did not send. The page must have JavaScript on.
 */
export async function axeRun(page, { allRules = false } = {}) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async ({ tags, allRules }) => {
    const runOnly = allRules
      ? { type: 'rule', values: window.axe.getRules().map((r) => r.ruleId) }
      : { type: 'tag', values: tags };
    const result = await window.axe.run(document, { runOnly });
    const ran = [...result.violations, ...result.passes, ...result.incomplete, ...result.inapplicable].map((r) => r.id);
    return { violations: result.violations, ran };
  }, { tags: AXE_TAGS, allRules });
}

/** Asserts that axe-core finds no violation on the page; prints them readably if it does. */
export async function assertNoAxeViolations(page, what, options = {}) {
  const violations = await axeViolations(page, options);
  if (violations.length > 0) {
    throw new Error(`axe-core: ${violations.length} violation(s) on ${what} (${page.url()}):\n${formatViolations(violations)}`);
  }
}

/** Saves a screenshot to artifacts/NAME (NAME may have directories: `screenshots/x.png`). */
export async function screenshot(page, name, options = {}) {
  const file = path.join(ARTIFACTS, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, ...options });
  return file;
}

/**
 * Every page type of the sample site: the `PAGES` list of tests/page_types.rs (read from
 * that file, so that a page type added there is checked here too), then EXTRA_PAGES that
 * are not in it. Each is { name, path, status }.
 */
export function pageTypes() {
  const file = path.join(ROOT, 'tests', 'page_types.rs');
  const source = fs.readFileSync(file, 'utf8');
  const list = source.match(/const PAGES: &\[\(&str, &str, u16\)\] = &\[([\s\S]*?)\n\];/);
  if (!list) throw new Error(`${file}: found no \`const PAGES: &[(&str, &str, u16)] = &[ … ];\` to read the page types from`);
  const pages = [...list[1].matchAll(/\(\s*"([^"]+)",\s*"([^"]+)",\s*(\d{3}),?\s*\)/g)].map(([, name, path, status]) => ({
    name,
    path,
    status: Number(status),
  }));
  const entries = list[1].split('\n').filter((l) => l.trim().startsWith('(')).length;
  if (pages.length === 0 || pages.length !== entries) {
    throw new Error(`${file}: read ${pages.length} of the ${entries} entries of PAGES; the pattern in tests/browser/harness.mjs needs updating`);
  }
  for (const extra of EXTRA_PAGES) {
    if (!pages.some((p) => p.path === extra.path)) pages.push(extra);
  }
  const names = pages.map((p) => p.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length) throw new Error(`page type names used twice: ${twice.join(', ')}`);
  return pages;
}

/**
 * Page types the site is getting that tests/page_types.rs does not list yet. Until they are
 * served they fail (with their status), they are not skipped; once page_types.rs lists a
 * path, its entry there is used instead.
 */
export const EXTRA_PAGES = [];

// ---------------------------------------------------------------------------------------------
// A visitor of the sample site, as inquiry.test.mjs and decide.test.mjs have one: a consent
// decision with the real banner, horizontal overflow, axe-core with all its rules, focus.

/** The cookie that holds a visitor's consent decision. */
export const CONSENT_COOKIE = 'cw_consent';

/** Rules that must be among those axe ran: the proof that the run was not limited to tags (as axe.test.mjs). */
export const MUST_RUN = ['region', 'landmark-one-main', 'landmark-unique', 'page-has-heading-one', 'heading-order', 'target-size'];

/** The decoded path of `url`. */
export const pathname = (url) => decodeURIComponent(new URL(url).pathname);

/** Where the page is: path, query and fragment. */
export const where = (page) => {
  const u = new URL(page.url());
  return `${u.pathname}${u.search}${u.hash}`;
};

/**
 * A fresh visitor of `server` (no cookies) in `browser`, at `viewport` ({ width, height,
 * phone }): a phone at 390 px, as layout.test.mjs has it.
 */
export async function visitor(browser, server, viewport, js) {
  const { context, page } = await newPage(browser, server, {
    js,
    viewport: { width: viewport.width, height: viewport.height },
    ...(viewport.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  context.setDefaultTimeout(10_000);
  return { context, page };
}

/**
 * Decides about cookies with the real banner of the page the visitor is on: "Reject all".
 * With JavaScript the banner goes without a reload; without, the plain form posts to
 * /consent and the server sends the visitor back to the same page (path, query and fragment).
 * Waits for the consent cookie (`cookie`, default CONSENT_COOKIE).
 */
export async function rejectAll(page, js, { cookie = CONSENT_COOKIE } = {}) {
  const here = where(page);
  const before = pathname(page.url());
  const banner = page.locator('#consent-banner');
  assert.equal(await banner.count(), 1, `a consent banner on ${here} before the decision`);
  const reject = banner.getByRole('button', { name: 'Reject all', exact: true });
  if (js) {
    await reject.click();
    await banner.waitFor({ state: 'detached' });
  } else {
    const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), reject.click()]);
    const post = response.request().redirectedFrom();
    assert.ok(post, `"Reject all" without JavaScript: a redirect after the form post; got ${response.status()} ${response.url()}`);
    assert.equal(pathname(post.url()), '/consent');
    assert.equal(pathname(response.url()), before, '"Reject all" without JavaScript: back on the page the visitor was on');
    assert.equal(where(page), here, '"Reject all" without JavaScript: back on the page the visitor was on');
  }
  const deadline = Date.now() + 10_000;
  while (!(await page.context().cookies()).some((c) => c.name === cookie)) {
    if (Date.now() > deadline) throw new Error(`no ${cookie} cookie 10 s after clicking "Reject all" on ${here}`);
    await sleep(50);
  }
  assert.equal(await banner.count(), 0, `no consent banner on ${here} after "Reject all"`);
}

/**
 * Opens `url` (200 expected) and decides there (see rejectAll; `cookie` is passed on). With
 * `fresh`, then reloads it (200 expected), so that focus is at the top, and returns that
 * response; else returns the response of the first opening.
 */
export async function decidedOn(page, url, js, { fresh = false, cookie } = {}) {
  const response = await page.goto(url, { waitUntil: 'load' });
  assert.equal(response.status(), 200, `GET ${url}`);
  await rejectAll(page, js, { cookie });
  if (!fresh) return response;
  const again = await page.goto(url, { waitUntil: 'load' });
  assert.equal(again.status(), 200, `GET ${url} after the decision`);
  return again;
}

/**
 * Runs in the page: the document's width against `width` (and the window's), and the
 * elements that start what sticks out past the right edge (outermost only; what lies inside
 * an element that scrolls or clips sideways is that element's business).
 */
export function measureOverflow(width) {
  const EPSILON = 0.5;
  const root = document.documentElement;
  const name = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
      let part = e.localName;
      if (e.id) part += `#${e.id}`;
      else if (typeof e.className === 'string' && e.className.trim()) part += `.${e.className.trim().split(/\s+/).join('.')}`;
      parts.unshift(part);
      if (e.id || e === document.body) break;
    }
    return parts.join(' > ');
  };
  const contained = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== root; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const sticksOut = (el) => {
    const r = el.getBoundingClientRect();
    return (r.width > 0 || r.height > 0) && r.right > width + EPSILON && !contained(el);
  };
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticksOut(el)) continue;
    if (el.parentElement !== document.body && sticksOut(el.parentElement)) continue;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    offenders.push(`${name(el)} reaches x = ${Math.round(r.right)} (left ${Math.round(r.left)}, width ${Math.round(r.width)}, white-space: ${s.whiteSpace})`);
  }
  return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, innerWidth: window.innerWidth, offenders };
}

/**
 * What overflows horizontally at `width`, as one problem line; null when nothing does: the
 * document no wider than `width` nor than the window, and no element sticking out.
 */
export async function overflowProblem(page, width, what) {
  const o = await page.evaluate(measureOverflow, width);
  if (o.scrollWidth <= o.innerWidth && o.scrollWidth <= width && o.offenders.length === 0) return null;
  return (
    `${what} at ${width} px: horizontal overflow — document.documentElement.scrollWidth is ${o.scrollWidth} ` +
    `(clientWidth ${o.clientWidth}, innerWidth ${o.innerWidth}), more than ${width}` +
    (o.offenders.length
      ? `; these elements start what sticks out:\n      ${o.offenders.slice(0, 12).join('\n      ')}` +
        (o.offenders.length > 12 ? `\n      … and ${o.offenders.length - 12} more` : '')
      : '; no element box reaches past the edge (a margin, a pseudo-element or a transform does)')
  );
}

/** Fails with every problem found (the non-null ones of `problems`), one per line. */
export function assertNone(problems, what) {
  const found = problems.filter(Boolean);
  if (found.length) assert.fail(`${what}: ${found.length} problem(s)\n  - ${found.join('\n  - ')}`);
}

/**
 * axe-core with every rule it has on the page as it is now; zero violations, and every rule of
 * `mustRun` (default MUST_RUN) among those that ran. Returns the problem, or null.
 *
 * axe runs asynchronously, and in a page whose scripts are disabled its run never ends (timers
 * and tasks never fire there). Without JavaScript (`js` false), the DOM the reader got
 * (`page.content()`: the server's HTML as parsed, none of the site's scripts having run, plus
 * what the reader did to it — an opened <details>) is therefore loaded again, at the same
 * address, viewport (`viewport`) and cookies, by a visitor of `server` in a JavaScript-on page
 * of the same browser, in which the site's scripts are still kept from running — the document
 * is served from the test with `Content-Security-Policy: script-src 'none'` — and axe runs
 * there (page.evaluate goes through the DevTools protocol, which CSP does not govern). That
 * also covers the answer to a POST: the twin gets that HTML at the form's address. The twin
 * must have as many elements as the reader's page. The templates have no <noscript>, whose
 * content would be parsed differently.
 */
export async function axeProblem(page, what, { js, server, viewport, mustRun = MUST_RUN }) {
  let result;
  if (js) {
    result = await axeRun(page, { allRules: true });
  } else {
    const html = await page.content();
    const url = new URL(page.url());
    url.hash = '';
    const { context, page: twin } = await visitor(page.context().browser(), server, viewport, true);
    try {
      await context.addCookies(await page.context().cookies());
      await twin.route((u) => u.href === url.href, (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html; charset=utf-8',
          headers: { 'content-security-policy': "script-src 'none'" },
          body: html,
        }),
      );
      await twin.goto(url.href, { waitUntil: 'load' });
      // The twin shows the reader's document, not a fresh GET of the address.
      const count = () => document.querySelectorAll('*').length;
      const [mine, its] = [await page.evaluate(count), await twin.evaluate(count)];
      if (mine !== its) return `axe's twin of ${what} has ${its} elements, the reader's page ${mine}: the twin is not the page the reader got`;
      result = await axeRun(twin, { allRules: true });
    } finally {
      await context.close();
    }
  }
  const { violations, ran } = result;
  const missing = mustRun.filter((id) => !ran.includes(id));
  if (missing.length) return `axe did not run the rules ${missing.join(', ')} on ${what} (${ran.length} rules ran): the run is not "all rules"`;
  if (violations.length === 0) return null;
  const nodes = violations.reduce((n, v) => n + v.nodes.length, 0);
  return (
    `axe-core (all ${ran.length} rules): ${violations.length} rule(s) violated on ${what} (${where(page)}): ` +
    `${violations.map((v) => v.id).join(', ')}, at ${nodes} element(s):\n${formatViolations(violations)}`
  );
}

/**
 * A full-page screenshot function for a test file: shot(page, state, viewport, mode) saves
 * artifacts/screenshots/PREFIX-<state>-<width>-<mode.tag>.png.
 */
export function screenshots(prefix) {
  return (page, state, viewport, mode) =>
    screenshot(page, `screenshots/${prefix}-${state}-${viewport.width}-${mode.tag}.png`, { fullPage: true });
}

/**
 * Runs in the page (`page.evaluate(focused, FORM)`): what has the keyboard focus — `key` (its
 * #id, else what it is and says), `tag`, `control` (input, select, textarea or button),
 * `inForm` (inside the element matching the selector FORM) and `documentHasFocus`.
 */
export function focused(form) {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) {
    return { key: e ? e.localName : 'none', inForm: false, documentHasFocus: document.hasFocus() };
  }
  const label = (e.getAttribute('aria-label') || e.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
  let key;
  if (e.id) key = `#${e.id}`;
  else if (e.localName === 'button') key = `button "${label}"`;
  else if (e.localName === 'a') key = `a "${label}" → ${e.getAttribute('href')}`;
  else key = `${e.localName} "${label}"`;
  return {
    key,
    tag: e.localName,
    control: ['input', 'select', 'textarea', 'button'].includes(e.localName),
    inForm: Boolean(e.closest(form)),
    documentHasFocus: document.hasFocus(),
  };
}
