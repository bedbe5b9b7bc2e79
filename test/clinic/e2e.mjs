#!/usr/bin/env node
// End-to-end test of the clinic page (examples/clinic) in real headless Chromium:
//   npm run test:e2e            (CHROMIUM=/path/to/chrome overrides /usr/bin/chromium)
// 1. `vite build` the page, serve examples/clinic/dist on 127.0.0.1 (random port; any other
//    request is refused, so the page must work offline);
// 2. replay the bundled shoulder-abduction recording (fixtures/shoulder-abduction, left, 8 reps
//    held at 150°, rep 6 partial): best and mean shown within 2° of the truth, 8 trials, 1 partial;
// 3. save it, replay again plus the knee-flexion recording (best within 2° of the truth's
//    largest rep), save a second session; reload: both sessions in the history, the shoulder
//    trend has 2 points;
// 4. export the session as PDF: the file's text holds the measured best value; CSV likewise;
// 5. every control has an accessible name; Play is reachable and operable by keyboard;
// 6. screenshots at 1280×800 and 820×1180 into $E2E_SHOTS when set (else a temporary folder,
//    removed at the end: a test run never changes tracked files);
// 8. offline once loaded: with the network off, a reload shows the page and the history and a
//    replay still works (service worker);
// 7. an emulated Movesense (DevTools BluetoothEmulation + DeviceAccess) connects through the
//    Connect button: the driver subscribes to notifications and writes HELLO `00 01` and
//    `01 63 "/Meas/IMU6/104"`; the silent sensor raises "signal lost"; Stop writes `02 63`.
// 9. the two-sensor knee live: two emulated Movesense (distinct addresses); Connect (by keyboard)
//    opens a chooser for the thigh, then, relabelled, one for the shank; both get HELLO and the
//    IMU6 subscribe, both are listed as connected, each silent one is "signal lost" by name;
//    Stop writes `02 63` to both; a dropped shank link shows on the shank only.
// Also: layout at 1280×800 and 820×1180 (controls and live angle on screen, no sideways
// scroll); warnings on a recording with injected faults (signal lost, sensor slipped, magnetic
// disturbance in #warnings); the two-sensor knee (functional calibration) within 2° of the
// truth per rep; the ± is a 1-σ explained in the help text; delete a session (keyboard) and a
// patient behind a confirm step, gone after a reload.
// Bounded: the whole run is killed after 150 s. Exit 0 = all assertions passed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, buildAndServe, root } from './server.mjs';

const shots = process.env.E2E_SHOTS ?? mkdtempSync(join(tmpdir(), 'kinemetry-clinic-shots-'));
mkdirSync(shots, { recursive: true });
const killer = setTimeout(() => { console.error('e2e: timed out after 150 s'); process.exit(1); }, 150_000);
killer.unref();

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

