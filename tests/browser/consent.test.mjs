// Consent in a real browser (Chromium through playwright-core), with JavaScript on and off:
// accept, reject, customize, withdraw; no third-party request before consent; Global
// Privacy Control; keyboard-only use of the banner and the dialog; equal weight of accept
// and reject; axe-core on the banner, the settings page, the dialog and every page type;
// screenshots in artifacts/.
//
// Run: `node --test tests/browser/` (after `cargo build`), or `cargo test --test suites browser`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  assertNoAxeViolations,
  launchBrowser,
  newPage,
  screenshot,
  startServer,
} from './harness.mjs';

const ANSWER = '/en/answers/md-102-vs-ms-102-difference';
const INSIGHTS = '/static/consent/insights.js';
const CAMPAIGNS = '/static/consent/campaigns.js';
const CONSENT_COOKIE = 'cw_consent';
const SERVICE_COOKIES = ['cw_insights', 'cw_campaign'];
const BANNER_TITLE = 'Cookies on this site';
const MODES = [
  { js: true, label: 'JavaScript on' },
  { js: false, label: 'JavaScript off' },
];
// Long enough to see a second reload or a late request, short enough to keep the suite fast.
const SETTLE_MS = 400;

let server;
let browser;

before(async () => {
  // allSettled, not all: when one fails, the other is still kept so that `after` closes it
  // (a server left running would keep `node --test` from ever exiting).
  const [s, b] = await Promise.allSettled([startServer(), launchBrowser()]);
  server = s.value;
  browser = b.value;
  for (const r of [s, b]) if (r.status === 'rejected') throw r.reason;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A fresh visitor: new context (no cookies), one page, short timeouts. */
async function visitor(options = {}) {
  const { context, page } = await newPage(browser, server, options);
  context.setDefaultTimeout(10_000);
  return { context, page };
}

const banner = (page) => page.locator('#consent-banner');
const bannerButton = (page, name) => banner(page).getByRole('button', { name, exact: true });
const settingsForm = (page) => page.locator('main form.consent-settings');
const dialog = (page) => page.locator('#consent-dialog');

/** How many <script src> of each service the page's DOM holds (works with JS off too). */
async function serviceScripts(page) {
  return {
    insights: await page.locator(`script[src$="${INSIGHTS}"]`).count(),
    campaigns: await page.locator(`script[src$="${CAMPAIGNS}"]`).count(),
  };
}

async function cookieMap(context) {
  return new Map((await context.cookies()).map((c) => [c.name, c]));
}

/** Counts the main frame's navigations from now on. */
function countNavigations(page) {
  const counter = { n: 0 };
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) counter.n += 1;
  });
  return counter;
}

/** Records the page's POST requests from now on, as "resourceType pathname". */
function trackPosts(page) {
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(`${r.resourceType()} ${decodeURIComponent(new URL(r.url()).pathname)}`);
  });
  return posts;
}

/** With JavaScript on, a choice is one fetch to POST /consent and nothing else. */
const SENT_WITH_FETCH = ['fetch /consent'];

/**
 * Clicks something that submits a plain form (JavaScript off) and returns the final
 * response after the server's redirect, asserting that the POST /consent answered 303.
 */
async function submitPlain(page, locator) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  const post = response.request().redirectedFrom();
  assert.ok(post, `a redirect after the form post; got ${response.status()} ${response.url()}`);
  assert.equal(post.method(), 'POST');
  assert.equal(new URL(post.url()).pathname, '/consent');
  assert.equal((await post.response()).status(), 303, 'POST /consent answers 303 See Other');
  return response;
}

/** Same for keyboard activation of the focused element. */
async function pressPlain(page, key) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press(key)]);
  const post = response.request().redirectedFrom();
  assert.ok(post, 'a redirect after the form post');
  assert.equal((await post.response()).status(), 303);
  return response;
}

function assertConsentCookie(cookies) {
  const c = cookies.get(CONSENT_COOKIE);
  assert.ok(c, `the consent cookie ${CONSENT_COOKIE} is set; have ${[...cookies.keys()].join(', ') || 'none'}`);
  assert.equal(c.httpOnly, true, 'the consent cookie is HttpOnly');
  assert.equal(c.secure, false, 'plain http on loopback: the development cookie has no Secure');
  assert.equal(c.sameSite, 'Lax');
  assert.equal(c.path, '/');
  const days = (c.expires - Date.now() / 1000) / 86_400;
  assert.ok(days > 170 && days <= 181, `the consent cookie lasts about 180 days, not ${days.toFixed(1)}`);
}

