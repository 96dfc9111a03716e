// The harness for the real-browser tests: starts certwise on a free port over a temporary
// database (optionally over a temporary copy of the content with a changed site.toml),
// launches the system Chromium through playwright-core, and runs axe-core.
//
// The server binary comes from CERTWISE_BIN (the Rust wrapper tests/suites.rs sets it to
// the binary cargo built), else target/debug/certwise.

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
 * Starts certwise.
 *
 * options.port: the port to use (default: a free one).
 * options.siteToml: a function (text, port) => text; when given, the server runs on a
 *   temporary copy of content/ whose site.toml is replaced by its result.
 *
 * Returns { baseURL, port, stop(), log() }.
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
  const args = [
    'serve',
    '--addr', `127.0.0.1:${port}`,
    '--database', `sqlite://${path.join(tmp, 'db.sqlite')}`,
    '--content', content,
  ];
  const child = spawn(bin, args, {
    env: { ...process.env, CERTWISE_TODAY: TODAY, NO_COLOR: '1' },
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
