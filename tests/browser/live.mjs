// `dateline serve` in a real browser: a broken save shows its errors over
// the last good page (and that overlay passes axe), fixing the file reloads
// the tab, a stylesheet change is applied without a reload, nine tabs
// open at once all load and reload, a tab left open while the server
// restarts reloads, and a stream cut and made again reloads nothing.
//
//   node live.mjs DATELINE SITE_DIR
//
// SITE_DIR is a copy of a site this script may edit; it must hold
// content/business/aldine-mutual-layoffs.md and templates/style.css.
// Prints `ok ...` or `FAIL ...` per check and `N passed, N failed`.
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const [dateline, site] = process.argv.slice(2);
if (!dateline || !site) {
  console.error('usage: node live.mjs DATELINE SITE_DIR');
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTICLE = join(site, 'content/business/aldine-mutual-layoffs.md');
const STYLE = join(site, 'templates/style.css');
const WAIT = 20000;

let passed = 0;
let failed = 0;
function report(ok, what, details = []) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'FAIL'} live: ${what}`);
  for (const d of details) console.log(`    ${d}`);
}

let printed = '';
// A `dateline serve` on `port` (0: any free one), and the address it serves.
async function start(port) {
  const child = spawn(dateline, ['serve', '--port', String(port), '--root', site], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (d) => { printed += d; });
  const address = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no address from dateline serve:\n${out}${printed}`)), WAIT);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving at (http:\/\/\S+\/)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  return [child, address];
}
let [server, base] = await start(0);

