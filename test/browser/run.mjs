#!/usr/bin/env node
// Real-browser test of the Web Bluetooth path (not part of `npm test`: it needs Chromium).
//   npm run test:browser            CHROMIUM=/path overrides /usr/bin/chromium; -v logs every CDP event
// Builds examples/browser, serves it on an ephemeral localhost port and drives headless
// Chromium through playwright-core. DevTools `BluetoothEmulation` emulates an adapter with a
// Movesense and a Polar Verity Sense (services, characteristics, 2902 descriptors); every GATT
// operation the page makes is answered here and recorded, the chooser is answered through
// `DeviceAccess`. Asserts: the page's Connect selects the emulated device, connects, discovers
// the services, enables notifications and writes the exact command bytes; the page shows
// "connected"; after an emulated link drop it reconnects and writes the start commands again;
// Stop unsubscribes; the Replay demo (FakeTransport + the bundled capture) counts 5 reps; the page
// logs no errors. Recording: a page streams a simulated session into IndexedDB and OPFS, is
// reloaded mid-stream (a tab closed), and reads back every block whose write had completed,
// bit for bit, replaying to the same orientation. Writes docs/browser-example.png.
// Exit 0 pass, 1 fail, 2 no Chromium.
// Emulation cannot push notification values, so the Polar answers (settings, start status)
// never arrive: the page must report the driver's timeout naming the command it sent.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExample, repoRoot, serveDir } from '../../scripts/browser-example.mjs';

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  process.stderr.write(`test:browser: no Chromium at ${executablePath} (install Debian's chromium, or set CHROMIUM=/path/to/chrome)\n`);
  process.exit(2);
}
const verbose = process.argv.includes('-v');
const TOTAL_TIMEOUT_MS = 60_000;
const started = Date.now();

const PMD = {
  service: 'fb005c80-02e7-f387-1cad-8acd2d8df0c8',
  control: 'fb005c81-02e7-f387-1cad-8acd2d8df0c8',
  data: 'fb005c82-02e7-f387-1cad-8acd2d8df0c8',
};
const GSP = {
  service: '34802252-7185-4d5d-b431-630e7050e8f0',
  write: '34800001-7185-4d5d-b431-630e7050e8f0',
  notify: '34800002-7185-4d5d-b431-630e7050e8f0',
};
const CCCD = '00002902-0000-1000-8000-00805f9b34fb';
const POLAR = { address: '0C:8C:DC:11:22:33', name: 'Polar Sense B5D3A12F' };
const MOVESENSE = { address: '0C:8C:DC:44:55:66', name: 'Movesense 214530000777' };
/** PMD control point read: [0x0f, features]; features ACC 0x04 | GYRO 0x20 | MAG 0x40 | PPG 0x02. */
const PMD_FEATURES = '0f 66';

// Expected bytes, written out by hand from shared/reference/sensors.md (not computed by the library).
const EXPECT = {
  movesenseHello: '00 01',
  // SUBSCRIBE, reference 0x63, "/Meas/IMU6/52"
  movesenseSubscribe: '01 63 ' + Buffer.from('/Meas/IMU6/52').toString('hex').replace(/(..)(?!$)/g, '$1 '),
  movesenseUnsubscribe: '02 63',
  polarAccSettingsQuery: '01 02',
  // START ACC: sample rate (0) 1 value 52 Hz, resolution (1) 1 value 16 bit, range (2) 1 value 8 g
  polarAccStart: '02 02 00 01 34 00 01 01 10 00 02 01 08 00',
};

const hex = (b64) => Buffer.from(b64 ?? '', 'base64').toString('hex').replace(/(..)(?!$)/g, '$1 ');
const b64 = (h) => Buffer.from(h.replace(/\s+/g, ''), 'hex').toString('base64');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The recording check's page (test/browser/recordPage.ts) next to the example, same origin. */
async function buildRecordPage(dir) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(repoRoot, 'test/browser/recordPage.ts')],
    outfile: join(dir, 'record.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'record.html'), '<!doctype html><meta charset="utf-8"><title>kinemetry recording check</title><script type="module" src="record.js"></script>\n');
}