// Truth from the fixtures the bundled recordings were copied from.
function truthReps(dir) {
  const [head, ...rows] = readFileSync(join(root, 'fixtures', dir, 'truth/reps.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], Number(v)])));
}
const shoulderTruth = truthReps('shoulder-abduction');
const shoulderFull = shoulderTruth.filter((r) => !r.partial).map((r) => r.amplitudeDeg);
const shoulderTruthDeg = Math.max(...shoulderFull);
const kneeTruthDeg = Math.max(...truthReps('knee-flexion').map((r) => r.amplitudeDeg));

const { origin, close: closeServer } = await buildAndServe();

const userDataDir = mkdtempSync(join(tmpdir(), 'kinemetry-clinic-e2e-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1280, height: 800 },
  args: CHROMIUM_ARGS,
});
const outside = [];
const consoleErrors = [];
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(60_000);
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('crash', () => console.error('e2e: the page crashed'));

  await page.goto(`${origin}/`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]');
  // Layout: at desktop and tablet size, the controls and the live angle are on screen at once
  // (no scrolling to reach Play / Connect), nothing overflows sideways.
  for (const [width, height] of [[1280, 800], [820, 1180]]) {
    await page.setViewportSize({ width, height });
    await layoutCheck(page, width, height);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.fill('#patient', 'E2E-0001');
  await page.press('#patient', 'Tab');

  async function replay(index) {
    await page.selectOption('#recording', String(index));
    await page.selectOption('#speed', '20');
    await page.evaluate(() => { delete document.body.dataset.run; });
    await page.click('#play');
    await page.waitForSelector('body[data-run="done"]', { timeout: 60_000 });
  }
  const num = async (sel) => Number(await page.textContent(sel));
  // Every warning that appears in #warnings during a run (they come and go within it).
  const watchWarnings = () => page.evaluate(() => {
    window.__warnings = new Map();
    window.__warnObserver?.disconnect();
    const grab = () => document.querySelectorAll('#warnings li').forEach((li) => { if (!window.__warnings.has(li.dataset.warning)) window.__warnings.set(li.dataset.warning, li.textContent); });
    window.__warnObserver = new MutationObserver(grab);
    window.__warnObserver.observe(document.getElementById('warnings'), { childList: true, subtree: true, characterData: true });
  });
  const seenWarnings = () => page.evaluate(() => Object.fromEntries(window.__warnings));

  // Session 1: shoulder abduction, left.
  const t0 = Date.now();
  await watchWarnings();
  await replay(0);
  const cleanWarnings = Object.keys(await seenWarnings());
  const best1 = await num('#best-value');
  const mean1 = await num('#mean-value');
  const rows = await page.locator('#trials tr').count();
  const partial = await page.locator('#trials tr.partial').count();
  console.log(`shoulder abduction replay (20×) in ${((Date.now() - t0) / 1000).toFixed(1)} s: best ${best1}°, mean ${mean1}° (truth ${shoulderTruthDeg}° for the full reps), ${rows} trials, ${partial} partial`);
  check(Math.abs(best1 - shoulderTruthDeg) <= 2, `shoulder best ${best1}° within 2° of truth ${shoulderTruthDeg}°`);
  check(Math.abs(mean1 - shoulderTruthDeg) <= 2, `shoulder mean ${mean1}° within 2° of truth ${shoulderTruthDeg}°`);
  check(rows === shoulderTruth.length, `${rows} trials captured (truth ${shoulderTruth.length} reps)`);
  check(partial === shoulderTruth.filter((r) => r.partial).length, `${partial} partial trial(s) marked (truth 1)`);
  check(cleanWarnings.every((id) => id === 'calibrating'), `clean recording: no warning but the initial calibrating (${cleanWarnings.join(', ')})`);
  const bestUnc = parseFloat((await page.textContent('#best small')).replace('±', ''));
  const help = await page.textContent('#help-unc');
  check(bestUnc > 0.1 && bestUnc < 2 && Math.abs(best1 - shoulderTruthDeg) <= 3 * bestUnc && /one standard deviation/.test(help), `best ± ${bestUnc}° (1-σ; truth within 3σ), the help text says what ± means`);
  const pct = await num('#pct-value');
  check(Math.abs(pct - (100 * best1) / 180) <= 1, `percent of AAOS 180°: ${pct}%`);
  const bigText = await page.textContent('#angle');
  check(/^-?\d+$/.test(bigText ?? ''), `live angle shown large (${bigText}°)`);
  const bigPx = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.big')).fontSize));
  check(bigPx >= 88, `live angle font ${bigPx}px (readable at 2 m)`);
  await page.screenshot({ path: join(shots, 'clinic-replay-1280.png') });
  await page.click('#save');
  await page.waitForSelector('#sessions tr >> text=Shoulder abduction');

  // Session 2: shoulder abduction again, then knee flexion.
  await replay(0);
  const best2 = await num('#best-value');
  await replay(1);
  const kneeBest = await num('#best-value');
  check(Math.abs(kneeBest - kneeTruthDeg) <= 2, `knee best ${kneeBest}° within 2° of truth ${kneeTruthDeg.toFixed(1)}° (largest rep)`);
  await page.click('#save');
  await page.waitForFunction(() => document.querySelectorAll('#sessions tr').length === 2);

  // Reload: the history comes back from IndexedDB.
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]');
  const sessions = await page.locator('#sessions tr').count();
  check(sessions === 2, `after reload: ${sessions} sessions in the history`);
  const pts = await page.getAttribute('.trend-fig[data-motion="shoulder-abduction|left|active"]', 'data-points');
  const circles = await page.locator('.trend-fig[data-motion="shoulder-abduction|left|active"] circle').count();
  check(pts === '2' && circles === 2, `after reload: shoulder-abduction trend has ${pts} points (${circles} drawn)`);
  const histText = await page.textContent('#sessions');
  check(histText.includes(`${best1.toFixed(1)}°`) && histText.includes(`${best2.toFixed(1)}°`), `history lists both shoulder values (${best1}°, ${best2}°)`);

  // Exports.
  const [pdfDl] = await Promise.all([page.waitForEvent('download'), page.click('#sessions tr:nth-child(1) button[data-pdf]')]);
  const pdf = readFileSync(await pdfDl.path(), 'latin1');
  check(pdf.startsWith('%PDF-1.4') && pdf.trimEnd().endsWith('%%EOF'), `PDF export ${pdfDl.suggestedFilename()} (${pdf.length} bytes) is a PDF`);
  check(pdf.includes(`best ${best1.toFixed(1)}\\260`), `PDF text holds the measured best ${best1.toFixed(1)}°`);
  const [csvDl] = await Promise.all([page.waitForEvent('download'), page.click('#sessions tr:nth-child(1) button[data-csv]')]);
  const csv = readFileSync(await csvDl.path(), 'utf8');
  check(csv.split('\n').filter((l) => l.startsWith('shoulder-abduction,left,active,')).length === 8 && csv.includes(`,${best1.toFixed(1)},`), 'CSV export: 8 trial rows with the best value');

  // Accessibility basics.
  const unlabeled = await page.evaluate(() => [...document.querySelectorAll('input, select, button')]
    .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || (e.tagName === 'BUTTON' && e.textContent.trim())))
    .map((e) => e.id || e.outerHTML.slice(0, 60)));
  check(unlabeled.length === 0, `every control has an accessible name${unlabeled.length ? ` (missing: ${unlabeled.join(', ')})` : ''}`);
  await page.focus('#speed');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.id);
  check(focused === 'play', `Tab from Speed reaches Play (${focused})`);
  await page.evaluate(() => { delete document.body.dataset.run; });
  await page.keyboard.press('Enter');
  await page.waitForSelector('body[data-run="done"]', { timeout: 60_000 });
  check(true, 'Play operated by keyboard (Enter) runs the replay to the end');

  // Warnings: the recording with injected faults (scripts/make-clinic-recordings.ts).
  await page.selectOption('#recording', '2');
  await page.click('#clear');
  await watchWarnings();
  await replay(2);
  const warned = await seenWarnings();
  console.log(`faulty recording warnings: ${JSON.stringify(warned)}`);
  check(await page.getAttribute('#warnings', 'aria-live') === 'polite', '#warnings is an aria-live region');
  check(/^Signal lost for 2\.0 s at 14\.5 s/.test(warned['data-gap'] ?? ''), `signal lost (2 s gap at 14.5 s) warned: "${warned['data-gap']}"`);
  check(/reads 1[4-6]° instead of 0°/.test(warned.slipped ?? ''), `sensor slipped (15°) warned: "${warned.slipped}"`);
  check(/^Magnetic disturbance/.test(warned.magnetic ?? ''), `magnetic disturbance warned: "${warned.magnetic}"`);
  const faultValues = (await page.locator('#trials tr td:nth-child(2)').allTextContents()).map((t) => parseFloat(t));
  check(faultValues.length === 4 && faultValues.every((v) => Math.abs(v - shoulderTruthDeg) <= 2), `faulty recording: the 4 reps (one after the gap, one in the disturbance) within 2° of ${shoulderTruthDeg}° (${faultValues.join(', ')})`);

  // Two-sensor knee (thigh + shank, functional calibration) on fixtures/knee-flexion.
  await page.selectOption('#recording', '3');
  await page.click('#clear');
  await replay(3);
  const knee2Best = await num('#best-value');
  const knee2Values = (await page.locator('#trials tr td:nth-child(2)').allTextContents()).map((t) => parseFloat(t));
  const kneeReps = truthReps('knee-flexion').map((r) => r.amplitudeDeg);
  const knee2Status = await page.textContent('#status');
  console.log(`two-sensor knee: best ${knee2Best}° (truth ${kneeTruthDeg}°), trials ${knee2Values.join(', ')}`);
  check(await page.inputValue('#preset') === 'knee-flexion-2s' && Math.abs(knee2Best - kneeTruthDeg) <= 2, `two-sensor knee: best ${knee2Best}° within 2° of truth ${kneeTruthDeg}°`);
  check(knee2Values.length === kneeReps.length && knee2Values.every((v, k) => Math.abs(v - kneeReps[k]) <= 2), `two-sensor knee: ${knee2Values.length} trials, each within 2° of its rep (truth ${kneeReps.length} reps)`);
  check(/finished, 10 trial/.test(knee2Status), `two-sensor knee status: "${knee2Status}"`);

  await page.screenshot({ path: join(shots, 'clinic-history-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  await page.screenshot({ path: join(shots, 'clinic-tablet-820.png') });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 0, `no horizontal scrolling at 820 px (overflow ${overflow}px)`);


  // Offline once loaded: the service worker serves the page, its assets and the recordings.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await context.setOffline(true);
  try {
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 15_000 });
    const offSessions = await page.locator('#sessions tr').count();
    await page.evaluate(() => { delete document.body.dataset.run; });
    await page.selectOption('#recording', '0');
    await page.click('#play');
    await page.waitForSelector('body[data-run="done"]', { timeout: 60_000 });
    const offBest = await num('#best-value');
    check(offSessions === 2 && Math.abs(offBest - shoulderTruthDeg) <= 2, `offline: page, history (${offSessions} sessions) and replay (best ${offBest}°) work with the network off`);
  } finally {
    await context.setOffline(false);
  }

  // Delete, by keyboard: Esc in the confirm step keeps the session, Tab → Delete → Enter removes
  // it, and it stays gone after a reload; then the patient with the rest of their history.
  const rowsNow = () => page.locator('#sessions tr').count();
  const delFirst = '#sessions tr:nth-child(1) button[data-del]';
  await page.focus(delFirst);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#confirm[open]');
  const firstFocus = await page.evaluate(() => document.activeElement?.id);
  check(firstFocus === 'confirm-cancel', `delete session: the confirm step opens with focus on Cancel (${firstFocus})`);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#confirm:not([open])', { state: 'attached' });
  check((await rowsNow()) === 2, 'delete session: Esc cancels, both sessions still listed');
  await page.focus(delFirst);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#confirm[open]');
  await page.keyboard.press('Tab');
  const okFocus = await page.evaluate(() => document.activeElement?.id);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('#sessions tr').length === 1);
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]');
  const leftText = await page.textContent('#sessions');
  const leftPts = await page.getAttribute('.trend-fig[data-motion="shoulder-abduction|left|active"]', 'data-points');
  check(okFocus === 'confirm-ok' && (await rowsNow()) === 1 && leftText.includes('Knee flexion') && leftPts === '1', `delete session by keyboard (Tab to ${okFocus}, Enter): after reload 1 session left (the knee one), shoulder trend ${leftPts} point`);
  await page.click('#delete-patient');
  await page.waitForSelector('#confirm[open]');
  const askText = await page.textContent('#confirm-text');
  await page.click('#confirm-ok');
  await page.waitForSelector('#sessions td.muted');
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]');
  const goneText = (await page.textContent('#sessions')).trim();
  const listed = await page.locator('#patients option[value="E2E-0001"]').count();
  const delDisabled = await page.isDisabled('#delete-patient');
  check(/E2E-0001/.test(askText) && goneText === 'No saved session for this patient yet.' && listed === 0 && delDisabled, `delete patient ("${askText}"): after reload no session, not in the patient list, button disabled`);

  check(outside.length === 0, `no request left localhost${outside.length ? `: ${outside.join(', ')}` : ''}`);
  check(consoleErrors.length === 0, `no console errors${consoleErrors.length ? `: ${consoleErrors.join(' | ')}` : ''}`);
} catch (e) {
  console.error(e);
  failures++;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
// Sections 7 and 9, each in its own browser (no service worker: a fresh profile with workers
// blocked; one emulation session per browser, as a page left from one can be closed by the next).
for (const section of [emulatedMovesense, emulatedTwoSensors]) {
  const bleDir = mkdtempSync(join(tmpdir(), 'kinemetry-clinic-ble-'));
  const bleContext = await chromium.launchPersistentContext(bleDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 800 },
    args: CHROMIUM_ARGS,
  });
  try {
    const page = bleContext.pages()[0] ?? (await bleContext.newPage());
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]');
    await section(bleContext, page);
  } catch (e) {
    console.error(e);
    failures++;
  } finally {
    await bleContext.close();
    rmSync(bleDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); // retries: Chromium may still be writing its cache just after close
  }
}
closeServer();
if (process.env.E2E_SHOTS) console.log(`e2e: screenshots in ${shots}`);
else rmSync(shots, { recursive: true, force: true }); // a temporary folder: nothing left behind
console.log(failures ? `e2e: ${failures} failure(s)` : 'e2e: all passed');
process.exit(failures ? 1 : 0);

