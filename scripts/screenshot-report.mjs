#!/usr/bin/env node
// Open an analysis report (kinemetry analyze --report) in headless Chromium and save a
// full-page PNG at 1280×800: the check that the report renders in a real browser.
// Not part of `npm test` (it needs a Chromium binary):
//   npm run screenshot:report -- report.html out.png [--max-height PX]
// --max-height keeps only the top PX pixels of the page (a small image for the docs).
// CHROMIUM=/path/to/chrome overrides /usr/bin/chromium. Network access is refused while the
// page loads, so a report that tried to fetch anything would show it (and it is reported).
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const mh = args.indexOf('--max-height');
const maxHeightPx = mh >= 0 ? Number(args.splice(mh, 2)[1]) : Infinity;
const [reportArg, outArg] = args;
if (!reportArg || !outArg || !(maxHeightPx > 0)) {
  process.stderr.write('usage: node scripts/screenshot-report.mjs <report.html> <out.png> [--max-height PX]\n');
  process.exit(2);
}
const reportPath = resolve(reportArg);
if (!existsSync(reportPath)) {
  process.stderr.write(`screenshot-report: no such file: ${reportArg}\n`);
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const userDataDir = mkdtempSync(join(tmpdir(), 'kinemetry-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const fetched = [];
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const reportUrl = pathToFileURL(reportPath).href;
  // A self-contained report requests nothing but itself.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === reportUrl) return route.continue();
    fetched.push(url);
    return route.abort();
  });
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(reportUrl, { waitUntil: 'load' });
  const svgCount = await page.locator('svg').count();
  const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  const height = Math.min(pageHeight, maxHeightPx);
  await page.screenshot({ path: resolve(outArg), fullPage: true, ...(height < pageHeight ? { clip: { x: 0, y: 0, width: 1280, height } } : {}) });
  process.stdout.write(`wrote ${outArg} (1280×${height} of a ${pageHeight} px page, ${svgCount} svg charts)\n`);
  if (fetched.length) process.stderr.write(`screenshot-report: the page tried to fetch ${fetched.length} resource(s): ${fetched.join(', ')}\n`);
  if (consoleErrors.length) process.stderr.write(`screenshot-report: console errors: ${consoleErrors.join(' | ')}\n`);
  process.exitCode = fetched.length || consoleErrors.length ? 1 : 0;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
