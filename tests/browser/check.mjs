// Browser checks of built dateline sites: accessibility (axe-core), no
// horizontal scrolling on phones, visible keyboard focus, and privacy (every
// request stays on the local server); also counts the Nu Html Checker's
// results that run.sh passes in VNU_REPORTS.
//
//   node check.mjs NAME=BASE_URL=DIR [NAME=BASE_URL=DIR ...]
//
// BASE_URL serves DIR (a built site). The pages checked are picked from DIR:
// the first page of every kind (front, section, article, tag, author, the tag
// and author indexes, a standalone page, the 404 page), a second page of the
// front page when there is one, and the first article carrying each kind of
// rich content (table, code, footnotes, image, task list).
//
// Prints one line per check, `ok ...` or `FAIL ...` with the reasons, and
// ends with `N passed, N failed`. Exits 1 on any failure.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 360, height: 800 } };
const SCHEMES = ['light', 'dark'];
const FOCUS_STOPS = 60; // Tab presses per page for the focus check
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const sites = process.argv.slice(2).map((arg) => {
  const [name, base, ...rest] = arg.split('=');
  const dir = rest.join('=');
  if (!name || !base || !dir) throw new Error(`bad site argument ${arg}: want NAME=BASE_URL=DIR`);
  return { name, base: base.endsWith('/') ? base : `${base}/`, dir };
});
if (sites.length === 0) {
  console.error('usage: node check.mjs NAME=BASE_URL=DIR [...]');
  process.exit(2);
}

// ---- Page selection ----------------------------------------------------

function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.html')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function urlPath(dir, file) {
  const rel = relative(dir, file).split(sep).join('/');
  return rel === 'index.html' ? '' : rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel;
}

function pickPages(dir) {
  const byKind = new Map();
  const features = {
    table: /<table/,
    code: /<pre class="code"/,
    footnotes: /class="footnote-definition"/,
    image: /<figure class="article-image"|<div class="article-body">[\s\S]*<img/,
    'task list': /type="checkbox"/,
  };
  const featured = new Map();
  for (const file of htmlFiles(dir)) {
    const html = readFileSync(file, 'utf8');
    const kind = /<body class="kind-([a-z0-9-]+)"/.exec(html)?.[1];
    if (!kind) continue; // redirects and other non-theme pages
    const path = urlPath(dir, file);
    if (!byKind.has(kind)) byKind.set(kind, path);
    if (kind === 'front' && path === 'page/2/') byKind.set('front page 2', path);
    if (kind === 'author' && !featured.has('author photo') && /class="profile-photo"/.test(html)) {
      featured.set('author photo', path);
    }
    if (kind === 'article') {
      for (const [f, re] of Object.entries(features)) {
        if (!featured.has(f) && re.test(html)) featured.set(f, path);
      }
    }
  }
  const pages = [];
  const seen = new Set();
  const add = (label, path) => {
    if (path === undefined || seen.has(path)) return;
    seen.add(path);
    pages.push({ label, path });
  };
  for (const kind of ['front', 'front page 2', 'section', 'article', 'tag', 'author', 'tags', 'authors', 'page', '404']) {
    if (!byKind.has(kind)) console.log(`note: no ${kind} page in ${dir}`);
    add(kind, byKind.get(kind));
  }
  for (const [f, path] of featured) add(f === 'author photo' ? 'author with photo' : `article with ${f}`, path);
  return pages;
}

// ---- Reporting -----------------------------------------------------------

let passed = 0;
let failed = 0;
function report(ok, what, details = []) {
  if (ok) {
    passed += 1;
    console.log(`ok   ${what}`);
  } else {
    failed += 1;
    console.log(`FAIL ${what}`);
    for (const d of details) console.log(`       ${d}`);
  }
}

function describeViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`${v.id} (${v.impact}): ${v.help} [${v.nodes.length} element(s)]`);
    for (const n of v.nodes.slice(0, 4)) {
      const why = (n.failureSummary || '').split('\n').slice(1).map((s) => s.trim()).filter(Boolean).join(' / ');
      lines.push(`  at ${n.target.join(' ')}${why ? ` — ${why}` : ''}`);
    }
    if (v.nodes.length > 4) lines.push(`  ... and ${v.nodes.length - 4} more`);
  }
  return lines;
}

// ---- Checks ----------------------------------------------------------------

