// Every page type at a desktop and a phone width, before and after a consent decision:
// full-page screenshots into artifacts/screenshots/<page>-<width>-<undecided|decided>.png,
// and the layout checks that fail the test:
//
// - nothing overflows the viewport horizontally: the document is no wider than the
//   viewport, and no element or text sticks out beyond its right edge (what lies inside an
//   element that scrolls or clips sideways on purpose — an `overflow-x: auto` table wrapper
//   — is that element's business; the wrapper itself must fit);
// - no exam code (MD-102, SAA-C03, …) is broken over two lines anywhere in the visible page;
// - the page answers the status its page type has, and carries the consent banner exactly
//   when it should: before a decision, on every HTML page but the settings page itself;
// - on the phone, the banner takes at most a quarter of the first screen;
// - the language switcher has a link per locale (the site runs with en, de and fr), one of
//   them current, each at least 24×24 px, and on the phone it shares the brand's row.
//
// The page types are tests/page_types.rs's PAGES plus the pages being added
// (harness.mjs, EXTRA_PAGES). Every problem of a page is listed in one failure, with the
// page, the viewport, the state and the element.
//
// Run: `node --test tests/browser/layout.test.mjs` (after `cargo build`), or the whole
// browser suite with `cargo test --test suites browser`. One page type:
// `node --test --test-name-pattern=certification_retiring tests/browser/layout.test.mjs`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { ARTIFACTS, launchBrowser, newContext, pageTypes, screenshot, startServer, threeLocales } from './harness.mjs';

const SCREENSHOTS = 'screenshots';
const VIEWPORTS = [
  { width: 1280, height: 900, phone: false },
  { width: 390, height: 844, phone: true },
];
const STATES = ['undecided', 'decided'];
const CONSENT_COOKIE = 'cw_consent';
/** The share of the phone's first screen the banner may take. */
const BANNER_SHARE = 0.25;
/** At most this many offending elements are named per check (the count says how many more). */
const MAX_LISTED = 12;

const PAGES = pageTypes();

let server;
let browser;

