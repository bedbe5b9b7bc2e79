/**
 * Drivers started against a FakeTransport replaying captures: the command bytes each driver
 * writes, and exact sample counts of the replayed streams.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectSensor } from '../../../src/io/ble/connect';
import { BleCommandError, BleConfigError, BleGattError } from '../../../src/io/ble/errors';
import type { BleProblem } from '../../../src/io/ble/errors';
import { bytesToHex } from '../../../src/io/ble/hex';
import type { BleDriver } from '../../../src/io/ble/driver';
import { formatBleCapture, parseBleCapture } from '../../../src/io/ble/capture';
import { CaptureRecorder } from '../../../src/io/ble/captureRecorder';
import { FakeTransport } from '../../../src/io/ble/fakeTransport';
import { METAWEAR_COMMAND, METAWEAR_NOTIFY, METAWEAR_SERVICE, MetaWearDriver } from '../../../src/io/ble/metawear';
import { MOVESENSE_GSP, MOVESENSE_GSP_FDF3, MovesenseDriver, movesenseSubscribe } from '../../../src/io/ble/movesense';
import { PMD_CONTROL, PMD_DATA, PMD_SERVICE } from '../../../src/io/ble/polarPmdProtocol';
import { PolarPmdDriver } from '../../../src/io/ble/polarPmd';
import { NORDIC_UART, nordicUartProfile } from '../../../src/io/ble/profilePresets';
import { GenericProfileDriver } from '../../../src/io/ble/genericProfile';
import { THINGY_CONFIG, THINGY_CONFIGURATION_SERVICE, THINGY_MOTION_SERVICE, THINGY_QUATERNION, THINGY_RAW, Thingy52Driver } from '../../../src/io/ble/thingy52';
import { WITMOTION_NOTIFY, WITMOTION_SERVICE, WITMOTION_WRITE, WitMotionDriver } from '../../../src/io/ble/witmotion';
import type { SampleBlock } from '../../../src/samples/block';
import { CaptureBuilder } from './captureBuilder';
import { f32, i16, i32, packDeltas, u16, u32, u64, utf8 } from './bytes';

async function replay(fake: FakeTransport, driver: BleDriver) {
  const blocks: SampleBlock[] = [];
  const problems: BleProblem[] = [];
  let disconnects = 0;
  const conn = await connectSensor(fake, driver, {
    onBlock: (b) => blocks.push(b),
    onProblem: (p) => problems.push(p),
    onDisconnect: () => disconnects++,
    nowS: () => fake.nowS(),
    responseTimeoutMs: 200,
  });
  await fake.whenDone();
  const samples = blocks.reduce((n, b) => n + b.tS.length, 0);
  return { conn, blocks, problems, samples, disconnects, writes: fake.writes.map((w) => bytesToHex(w.bytes)) };
}

function allIncreasing(blocks: SampleBlock[]): boolean {
  let last = -Infinity;
  for (const b of blocks) for (const t of b.tS) if (!(t > last)) return false;
  else last = t;
  return true;
}

// ---- Polar ----
const T0 = 700_000_000_000_000_000n;
const PERIOD_NS = 19_230_769n; // 52 Hz
const ACC_FACTOR = 0.000244140625;
const GYRO_FACTOR = 0.06103515625;

/** Compressed frame of `n` samples ending at sample index `last`: ramps with small deltas (3-bit). */
function polarFrame(type: number, last: number, n: number): number[] {
  const ref = [100, -100, 1000].flatMap(i16);
  const deltas = Array.from({ length: n - 1 }, (_, k) => [1, -1, (k % 3) - 1]);
  return [type, ...u64(T0 + BigInt(last) * PERIOD_NS), 0x80, ...ref, 3, n - 1, ...packDeltas(3, deltas)];
}