async function assertNoBanner(page) {
  assert.equal(await banner(page).count(), 0, 'no consent banner');
}

async function activeElementInfo(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    return {
      tag: e?.tagName ?? null,
      id: e?.id ?? '',
      text: (e?.textContent ?? '').trim().slice(0, 40),
      inBanner: Boolean(e?.closest('#consent-banner')),
      inDialog: Boolean(e?.closest('#consent-dialog')),
      documentHasFocus: document.hasFocus(),
    };
  });
}

describe('accept all from the banner', () => {
  for (const { js, label } of MODES) {
    test(label, async () => {
      const { context, page } = await visitor({ js });
      try {
        await page.goto(ANSWER);
        await banner(page).waitFor();
        assert.deepEqual(await serviceScripts(page), { insights: 0, campaigns: 0 }, 'no service script before consent');
        assert.equal((await cookieMap(context)).size, 0, 'no cookie before a decision');

        if (js) {
          const navigations = countNavigations(page);
          const posts = trackPosts(page);
          const reloaded = page.waitForEvent('load');
          await bannerButton(page, 'Accept all').click();
          await reloaded;
          await page.locator('html[data-insights="loaded"]').waitFor({ state: 'attached' });
          await page.locator('html[data-campaigns="loaded"]').waitFor({ state: 'attached' });
          await sleep(SETTLE_MS);
          assert.deepEqual(posts, SENT_WITH_FETCH, 'the choice is sent with fetch');
          assert.equal(navigations.n, 1, 'the page reloads exactly once after accepting');
          assert.equal(new URL(page.url()).pathname, ANSWER);
          assert.equal(
            await page.evaluate((n) => document.cookie.includes(`${n}=`), CONSENT_COOKIE),
            false,
            'the consent cookie is not readable by scripts',
          );
        } else {
          const response = await submitPlain(page, bannerButton(page, 'Accept all'));
          assert.equal(new URL(response.url()).pathname, ANSWER, 'back on the page the visitor was on');
        }

        await assertNoBanner(page);
        assert.deepEqual(await serviceScripts(page), { insights: 1, campaigns: 1 }, 'granted services are in the HTML');
        const cookies = await cookieMap(context);
        assertConsentCookie(cookies);
        if (js) {
          for (const name of SERVICE_COOKIES) assert.ok(cookies.has(name), `${name} set by its service script`);
        }
        // The decision holds on the next page too.
        await page.goto('/en/certifications/');
        await assertNoBanner(page);
        assert.deepEqual(await serviceScripts(page), { insights: 1, campaigns: 1 });
      } finally {
        await context.close();
      }
    });
  }
});

describe('reject all from the banner', () => {
  for (const { js, label } of MODES) {
    test(label, async () => {
      const { context, page } = await visitor({ js });
      try {
        await page.goto(ANSWER);
        await banner(page).waitFor();
        if (js) {
          const navigations = countNavigations(page);
          const posts = trackPosts(page);
          await page.evaluate(() => { window.__stillHere = 'yes'; });
          await bannerButton(page, 'Reject all').click();
          await banner(page).waitFor({ state: 'detached' });
          await sleep(SETTLE_MS);
          assert.deepEqual(posts, SENT_WITH_FETCH, 'the choice is sent with fetch');
          assert.equal(navigations.n, 0, 'no navigation: the banner goes without a reload');
          assert.equal(await page.evaluate(() => window.__stillHere), 'yes', 'the same document is still there');
          const focus = await activeElementInfo(page);
          assert.equal(focus.tag, 'MAIN', 'focus moves to the main content, not lost to <body>');
        } else {
          const response = await submitPlain(page, bannerButton(page, 'Reject all'));
          assert.equal(new URL(response.url()).pathname, ANSWER);
        }
        await assertNoBanner(page);
        assert.deepEqual(await serviceScripts(page), { insights: 0, campaigns: 0 }, 'no service script in the DOM');
        const cookies = await cookieMap(context);
        assertConsentCookie(cookies);
        for (const name of SERVICE_COOKIES) assert.ok(!cookies.has(name), `${name} is absent`);
        assert.equal(await page.locator('html[data-insights], html[data-campaigns]').count(), 0);

        // A new page load keeps the refusal.
        await page.reload();
        await assertNoBanner(page);
        assert.deepEqual(await serviceScripts(page), { insights: 0, campaigns: 0 });
      } finally {
        await context.close();
      }
    });
  }
});