before(async () => {
  // A picture of a page type that is no longer listed is removed; the others are replaced
  // as their tests run (and kept when a name pattern leaves them out). Only this file's
  // pictures (`<page>-<width>-<state>.png`) are its business: other tests' stay.
  const current = new Set(
    PAGES.flatMap(({ name }) => VIEWPORTS.flatMap(({ width }) => STATES.map((state) => `${name}-${width}-${state}.png`))),
  );
  const dir = path.join(ARTIFACTS, SCREENSHOTS);
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const ours = /^[a-z0-9_]+-\d+-(undecided|decided)\.png$/.test(file);
    if (ours && !current.has(file)) fs.rmSync(path.join(dir, file), { force: true });
  }
  // Three locales, so that every page has the language switcher to lay out.
  const [s, b] = await Promise.allSettled([startServer({ siteToml: threeLocales }), launchBrowser()]);
  server = s.value;
  browser = b.value;
  for (const r of [s, b]) if (r.status === 'rejected') throw r.reason;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * Decides through the real banner form: "Reject all" on the home page, then waits for the
 * consent cookie. Every later page of the context is a decided visitor's.
 */
async function decide(context) {
  const page = await context.newPage();
  try {
    await page.goto('/en/');
    const banner = page.locator('#consent-banner');
    await banner.getByRole('button', { name: 'Reject all', exact: true }).click();
    const deadline = Date.now() + 10_000;
    while (!(await context.cookies()).some((c) => c.name === CONSENT_COOKIE)) {
      if (Date.now() > deadline) throw new Error(`no ${CONSENT_COOKIE} cookie 10 s after clicking "Reject all" on /en/`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await banner.waitFor({ state: 'hidden' });
  } finally {
    await page.close();
  }
}

/**
 * Runs in the page: everything that sticks out beyond the right edge of a viewport `width`
 * wide. Returns the document's widths and the offending elements, outermost first: an
 * element is named when its box or one of its own lines of text reaches past the edge and
 * its parent's does not — the element that starts the overflow, not all its descendants.
 * Inside an element whose `overflow-x` is not `visible` (auto, scroll: it scrolls on
 * purpose; hidden, clip) nothing is counted: that element contains it. `html` and `body`
 * are never such a container, since their overflow is the viewport's.
 */
function measureOverflow(width) {
  const EPSILON = 0.5; // sub-pixel layout
  const root = document.documentElement;
  const describe = (el) => {
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
  const contained = new Map();
  const isContained = (el) => {
    // true when an ancestor below body (not the element itself) clips or scrolls sideways
    for (let a = el.parentElement; a && a !== document.body && a !== root; a = a.parentElement) {
      if (contained.has(a)) return contained.get(a);
      if (getComputedStyle(a).overflowX !== 'visible') {
        contained.set(a, true);
        return true;
      }
    }
    return false;
  };
  const offenders = new Map(); // element -> { right, text? }
  const all = document.body ? document.body.querySelectorAll('*') : [];
  for (const el of [document.body, ...all]) {
    if (!el || isContained(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + EPSILON) offenders.set(el, { right: r.right, left: r.left, width: r.width });
  }
  // Text that runs out of a box that itself fits (a long word with nowhere to break).
  const walker = document.createTreeWalker(document.body ?? root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.data.trim() || offenders.has(el) || isContained(el)) continue;
    // Text in an element that clips it (a visually hidden label) is that element's business.
    if (el !== document.body && getComputedStyle(el).overflowX !== 'visible') continue;
    range.selectNodeContents(node);
    const right = Math.max(...[...range.getClientRects()].map((r) => r.right), -Infinity);
    if (right > width + EPSILON) {
      offenders.set(el, { right, text: node.data.trim().replace(/\s+/g, ' ').slice(0, 60) });
    }
  }
  const outermost = [...offenders].filter(([el]) => {
    for (let a = el.parentElement; a; a = a.parentElement) if (offenders.has(a)) return false;
    return true;
  });
  const report = (list) => {
    // One line per selector and place: a grid of eight <dd> that stick out is one finding.
    const lines = new Map();
    for (const [el, o] of list) {
      const line = {
        element: describe(el),
        right: Math.round(o.right * 10) / 10,
        box: o.text === undefined ? `left ${Math.round(o.left)}, width ${Math.round(o.width)}` : undefined,
        text: o.text,
        position: getComputedStyle(el).position,
        whiteSpace: getComputedStyle(el).whiteSpace,
      };
      const key = JSON.stringify([line.element, line.right, line.box]);
      if (lines.has(key)) lines.get(key).count += 1;
      else lines.set(key, { ...line, count: 1 });
    }
    return [...lines.values()];
  };
  // What usually makes the outermost ones too wide: text that may not wrap, anywhere inside.
  const unwrappable = [...offenders].filter(([el]) => /^(nowrap|pre)$/.test(getComputedStyle(el).whiteSpace));
  return {
    scrollWidth: root.scrollWidth,
    innerWidth: window.innerWidth,
    clientWidth: root.clientWidth,
    total: offenders.size,
    offenders: report(outermost),
    unwrappable: report(unwrappable),
  };
}

/**
 * Runs in the page: every exam code in the visible text whose characters lie on more than one
 * line. A code is `[A-Z]{2,4}-` then an optional letter and 2 to 4 digits, then letters or
 * digits (MD-102, AZ-104, SAA-C03, CLF-C02). Text that is not rendered (display: none,
 * visibility: hidden, content-visibility, inside script/style/template) or only there for
 * screen readers (clipped to a pixel) is not looked at.
 */
function measureCodeWraps() {
  const CODE = /\b[A-Z]{2,4}-[A-Z]?\d{2,4}[A-Z0-9]*\b/g;
  const describe = (el) => {
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
  const screenReaderOnly = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      const r = e.getBoundingClientRect();
      if (s.clip === 'rect(0px, 0px, 0px, 0px)' || s.clipPath === 'inset(50%)') return true;
      if (s.overflow !== 'visible' && (r.width <= 1 || r.height <= 1)) return true;
    }
    return false;
  };
  const wraps = [];
  let checked = 0;
  const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, template, noscript, title')) continue;
    CODE.lastIndex = 0;
    const matches = [...node.data.matchAll(CODE)];
    if (matches.length === 0) continue;
    if (!el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }) || screenReaderOnly(el)) continue;
    for (const m of matches) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0);
      checked += 1;
      // Boxes on one line share (nearly) one top; a new line starts at least half a box lower.
      const tops = [];
      for (const r of [...rects].sort((a, b) => a.top - b.top)) {
        if (tops.length === 0 || r.top - tops[tops.length - 1].top > r.height / 2) tops.push(r);
      }
      if (tops.length > 1) {
        const before = node.data.slice(Math.max(0, m.index - 30), m.index).replace(/\s+/g, ' ');
        const afterText = node.data.slice(m.index + m[0].length, m.index + m[0].length + 30).replace(/\s+/g, ' ');
        wraps.push({
          code: m[0],
          lines: tops.length,
          // what of the code is on each line
          parts: tops.map((t) => {
            const same = rects.filter((r) => Math.abs(r.top - t.top) <= t.height / 2);
            return `${Math.round(Math.min(...same.map((r) => r.left)))}..${Math.round(Math.max(...same.map((r) => r.right)))} at top ${Math.round(t.top + window.scrollY)}`;
          }),
          element: describe(el),
          context: `…${before}[${m[0]}]${afterText}…`,
        });
      }
    }
  }
  return { checked, wraps };
}