function polarCapture(frames: number, samplesPerFrame: number, opts: { disconnectAfter?: number; startStatus?: number } = {}) {
  const c = new CaptureBuilder('Polar Sense B5D3A12F').service(PMD_SERVICE, PMD_CONTROL, PMD_DATA);
  c.read(PMD_CONTROL, [0x0f, 0x65]);
  c.write(PMD_CONTROL, [1, 2]).notify(PMD_CONTROL, [0xf0, 1, 2, 0, 0, 0, 1, ...u16(52), 1, 1, ...u16(16), 2, 2, ...u16(8), ...u16(16)], 0.01);
  c.write(PMD_CONTROL, [2, 2, 0, 1, 52, 0, 1, 1, 16, 0, 2, 1, 8, 0]).notify(PMD_CONTROL, [0xf0, 2, 2, opts.startStatus ?? 0, 0, ...f32(ACC_FACTOR)], 0.01);
  c.write(PMD_CONTROL, [1, 5]).notify(PMD_CONTROL, [0xf0, 1, 5, 0, 0, 0, 1, ...u16(52), 1, 1, ...u16(16), 2, 1, ...u16(2000)], 0.01);
  c.write(PMD_CONTROL, [2, 5, 0, 1, 52, 0, 1, 1, 16, 0, 2, 1, 0xd0, 7]).notify(PMD_CONTROL, [0xf0, 2, 5, 0, 0, ...f32(GYRO_FACTOR)], 0.01);
  for (let f = 0; f < frames; f++) {
    const last = (f + 1) * samplesPerFrame - 1;
    c.notify(PMD_DATA, polarFrame(2, last, samplesPerFrame), samplesPerFrame / 52);
    c.notify(PMD_DATA, polarFrame(5, last, samplesPerFrame), 0.002);
    if (opts.disconnectAfter === f) c.disconnect(0.01);
  }
  return c;
}

describe('replay: Polar PMD', () => {
  it('starts with both CCCDs, settings queries and the start commands, then decodes exactly every sample', async () => {
    const fake = polarCapture(20, 9).fake();
    const driver = new PolarPmdDriver({ sensorId: 'verity' });
    const r = await replay(fake, driver);
    expect(r.writes).toEqual(['01 02', '02 02 00 01 34 00 01 01 10 00 02 01 08 00', '01 05', '02 05 00 01 34 00 01 01 10 00 02 01 d0 07']);
    expect(fake.mismatches).toEqual([]);
    expect(driver.factors()).toEqual({ acc: ACC_FACTOR, gyro: GYRO_FACTOR });
    expect(r.problems).toEqual([]);
    expect(r.samples).toBe(180);
    expect(allIncreasing(r.blocks)).toBe(true);
    expect(r.blocks[0]!.accMS2![0]).toBeCloseTo(100 * ACC_FACTOR * 9.80665, 9);
    await r.conn.stop();
    expect(r.writes.length + 2).toBe(fake.writes.length); // stop ACC, stop GYRO
    expect(fake.writes.slice(-2).map((w) => bytesToHex(w.bytes))).toEqual(['03 02', '03 05']);
  });

  it('refuses a start the device rejects, and a device without a gyroscope', async () => {
    await expect(replay(polarCapture(1, 9, { startStatus: 8 }).fake(), new PolarPmdDriver())).rejects.toThrow(/invalid sample rate/);
    // Asking for a gyroscope on a device without one (an H10) is refused before any command; unset, it streams acc only (polarH10.test.ts).
    const h10 = new CaptureBuilder('Polar H10 1234').service(PMD_SERVICE, PMD_CONTROL, PMD_DATA).read(PMD_CONTROL, [0x0f, 0x05]).fake();
    await expect(replay(h10, new PolarPmdDriver({ gyro: { sampleRateHz: 52, resolutionBits: 16, range: 2000 } }))).rejects.toThrow(BleConfigError);
    expect(h10.isConnected).toBe(false);
    expect(h10.writes).toEqual([]);
    await expect(replay(polarCapture(1, 9).fake(), new PolarPmdDriver({ acc: { sampleRateHz: 52, resolutionBits: 16, range: 4 } }))).rejects.toThrow(/range 4 is not offered .*8, 16/);
  });
});

describe('replay: disconnects', () => {
  it('delivers everything before a disconnect line, fires gattserverdisconnected and waits for a reconnect', async () => {
    const fake = polarCapture(10, 9, { disconnectAfter: 4 }).fake();
    const blocks: SampleBlock[] = [];
    let disconnected = 0;
    await connectSensor(fake, new PolarPmdDriver(), { onBlock: (b) => blocks.push(b), onDisconnect: () => disconnected++, nowS: () => fake.nowS() });
    for (let i = 0; i < 50 && disconnected === 0; i++) await new Promise((r) => setTimeout(r, 0));
    expect(disconnected).toBe(1);
    expect(blocks.reduce((n, b) => n + b.tS.length, 0)).toBe(45);
  });

  it('injectDisconnect drops the link at once', async () => {
    const c = new CaptureBuilder('WT901BLE').service(WITMOTION_SERVICE, WITMOTION_NOTIFY, WITMOTION_WRITE);
    const fake = c.fake();
    let disconnected = 0;
    const conn = await connectSensor(fake, new WitMotionDriver(), { onBlock: () => undefined, onDisconnect: () => disconnected++ });
    expect(conn.connected).toBe(true);
    fake.injectDisconnect();
    expect(disconnected).toBe(1);
    expect(conn.connected).toBe(false);
  });
});