describe('customize', () => {
  test('JavaScript on: a modal <dialog> that keeps focus, closes on Escape, and saves a choice', async () => {
    const { context, page } = await visitor({ js: true });
    try {
      await page.goto(ANSWER);
      const customize = banner(page).getByRole('link', { name: 'Customize' });
      await customize.click();
      assert.equal(await dialog(page).getAttribute('open'), '', 'the dialog is open');
      assert.equal(await page.evaluate(() => document.querySelector('#consent-dialog').matches(':modal')), true, 'modal');
      assert.equal(new URL(page.url()).pathname, ANSWER, 'no navigation to the settings page');
      let focus = await activeElementInfo(page);
      assert.ok(focus.inDialog, `focus is inside the dialog, not on ${JSON.stringify(focus)}`);
      const first = focus.id;
      assert.equal(first, 'dialog-category-preferences');
      assert.equal(await dialog(page).locator('input[type=checkbox]:checked').count(), 0, 'nothing pre-ticked');

      // Tab goes round inside the dialog. A native modal dialog lets focus step out to the
      // browser's own UI after its last control (document.hasFocus() is then false), but it
      // never reaches the page behind it, and the next Tab comes back into the dialog.
      const focusables = await dialog(page).locator('input, button, a[href]').count();
      const seen = [];
      for (let i = 0; i < focusables + 3; i += 1) {
        await page.keyboard.press('Tab');
        focus = await activeElementInfo(page);
        seen.push(focus);
        if (focus.documentHasFocus) {
          assert.ok(focus.inDialog, `Tab ${i + 1} left the dialog for the page: ${JSON.stringify(focus)}`);
        }
      }
      assert.ok(seen.some((f) => f.id === first && f.documentHasFocus), 'Tab comes back round to the first control');
      assert.ok(seen.some((f) => f.text === 'Close'), 'the Close button is reachable');

      // Shift+Tab stays inside too.
      await dialog(page).locator(`#${first}`).focus();
      for (let i = 0; i < 3; i += 1) {
        await page.keyboard.press('Shift+Tab');
        focus = await activeElementInfo(page);
        if (focus.documentHasFocus) assert.ok(focus.inDialog, `Shift+Tab left the dialog: ${JSON.stringify(focus)}`);
      }

      await page.keyboard.press('Escape');
      assert.equal(await dialog(page).getAttribute('open'), null, 'Escape closes the dialog');
      await page.waitForFunction(() => document.activeElement?.id === 'consent-customize');
      focus = await activeElementInfo(page);
      assert.equal(focus.id, 'consent-customize', 'focus returns to the Customize link');

      // Analytics only.
      await customize.click();
      await dialog(page).getByLabel('Allow: Analytics').check();
      const navigations = countNavigations(page);
      const posts = trackPosts(page);
      const reloaded = page.waitForEvent('load');
      await dialog(page).getByRole('button', { name: 'Save my choices' }).click();
      await reloaded;
      await page.locator('html[data-insights="loaded"]').waitFor({ state: 'attached' });
      await sleep(SETTLE_MS);
      assert.deepEqual(posts, SENT_WITH_FETCH, 'the choice is sent with fetch');
      assert.equal(navigations.n, 1, 'one reload, so the granted script loads');
      assert.equal(await page.locator('html[data-campaigns]').count(), 0, 'the marketing service did not run');
      await assertNoBanner(page);
      assert.deepEqual(await serviceScripts(page), { insights: 1, campaigns: 0 }, 'only the analytics service');
      const cookies = await cookieMap(context);
      assertConsentCookie(cookies);
      assert.ok(cookies.has('cw_insights'));
      assert.ok(!cookies.has('cw_campaign'));
    } finally {
      await context.close();
    }
  });

  test('JavaScript off: Customize leads to the settings page, a plain form', async () => {
    const { context, page } = await visitor({ js: false });
    try {
      await page.goto(ANSWER);
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        banner(page).getByRole('link', { name: 'Customize' }).click(),
      ]);
      const url = new URL(page.url());
      assert.equal(url.pathname, '/en/cookies');
      assert.equal(url.searchParams.get('return_to'), ANSWER);
      const form = settingsForm(page);
      for (const name of ['Necessary', 'Preferences', 'Analytics', 'Marketing']) {
        assert.equal(await form.getByRole('group', { name, exact: true }).count(), 1, `category ${name} is listed`);
      }
      for (const service of ['Example Insights', 'Example Campaigns']) {
        assert.equal(await form.getByRole('rowheader', { name: service }).count(), 1, `service ${service} is listed`);
      }
      assert.equal(await form.locator('input[type=checkbox]').count(), 3);
      assert.equal(await form.locator('input[type=checkbox]:checked').count(), 0, 'nothing is pre-ticked');

      await form.getByLabel('Allow: Analytics').check();
      const response = await submitPlain(page, form.getByRole('button', { name: 'Save my choices' }));
      assert.equal(new URL(response.url()).pathname, ANSWER, 'back to the page the visitor came from');
      await assertNoBanner(page);
      assert.deepEqual(await serviceScripts(page), { insights: 1, campaigns: 0 }, 'only the analytics service');
      assertConsentCookie(await cookieMap(context));

      // The settings page now shows the choice.
      await page.goto('/en/cookies');
      assert.equal(await settingsForm(page).getByLabel('Allow: Analytics').isChecked(), true);
      assert.equal(await settingsForm(page).getByLabel('Allow: Marketing').isChecked(), false);
      assert.equal(await settingsForm(page).getByLabel('Allow: Preferences').isChecked(), false);
    } finally {
      await context.close();
    }
  });
});

