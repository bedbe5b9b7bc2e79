#!/usr/bin/env node
// Screenshots of the clinic page's main screens at 1280×800 (desktop) and 820×1180 (tablet),
// in headless Chromium, for looking at the layout (not a test: npm run test:e2e checks it):
//   node scripts/clinic-screenshots.mjs [out-dir]      (default /tmp/clinic-shots)
// CHROMIUM=/path/to/chrome overrides /usr/bin/chromium. A fresh profile each run; requests off
// localhost are refused. Screens: start, replay (trials), warnings, two-sensor knee, history
// with trends (two saved sessions), delete confirm step.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, buildAndServe } from '../test/clinic/server.mjs';

const out = resolve(process.argv[2] ?? '/tmp/clinic-shots');
mkdirSync(out, { recursive: true });
const { origin, close } = await buildAndServe();
const written = [];
for (const [width, height] of [[1280, 800], [820, 1180]]) {
  const profile = mkdtempSync(join(tmpdir(), 'kinemetry-clinic-shots-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, viewport: { width, height }, args: CHROMIUM_ARGS, serviceWorkers: 'block',
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.route('**/*', (r) => (r.request().url().startsWith(origin) ? r.continue() : r.abort()));
    const shot = async (name, fullPage = false) => {
      await page.evaluate(() => { document.activeElement?.blur(); });
      const path = join(out, `${name}-${width}.png`);
      await page.screenshot({ path, fullPage });
      written.push(path);
    };
    const replay = async (index) => {
      await page.selectOption('#recording', String(index));
      await page.click('#clear');
      await page.selectOption('#speed', 'Infinity');
      await page.evaluate(() => { delete document.body.dataset.run; });
      await page.click('#play');
      await page.waitForSelector('body[data-run="done"]');
      await page.evaluate(() => window.scrollTo(0, 0));
    };
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]');
    await shot('1-start');
    await page.fill('#patient', 'DEMO-0001');
    await page.press('#patient', 'Tab');
    await replay(0);
    await shot('2-replay');
    await page.click('#save');
    // Warnings: the faulty recording (the gap and the slip stay listed after the end).
    await replay(2);
    await shot('3-warnings');
    await replay(3);
    await shot('4-knee-two-sensors');
    await replay(0);
    await page.click('#save');
    await page.waitForFunction(() => document.querySelectorAll('#sessions tr').length === 2);
    await shot('5-history-full', true);
    await page.click('#sessions tr:nth-child(1) button[data-del]');
    await page.waitForSelector('#confirm[open]');
    await shot('6-delete-confirm');
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
close();
console.log(written.join('\n'));