/** Runs in the page: the language switcher's links and whether it sits on the brand's row. */
function languageSwitcher() {
  const nav = document.querySelector('header.site nav.languages');
  if (!nav) return null;
  const brand = document.querySelector('header.site .brand').getBoundingClientRect();
  const box = nav.getBoundingClientRect();
  return {
    links: [...nav.querySelectorAll('a')].map((a) => {
      const r = a.getBoundingClientRect();
      return { text: a.textContent.trim(), width: r.width, height: r.height, current: a.getAttribute('aria-current') === 'true' };
    }),
    besideBrand: box.top < brand.bottom && box.bottom > brand.top,
  };
}

/** What is on the page about consent, and the banner's box. */
function consentState() {
  const banner = document.getElementById('consent-banner');
  const box = banner?.getBoundingClientRect();
  return {
    contentType: document.contentType,
    banner: Boolean(banner && banner.checkVisibility()),
    bannerBox: box ? { top: box.top + window.scrollY, height: box.height, width: box.width } : null,
    settingsPage: Boolean(document.querySelector('main form.consent-settings')),
  };
}

const describeOffender = (o) =>
  `${o.element}${o.count > 1 ? ` (×${o.count})` : ''} reaches x = ${o.right}` +
  (o.text !== undefined ? `, its text "${o.text}"` : ` (${o.box})`) +
  (o.position !== 'static' ? `, position: ${o.position}` : '') +
  (/^(nowrap|pre)$/.test(o.whiteSpace) ? `, white-space: ${o.whiteSpace}` : '');

const list = (items, show) => {
  const shown = items.slice(0, MAX_LISTED).map(show);
  if (items.length > MAX_LISTED) shown.push(`… and ${items.length - MAX_LISTED} more`);
  return shown.map((s) => `      ${s}`).join('\n');
};