describe('withdraw', () => {
  for (const { js, label } of MODES) {
    test(label, async () => {
      const { context, page } = await visitor({ js });
      try {
        await page.goto(ANSWER);
        if (js) {
          const reloaded = page.waitForEvent('load');
          await bannerButton(page, 'Accept all').click();
          await reloaded;
          await page.locator('html[data-insights="loaded"]').waitFor({ state: 'attached' });
          await page.locator('html[data-campaigns="loaded"]').waitFor({ state: 'attached' });
        } else {
          await submitPlain(page, bannerButton(page, 'Accept all'));
          // The service scripts cannot run without JavaScript; put their cookies where
          // they would have put them.
          await context.addCookies(
            SERVICE_COOKIES.map((name) => ({ name, value: '1', url: `${server.baseURL}/`, sameSite: 'Lax' })),
          );
        }
        let cookies = await cookieMap(context);
        for (const name of SERVICE_COOKIES) assert.ok(cookies.has(name), `${name} is set before withdrawing`);
        assert.deepEqual(await serviceScripts(page), { insights: 1, campaigns: 1 });

        // One link in the footer.
        const link = page.locator('footer').getByRole('link', { name: 'Cookie settings' });
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
        assert.equal(new URL(page.url()).pathname, '/en/cookies');
        assert.equal(new URL(page.url()).searchParams.get('return_to'), ANSWER);
        const withdraw = settingsForm(page).getByRole('button', { name: 'Withdraw consent' });
        if (js) {
          const posts = trackPosts(page);
          const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/consent');
          const reloaded = page.waitForEvent('load');
          await withdraw.click();
          const res = await posted;
          const expired = (await res.headersArray()).filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
          for (const name of SERVICE_COOKIES) {
            assert.ok(expired.some((v) => v.startsWith(`${name}=;`) && /Max-Age=0/i.test(v)), `${name} expired with Max-Age=0: ${expired.join(' | ')}`);
          }
          await reloaded;
          await sleep(SETTLE_MS);
          assert.deepEqual(posts, SENT_WITH_FETCH, 'the choice is sent with fetch');
          assert.equal(new URL(page.url()).pathname, '/en/cookies', 'the settings page reloads');
        } else {
          const response = await submitPlain(page, withdraw);
          assert.equal(new URL(response.url()).pathname, ANSWER, 'back to the page the visitor came from');
        }
        cookies = await cookieMap(context);
        for (const name of SERVICE_COOKIES) assert.ok(!cookies.has(name), `${name} is gone after withdrawing`);
        assertConsentCookie(cookies);
        assert.deepEqual(await serviceScripts(page), { insights: 0, campaigns: 0 }, 'service scripts are gone');
        await assertNoBanner(page);

        await page.goto(ANSWER);
        assert.deepEqual(await serviceScripts(page), { insights: 0, campaigns: 0 });
        await assertNoBanner(page);
        if (js) {
          await sleep(SETTLE_MS);
          cookies = await cookieMap(context);
          for (const name of SERVICE_COOKIES) assert.ok(!cookies.has(name), `${name} stays gone`);
        }
      } finally {
        await context.close();
      }
    });
  }
});