/** Every key control and the live angle lie inside the viewport at scroll 0; no horizontal overflow. */
async function layoutCheck(page, width, height) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const boxes = await page.evaluate(() => Object.fromEntries(['preset', 'recording', 'play', 'connect', 'stop', 'angle', 'status'].map((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return [id, { left: r.left, top: r.top, right: r.right, bottom: r.bottom }];
  })));
  const outside = Object.entries(boxes).filter(([, b]) => b.left < 0 || b.top < 0 || b.right > width || b.bottom > height).map(([id, b]) => `${id} ${Math.round(b.left)},${Math.round(b.top)}–${Math.round(b.right)},${Math.round(b.bottom)}`);
  check(outside.length === 0, `${width}×${height}: Motion, Play, Connect, Stop and the live angle on screen without scrolling${outside.length ? ` (outside: ${outside.join('; ')})` : ` (Play bottom ${Math.round(boxes.play.bottom)} px, angle bottom ${Math.round(boxes.angle.bottom)} px)`}`);
  const overflowPx = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflowPx <= 0, `${width}×${height}: no horizontal scrolling (overflow ${overflowPx} px)`);
}

/** Section 7: an emulated Movesense over Web Bluetooth (CDP BluetoothEmulation on the browser, DeviceAccess on the page). */
async function emulatedMovesense(context, page) {
  const MS = { service: '34802252-7185-4d5d-b431-630e7050e8f0', write: '34800001-7185-4d5d-b431-630e7050e8f0', notify: '34800002-7185-4d5d-b431-630e7050e8f0' };
  const CCCD = '00002902-0000-1000-8000-00805f9b34fb';
  const address = '0C:8C:DC:00:00:01';
  const bt = await context.browser().newBrowserCDPSession();
  const pageCdp = await context.newCDPSession(page);
  const ops = [];
  const writes = [];
  const answered = new Set();
  bt.on('BluetoothEmulation.gattOperationReceived', (e) => {
    ops.push(e.type); if (process.env.E2E_DEBUG) console.log('ble op', e.type, Date.now() % 100000);
    void bt.send('BluetoothEmulation.simulateGATTOperationResponse', { address: e.address, type: e.type, code: 0 }).catch(() => {});
  });
  bt.on('BluetoothEmulation.characteristicOperationReceived', (e) => {
    ops.push(e.type); if (process.env.E2E_DEBUG) console.log('ble op', e.type, Date.now() % 100000);
    if (e.type === 'write') writes.push(Buffer.from(e.data, 'base64').toString('hex'));
    void bt.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId: e.characteristicId, type: e.type, code: 0 }).catch(() => {});
  });
  bt.on('BluetoothEmulation.descriptorOperationReceived', (e) => {
    void bt.send('BluetoothEmulation.simulateDescriptorOperationResponse', { descriptorId: e.descriptorId, type: e.type, code: 0 }).catch(() => {});
  });
  pageCdp.on('DeviceAccess.deviceRequestPrompted', (e) => {
    if (process.env.E2E_DEBUG) console.log('prompt', JSON.stringify(e), Date.now() % 100000);
    // The chooser: pick the emulated sensor, once per prompt (it is reported twice; answering
    // the same prompt twice can close the tab).
    if (e.devices.length && !answered.has(e.id)) {
      answered.add(e.id);
      void pageCdp.send('DeviceAccess.selectPrompt', { id: e.id, deviceId: e.devices[0].id }).catch(() => {});
    }
  });
  await bt.send('BluetoothEmulation.enable', { state: 'powered-on', leSupported: true });
  try {
    await bt.send('BluetoothEmulation.simulatePreconnectedPeripheral', { address, name: 'Movesense 000000000001', manufacturerData: [], knownServiceUuids: [MS.service] });
    const { serviceId } = await bt.send('BluetoothEmulation.addService', { address, serviceUuid: MS.service });
    await bt.send('BluetoothEmulation.addCharacteristic', { serviceId, characteristicUuid: MS.write, properties: { write: true, writeWithoutResponse: true } });
    const { characteristicId: notifyId } = await bt.send('BluetoothEmulation.addCharacteristic', { serviceId, characteristicUuid: MS.notify, properties: { notify: true } });
    await bt.send('BluetoothEmulation.addDescriptor', { characteristicId: notifyId, descriptorUuid: CCCD });
    await pageCdp.send('DeviceAccess.enable');
    await page.selectOption('#driver', 'movesense');
    await page.click('#connect');
    const hello = '0001';
    const subscribe = Buffer.concat([Buffer.from([0x01, 0x63]), Buffer.from('/Meas/IMU6/104')]).toString('hex');
    for (let i = 0; i < 75 && writes.length < 2; i++) await page.waitForTimeout(200);
    check(ops.includes('connection') && ops.includes('subscribe-to-notifications'), `emulated Movesense: GATT connection and notifications started (${[...new Set(ops)].join(', ')})`);
    check(writes[0] === hello && writes[1] === subscribe, `emulated Movesense: start commands ${writes.slice(0, 2).join(' | ')} = HELLO ${hello} | ${subscribe} (01 63 "/Meas/IMU6/104")`);
    const status = await page.textContent('#status');
    check(/^Live movesense: waiting for the still neutral pose/.test(status), `page status after connect: "${status}"`);
    // The emulated sensor never sends a sample: after 1.5 s of silence the live signal-lost warning shows.
    const lost = await page.waitForSelector('#warnings li[data-warning="signal-lost"]', { timeout: 5000 }).then((e) => e.textContent()).catch(() => null);
    check(/^Signal lost: no data for \d/.test(lost ?? ''), `live sensor silent: "${lost}"`);
    await page.click('#stop');
    for (let i = 0; i < 25 && writes.length < 3; i++) await page.waitForTimeout(200);
    check(writes[2] === '0263', `Stop writes the unsubscribe 02 63 (${writes[2]})`);
  } finally {
    await bt.send('BluetoothEmulation.disable').catch(() => {});
    await pageCdp.detach().catch(() => {});
    await bt.detach().catch(() => {});
  }
}

