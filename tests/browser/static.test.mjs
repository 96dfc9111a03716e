// The static export in a real browser: `certwise export` of the sample site, served by
// nginx with docs/static/nginx.conf (or, where nginx is not installed and CI is not set, by
// a small Node server that tries the same files in the same order — said loudly). Checks:
// the live addresses answer from files with the right types; Chromium loads no
// non-essential script before consent and exactly the granted ones after, remembered on
// the next page; a page without JavaScript loads none; no Content-Security-Policy
// violation; search finds md102 from the static index; axe-core finds nothing on an
// exported answer with its banner or on the static search results.
//
// Run: `node --test tests/browser/static.test.mjs` (after `cargo build`), or
// `cargo test --test suites browser`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { CONTENT, ROOT, TODAY, assertNoAxeViolations, freePort, launchBrowser, newPage } from './harness.mjs';

const ANSWER = '/en/answers/md-102-vs-ms-102-difference';
const INSIGHTS = '/static/consent/insights.js';
const CAMPAIGNS = '/static/consent/campaigns.js';
const SETTLE_MS = 400;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let tmp;
let site;
let server;
let browser;

function nginxBinary() {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** nginx on `port` serving `root` with the sample configuration. */
async function startNginx(bin, root, port) {
  const conf = fs.readFileSync(path.join(ROOT, 'docs/static/nginx.conf'), 'utf8')
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(/root \/srv\/certwise\/site;/, `root ${root};`);
  assert.ok(conf.includes(`listen 127.0.0.1:${port};`) && conf.includes(`root ${root};`), 'the sample configuration has its listen and root lines');
  fs.writeFileSync(path.join(tmp, 'site.conf'), conf);
  const main = `daemon off;
worker_processes 1;
pid ${tmp}/nginx.pid;
error_log ${tmp}/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  include ${tmp}/site.conf;
}
`;
  fs.writeFileSync(path.join(tmp, 'nginx.conf'), main);
  const child = spawn(bin, ['-c', path.join(tmp, 'nginx.conf'), '-p', tmp], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (d) => { output += d; });
  let exited = false;
  child.on('exit', () => { exited = true; });
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  let last = null;
  for (;;) {
    if (exited) throw new Error(`nginx exited before it was ready:\n${output}`);
    try {
      if ((await fetch(`${baseURL}/en/`)).ok) break;
    } catch (e) { last = e; }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      const log = fs.existsSync(path.join(tmp, 'error.log')) ? fs.readFileSync(path.join(tmp, 'error.log'), 'utf8') : '';
      throw new Error(`nginx did not answer within 10 s (${last}):\n${output}${log}`);
    }
    await sleep(50);
  }
  return {
    baseURL,
    kind: 'nginx',
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        await new Promise((r) => child.on('exit', r));
      }
    },
  };
}