/** A selector for every element that would load something from `origin`. */
const loadsFrom = (origin) =>
  ['script[src', 'iframe[src', 'img[src', 'link[href', 'source[src', 'embed[src', 'object[data']
    .map((a) => `${a}^="${origin}"]`)
    .join(', ');

describe('no third-party request before consent', () => {
  let thirdParty;
  before(async () => {
    // The analytics service lives on another origin: localhost:PORT, while the pages are
    // on 127.0.0.1:PORT (same server, different origin).
    thirdParty = await startServer({
      siteToml(text, port) {
        const from = `script_src = "${INSIGHTS}"\nhosts = []`;
        assert.ok(text.includes(from), 'site.toml has the insights service as the test expects');
        return text.replace(from, `script_src = "http://localhost:${port}${INSIGHTS}"\nhosts = ["http://localhost:${port}"]`);
      },
    });
  });
  after(async () => {
    await thirdParty?.stop();
  });

  test('JavaScript on: nothing from another origin until analytics is granted, then the service loads', async () => {
    const foreign = `http://localhost:${thirdParty.port}`;
    const own = thirdParty.baseURL;
    const { context, page } = await newPage(browser, thirdParty, { js: true });
    context.setDefaultTimeout(10_000);
    try {
      const requests = [];
      const documents = [];
      page.on('request', (r) => requests.push(r));
      page.on('response', (r) => {
        if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) documents.push(r);
      });

      for (const path of ['/en/', ANSWER, '/en/cookies']) {
        const res = await page.goto(path, { waitUntil: 'networkidle' });
        const csp = res.headers()['content-security-policy'];
        assert.ok(csp, 'a CSP header');
        assert.ok(!csp.includes(foreign), `before consent the CSP of ${path} does not allow ${foreign}: ${csp}`);
      }
      await page.goto(ANSWER, { waitUntil: 'networkidle' });
      const before = requests.map((r) => r.url());
      const offsite = before.filter((u) => new URL(u).origin !== own);
      assert.deepEqual(offsite, [], 'no request to another origin before consent');
      assert.ok(!before.some((u) => u.startsWith(foreign)));
      assert.equal(await page.locator(loadsFrom(foreign)).count(), 0);

      // Grant analytics only, in the dialog.
      await banner(page).getByRole('link', { name: 'Customize' }).click();
      await dialog(page).getByLabel('Allow: Analytics').check();
      documents.length = 0;
      const reloaded = page.waitForEvent('load');
      await dialog(page).getByRole('button', { name: 'Save my choices' }).click();
      await reloaded;
      await page.locator('html[data-insights="loaded"]').waitFor({ state: 'attached' });

      const script = requests.find((r) => r.url() === `${foreign}${INSIGHTS}`);
      assert.ok(script, `the granted service's script was requested from ${foreign}`);
      assert.equal((await script.response())?.status(), 200);
      assert.ok(documents.length > 0);
      const csp = documents.at(-1).headers()['content-security-policy'];
      const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src '));
      assert.ok(scriptSrc.split(/\s+/).includes(foreign), `after consent script-src allows ${foreign}: ${csp}`);
      const cookies = await cookieMap(context);
      assert.ok(cookies.has('cw_insights'), 'the service ran');
      // Only the granted service's origin, nothing else.
      const origins = new Set(requests.map((r) => new URL(r.url()).origin));
      assert.deepEqual([...origins].sort(), [own, foreign].sort());
      assert.equal(await page.locator('html[data-campaigns]').count(), 0);
    } finally {
      await context.close();
    }
  });

  test('JavaScript off: the HTML names no other origin before consent', async () => {
    const foreign = `http://localhost:${thirdParty.port}`;
    const { context, page } = await newPage(browser, thirdParty, { js: false });
    context.setDefaultTimeout(10_000);
    try {
      const requests = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(ANSWER);
      // (The settings table in the dialog names the host as text; no element loads from it.)
      assert.equal(await page.locator(loadsFrom(foreign)).count(), 0, 'nothing in the HTML loads from the service origin');
      assert.deepEqual(requests.filter((u) => new URL(u).origin !== thirdParty.baseURL), []);
      await submitPlain(page, bannerButton(page, 'Accept all'));
      assert.equal(await page.locator(`script[src="${foreign}${INSIGHTS}"]`).count(), 1, 'granted: the script is in the HTML');
    } finally {
      await context.close();
    }
  });
});