/**
 * Section 9: the two-sensor knee live: two emulated Movesense (distinct addresses), the thigh
 * chosen in the first chooser, the shank in the second (one click each, by keyboard), both
 * started with HELLO + subscribe, both listed as connected; both silent → "signal lost" for
 * each; the shank's link dropped → only the shank shows it; Stop unsubscribes both.
 */
async function emulatedTwoSensors(context, page) {
  const MS = { service: '34802252-7185-4d5d-b431-630e7050e8f0', write: '34800001-7185-4d5d-b431-630e7050e8f0', notify: '34800002-7185-4d5d-b431-630e7050e8f0' };
  const CCCD = '00002902-0000-1000-8000-00805f9b34fb';
  const devs = { thigh: { address: '0C:8C:DC:00:00:11', name: 'Movesense 000000000011' }, shank: { address: '0C:8C:DC:00:00:12', name: 'Movesense 000000000012' } };
  const bt = await context.browser().newBrowserCDPSession();
  const pageCdp = await context.newCDPSession(page);
  const writes = { thigh: [], shank: [] };
  /** characteristicId of each device's write characteristic → segment. */
  const writer = new Map();
  const answered = new Set();
  let want = 'thigh';
  bt.on('BluetoothEmulation.gattOperationReceived', (e) => {
    if (process.env.E2E_DEBUG) console.log('ble2 gatt', e.address, e.type, Date.now() % 100000);
    void bt.send('BluetoothEmulation.simulateGATTOperationResponse', { address: e.address, type: e.type, code: 0 }).catch((x) => { if (process.env.E2E_DEBUG) console.log('gatt resp err', String(x)); });
  });
  bt.on('BluetoothEmulation.characteristicOperationReceived', (e) => {
    if (process.env.E2E_DEBUG) console.log('ble2 char', writer.get(e.characteristicId) ?? e.characteristicId, e.type, Date.now() % 100000);
    if (e.type === 'write' && writer.has(e.characteristicId)) writes[writer.get(e.characteristicId)].push(Buffer.from(e.data, 'base64').toString('hex'));
    void bt.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId: e.characteristicId, type: e.type, code: 0 }).catch(() => {});
  });
  bt.on('BluetoothEmulation.descriptorOperationReceived', (e) => {
    void bt.send('BluetoothEmulation.simulateDescriptorOperationResponse', { descriptorId: e.descriptorId, type: e.type, code: 0 }).catch(() => {});
  });
  const prompted = [];
  pageCdp.on('DeviceAccess.deviceRequestPrompted', (e) => {
    if (process.env.E2E_DEBUG) console.log('prompt', JSON.stringify(e));
    // Pick the sensor this step is for (the chooser lists devices by address), once per prompt, when listed.
    const d = e.devices.find((x) => x.id === devs[want].address);
    if (d && !answered.has(e.id)) {
      answered.add(e.id);
      prompted.push(`${want}: ${d.id}`);
      void pageCdp.send('DeviceAccess.selectPrompt', { id: e.id, deviceId: d.id }).catch(() => {});
    }
  });
  await bt.send('BluetoothEmulation.enable', { state: 'powered-on', leSupported: true });
  try {
    for (const [seg, { address, name }] of Object.entries(devs)) {
      await bt.send('BluetoothEmulation.simulatePreconnectedPeripheral', { address, name, manufacturerData: [], knownServiceUuids: [MS.service] });
      const { serviceId } = await bt.send('BluetoothEmulation.addService', { address, serviceUuid: MS.service });
      const { characteristicId: writeId } = await bt.send('BluetoothEmulation.addCharacteristic', { serviceId, characteristicUuid: MS.write, properties: { write: true, writeWithoutResponse: true } });
      writer.set(writeId, seg);
      const { characteristicId: notifyId } = await bt.send('BluetoothEmulation.addCharacteristic', { serviceId, characteristicUuid: MS.notify, properties: { notify: true } });
      await bt.send('BluetoothEmulation.addDescriptor', { characteristicId: notifyId, descriptorUuid: CCCD });
    }
    await pageCdp.send('DeviceAccess.enable');
    await page.selectOption('#preset', 'knee-flexion-2s');
    await page.selectOption('#driver', 'movesense');
    const label1 = (await page.textContent('#connect')).trim();
    check(label1 === 'Connect thigh sensor', `two-sensor preset: the Connect button says "${label1}"`);
    const hello = '0001';
    const subscribe = Buffer.concat([Buffer.from([0x01, 0x63]), Buffer.from('/Meas/IMU6/104')]).toString('hex');
    /** Thigh then shank, one keyboard press on Connect each; resolves once both are started. */
    async function connectBoth(round) {
      want = 'thigh';
      const w0 = { thigh: writes.thigh.length, shank: writes.shank.length };
      await page.focus('#connect');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#sensors li[data-sensor="thigh"][data-link="chosen"]', { timeout: 10_000 });
      if (round === 1) {
        const label2 = (await page.textContent('#connect')).trim();
        const status1 = await page.textContent('#status');
        check(label2 === 'Connect shank sensor' && status1.includes(devs.thigh.name) && writes.thigh.length === 0, `thigh chosen (${devs.thigh.name}), nothing started yet; the button now says "${label2}"; status "${status1}"`);
      }
      want = 'shank';
      await page.focus('#connect');
      await page.keyboard.press('Enter');
      for (let i = 0; i < 75 && (writes.thigh.length < w0.thigh + 2 || writes.shank.length < w0.shank + 2); i++) await page.waitForTimeout(200);
      await page.waitForFunction(() => document.querySelectorAll('#sensors li[data-link="connected"]').length === 2, null, { timeout: 5000 }).catch(() => {});
      return w0;
    }
    // Round 1: both connected, both silent, Stop.
    await connectBoth(1);
    check(prompted.length === 2, `two choosers, one per sensor (${prompted.join(' | ')})`);
    for (const seg of ['thigh', 'shank']) check(writes[seg][0] === hello && writes[seg][1] === subscribe, `${seg} (${devs[seg].address}): start commands ${writes[seg].slice(0, 2).join(' | ')} = HELLO ${hello} | 01 63 "/Meas/IMU6/104"`);
    const lines = await page.locator('#sensors li').allTextContents();
    const connected = await page.locator('#sensors li[data-link="connected"]').count();
    check(connected === 2 && lines[0].startsWith(`Thigh sensor: ${devs.thigh.name}, connected`) && lines[1].startsWith(`Shank sensor: ${devs.shank.name}, connected`), `status lists both sensors connected: ${lines.join(' / ')}`);
    await page.screenshot({ path: join(shots, 'clinic-two-sensors-1280.png') });
    const status2 = await page.textContent('#status');
    check(/^Live thigh \+ shank \(movesense\): waiting for the still neutral pose/.test(status2), `page status: "${status2}"`);
    // Neither sends a sample: after 1.5 s each one shows "signal lost", named.
    await page.waitForFunction(() => document.querySelectorAll('#warnings li[data-warning="signal-lost"]').length === 2, null, { timeout: 5000 }).catch(() => {});
    const lost = await page.locator('#warnings li[data-warning="signal-lost"]').allTextContents();
    const lostLines = await page.locator('#sensors li[data-signal="lost"]').count();
    check(lost.length === 2 && /^Signal lost from the thigh sensor: no data for \d/.test(lost[0]) && /^Signal lost from the shank sensor/.test(lost[1]) && lostLines === 2, `both silent: ${lost.join(' / ')}`);
    await page.click('#stop');
    for (let i = 0; i < 25 && !(writes.thigh.includes('0263') && writes.shank.includes('0263')); i++) await page.waitForTimeout(200);
    const stopped = await page.locator('#sensors li[data-link="stopped"]').count();
    check(writes.thigh[2] === '0263' && writes.shank[2] === '0263' && stopped === 2, `Stop unsubscribes both (thigh ${writes.thigh[2]}, shank ${writes.shank[2]}: 02 63), both listed as stopped`);
    const label3 = (await page.textContent('#connect')).trim();
    check(label3 === 'Connect thigh sensor', `after Stop the button starts again with the thigh ("${label3}")`);
    // Round 2: connect both again, then the shank's link drops: only the shank line shows it.
    const w0 = await connectBoth(2);
    check(writes.thigh[w0.thigh + 1] === subscribe && writes.shank[w0.shank + 1] === subscribe, `connected again: both subscribed (${prompted.length} choosers in all)`);
    if (process.env.E2E_DEBUG) console.log('disconnect shank', Date.now() % 100000);
    await bt.send('BluetoothEmulation.simulateGATTDisconnection', { address: devs.shank.address });
    const dropped = await page.waitForSelector('#sensors li[data-sensor="shank"]:is([data-link="disconnected"], [data-link="reconnecting"])', { timeout: 5000 }).then((e) => e.textContent()).catch(() => null);
    const thighLink = await page.getAttribute('#sensors li[data-sensor="thigh"]', 'data-link');
    check(dropped !== null && thighLink === 'connected', `shank link dropped: "${dropped}"; thigh still ${thighLink}`);
    await page.click('#stop');
    const w1 = writes.thigh.length;
    for (let i = 0; i < 25 && !writes.thigh.slice(w0.thigh).includes('0263'); i++) await page.waitForTimeout(200);
    const stopped2 = await page.locator('#sensors li[data-link="stopped"]').count();
    check(writes.thigh.slice(w0.thigh).includes('0263') && stopped2 === 2, `Stop after the drop: thigh unsubscribed (${writes.thigh.slice(w1 - 1).join(' ')}), both listed as stopped`);
    // The same sensor chosen twice is refused; Stop cancels a half-made choice, nothing is started.
    const w2 = { thigh: writes.thigh.length, shank: writes.shank.length };
    want = 'thigh';
    await page.focus('#connect');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#sensors li[data-sensor="thigh"][data-link="chosen"]', { timeout: 10_000 });
    await page.focus('#connect');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /already the thigh sensor/.test(document.getElementById('status').textContent), null, { timeout: 10_000 }).catch(() => {});
    const twice = await page.textContent('#status');
    const label4 = (await page.textContent('#connect')).trim();
    check(/already the thigh sensor: choose the other one for the shank/.test(twice) && label4 === 'Connect shank sensor', `same sensor twice: "${twice}", still asking for the shank`);
    await page.focus('#stop');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    const cancelled = await page.textContent('#status');
    const label5 = (await page.textContent('#connect')).trim();
    const idle = writes.thigh.length === w2.thigh && writes.shank.length === w2.shank;
    check(cancelled === 'Sensor choice cancelled.' && label5 === 'Connect thigh sensor' && idle && (await page.isDisabled('#stop')), `Stop (keyboard) cancels the choice: "${cancelled}", button "${label5}", nothing written`);
  } finally {
    await bt.send('BluetoothEmulation.disable').catch(() => {});
  }
}
