// Opens the ChronoFabric dashboard of a running distribution in headless Debian Chromium
// (playwright-core never downloads a browser) and checks what a person would look at.
//
//   node dashboard.test.mjs <base-url> <screenshot.png> [<publish-hook-url>]
//
// base-url: e.g. http://127.0.0.1:8181/chronofabric/
// Packets are published by the caller: this script prints a line "publish" and waits for a line
// "published ..." on stdin (the Pax Exam test WebIT publishes on the bus). By hand, set
// CF_PUBLISH_AUTH=user:password (a Karaf user with the admin role) and it publishes through the API.
// Exit 0: all checks passed; 1: a check failed (the message says which); 2: the browser could not start.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const [base, shot = 'target/dashboard.png'] = process.argv.slice(2);
if (!base) {
  console.error('usage: node dashboard.test.mjs <base-url> <screenshot.png>');
  process.exit(1);
}
const stdin = createInterface({ input: process.stdin });
const lines = [];
let waiting = null;
stdin.on('line', (l) => { if (waiting) { const w = waiting; waiting = null; w(l); } else lines.push(l); });
function askCaller(what) {
  console.log(what);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no answer from the caller to ' + what)), 30000);
    const done = (l) => { clearTimeout(t); resolve(l); };
    if (lines.length) done(lines.shift()); else waiting = done;
  });
}
function check(ok, message) {
  if (!ok) throw new Error('CHECK FAILED: ' + message);
  console.log('ok - ' + message);
}

let browser;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    timeout: 60000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
} catch (e) {
  console.error('BROWSER NOT STARTED: ' + e.message);
  process.exit(2);
}
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
  page.on('requestfailed', (r) => {
    // the EventSource is cut when the page closes; anything else failing is a problem
    if (!r.url().endsWith('/api/events')) problems.push('request failed: ' + r.url() + ' ' + r.failure()?.errorText);
  });

  const resp = await page.goto(base, { waitUntil: 'load' });
  check(resp.status() === 200, 'the page answers 200 at ' + base);
  await page.waitForSelector('#conn.live', { timeout: 20000 });
  check(true, 'the Server-Sent Events stream is live');

  const ports = await page.$$eval('#ports tbody tr', (rows) => rows.map((r) => r.dataset.port));
  for (const p of ['bus', 'time-source', 'hlc', 'scheduler', 'ledger']) {
    check(ports.includes(p), 'the ports table lists ' + p + ' (' + ports.join(',') + ')');
  }
  const busUp = await page.$eval('#ports tr[data-port="bus"] .st', (e) => e.textContent);
  check(busUp === 'UP' || busUp === 'DEGRADED', 'the bus port shows its health (' + busUp + ')');

  const before = await page.evaluate(() => ({ points: window.chronofabricPoints || 0, published: window.chronofabricLastPublished || 0 }));
  let answer;
  if (process.env.CF_PUBLISH_AUTH) {
    // by hand against a running distribution: publish through the API with an admin login
    const r = await fetch(new URL('api/publish?count=500&channel=browser-test', base), { method: 'POST',
      headers: { Authorization: 'Basic ' + Buffer.from(process.env.CF_PUBLISH_AUTH).toString('base64') } });
    answer = r.status === 200 ? 'published ' + (await r.json()).published : 'refused ' + r.status;
  } else {
    answer = await askCaller('publish');
  }
  check(answer.startsWith('published'), 'the caller published packets (' + answer + ')');
  await page.waitForFunction((b) => (window.chronofabricLastPublished || 0) > b.published
      && (window.chronofabricPoints || 0) > b.points + 1, before, { timeout: 20000 });
  const after = await page.evaluate(() => ({ points: window.chronofabricPoints, published: window.chronofabricLastPublished }));
  check(after.published > before.published, 'the published count moved from ' + before.published + ' to ' + after.published);
  check(after.points > before.points, 'the live plots got new points (' + before.points + ' -> ' + after.points + ')');
  const plotted = await page.$$eval('#chart-throughput canvas, #chart-latency canvas', (c) => c.length);
  check(plotted === 2, 'both uPlot charts are drawn');

  await page.click('#verify');
  await page.waitForSelector('#verify-result[data-ok]', { timeout: 20000 });
  const verified = await page.$eval('#verify-result', (e) => e.dataset.ok + ' ' + e.textContent);
  check(verified.startsWith('true'), 'the ledger signature check passes (' + verified + ')');

  await page.click('#publish button');
  await page.waitForSelector('#publish-result[data-status]', { timeout: 10000 });
  const status = await page.$eval('#publish-result', (e) => e.dataset.status);
  check(status === '401' || status === '403', 'a publish without login is refused (' + status + ')');
  // the refused fetch logs "Failed to load resource: 401" in Chromium's console: expected, not a page error
  for (let i = problems.length - 1; i >= 0; i--) {
    if (/status of 40[13]/.test(problems[i])) problems.splice(i, 1);
  }

  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
  console.log('screenshot: ' + shot);
  check(problems.length === 0, 'no page errors in the browser console' + (problems.length ? ': ' + problems.join(' | ') : ''));
  console.log('PASS');
  await browser.close();
  process.exit(0);
} catch (e) {
  console.error(e.message);
  try { await browser.close(); } catch (ignored) { /* gone */ }
  process.exit(1);
}