describe('Global Privacy Control', () => {
  for (const { js, label } of MODES) {
    test(label, async () => {
      const { context, page } = await visitor({ js, extraHTTPHeaders: { 'Sec-GPC': '1' } });
      try {
        for (const path of ['/en/', ANSWER, '/en/certifications/md-102']) {
          await page.goto(path);
          await assertNoBanner(page);
          assert.deepEqual(await serviceScripts(page), { insights: 0, campaigns: 0 }, `no service on ${path}`);
        }
        await page.goto('/en/cookies');
        await assertNoBanner(page);
        assert.equal(
          await settingsForm(page).locator('.notice', { hasText: 'Global Privacy Control' }).count(),
          1,
          'the settings page says the signal is honoured',
        );
        if (js) await sleep(SETTLE_MS);
        assert.deepEqual(await context.cookies(), [], 'no cookie is written');

        // An explicit choice still counts.
        const accept = settingsForm(page).getByRole('button', { name: 'Accept all' });
        if (js) {
          const reloaded = page.waitForEvent('load');
          await accept.click();
          await reloaded;
          await page.locator('html[data-insights="loaded"]').waitFor({ state: 'attached' });
        } else {
          const response = await submitPlain(page, accept);
          assert.equal(new URL(response.url()).pathname, '/en/');
        }
        assertConsentCookie(await cookieMap(context));
        await page.goto(ANSWER);
        await assertNoBanner(page);
        assert.deepEqual(await serviceScripts(page), { insights: 1, campaigns: 1 });
      } finally {
        await context.close();
      }
    });
  }
});

describe('keyboard only', () => {
  for (const { js, label } of MODES) {
    test(`${label}: the skip link, then the banner, come first; Reject all with Enter`, async () => {
      const { context, page } = await visitor({ js });
      try {
        await page.goto(ANSWER);
        const region = page.getByRole('region', { name: BANNER_TITLE });
        assert.equal(await region.count(), 1, 'the banner is a region landmark named by its heading');
        assert.equal(await region.getAttribute('id'), 'consent-banner');
        assert.equal(await region.evaluate((e) => e.tagName), 'SECTION');
        assert.equal(await region.getAttribute('aria-modal'), null, 'not a modal');
        assert.equal(await page.getByRole('dialog').filter({ visible: true }).count(), 0, 'no dialog on load');
        assert.deepEqual(
          await page.evaluate(() => [...document.body.children].slice(0, 2).map((e) => e.className || e.id)),
          ['skip', 'consent-banner'],
          'the skip link is the first thing in <body>, the banner the second',
        );

        const order = [];
        for (let i = 0; i < 5; i += 1) {
          await page.keyboard.press('Tab');
          order.push(await activeElementInfo(page));
        }
        assert.equal(order[0].text, 'Skip to content', `the first Tab lands on the skip link, not on ${JSON.stringify(order[0])}`);
        assert.deepEqual(order.slice(1).map((f) => f.text), ['Privacy notice', 'Accept all', 'Reject all', 'Customize']);
        assert.ok(order.slice(1).every((f) => f.inBanner), 'then the banner, whole');

        await page.keyboard.press('Shift+Tab');
        assert.equal((await activeElementInfo(page)).text, 'Reject all');
        if (js) {
          const navigations = countNavigations(page);
          const posts = trackPosts(page);
          await page.keyboard.press('Enter');
          await banner(page).waitFor({ state: 'detached' });
          await sleep(SETTLE_MS);
          assert.deepEqual(posts, SENT_WITH_FETCH, 'the choice is sent with fetch');
          assert.equal(navigations.n, 0, 'no reload after rejecting');
          assert.equal((await activeElementInfo(page)).tag, 'MAIN', 'focus goes to the main content');
        } else {
          const response = await pressPlain(page, 'Enter');
          assert.equal(new URL(response.url()).pathname, ANSWER);
        }
        await assertNoBanner(page);
        assert.deepEqual(await serviceScripts(page), { insights: 0, campaigns: 0 });
        assertConsentCookie(await cookieMap(context));
        // Where the keyboard goes next: with JavaScript the focus was moved to <main>, so
        // Tab continues inside it; after the plain form's redirect the new page starts at
        // its top, with the skip link.
        await page.keyboard.press('Tab');
        const next = await activeElementInfo(page);
        if (js) {
          assert.ok(await page.evaluate(() => Boolean(document.activeElement?.closest('main'))), `Tab continues in <main>; got ${JSON.stringify(next)}`);
        } else {
          assert.equal(next.text, 'Skip to content', `Tab starts at the skip link; got ${JSON.stringify(next)}`);
        }
      } finally {
        await context.close();
      }
    });

    test(`${label}: Customize with Enter`, async () => {
      const { context, page } = await visitor({ js });
      try {
        await page.goto(ANSWER);
        // The skip link, the privacy notice, Accept all, Reject all, then Customize.
        for (let i = 0; i < 5; i += 1) await page.keyboard.press('Tab');
        assert.equal((await activeElementInfo(page)).id, 'consent-customize');
        if (js) {
          await page.keyboard.press('Enter');
          await page.locator('#consent-dialog[open]').waitFor();
          assert.ok((await activeElementInfo(page)).inDialog, 'focus moves into the dialog');
          // Tick Analytics and save, all with the keyboard.
          await page.keyboard.press('Tab'); // preferences -> analytics
          assert.equal((await activeElementInfo(page)).id, 'dialog-category-analytics');
          await page.keyboard.press('Space');
          assert.equal(await page.locator('#dialog-category-analytics').isChecked(), true);
          await page.keyboard.press('Escape');
          assert.equal(await dialog(page).getAttribute('open'), null);
          await page.waitForFunction(() => document.activeElement?.id === 'consent-customize');
          await page.keyboard.press('Enter');
          await page.locator('#consent-dialog[open]').waitFor();
          // Preferences, Analytics, Marketing, then Save my choices.
          for (let i = 0; i < 3; i += 1) await page.keyboard.press('Tab');
          assert.equal((await activeElementInfo(page)).text, 'Save my choices');
          const reloaded = page.waitForEvent('load');
          await page.keyboard.press('Enter');
          await reloaded;
          await page.locator('html[data-insights="loaded"]').waitFor({ state: 'attached' });
          assert.deepEqual(await serviceScripts(page), { insights: 1, campaigns: 0 });
        } else {
          await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
          assert.equal(new URL(page.url()).pathname, '/en/cookies');
        }
      } finally {
        await context.close();
      }
    });
  }
});