// Tabs through the page and reports every focus stop that shows no focus
// indicator: no outline, and no box-shadow, when focused from the keyboard.
async function focusProblems(page) {
  const problems = [];
  for (let i = 0; i < FOCUS_STOPS; i += 1) {
    await page.keyboard.press('Tab');
    const r = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      if (el.hasAttribute('data-focus-checked')) return null; // wrapped around
      el.setAttribute('data-focus-checked', '');
      const cs = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
      const shadow = cs.boxShadow && cs.boxShadow !== 'none';
      const inView = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
        && box.top < innerHeight && box.left < innerWidth;
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(' ').join('.')}` : '';
      const id = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls} "${(el.textContent || '').trim().slice(0, 30)}"`;
      return { id, indicator: outline || shadow, inView, focusVisible: el.matches(':focus-visible') };
    });
    if (!r) break;
    if (!r.focusVisible || !r.indicator) problems.push(`no focus indicator (outline >= 2px or box-shadow) on ${r.id}`);
    else if (!r.inView) problems.push(`focused element is off-screen: ${r.id}`);
  }
  return problems;
}

// A page in a right-to-left language: the page says so, and what hangs
// off one side in left-to-right text (a quote's rule, a list's indent, the
// skip link) is on the right. Null for a left-to-right page.
async function directionProblems(page) {
  return page.evaluate(() => {
    const direction = document.documentElement.getAttribute('dir');
    if (direction !== 'rtl') return null;
    const problems = [];
    if (getComputedStyle(document.body).direction !== 'rtl') problems.push('the body is not laid out right to left');
    const px = (e, prop) => parseFloat(getComputedStyle(e)[prop]) || 0;
    for (const q of document.querySelectorAll('.article-body blockquote')) {
      if (!(px(q, 'borderRightWidth') > 0 && px(q, 'borderLeftWidth') === 0)) problems.push('a quote has its rule on the left');
    }
    for (const l of document.querySelectorAll('.article-body ul, .article-body ol')) {
      if (!(px(l, 'paddingRight') > px(l, 'paddingLeft'))) problems.push('a list is indented from the left');
    }
    for (const c of document.querySelectorAll('.article-body pre, .article-body code')) {
      if (getComputedStyle(c).direction !== 'ltr') { problems.push('code runs right to left'); break; }
    }
    const skip = document.querySelector('.skip-link');
    if (skip) {
      skip.focus();
      const r = skip.getBoundingClientRect();
      if (!(r.right > document.documentElement.clientWidth / 2)) problems.push(`the skip link shows at the left (right edge ${Math.round(r.right)}px)`);
      skip.blur();
    }
    return { direction, problems };
  });
}

// In forced colors (Windows High Contrast), backgrounds are dropped: a
// ticked task box and the current page of a pager must still differ from
// the others. Null when the page has neither.
async function forcedColorProblems(page) {
  await page.emulateMedia({ forcedColors: 'active' });
  try {
    return await page.evaluate(() => {
      // What shows: a see-through background is the page's.
      const clear = (c) => /^rgba\(.*,\s*0\)$/.test(c) || c === 'transparent';
      const pageBg = getComputedStyle(document.body).backgroundColor;
      const shown = (c) => (clear(c) ? (clear(pageBg) ? 'rgb(255, 255, 255)' : pageBg) : c);
      const look = (e) => {
        const s = getComputedStyle(e);
        return `${shown(s.backgroundColor)} ${s.color} ${s.borderTopColor} ${s.boxShadow}`;
      };
      const pairs = [
        ['a ticked task box', '.article-body input[type="checkbox"]:checked', '.article-body input[type="checkbox"]:not(:checked)'],
        ['the current page of the pager', '.pager a[aria-current="page"]', '.pager a:not([aria-current])'],
      ];
      let found = false;
      const problems = [];
      for (const [what, marked, other] of pairs) {
        const [m, o] = [document.querySelector(marked), document.querySelector(other)];
        if (!m || !o) continue;
        found = true;
        if (look(m) === look(o)) problems.push(`${what} looks like the others: ${look(m)}`);
      }
      return found ? problems : null;
    });
  } finally {
    await page.emulateMedia({ forcedColors: 'none' });
  }
}

// The site's own pictures say their size, so the page keeps their room
// while they load: each has width and height, and once loaded it is drawn
// in the proportions they give (a wrong size would move the page then).
// Null when the page has none.
async function pictureProblems(page, origin) {
  return page.evaluate((origin) => {
    const own = [...document.images].filter((img) => new URL(img.currentSrc || img.src).origin === origin);
    if (own.length === 0) return null;
    return own.flatMap((img) => {
      const name = new URL(img.src).pathname;
      const [w, h] = [Number(img.getAttribute('width')), Number(img.getAttribute('height'))];
      if (!(w > 0 && h > 0)) return [`${name} has no width and height`];
      if (!img.complete || img.naturalWidth === 0) return [`${name} did not load`];
      const box = img.getBoundingClientRect();
      const [given, drawn] = [w / h, box.width / box.height];
      return Math.abs(given - drawn) / given > 0.02
        ? [`${name} says ${w}x${h} but is drawn ${Math.round(box.width)}x${Math.round(box.height)}`] : [];
    });
  }, origin);
}

