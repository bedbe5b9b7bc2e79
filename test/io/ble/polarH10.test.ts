/**
 * Polar H10 (accelerometer, no gyroscope) through the PMD driver: the start sequence a
 * feature bitmap without GYRO leads to (exact bytes), ACC frames → accelerometer-only blocks
 * in m/s² on session time, and what is refused.
 */
import { describe, expect, it } from 'vitest';
import { connectSensor } from '../../../src/io/ble/connect';
import { BleCommandError, BleConfigError } from '../../../src/io/ble/errors';
import type { BleProblem } from '../../../src/io/ble/errors';
import type { FakeTransport } from '../../../src/io/ble/fakeTransport';
import { bytesToHex } from '../../../src/io/ble/hex';
import { POLAR_H10_ACC_DEFAULT, PolarPmdDriver } from '../../../src/io/ble/polarPmd';
import type { PolarPmdOptions } from '../../../src/io/ble/polarPmd';
import { PMD_CONTROL, PMD_DATA, PMD_SERVICE } from '../../../src/io/ble/polarPmdProtocol';
import type { SampleBlock } from '../../../src/samples/block';
import { STANDARD_GRAVITY_MS2 } from '../../../src/samples/units';
import { f32, i16, packDeltas, u16, u64, view } from './bytes';
import { CaptureBuilder } from './captureBuilder';

const T0 = 700_000_000_000_000_000n; // ns since 2000
const H10_PERIOD_NS = 5_000_000n; // 200 Hz
/** H10 feature read: ECG (0x01) and ACC (0x04), no GYRO (0x20). */
const H10_FEATURES = [0x0f, 0x05];
/** Settings the H10 reports for ACC: 25/50/100/200 Hz, 16 bit, ±2/4/8 g. */
const H10_ACC_SETTINGS = [0, 4, ...u16(25), ...u16(50), ...u16(100), ...u16(200), 1, 1, ...u16(16), 2, 3, ...u16(2), ...u16(4), ...u16(8)];
const H10_START_ACC = '02 02 00 01 c8 00 01 01 10 00 02 01 08 00'; // sensors.md

/** Uncompressed int16 ACC frame (H10 frame type 1), samples in mG, stamped with the last sample's time. */
function accFrame(lastNs: bigint, mg: number[][]): number[] {
  return [2, ...u64(lastNs), 0x01, ...mg.flat().flatMap(i16)];
}

/** A test signal in mG: gravity on z with small, distinct per-sample changes. */
function mgAt(k: number): number[] {
  return [(k * 7) % 200 - 100, 50 - ((k * 3) % 100), 1000 + ((k * 11) % 60) - 30];
}

interface H10CaptureOptions {
  features?: number[];
  frames?: number;
  samplesPerFrame?: number;
  /** Frame indices not sent (lost over the air). */
  lose?: readonly number[];
  /** f32 factor in the start answer (for compressed frames). */
  startFactor?: number;
}

function h10Capture(o: H10CaptureOptions = {}): { fake: FakeTransport; sentSamples: number[][]; firstArrivalS: number } {
  const n = o.samplesPerFrame ?? 20;
  const c = new CaptureBuilder('Polar H10 A1B2C3D4').service(PMD_SERVICE, PMD_CONTROL, PMD_DATA);
  c.read(PMD_CONTROL, o.features ?? H10_FEATURES);
  c.write(PMD_CONTROL, [1, 2]).notify(PMD_CONTROL, [0xf0, 1, 2, 0, 0, ...H10_ACC_SETTINGS], 0.01);
  c.write(PMD_CONTROL, [...Buffer.from(H10_START_ACC.replace(/ /g, ''), 'hex')]).notify(PMD_CONTROL, [0xf0, 2, 2, 0, 0, ...(o.startFactor === undefined ? [] : f32(o.startFactor))], 0.01);
  const sentSamples: number[][] = [];
  let firstArrivalS = NaN;
  for (let f = 0; f < (o.frames ?? 10); f++) {
    const mg = Array.from({ length: n }, (_, i) => mgAt(f * n + i));
    const lastNs = T0 + BigInt((f + 1) * n - 1) * H10_PERIOD_NS;
    if (o.lose?.includes(f)) {
      c.tS += n / 200;
      continue;
    }
    c.notify(PMD_DATA, accFrame(lastNs, mg), n / 200);
    if (Number.isNaN(firstArrivalS)) firstArrivalS = c.tS;
    sentSamples.push(...mg);
  }
  return { fake: c.fake(), sentSamples, firstArrivalS };
}