for (const viewport of VIEWPORTS) {
  for (const state of STATES) {
    describe(`layout at ${viewport.width}×${viewport.height}, ${state}`, () => {
      let context;
      before(async () => {
        context = await newContext(browser, server, {
          js: true,
          viewport: { width: viewport.width, height: viewport.height },
          // A phone: the viewport meta tag applies, touch, a phone's pixel density.
          ...(viewport.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
        });
        context.setDefaultTimeout(15_000);
        if (state === 'decided') await decide(context);
      });
      after(async () => {
        await context?.close();
      });

      for (const { name, path: url, status } of PAGES) {
        test(`${name} ${url}`, async (t) => {
          const where = `${name} (${url}) at ${viewport.width}×${viewport.height}, ${state}`;
          const page = await context.newPage();
          try {
            const problems = [];
            const response = await page.goto(url, { waitUntil: 'load' });
            await page.evaluate(() => document.fonts.ready);
            const file = `${SCREENSHOTS}/${name}-${viewport.width}-${state}.png`;
            await screenshot(page, file, { fullPage: true });

            if (response.status() !== status) {
              problems.push(
                `status ${response.status()}, expected ${status}` +
                  (status === 200 && response.status() === 404 ? ' — the page is not served (yet)' : '') +
                  ' (the layout checks below are of the page that was served)',
              );
            }

            const consent = await page.evaluate(consentState);
            const html = consent.contentType === 'text/html';
            if (html && state === 'undecided' && !consent.banner && !consent.settingsPage) {
              problems.push('no consent banner (#consent-banner), although this visitor has not decided');
            }
            if (html && state === 'undecided' && consent.banner && consent.settingsPage) {
              problems.push('the consent banner is shown on the consent settings page');
            }
            if (state === 'decided' && consent.banner) {
              problems.push('the consent banner is shown, although this visitor has decided (rejected all)');
            }
            if (viewport.phone && consent.banner) {
              const limit = Math.floor(viewport.height * BANNER_SHARE);
              const box = consent.bannerBox;
              if (box.height > limit) {
                problems.push(
                  `the consent banner is ${Math.round(box.height)} px high: more than ${BANNER_SHARE * 100} % of the ` +
                    `${viewport.height} px first screen (at most ${limit} px)`,
                );
              }
              if (box.top + Math.min(box.height, limit) > viewport.height) {
                problems.push(`the consent banner is not on the first screen (it starts at ${Math.round(box.top)} px)`);
              }
            }

            // The edge is the viewport's width, not innerWidth: on a phone Chromium zooms out
            // to show a page that overflows, and innerWidth grows with it (to 702 for a 500 px
            // box in a 390 px viewport). A document that is not HTML (the Markdown twin) has
            // no viewport meta tag to honour: the browser lays it out in a layout viewport of
            // its own choosing (980 px on a phone) that the site cannot change; it is measured
            // against that (clientWidth).
            let edge = viewport.width;
            if (!html) {
              edge = await page.evaluate(() => document.documentElement.clientWidth);
              t.diagnostic(`${consent.contentType}, not HTML: no consent banner expected; overflow measured against the browser's layout viewport, ${edge} px`);
            }
            const overflow = await page.evaluate(measureOverflow, edge);
            if (overflow.scrollWidth > edge || overflow.offenders.length > 0) {
              problems.push(
                `horizontal overflow: the document is ${overflow.scrollWidth} px wide in a ${edge} px viewport ` +
                  `(innerWidth ${overflow.innerWidth}, clientWidth ${overflow.clientWidth}); ` +
                  (overflow.offenders.length
                    ? `these elements start what sticks out past the right edge ` +
                      `(${overflow.total} element(s) in all, with their descendants):\n` +
                      list(overflow.offenders, describeOffender) +
                      (overflow.unwrappable.length
                        ? `\n    inside them, text that may not wrap (white-space: nowrap or pre), likely the cause:\n` +
                          list(overflow.unwrappable, describeOffender)
                        : '')
                    : 'no element box or text reaches past it (a pseudo-element, a margin or a transform does)'),
              );
            }

            if (html) {
              const switcher = await page.evaluate(languageSwitcher);
              if (!switcher) {
                problems.push('no language switcher (header.site nav.languages), although the site has three locales');
              } else {
                if (switcher.links.length !== 3) problems.push(`the language switcher has ${switcher.links.length} links, not 3`);
                if (switcher.links.filter((l) => l.current).length !== 1) problems.push('the language switcher marks not exactly one link current');
                for (const l of switcher.links.filter((x) => x.width < 24 || x.height < 24)) {
                  problems.push(`the language link "${l.text}" is ${Math.round(l.width)}×${Math.round(l.height)} px, under 24×24`);
                }
                if (viewport.phone && !switcher.besideBrand) problems.push('on the phone the language switcher is not on the brand\'s row');
              }
            }

            const codes = await page.evaluate(measureCodeWraps);
            if (codes.wraps.length > 0) {
              problems.push(
                `${codes.wraps.length} of ${codes.checked} exam code(s) broken over two or more lines:\n` +
                  list(codes.wraps, (w) => `${w.code} in ${w.element}, ${w.lines} lines (${w.parts.join(' / ')}): ${w.context}`),
              );
            }

            if (problems.length > 0) {
              assert.fail(`${where}: ${problems.length} problem(s) (screenshot: artifacts/${file})\n  - ${problems.join('\n  - ')}`);
            }
          } finally {
            await page.close();
          }
        });
      }
    });
  }
}