const original = readFileSync(ARTICLE, 'utf8');
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}business/aldine-mutual-layoffs/`, { waitUntil: 'load' });
  await page.evaluate(() => { window.__stayed = true; });
  // A second tab of the site, open through parts 1 and 2, keeps the
  // shared worker (and what it remembers) alive while the first reloads.
  const keeper = await context.newPage();
  await keeper.goto(`${base}about/`, { waitUntil: 'load' });
  // Let the page's event stream connect before anything changes.
  await page.waitForTimeout(500);

  // 1. A broken save: the errors over the page, no reload.
  writeFileSync(ARTICLE, original.replace(/^date = .*$/m, 'date = "yesterday"'));
  try {
    const overlay = page.locator('#dateline-failure');
    await overlay.waitFor({ state: 'visible', timeout: WAIT });
    const text = await overlay.innerText();
    report(/content\/business\/aldine-mutual-layoffs\.md:\d+:\d+/.test(text),
      'a broken save is shown over the page with path:line:col', [text.slice(0, 300)]);
    report(await page.evaluate(() => window.__stayed === true), 'the page stayed as it was (last good build)');
    const role = await overlay.getAttribute('role');
    report(role === 'alert', 'the message is announced (role=alert)', [`role=${role}`]);
    const axe = await new AxeBuilder({ page }).include('#dateline-failure')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
    report(axe.violations.length === 0, 'the message passes axe',
      axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`));
  } catch (e) {
    report(false, 'a broken save is shown over the page', [String(e), printed.slice(-500)]);
  }

  // 2. The fix: the tab reloads by itself and the message is gone.
  writeFileSync(ARTICLE, original.replace(/^title = .*$/m, 'title = "A headline fixed while serving"'));
  try {
    await page.waitForFunction(() => window.__stayed === undefined, null, { timeout: WAIT });
    await page.waitForLoadState('load');
    const headline = await page.locator('h1').first().innerText();
    report(headline.includes('A headline fixed while serving'), 'the fix reloads the tab with the new page', [headline]);
    report(await page.locator('#dateline-failure').count() === 0, 'the message is gone after the fix');
    // A tab opened now, from the worker the first tab keeps, hears of no
    // failure: the fix told it the build works.
    const later = await context.newPage();
    await later.goto(`${base}business/aldine-mutual-layoffs/`, { waitUntil: 'load' });
    await later.waitForTimeout(700);
    report(await later.locator('#dateline-failure').count() === 0, 'a tab opened after the fix shows no message');
    await later.close();
    await keeper.close();
  } catch (e) {
    report(false, 'the fix reloads the tab', [String(e)]);
  }

  // 3. A stylesheet change: applied in place, no reload.
  await page.evaluate(() => { window.__stayed = true; });
  await page.waitForTimeout(300);
  writeFileSync(STYLE, `${readFileSync(STYLE, 'utf8')}\n:root { --live-check: 7; }\n`);
  try {
    await page.waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue('--live-check').trim() === '7',
      null, { timeout: WAIT });
    report(await page.evaluate(() => window.__stayed === true), 'a stylesheet change is applied without a reload');
  } catch (e) {
    report(false, 'a stylesheet change is applied', [String(e)]);
  }

  // 4. Many tabs: browsers open at most six connections to a host, and each
  // tab's event stream would hold one; every tab still loads, and hears.
  const tabs = [page];
  try {
    for (let i = 0; i < 8; i++) {
      const tab = await context.newPage();
      await tab.goto(`${base}business/aldine-mutual-layoffs/`, { waitUntil: 'load', timeout: 10000 });
      tabs.push(tab);
    }
    report(true, `${tabs.length} tabs of the site load`);
    for (const tab of tabs) await tab.evaluate(() => { window.__stayed = true; });
    await page.waitForTimeout(500);
    writeFileSync(ARTICLE, original.replace(/^title = .*$/m, 'title = "A headline every tab gets"'));
    await Promise.all(tabs.map((tab) => tab.waitForFunction(() => window.__stayed === undefined, null, { timeout: WAIT })));
    report(true, `a change reloads all ${tabs.length} tabs`);
  } catch (e) {
    report(false, `nine tabs load and reload (${tabs.length} loaded)`, [String(e)]);
  }

  // 5. A server stopped while the site is broken, and started again once
  // it is fixed: the tabs left open reload, and the message is gone.
  try {
    for (const tab of tabs.slice(1)) await tab.close();
    await page.waitForLoadState('load');
    writeFileSync(ARTICLE, original.replace(/^date = .*$/m, 'date = "yesterday"'));
    await page.locator('#dateline-failure').waitFor({ state: 'visible', timeout: WAIT });
    const stopped = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await stopped;
    writeFileSync(ARTICLE, original.replace(/^title = .*$/m, 'title = "A headline after a restart"'));
    await page.evaluate(() => { window.__stayed = true; });
    let loads = 0;
    page.on('load', () => { loads++; });
    [server] = await start(new URL(base).port);
    await page.waitForFunction(() => window.__stayed === undefined, null, { timeout: WAIT });
    await page.waitForLoadState('load');
    // Once, not again and again.
    await page.waitForTimeout(3000);
    report(loads === 1, 'a restart reloads a tab once', [`${loads} loads`]);
    const headline = await page.locator('h1').first().innerText();
    report(headline.includes('A headline after a restart') && await page.locator('#dateline-failure').count() === 0,
      'a tab left open through a restart reloads, without the old message', [headline]);
  } catch (e) {
    report(false, 'a tab left open through a restart reloads', [String(e), printed.slice(-500)]);
  }

  // 6. A stream cut now and then (a proxy that limits how long a response
  // may last, a laptop waking): the same server and build, so no reload.
  let proxy;
  try {
    const target = new URL(base);
    let streams = 0;
    proxy = createServer((req, res) => {
      const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode, up.headers);
        // An event stream's head goes out at once, as the server sends it.
        res.flushHeaders();
        up.pipe(res);
        if (req.url.startsWith('/__dateline/events')) {
          streams++;
          setTimeout(() => { up.destroy(); res.destroy(); }, 1500);
        }
      });
      upstream.on('error', () => res.destroy());
      req.on('error', () => upstream.destroy());
      req.pipe(upstream);
    });
    await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const tab = await context.newPage();
    let loads = 0;
    tab.on('load', () => { loads++; });
    await tab.goto(`http://127.0.0.1:${proxy.address().port}/business/aldine-mutual-layoffs/`, { waitUntil: 'load' });
    await tab.waitForTimeout(10000);
    report(loads === 1 && streams >= 2, 'a stream cut and made again reloads no tab',
      [`${loads} loads and ${streams} streams in 10 s`]);
    await tab.close();
  } catch (e) {
    report(false, 'a stream cut and made again reloads no tab', [String(e)]);
  } finally {
    if (proxy) proxy.close();
  }
} finally {
  writeFileSync(ARTICLE, original);
  await browser.close();
  server.kill('SIGINT');
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