async function replay(fake: FakeTransport, options: PolarPmdOptions = {}) {
  const driver = new PolarPmdDriver({ sensorId: 'chest', ...options });
  const blocks: SampleBlock[] = [];
  const problems: BleProblem[] = [];
  const conn = await connectSensor(fake, driver, { onBlock: (b) => blocks.push(b), onProblem: (p) => problems.push(p), nowS: () => fake.nowS(), responseTimeoutMs: 200 });
  await fake.whenDone();
  return { driver, conn, blocks, problems, writes: fake.writes.map((w) => bytesToHex(w.bytes)) };
}

describe('Polar H10: accelerometer-only start', () => {
  it('a feature bitmap without GYRO: settings query and the ACC start only (exact bytes), 200 Hz ±8 g; stop ACC only', async () => {
    const { fake } = h10Capture({ frames: 2 });
    const r = await replay(fake);
    expect(r.writes).toEqual(['01 02', H10_START_ACC]);
    expect(fake.mismatches).toEqual([]);
    expect(r.driver.mode).toBe('acc');
    expect(r.driver.streamSettings()).toEqual({ acc: POLAR_H10_ACC_DEFAULT });
    expect(r.driver.info).toMatchObject({ sensorId: 'chest', rateHz: 200 });
    expect(r.problems).toEqual([]);
    await r.conn.stop();
    expect(fake.writes.slice(2).map((w) => bytesToHex(w.bytes))).toEqual(['03 02']);
  });

  it('gyro: false gives the same start on any device; acc settings are the caller’s when given', async () => {
    const verityFeatures = [0x0f, 0x65]; // ACC, GYRO, MAG…
    const r = await replay(h10Capture({ features: verityFeatures, frames: 1, startFactor: 0.25 }).fake, { gyro: false });
    expect(r.writes).toEqual(['01 02', H10_START_ACC]);
    expect(r.driver.factors()).toEqual({ acc: 0.25 }); // from the start answer
    expect(r.blocks.every((b) => b.gyrRadS === undefined)).toBe(true);
    // 100 Hz, ±4 g: offered by the H10, so the start command carries it.
    const c = new CaptureBuilder('Polar H10').service(PMD_SERVICE, PMD_CONTROL, PMD_DATA).read(PMD_CONTROL, H10_FEATURES);
    c.write(PMD_CONTROL, [1, 2]).notify(PMD_CONTROL, [0xf0, 1, 2, 0, 0, ...H10_ACC_SETTINGS], 0.01);
    c.write(PMD_CONTROL, [2, 2, 0, 1, 100, 0, 1, 1, 16, 0, 2, 1, 4, 0]).notify(PMD_CONTROL, [0xf0, 2, 2, 0, 0], 0.01);
    const r2 = await replay(c.fake(), { acc: { sampleRateHz: 100, resolutionBits: 16, range: 4 } });
    expect(r2.writes).toEqual(['01 02', '02 02 00 01 64 00 01 01 10 00 02 01 04 00']);
    expect(r2.driver.info.rateHz).toBe(100);
  });

  it('refuses, with typed errors: an explicit gyroscope on an H10 (naming the fix), no ACC, a rate the device does not offer, a failed start', async () => {
    const noGyro = replay(h10Capture().fake, { gyro: { sampleRateHz: 52, resolutionBits: 16, range: 2000 } });
    await expect(noGyro).rejects.toThrow(BleConfigError);
    await expect(replay(h10Capture().fake, { gyro: { sampleRateHz: 52, resolutionBits: 16, range: 2000 } })).rejects.toThrow(
      /does not offer GYRO \(a Polar H10 has only ACC\): leave `gyro` unset or pass `gyro: false`/,
    );
    await expect(replay(h10Capture({ features: [0x0f, 0x01] }).fake)).rejects.toThrow(/does not offer ACC/);
    await expect(replay(h10Capture().fake, { acc: { sampleRateHz: 52, resolutionBits: 16, range: 8 } })).rejects.toThrow(
      /acc sample rate \(Hz\) 52 is not offered by the device \(valid: 25, 50, 100, 200\)/,
    );
    const c = new CaptureBuilder('Polar H10').service(PMD_SERVICE, PMD_CONTROL, PMD_DATA).read(PMD_CONTROL, H10_FEATURES);
    c.write(PMD_CONTROL, [1, 2]).notify(PMD_CONTROL, [0xf0, 1, 2, 0, 0, ...H10_ACC_SETTINGS], 0.01);
    c.write(PMD_CONTROL, [...Buffer.from(H10_START_ACC.replace(/ /g, ''), 'hex')]).notify(PMD_CONTROL, [0xf0, 2, 2, 13, 0], 0.01);
    await expect(replay(c.fake())).rejects.toThrow(BleCommandError);
  });
});