describe('accept and reject have equal weight', () => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    for (const { js, label } of MODES) {
      test(`${label}, ${viewport.width}×${viewport.height}`, async () => {
        const { context, page } = await visitor({ js, viewport });
        try {
          for (const path of [ANSWER, '/en/cookies']) {
            await page.goto(path);
            // The settings page is the whole choice, so it has no banner of its own.
            const scopes = path === '/en/cookies' ? [['settings form', settingsForm(page)]] : [['banner', banner(page)]];
            for (const [where, scope] of scopes) {
              const accept = scope.getByRole('button', { name: 'Accept all', exact: true });
              const reject = scope.getByRole('button', { name: 'Reject all', exact: true });
              const describeButton = (e) => {
                const s = getComputedStyle(e);
                return {
                  tag: e.tagName,
                  type: e.getAttribute('type'),
                  className: e.className,
                  style: [s.backgroundColor, s.color, s.fontSize, s.fontWeight, s.borderTopWidth, s.borderTopColor, s.paddingTop, s.paddingLeft].join(' '),
                };
              };
              const [a, r] = [await accept.evaluate(describeButton), await reject.evaluate(describeButton)];
              assert.equal(a.tag, 'BUTTON', `${where} on ${path}`);
              assert.equal(r.tag, 'BUTTON');
              assert.equal(a.type, r.type);
              assert.equal(a.className, r.className, `${where} on ${path}: same class`);
              assert.equal(a.style, r.style, `${where} on ${path}: same computed look`);
              const [ba, br] = [await accept.boundingBox(), await reject.boundingBox()];
              assert.ok(Math.abs(ba.width - br.width) <= 1, `${where} on ${path}: widths ${ba.width} vs ${br.width}`);
              assert.ok(Math.abs(ba.height - br.height) <= 1, `${where} on ${path}: heights ${ba.height} vs ${br.height}`);
            }
          }
        } finally {
          await context.close();
        }
      });
    }
  }
});