/** The same lookups as docs/static/nginx.conf, for machines without nginx. */
async function startNodeServer(root, port) {
  const types = {
    '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'application/javascript; charset=utf-8',
    '.json': 'application/json', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
    '.md': 'text/markdown; charset=utf-8', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
  };
  const srv = http.createServer((req, res) => {
    const uri = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const tries = uri.startsWith('/api/') ? [uri, `${uri}.json`] : [uri, `${uri}.html`, `${uri}/index.html`];
    const file = tries.map((t) => path.join(root, t)).find((f) => f.startsWith(root) && fs.existsSync(f) && fs.statSync(f).isFile());
    const found = file ?? path.join(root, '404.html');
    res.writeHead(file ? 200 : 404, { 'content-type': types[path.extname(found)] ?? 'application/octet-stream' });
    res.end(fs.readFileSync(found));
  });
  await new Promise((r) => srv.listen(port, '127.0.0.1', r));
  return { baseURL: `http://127.0.0.1:${port}`, kind: 'node', stop: () => new Promise((r) => srv.close(r)) };
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certwise-static-'));
  // nginx's workers run as an unprivileged user when the tests run as root.
  fs.chmodSync(tmp, 0o755);
  site = path.join(tmp, 'site');
  const bin = process.env.CERTWISE_BIN || path.join(ROOT, 'target', 'debug', 'certwise');
  const run = spawnSync(bin, ['export', site, '--database', `sqlite://${path.join(tmp, 'db.sqlite')}`, '--content', CONTENT], {
    env: { ...process.env, CERTWISE_TODAY: TODAY, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `certwise export failed:\n${run.stderr}`);
  const port = await freePort();
  const nginx = nginxBinary();
  if (nginx) {
    server = await startNginx(nginx, site, port);
  } else {
    assert.ok(!process.env.CI, 'nginx is not installed (apt-get install -y nginx); under CI the static export must be served by nginx');
    console.log('SKIPPED nginx: not installed; serving the export with a Node server that tries the same files');
    server = await startNodeServer(site, port);
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A fresh visitor with the addresses of the services' scripts it requested. */
async function visitor(js = true) {
  const { context, page } = await newPage(browser, server, { js });
  context.setDefaultTimeout(10_000);
  const requested = [];
  const violations = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
  });
  return { context, page, requested, violations };
}

const services = (requested) => requested.filter((p) => p === INSIGHTS || p === CAMPAIGNS);
const bannerButton = (page, name) => page.locator('#consent-banner').getByRole('button', { name, exact: true });

describe(`the static export`, () => {
  test('is served at the live addresses with the right types', async () => {
    const expect = [
      [ANSWER, 'text/html'],
      ['/en/', 'text/html'],
      ['/', 'text/html'],
      [`${ANSWER}.md`, 'text/markdown'],
      ['/api/v1/answers', 'application/json'],
      ['/api/v1/certifications/MD-102', 'application/json'],
      ['/sitemap.xml', 'xml'],
      ['/en/feed.xml', 'xml'],
      ['/llms.txt', 'text/plain'],
    ];
    for (const [address, type] of expect) {
      const res = await fetch(server.baseURL + address);
      assert.equal(res.status, 200, `${address} (${server.kind})`);
      assert.ok((res.headers.get('content-type') ?? '').includes(type), `${address}: ${res.headers.get('content-type')}`);
    }
    const missing = await fetch(`${server.baseURL}/en/no-such-page`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<html lang="en">/, 'the exported not-found page');
    if (server.kind === 'nginx') {
      const german = await fetch(`${server.baseURL}/de/gibt-es-nicht`);
      assert.equal(german.status, 404);
      assert.match(await german.text(), /<html lang="de">/, "a locale's own not-found page");
    }
    assert.equal((await fetch(`${server.baseURL}/en/advisor`)).status, 404, 'the advisor needs a server');
  });

  test('loads no non-essential script before consent, the granted ones after, and remembers', async () => {
    const { context, page, requested, violations } = await visitor();
    await page.goto(ANSWER);
    await page.locator('#consent-banner').waitFor({ state: 'visible' });
    await sleep(SETTLE_MS);
    assert.deepEqual(services(requested), [], 'nothing before a decision');
    assert.equal(await page.locator('html').getAttribute('data-insights'), null);
    await assertNoAxeViolations(page, 'an exported answer with the banner');
    await bannerButton(page, 'Accept all').click();
    await page.waitForFunction(() => document.documentElement.dataset.insights === 'loaded' && document.documentElement.dataset.campaigns === 'loaded');
    assert.deepEqual(services(requested).sort(), [CAMPAIGNS, INSIGHTS]);
    assert.equal(await page.locator('#consent-banner').count(), 0, 'the banner is gone');
    requested.length = 0;
    await page.goto('/en/');
    await page.waitForFunction(() => document.documentElement.dataset.insights === 'loaded');
    assert.ok(await page.locator('#consent-banner').isHidden(), 'no banner once decided');
    assert.deepEqual(violations, [], 'no CSP violation');
    await context.close();
  });

  test('a custom choice starts only its category, and a refusal none', async () => {
    const { context, page, requested } = await visitor();
    await page.goto(ANSWER);
    await page.locator('#consent-customize').click();
    const dialog = page.locator('#consent-dialog');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByRole('checkbox', { name: /Analytics/ }).check();
    await dialog.getByRole('button', { name: 'Save my choices', exact: true }).click();
    await page.waitForFunction(() => document.documentElement.dataset.insights === 'loaded');
    await sleep(SETTLE_MS);
    assert.deepEqual(services(requested), [INSIGHTS], 'analytics only');
    const cookie = async (name) => (await context.cookies()).some((c) => c.name === name);
    assert.ok(await cookie('cw_insights'), 'the analytics stand-in set its cookie');
    // Revoked on the settings page: its cookie expires, the page starts again without it.
    await page.goto('/en/cookies');
    const settings = page.locator('main form.consent-settings');
    assert.ok(await settings.getByRole('checkbox', { name: /Analytics/ }).isChecked(), 'the stored choice is shown');
    // A name that extends the declared one with a dot (as Matomo's `_pk_id.1.abcd` does).
    await page.evaluate(() => { document.cookie = 'cw_insights.1.abcd=x; Path=/; SameSite=Lax'; });
    assert.ok(await cookie('cw_insights.1.abcd'), 'the extended cookie is set');
    requested.length = 0;
    await settings.getByRole('checkbox', { name: /Analytics/ }).uncheck();
    await Promise.all([page.waitForEvent('load'), settings.getByRole('button', { name: 'Save my choices', exact: true }).click()]);
    await sleep(SETTLE_MS);
    assert.equal(await cookie('cw_insights'), false, 'the revoked service\'s cookie is gone');
    assert.equal(await cookie('cw_insights.1.abcd'), false, 'and the names that extend it');
    assert.deepEqual(services(requested), [], 'nothing runs once revoked');
    await context.close();

    const refused = await visitor();
    await refused.page.goto(ANSWER);
    await bannerButton(refused.page, 'Reject all').click();
    await refused.page.goto('/en/topics/');
    await sleep(SETTLE_MS);
    assert.deepEqual(services(refused.requested), [], 'nothing after a refusal');
    assert.ok(await refused.page.locator('#consent-banner').isHidden());
    await refused.context.close();
  });

  test('without JavaScript no service loads and no form that cannot work is shown', async () => {
    const { context, page, requested } = await visitor(false);
    await page.goto(ANSWER);
    await sleep(SETTLE_MS);
    assert.deepEqual(services(requested), []);
    assert.ok(await page.locator('#consent-banner').isHidden(), 'the banner needs the script');
    await page.goto('/en/cookies');
    assert.ok(await page.locator('main form.consent-settings').isHidden());
    assert.match(await page.locator('main').innerText(), /Without JavaScript no optional service is loaded/);
    await context.close();
  });

  test('search finds md102 however typed, from the static index', async () => {
    const { context, page, violations } = await visitor();
    for (const typed of ['md102', 'MD 102', 'md-102']) {
      await page.goto('/en/');
      await page.locator('#site-search-q').fill(typed);
      await page.locator('#site-search-q').press('Enter');
      await page.waitForURL(/\/en\/search\?q=/);
      const results = page.locator('#static-results');
      await results.waitFor();
      assert.ok(await results.locator('a[href="/en/certifications/md-102"]').count() > 0, `${typed} finds MD-102`);
      assert.ok(await results.locator(`a[href="${ANSWER}"]`).count() > 0, `${typed} finds the MD-102 answer`);
    }
    await assertNoAxeViolations(page, 'exported search results');
    await page.goto('/en/search?q=intune');
    await page.locator('#static-results').waitFor();
    assert.ok(await page.locator('#static-results li').count() > 0, 'a word finds records');
    assert.deepEqual(violations, [], 'no CSP violation');
    await context.close();
  });
});