describe('Polar H10: ACC frames → accelerometer-only blocks', () => {
  it('every sample, in m/s², no gyroscope, on session time from the sensor clock', async () => {
    const { fake, sentSamples, firstArrivalS } = h10Capture({ frames: 12, samplesPerFrame: 20 });
    const r = await replay(fake);
    expect(r.problems).toEqual([]);
    expect(r.blocks.length).toBe(12);
    const acc: number[] = [];
    const tS: number[] = [];
    for (const b of r.blocks) {
      expect(b.gyrRadS).toBeUndefined();
      expect(b.info).toMatchObject({ sensorId: 'chest', rateHz: 200 });
      acc.push(...b.accMS2!);
      tS.push(...b.tS);
    }
    expect(acc.length).toBe(3 * 240);
    const expected = sentSamples.flat().map((mg) => (mg * STANDARD_GRAVITY_MS2) / 1000);
    for (let i = 0; i < expected.length; i++) expect(acc[i]).toBeCloseTo(expected[i]!, 12);
    // Sensor time k × 5 ms ↦ session time: the first frame's last sample (k = 19) at its arrival.
    for (let k = 0; k < tS.length; k++) expect(tS[k]).toBeCloseTo(firstArrivalS + (k - 19) * 0.005, 9);
  });

  it('a lost frame shows as a dropped-samples problem and a marked gap; the next samples keep their sensor times', async () => {
    const { fake, firstArrivalS } = h10Capture({ frames: 8, samplesPerFrame: 20, lose: [4] });
    const r = await replay(fake);
    const dropped = r.problems.filter((p) => p.kind === 'dropped');
    expect(dropped.map((p) => ('missingSamples' in p ? p.missingSamples : -1))).toEqual([20]);
    const afterGap = r.blocks[4]!;
    expect(afterGap.gapBeforeS! * 200).toBeCloseTo(20, 6);
    expect(afterGap.tS[0]).toBeCloseTo(firstArrivalS + (100 - 19) * 0.005, 9);
    expect(r.blocks.reduce((n, b) => n + b.tS.length, 0)).toBe(140);
  });

  it('decodes compressed ACC frames with the factor of the start answer, and reports what it cannot use', () => {
    const d = new PolarPmdDriver({ sensorId: 'h10', gyro: false, factors: { acc: 1 / 4096 } });
    const raw = [[4096, -2048, 1], [4100, -2050, 0], [4090, -2040, 3]];
    const deltas = raw.slice(1).map((s, i) => s.map((v, c) => v - raw[i]![c]!));
    const frame = view([2, ...u64(T0), 0x80, ...raw[0]!.flatMap(i16), 5, 2, ...packDeltas(5, deltas)]);
    const r = d.decode(frame, 3, PMD_DATA);
    expect(r.problems).toEqual([]);
    expect(r.block!.gyrRadS).toBeUndefined();
    expect(Array.from(r.block!.accMS2!)).toEqual(raw.flat().map((v) => v * (1 / 4096) * STANDARD_GRAVITY_MS2));
    expect(r.block!.tS[2]).toBe(3);
    expect(r.block!.tS[1]).toBeCloseTo(3 - 1 / 200, 12);
    // A GYRO frame was never started; a truncated frame is malformed. Neither throws.
    expect(d.decode(view([5, ...u64(T0 + 1n), 0x80, 0, 0]), 3, PMD_DATA).problems[0]).toMatchObject({ kind: 'unsupported' });
    expect(d.decode(view([2, ...u64(T0 + 2n), 0x01, 1, 2, 3]), 3, PMD_DATA).problems[0]).toMatchObject({ kind: 'malformed' });
  });

  it('a late (out-of-order) frame is reported and kept, not dropped: nothing to pair it with', () => {
    const d = new PolarPmdDriver({ gyro: false });
    const mg = [[0, 0, 1000], [1, 1, 1001]];
    d.decode(view(accFrame(T0 + 10n * H10_PERIOD_NS, mg)), 1, PMD_DATA);
    const late = d.decode(view(accFrame(T0 + 2n * H10_PERIOD_NS, mg)), 1.1, PMD_DATA);
    expect(late.problems.map((p) => p.kind)).toEqual(['out-of-order']);
    expect(late.block!.tS.length).toBe(2);
  });
});