// ---- Movesense ----
function movesenseCapture(uuids: typeof MOVESENSE_GSP | typeof MOVESENSE_GSP_FDF3, packets: number) {
  const c = new CaptureBuilder('Movesense 203030000123').service(uuids.service, uuids.write, uuids.notify);
  c.write(uuids.write, [0, 1]).write(uuids.write, [1, 0x63, ...utf8('/Meas/IMU9/104')]);
  c.notify(uuids.notify, [1, 0x63, ...u16(200)], 0.02);
  for (let i = 0; i < packets; i++) {
    const v = Array.from({ length: 18 }, (_, k) => k + i);
    c.notify(uuids.notify, [2, 0x63, ...u32(5000 + Math.round((i * 2 * 1000) / 104)), ...f32(...v)], 2 / 104);
  }
  return c;
}

describe('replay: Movesense', () => {
  for (const uuids of [MOVESENSE_GSP, MOVESENSE_GSP_FDF3]) {
    it(`subscribes IMU9 on ${uuids.service.slice(0, 8)} and decodes N = 2 packets exactly`, async () => {
      const fake = movesenseCapture(uuids, 30).fake();
      const r = await replay(fake, new MovesenseDriver());
      expect(r.writes).toEqual(['00 01', bytesToHex(movesenseSubscribe(0x63, '/Meas/IMU9/104'))]);
      expect(fake.writes.every((w) => w.characteristic === uuids.write)).toBe(true);
      expect(r.problems).toEqual([]);
      expect(r.samples).toBe(60);
      expect(r.blocks.every((b) => b.magUT !== undefined)).toBe(true);
      expect(allIncreasing(r.blocks)).toBe(true);
      await r.conn.stop();
      expect(bytesToHex(fake.writes.at(-1)!.bytes)).toBe('02 63');
    });
  }
  it('fails clearly when neither GSP service is present', async () => {
    const fake = new CaptureBuilder('Movesense X').service(NORDIC_UART.service, NORDIC_UART.tx).fake();
    await expect(replay(fake, new MovesenseDriver())).rejects.toThrow(BleGattError);
    await expect(replay(fake, new MovesenseDriver())).rejects.toThrow(/no GSP service/);
  });
});

// ---- WitMotion ----
describe('replay: WitMotion', () => {
  it('re-syncs a stream cut at arbitrary points and counts every packet', async () => {
    const packet = (k: number) => [0x55, 0x61, ...[0, 0, 2048, k, -k, 0, 0, 0, 0].flatMap(i16)];
    const bytes = Array.from({ length: 40 }, (_, k) => packet(k)).flat();
    const c = new CaptureBuilder('WT901BLE68').service(WITMOTION_SERVICE, WITMOTION_NOTIFY, WITMOTION_WRITE);
    const cuts = [0];
    for (let at = 0; at < bytes.length; ) cuts.push((at = Math.min(bytes.length, at + 7 + ((at * 13) % 29))));
    for (let i = 0; i + 1 < cuts.length; i++) c.notify(WITMOTION_NOTIFY, bytes.slice(cuts[i], cuts[i + 1]), 0.02);
    const r = await replay(c.fake(), new WitMotionDriver({ rateHz: 50 }));
    expect(r.problems).toEqual([]);
    expect(r.samples).toBe(40);
    expect(r.blocks.flatMap((b) => [...b.gyrRadS!].filter((_, i) => i % 3 === 0)).map((v) => Math.round((v * 180) / Math.PI / (2000 / 32768)))).toEqual(
      Array.from({ length: 40 }, (_, k) => k),
    );
    expect(allIncreasing(r.blocks)).toBe(true);
  });
});