async function checkPage(browser, site, pg) {
  const url = new URL(pg.path, site.base).href;
  const origin = new URL(site.base).origin;
  const what = (check, mode) => `${site.name} ${pg.label} /${pg.path} ${check}${mode ? ` ${mode}` : ''}`;
  const offsite = new Set();
  const broken = new Set();

  for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
    for (const scheme of SCHEMES) {
      const mode = `${vpName} ${scheme}`;
      const context = await browser.newContext({ viewport, colorScheme: scheme, reducedMotion: 'no-preference' });
      context.on('request', (req) => {
        const u = req.url();
        if (/^(data|blob|about):/.test(u)) return;
        if (!u.startsWith(`${origin}/`)) offsite.add(u);
      });
      context.on('response', (res) => {
        const u = res.url();
        if (res.status() >= 400 && !u.endsWith('/favicon.ico') && u !== url) broken.add(`${res.status()} ${u}`);
      });
      const page = await context.newPage();
      try {
        const resp = await page.goto(url, { waitUntil: 'load' });
        if (!resp || resp.status() >= 400) {
          report(false, what('load', mode), [`HTTP ${resp ? resp.status() : 'no response'} for ${url}`]);
          continue;
        }
        await page.waitForLoadState('networkidle').catch(() => {});

        const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
        report(axe.violations.length === 0, what('axe', mode), describeViolations(axe.violations));

        if (vpName === 'phone' && scheme === 'light') {
          const sw = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            // What sticks out: boxes past the edge, or content overflowing its box.
            wide: [...document.querySelectorAll('body *')]
              .filter((e) => !e.parentElement.closest('.table-scroll, pre, .visually-hidden, .skip-link'))
              .map((e) => {
                const r = e.getBoundingClientRect();
                return { e, right: Math.max(r.right, r.left + e.scrollWidth) };
              })
              .filter(({ right }) => right > document.documentElement.clientWidth + 0.5)
              .filter(({ e }, _, all) => !all.some((o) => o.e !== e && e.contains(o.e))) // innermost only
              .slice(0, 5)
              .map(({ e, right }) => `${e.tagName.toLowerCase()}${typeof e.className === 'string' && e.className ? `.${e.className.split(' ').join('.')}` : ''} reaches ${Math.round(right)}px`),
          }));
          report(sw.scroll <= viewport.width, what('no horizontal scroll', `at ${viewport.width}px`),
            [`document.documentElement.scrollWidth is ${sw.scroll}px`, ...sw.wide]);
        }

        if (vpName === 'desktop' && scheme === 'light') {
          const forced = await forcedColorProblems(page);
          if (forced) report(forced.length === 0, what('marks kept in forced colors'), forced);
          const pictures = await pictureProblems(page, origin);
          if (pictures) report(pictures.length === 0, what('pictures state their size'), pictures);
          const dir = await directionProblems(page);
          if (dir) report(dir.problems.length === 0, what(`${dir.direction} layout`), dir.problems);
        }

        if (vpName === 'desktop') {
          const problems = await focusProblems(page);
          const shown = problems.length > 6 ? [...problems.slice(0, 6), `... and ${problems.length - 6} more`] : problems;
          report(problems.length === 0, what('visible focus', mode), shown);
        }
      } catch (e) {
        report(false, what('run', mode), [String(e.stack || e).split('\n')[0]]);
      } finally {
        await context.close();
      }
    }
  }
  report(offsite.size === 0 && broken.size === 0, what('requests stay on the site'),
    [...[...offsite].map((u) => `off-site request: ${u}`), ...[...broken].map((u) => `failed request: ${u}`)]);
}

// ---- The Nu Html Checker's results, from run.sh ----
// VNU_REPORTS: space-separated NAME:EXIT_STATUS:HTML_FILES:OUTPUT_FILE.
for (const entry of (process.env.VNU_REPORTS || '').split(' ').filter(Boolean)) {
  const [name, status, files, ...rest] = entry.split(':');
  const out = existsSync(rest.join(':')) ? readFileSync(rest.join(':'), 'utf8').trim() : '';
  const lines = out ? out.split('\n') : [];
  const shown = lines.slice(0, 30);
  if (lines.length > 30) shown.push(`... and ${lines.length - 30} more lines`);
  report(status === '0' && lines.length === 0, `${name} vnu: no HTML errors in ${files} files`,
    shown.length ? shown : [`vnu exited with status ${status}`]);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  for (const site of sites) {
    if (!existsSync(site.dir)) {
      report(false, `${site.name} site folder`, [`${site.dir} does not exist`]);
      continue;
    }
    const pages = pickPages(site.dir);
    console.log(`== ${site.name}: ${pages.length} pages from ${site.base}: ${pages.map((p) => `/${p.path}`).join(' ')}`);
    for (const pg of pages) await checkPage(browser, site, pg);
  }
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