const results = [];
function check(name, ok, detail = '') {
  results.push({ name, ok });
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'}  ${name}${detail ? `  — ${detail}` : ''}\n`);
  return ok;
}
async function waitFor(what, fn, timeoutMs = 15_000) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

const { chromium } = await import('playwright-core');
const outDir = await buildExample();
await buildRecordPage(outDir);
const server = await serveDir(outDir, 0);
const userDataDir = mkdtempSync(join(tmpdir(), 'kinemetry-chromium-'));
let context;
const watchdog = setTimeout(() => {
  process.stderr.write(`test:browser: FAIL — no result within ${TOTAL_TIMEOUT_MS / 1000} s\n`);
  process.exit(1);
}, TOTAL_TIMEOUT_MS);

try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 900, height: 620 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-features=WebBluetooth'],
  });
  const browser = context.browser();
  if (!browser) throw new Error('playwright gave no Browser for the persistent context (needed for a browser-scoped CDP session)');
  const bt = await browser.newBrowserCDPSession();

  // ---- the emulated adapter and peripherals ----
  await bt.send('BluetoothEmulation.enable', { state: 'powered-on', leSupported: true });
  /** characteristicId / descriptorId → { device, uuid } */
  const ids = new Map();
  /** Every operation the page made, in order: { device, target, uuid, type, hex, writeType } */
  const ops = [];
  async function peripheral(dev, services) {
    await bt.send('BluetoothEmulation.simulatePreconnectedPeripheral', { address: dev.address, name: dev.name, manufacturerData: [], knownServiceUuids: services.map((s) => s.uuid) });
    await addServices(dev, services);
  }
  async function addServices(dev, services) {
    for (const s of services) {
      const { serviceId } = await bt.send('BluetoothEmulation.addService', { address: dev.address, serviceUuid: s.uuid });
      for (const c of s.characteristics) {
        const { characteristicId } = await bt.send('BluetoothEmulation.addCharacteristic', { serviceId, characteristicUuid: c.uuid, properties: c.properties });
        ids.set(characteristicId, { device: dev.name, uuid: c.uuid, read: c.read });
        if (c.properties.notify || c.properties.indicate) {
          const { descriptorId } = await bt.send('BluetoothEmulation.addDescriptor', { characteristicId, descriptorUuid: CCCD });
          ids.set(descriptorId, { device: dev.name, uuid: `${c.uuid}/2902` });
        }
      }
    }
  }
  const answer = (method, params) =>
    bt.send(method, params).catch((err) => {
      if (verbose) process.stdout.write(`      (${method} failed: ${err.message})\n`);
    });
  bt.on('BluetoothEmulation.gattOperationReceived', (e) => {
    if (verbose) process.stdout.write(`      gatt ${e.type} ${e.address}\n`);
    ops.push({ device: e.address, target: 'gatt', uuid: '', type: e.type, hex: '' });
    void answer('BluetoothEmulation.simulateGATTOperationResponse', { address: e.address, type: e.type, code: 0 });
  });
  bt.on('BluetoothEmulation.characteristicOperationReceived', (e) => {
    const c = ids.get(e.characteristicId) ?? { device: '?', uuid: e.characteristicId };
    const op = { device: c.device, target: 'characteristic', uuid: c.uuid, type: e.type, hex: hex(e.data), writeType: e.writeType };
    ops.push(op);
    if (verbose) process.stdout.write(`      ${c.device} ${c.uuid.slice(0, 8)} ${e.type}${e.writeType ? ` (${e.writeType})` : ''} ${op.hex}\n`);
    const response = { characteristicId: e.characteristicId, type: e.type, code: 0 };
    if (e.type === 'read') response.data = b64(c.read ?? '');
    void answer('BluetoothEmulation.simulateCharacteristicOperationResponse', response);
  });
  bt.on('BluetoothEmulation.descriptorOperationReceived', (e) => {
    const d = ids.get(e.descriptorId) ?? { device: '?', uuid: e.descriptorId };
    ops.push({ device: d.device, target: 'descriptor', uuid: d.uuid, type: e.type, hex: hex(e.data) });
    if (verbose) process.stdout.write(`      ${d.device} ${d.uuid.slice(0, 8)}/2902 ${e.type} ${hex(e.data)}\n`);
    const response = { descriptorId: e.descriptorId, type: e.type, code: 0 };
    if (e.type === 'read') response.data = b64('00 00');
    void answer('BluetoothEmulation.simulateDescriptorOperationResponse', response);
  });
  const MOVESENSE_SERVICES = [
    {
      uuid: GSP.service,
      characteristics: [
        { uuid: GSP.write, properties: { write: true, writeWithoutResponse: true } },
        { uuid: GSP.notify, properties: { notify: true } },
      ],
    },
  ];
  await peripheral(MOVESENSE, MOVESENSE_SERVICES);
  await peripheral(POLAR, [
    {
      uuid: PMD.service,
      characteristics: [
        { uuid: PMD.control, properties: { read: true, write: true, indicate: true }, read: PMD_FEATURES },
        { uuid: PMD.data, properties: { notify: true } },
      ],
    },
  ]);

  // ---- the page ----
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(`${server.url}?timeoutMs=1500`, { waitUntil: 'load' });
  check('page exposes navigator.bluetooth', await page.evaluate(() => typeof navigator.bluetooth?.requestDevice === 'function'));

  // The chooser: answer each prompt id exactly once (a second answer crashes the browser).
  const pageCdp = await context.newCDPSession(page);
  await pageCdp.send('DeviceAccess.enable');
  const answeredPrompts = new Set();
  let wanted = null;
  const prompts = [];
  pageCdp.on('DeviceAccess.deviceRequestPrompted', (e) => {
    if (verbose) process.stdout.write(`      prompt ${e.id}: ${e.devices.map((d) => `${d.name} (${d.id})`).join(', ') || '(no devices yet)'}\n`);
    if (answeredPrompts.has(e.id) || !wanted) return;
    const device = e.devices.find((d) => d.id === wanted.address || d.name === wanted.name);
    if (!device) return; // the list fills as the scan finds devices: wait for the next update of this prompt
    answeredPrompts.add(e.id);
    prompts.push({ id: e.id, offered: e.devices.map((d) => d.id), chose: device.id });
    void pageCdp.send('DeviceAccess.selectPrompt', { id: e.id, deviceId: device.id }).catch((err) => process.stdout.write(`      selectPrompt failed: ${err.message}\n`));
  });
  const status = () => page.locator('#status').textContent();
  const trace = () => page.evaluate(() => window.kinemetryExample);
  const writesTo = (device, uuid, from) => ops.slice(from).filter((o) => o.device === device && o.uuid === uuid && o.type === 'write').map((o) => o.hex);
  const subscribed = (device, uuid, from) => ops.slice(from).some((o) => o.device === device && ((o.uuid === uuid && o.type === 'subscribe-to-notifications') || (o.uuid === `${uuid}/2902` && o.type === 'write' && /^0[12] 00$/.test(o.hex))));

  // ---- 1. Movesense: connect, subscribe, HELLO + SUBSCRIBE /Meas/IMU6/52, streaming, stop ----
  {
    const from = ops.length;
    wanted = MOVESENSE;
    await page.selectOption('#driver', 'movesense');
    await page.click('#connect');
    await waitFor('the Movesense to stream', async () => (await trace()).state === 'streaming' || (await trace()).state === 'error');
    const t = await trace();
    check('movesense: chooser offered the emulated device, chosen once', prompts.length === 1 && prompts[0].chose === MOVESENSE.address, JSON.stringify(prompts));
    check('movesense: GATT connection requested', ops.slice(from).some((o) => o.target === 'gatt' && o.type === 'connection'));
    check('movesense: notifications enabled on 34800002', subscribed(MOVESENSE.name, GSP.notify, from));
    const w = writesTo(MOVESENSE.name, GSP.write, from);
    check(`movesense: writes HELLO [${EXPECT.movesenseHello}] then SUBSCRIBE [${EXPECT.movesenseSubscribe}]`, w.length === 2 && w[0] === EXPECT.movesenseHello && w[1] === EXPECT.movesenseSubscribe, `wrote ${JSON.stringify(w)}`);
    check('movesense: page shows "connected"', /^connected: streaming from Movesense 214530000777/.test(await status()), `status: ${await status()} | ${t.statuses.join(' → ')}`);
    // The link drops (device out of range): the stream reconnects, resubscribes and starts again.
    const beforeDrop = ops.length;
    await bt.send('BluetoothEmulation.simulateGATTDisconnection', { address: MOVESENSE.address });
    // The emulation forgets a peripheral's services when its link drops (a reconnect then
    // discovers none): add them again, as a real device would offer them again.
    await addServices(MOVESENSE, MOVESENSE_SERVICES);
    await waitFor('the reconnect', async () => (await trace()).statuses.at(-1)?.includes('reconnected') || (await trace()).state === 'error', 15_000).catch(() => null);
    const tr = await trace();
    check('movesense: page saw the dropped link and reconnected', tr.events.some((e) => /link lost/.test(e)) && /^connected: streaming from .*reconnected, attempt 1/.test(await status()), `${await status()} | ${tr.events.join(' ; ')}`);
    check('movesense: after the reconnect, GATT connection, notifications and HELLO + SUBSCRIBE again',
      ops.slice(beforeDrop).some((o) => o.target === 'gatt' && o.type === 'connection') && subscribed(MOVESENSE.name, GSP.notify, beforeDrop) &&
      writesTo(MOVESENSE.name, GSP.write, beforeDrop).join() === [EXPECT.movesenseHello, EXPECT.movesenseSubscribe].join(),
      `wrote ${JSON.stringify(writesTo(MOVESENSE.name, GSP.write, beforeDrop))}`);
    const beforeStop = ops.length;
    await page.click('#stop');
    await waitFor('the UNSUBSCRIBE write', async () => writesTo(MOVESENSE.name, GSP.write, beforeStop).length >= 1, 5000).catch(() => null);
    const ws = writesTo(MOVESENSE.name, GSP.write, beforeStop);
    check(`movesense: Stop writes UNSUBSCRIBE [${EXPECT.movesenseUnsubscribe}]`, ws[0] === EXPECT.movesenseUnsubscribe, `wrote ${JSON.stringify(ws)}`);
  }

  // ---- 2. Polar, settings checked first: control point + data CCCDs, feature read, GET_SETTINGS ACC ----
  for (const [checkSettings, expected, label] of [
    [true, EXPECT.polarAccSettingsQuery, 'GET_SETTINGS ACC'],
    [false, EXPECT.polarAccStart, 'START ACC 52 Hz, 16 bit, ±8 g'],
  ]) {
    const from = ops.length;
    const nPrompts = prompts.length;
    wanted = POLAR;
    await page.selectOption('#driver', 'polar');
    await page.setChecked('#check-settings', checkSettings);
    await page.click('#connect');
    await waitFor('the Polar driver to give up waiting for its answer', async () => (await trace()).state === 'error', 15_000);
    const t = await trace();
    const tag = `polar (check settings ${checkSettings ? 'on' : 'off'})`;
    check(`${tag}: chooser offered only the Polar, chosen once`, prompts.length === nPrompts + 1 && prompts.at(-1).offered.join() === POLAR.address, JSON.stringify(prompts.at(-1)));
    check(`${tag}: page showed "connected"`, t.statuses.some((s) => s.startsWith(`connected to ${POLAR.name}`)), t.statuses.join(' → '));
    check(`${tag}: indications on fb005c81 and notifications on fb005c82 enabled`, subscribed(POLAR.name, PMD.control, from) && subscribed(POLAR.name, PMD.data, from));
    const reads = ops.slice(from).filter((o) => o.device === POLAR.name && o.uuid === PMD.control && o.type === 'read');
    check(`${tag}: feature bitmap read from the control point`, reads.length === 1);
    const w = writesTo(POLAR.name, PMD.control, from);
    check(`${tag}: first command written is ${label} [${expected}]`, w[0] === expected, `wrote ${JSON.stringify(w)}`);
    check(`${tag}: page reports the unanswered command`, /BleCommandError/.test(await status()) && (await status()).includes(expected), await status());
  }

  // ---- 3. Replay demo: FakeTransport + the bundled Movesense capture → 5 reps ----
  {
    await page.click('#replay');
    await waitFor('the replay to finish', async () => ['done', 'error'].includes((await trace()).state), 30_000);
    const t = await trace();
    check('replay: 5 reps', t.reps === 5 && (await page.locator('#reps').textContent()) === '5', `status: ${await status()}, reps ${t.reps}`);
    check('replay: a live angle was shown', /^-?\d+$/.test((await page.locator('#angle').textContent()) ?? ''));
    check('replay: the reconnect after the dropped link was shown', t.events.some((e) => /connected again/.test(e)) && t.events.some((e) => /gap of/.test(e)));
    const shot = join(repoRoot, 'docs/browser-example.png');
    await page.screenshot({ path: shot, fullPage: true });
    const kb = statSync(shot).size / 1024;
    check('screenshot docs/browser-example.png < 200 KB', kb < 200, `${kb.toFixed(0)} KB`);
  }
  // ---- 4. Recording into IndexedDB and OPFS, the tab reloaded mid-stream, everything durable read back ----
  {
    const rec = await context.newPage();
    rec.on('pageerror', (err) => pageErrors.push(`record page: ${err.message}`));
    await rec.goto(`${server.url}record.html`, { waitUntil: 'load' });
    await rec.waitForFunction(() => window.kinemetryRecord !== undefined);
    await rec.evaluate(() => window.kinemetryRecord.startRecording());
    const durableSum = (p, store) => Object.values(p.durable[store]).reduce((a, b) => a + b, 0);
    // Reload once a quarter is stored: the stream (20 s of data at a block per 8 ms, ≈ 6 s) is then far from its end.
    const p0 = await waitFor('a quarter of the stream stored', async () => {
      const p = await rec.evaluate(() => JSON.parse(JSON.stringify(window.kinemetryRecord.progress)));
      if (p.error) throw new Error(`recording failed: ${p.error}`);
      return p.total > 0 && durableSum(p, 'indexeddb') >= p.total / 4 && durableSum(p, 'opfs') >= p.total / 4 ? p : null;
    }, 20_000);
    await rec.reload({ waitUntil: 'load' }); // the tab closes mid-stream: no close(), no flush
    await rec.waitForFunction(() => window.kinemetryRecord !== undefined);
    const back = await rec.evaluate(() => window.kinemetryRecord.readBack());
    for (const store of ['indexeddb', 'opfs']) {
      const r = back[store];
      if (typeof r === 'string') {
        check(`recording (${store}): read back after the reload`, false, r);
        continue;
      }
      const stored = r.reduce((n, s) => n + s.samples, 0);
      const ids = r.map((s) => s.sensorId).sort().join();
      const before = durableSum(p0, store);
      check(`recording (${store}): both sensors stored, every sample written before the reload kept, cut mid-stream`, ids === 'shank,thigh' && r.every((s) => s.samples >= (p0.durable[store][s.sensorId] ?? 0)) && stored < p0.total,
        `${stored} of ${p0.total} samples stored; ${before} acknowledged before the reload; pieces ${r.map((s) => `${s.sensorId} ${s.pieces}`).join(', ')}`);
      check(`recording (${store}): stored samples identical to the stream's (t, acc, gyr, bit for bit)`, r.every((s) => s.identical));
      check(`recording (${store}): replay fuses to the identical orientation`, r.every((s) => s.replayIdentical));
    }
    await rec.close();
  }
  check('page logged no errors', pageErrors.length === 0, pageErrors.join(' | '));
} catch (err) {
  check('test ran to the end', false, err?.stack ?? String(err));
} finally {
  clearTimeout(watchdog);
  await context?.close().catch(() => undefined);
  await server.close();
  rmSync(userDataDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
}
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`\ntest:browser: ${results.length - failed}/${results.length} checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
process.exit(failed ? 1 : 0);