// ---- MetaWear ----
function metawearCapture(accImpl: number, gyroImpl: number, samples: number) {
  const c = new CaptureBuilder('MetaWear').service(METAWEAR_SERVICE, METAWEAR_COMMAND, METAWEAR_NOTIFY);
  c.write(METAWEAR_COMMAND, [0x03, 0x80]).notify(METAWEAR_NOTIFY, [0x03, 0x80, accImpl, 1], 0.01);
  c.write(METAWEAR_COMMAND, [0x13, 0x80]).notify(METAWEAR_NOTIFY, [0x13, 0x80, gyroImpl, 1], 0.01);
  for (let k = 0; k < samples; k++) {
    c.notify(METAWEAR_NOTIFY, [0x03, 0x04, ...[0, 0, 8192].flatMap(i16)], 0.01);
    c.notify(METAWEAR_NOTIFY, [0x13, 0x05, ...[k, 0, 0].flatMap(i16)], 0.0005);
  }
  return c;
}

describe('replay: MetaWear', () => {
  it('discovers a BMI160, configures, subscribes, enables and starts, then pairs every sample', async () => {
    const fake = metawearCapture(1, 0, 25).fake();
    const driver = new MetaWearDriver({ accRangeG: 4, rateHz: 100 });
    const r = await replay(fake, driver);
    expect(r.writes).toEqual(['03 80', '13 80', '03 03 28 05', '13 03 28 00', '03 04 01', '13 05 01', '03 02 01 00', '13 02 01 00', '03 01 01', '13 01 01']);
    expect(driver.accImu).toBe('BMI160');
    expect(r.problems).toEqual([]);
    expect(r.samples).toBe(25);
    expect(r.blocks[3]!.accMS2![2]).toBeCloseTo(9.80665, 9);
  });
  it('uses the BMI270 encoding when module info says so', async () => {
    const r = await replay(metawearCapture(4, 1, 2).fake(), new MetaWearDriver({ accRangeG: 4 }));
    expect(r.writes.slice(2, 4)).toEqual(['03 03 a8 01', '13 03 a8 00']);
  });
  it('refuses boards with an accelerometer only', async () => {
    await expect(replay(metawearCapture(3, 0, 0).fake(), new MetaWearDriver())).rejects.toThrow(/BMA255/);
  });
});

// ---- Thingy:52 ----
describe('replay: Thingy:52', () => {
  it('changes only the motion frequency, subscribes raw + quaternion and decodes every notification', async () => {
    const c = new CaptureBuilder('Thingy').service(THINGY_CONFIGURATION_SERVICE).service(THINGY_MOTION_SERVICE, THINGY_CONFIG, THINGY_QUATERNION, THINGY_RAW);
    c.read(THINGY_CONFIG, [0xc8, 0, 0xf4, 1, 0x64, 0, 0x0a, 0, 1]).write(THINGY_CONFIG, [0xc8, 0, 0xf4, 1, 0x64, 0, 50, 0, 1]);
    for (let k = 0; k < 15; k++) {
      c.notify(THINGY_RAW, [0, 0, 64, 0, 0, 0, 0, 0, 0].flatMap(i16), 0.02);
      c.notify(THINGY_QUATERNION, [2 ** 30, 0, 0, 0].flatMap(i32), 0.001);
    }
    const fake = c.fake();
    const r = await replay(fake, new Thingy52Driver({ rateHz: 50, quaternion: true }));
    expect(fake.mismatches).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(r.blocks.filter((b) => b.accMS2).length).toBe(15);
    expect(r.blocks.filter((b) => b.quat).length).toBe(15);
  });
});

// ---- Generic ----
describe('replay: generic Nordic UART profile', () => {
  it('writes the start bytes to RX and decodes records from TX', async () => {
    const c = new CaptureBuilder('diy-imu').service(NORDIC_UART.service, NORDIC_UART.rx, NORDIC_UART.tx);
    c.write(NORDIC_UART.rx, [0x53]);
    for (let k = 0; k < 12; k++) c.notify(NORDIC_UART.tx, [...u32(10 * k), ...f32(0, 0, 1, 0, 0, 0), ...u32(10 * k + 5), ...f32(0, 0, 1, 0, 0, 0)], 0.01);
    const r = await replay(c.fake(), new GenericProfileDriver(nordicUartProfile({ rateHz: 200, start: '53' })));
    expect(r.writes).toEqual(['53']);
    expect(r.problems).toEqual([]);
    expect(r.samples).toBe(24);
  });
});