describe('small screens', () => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 320, height: 640 }]) {
    test(`the banner and the open dialog fit ${viewport.width}×${viewport.height}`, async () => {
      const { context, page } = await visitor({ js: true, viewport });
      try {
        await page.goto(ANSWER);
        const bannerBox = await banner(page).boundingBox();
        assert.ok(bannerBox.x >= 0 && bannerBox.x + bannerBox.width <= viewport.width + 1, `banner ${JSON.stringify(bannerBox)}`);
        for (const name of ['Accept all', 'Reject all']) {
          const box = await bannerButton(page, name).boundingBox();
          assert.ok(box.x + box.width <= viewport.width, `${name} is on screen: ${JSON.stringify(box)}`);
        }
        await banner(page).getByRole('link', { name: 'Customize' }).click();
        await page.locator('#consent-dialog[open]').waitFor();
        const fit = await dialog(page).evaluate((d) => {
          const r = d.getBoundingClientRect();
          return { left: r.left, right: r.right, scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, viewport: window.innerWidth };
        });
        // A fixed-position dialog wider than the screen cannot be scrolled into view: what
        // sticks out on the right (its border, its scrollbar, the ends of its tables) is lost.
        assert.ok(fit.left >= 0 && fit.right <= fit.viewport, `the dialog lies within the screen: ${JSON.stringify(fit)}`);
        assert.ok(fit.scrollWidth <= fit.clientWidth + 1, `the dialog's content needs no sideways scrolling: ${JSON.stringify(fit)}`);
      } finally {
        await context.close();
      }
    });
  }
});

describe('axe-core: zero violations (WCAG 2.0/2.1/2.2 A and AA)', () => {
  const pages = [
    ['/en/', 200],
    ['/en/answers/', 200],
    [ANSWER, 200],
    ['/en/certifications/', 200],
    ['/en/certifications/md-102', 200],
    ['/en/courses/md-102-endpoint-administrator', 200],
    ['/en/topics/md-102', 200],
    ['/en/experts/andrea-keller', 200],
    ['/en/cookies', 200],
    ['/en/no-such-page', 404],
  ];
  for (const [path, status] of pages) {
    const what = path === '/en/cookies' ? 'undecided (the settings form, no banner)' : 'with the banner';
    test(`${path} ${what}`, async () => {
      const { context, page } = await visitor({ js: true });
      try {
        const res = await page.goto(path);
        assert.equal(res.status(), status);
        if (path === '/en/cookies') await settingsForm(page).waitFor();
        else await banner(page).waitFor();
        await assertNoAxeViolations(page, `${path} with the banner`);
      } finally {
        await context.close();
      }
    });
  }

  test('the settings page after a decision (withdraw button shown)', async () => {
    const { context, page } = await visitor({ js: true });
    try {
      await page.goto('/en/cookies');
      const reloaded = page.waitForEvent('load');
      await settingsForm(page).getByRole('button', { name: 'Accept all' }).click();
      await reloaded;
      await page.goto('/en/cookies');
      await settingsForm(page).getByRole('button', { name: 'Withdraw consent' }).waitFor();
      await assertNoAxeViolations(page, 'the settings page, decided');
    } finally {
      await context.close();
    }
  });

  test('an answer page after accepting all (no banner)', async () => {
    const { context, page } = await visitor({ js: true });
    try {
      await page.goto(ANSWER);
      const reloaded = page.waitForEvent('load');
      await bannerButton(page, 'Accept all').click();
      await reloaded;
      await assertNoBanner(page);
      await assertNoAxeViolations(page, 'the answer page, decided');
    } finally {
      await context.close();
    }
  });

  test('the open dialog', async () => {
    const { context, page } = await visitor({ js: true });
    try {
      await page.goto(ANSWER);
      await banner(page).getByRole('link', { name: 'Customize' }).click();
      await page.locator('#consent-dialog[open]').waitFor();
      await assertNoAxeViolations(page, 'the open dialog');
    } finally {
      await context.close();
    }
  });
});

describe('screenshots (artifacts/)', () => {
  test('banner, dialog, settings page, mobile banner', async () => {
    const desktop = await visitor({ js: true, viewport: { width: 1280, height: 900 } });
    try {
      const { page } = desktop;
      await page.goto(ANSWER);
      await banner(page).waitFor();
      await screenshot(page, 'banner.png');
      await banner(page).getByRole('link', { name: 'Customize' }).click();
      await page.locator('#consent-dialog[open]').waitFor();
      await screenshot(page, 'dialog.png');
      await page.goto('/en/cookies');
      await screenshot(page, 'cookies-page.png', { fullPage: true });
    } finally {
      await desktop.context.close();
    }
    const mobile = await visitor({ js: true, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      const { page } = mobile;
      await page.goto(ANSWER);
      await banner(page).waitFor();
      await screenshot(page, 'banner-mobile.png');
      await banner(page).getByRole('link', { name: 'Customize' }).click();
      await page.locator('#consent-dialog[open]').waitFor();
      await screenshot(page, 'dialog-mobile.png');
    } finally {
      await mobile.context.close();
    }
  });
});