describe('FakeTransport as a Web Bluetooth stand-in', () => {
  it('refuses devices that do not match the filters and services not named in the request', async () => {
    const fake = new CaptureBuilder('Polar Sense').service(PMD_SERVICE, PMD_CONTROL, PMD_DATA).fake();
    await expect(fake.requestDevice({ filters: [{ namePrefix: 'Movesense' }] })).rejects.toMatchObject({ name: 'NotFoundError' });
    const device = await fake.requestDevice({ filters: [{ namePrefix: 'Polar' }] });
    const server = await device.gatt!.connect();
    await expect(server.getPrimaryService(PMD_SERVICE)).rejects.toMatchObject({ name: 'SecurityError' });
  });
  it('records writes that differ from the capture', async () => {
    const c = new CaptureBuilder('x').service(NORDIC_UART.service, NORDIC_UART.rx, NORDIC_UART.tx).write(NORDIC_UART.rx, [1]);
    const fake = c.fake();
    await replay(fake, new GenericProfileDriver(nordicUartProfile({ rateHz: 10, start: '02' })));
    expect(fake.mismatches).toEqual([{ eventIndex: 0, characteristic: NORDIC_UART.rx, expectedHex: '01', actualHex: '02' }]);
  });
  it('times out a command the capture never answers', async () => {
    const c = new CaptureBuilder('MetaWear').service(METAWEAR_SERVICE, METAWEAR_COMMAND, METAWEAR_NOTIFY).write(METAWEAR_COMMAND, [0x03, 0x80]);
    await expect(replay(c.fake(), new MetaWearDriver())).rejects.toThrow(BleCommandError);
  });
});

describe('CaptureRecorder', () => {
  it('records a session so that replaying the recording gives the same blocks', async () => {
    const again = polarCapture(6, 9).fake();
    const rec = new CaptureRecorder(again, () => again.nowS());
    const blocksA: SampleBlock[] = [];
    await connectSensor(rec.transport, new PolarPmdDriver(), { onBlock: (b) => blocksA.push(b), nowS: () => again.nowS() });
    await again.whenDone();
    const text = formatBleCapture(rec.capture());
    expect(text).toContain('device Polar Sense B5D3A12F');
    const replayed = new FakeTransport(parseBleCapture(text));
    const r = await replay(replayed, new PolarPmdDriver());
    expect(replayed.mismatches).toEqual([]);
    expect(r.blocks.map((b) => [...b.tS])).toEqual(blocksA.map((b) => [...b.tS]));
    expect(r.blocks.map((b) => [...b.accMS2!])).toEqual(blocksA.map((b) => [...b.accMS2!]));
  });
});

describe('a recorded stream with faults (captures/movesense-imu9-faults.txt)', () => {
  it('accounts for every sample: delivered + reported missing = sent, duplicates and reordering reported', async () => {
    const text = readFileSync(new URL('./captures/movesense-imu9-faults.txt', import.meta.url), 'utf8');
    const fake = new FakeTransport(parseBleCapture(text, 'movesense-imu9-faults.txt'));
    const blocks: SampleBlock[] = [];
    const problems: BleProblem[] = [];
    let disconnected = 0;
    const conn = await connectSensor(fake, new MovesenseDriver({ rateHz: 52 }), {
      onBlock: (b) => blocks.push(b),
      onProblem: (p) => problems.push(p),
      onDisconnect: () => disconnected++,
      nowS: () => fake.nowS(),
    });
    await fake.whenDone();
    expect(fake.mismatches).toEqual([]);
    expect(disconnected).toBe(1);
    // 40 packets × 2 sent; packets 10–11 lost; 20 repeated (not emitted twice); 30 arrives after 31.
    expect(conn.counts.samples).toBe(76);
    expect(blocks.reduce((n, b) => n + b.tS.length, 0)).toBe(76);
    const kinds = problems.map((p) => `${p.kind}${'missingSamples' in p && p.missingSamples ? `:${p.missingSamples}` : ''}`);
    // The swap first looks like 2 missing samples (31 early), then 30 arrives out of order: a reorder buffer reconciles the two.
    expect(kinds).toEqual(['dropped:4', 'duplicate', 'dropped:2', 'out-of-order']);
    const gapped = blocks.filter((b) => b.gapBeforeS);
    expect(gapped.map((b) => Math.round(b.gapBeforeS! * 52))).toEqual([4, 2]);
    expect(blocks[0]!.accMS2![2]).toBeCloseTo(9.81, 5);
  });
});
