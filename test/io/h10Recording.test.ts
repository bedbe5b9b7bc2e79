/**
 * A Polar H10 session end to end, against simulator truth: simulated chest accelerations are
 * encoded as H10 PMD ACC frames (int16 mG), replayed through the fake transport and the PMD
 * driver, recorded with the canonical CSV sinks (memory and file), and read back. The
 * recording must match what was streamed bit for bit and the simulator within the H10's
 * quantisation; fusion must refuse it with the typed error and the H10 hint.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GravityTilt, TILT_NOT_AT_REST, referenceUpFromRest } from '../../src/kinematics/gravityTilt';
import * as quat from '../../src/math/quat';
import { connectSensor } from '../../src/io/ble/connect';
import type { BleProblem } from '../../src/io/ble/errors';
import { PolarPmdDriver } from '../../src/io/ble/polarPmd';
import { PMD_CONTROL, PMD_DATA, PMD_SERVICE } from '../../src/io/ble/polarPmdProtocol';
import { parseCanonicalCsv } from '../../src/io/canonicalCsv';
import { readSession } from '../../src/io/node/session';
import { writeRecording, writeRecordingDirectory } from '../../src/io/node/writeRecording';
import { MemoryCsvSink } from '../../src/pipeline/sinks';
import { ACC_ONLY_HINT, MissingChannelError, concatBlocks, requireInertial } from '../../src/samples/block';
import type { AccelBlock, SampleBlock } from '../../src/samples/block';
import { resampleBlock } from '../../src/samples/resample';
import { uniformGrid } from '../../src/samples/rate';
import { STANDARD_GRAVITY_MS2 } from '../../src/samples/units';
import { validateBlock } from '../../src/samples/validate';
import { freeMotionScenario, simulate } from '../../src/sim';
import { i16, u16, u64 } from './ble/bytes';
import { CaptureBuilder } from './ble/captureBuilder';

const RATE_HZ = 200;
const PER_FRAME = 20;
const T0_NS = 700_000_000_000_000_000n;
/** Half an H10 LSB (1 mG), m/s²: the rounding error of the int16 mG encoding. */
const HALF_LSB_MS2 = (0.5 * STANDARD_GRAVITY_MS2) / 1000;

function simulatedChest() {
  const sim = simulate(freeMotionScenario({ durationS: 4, rotationAmplitudeDeg: 40, translationAmplitudeM: 0.05, maxFrequencyHz: 0.8, seed: 7 }), {
    rateHz: RATE_HZ,
    errors: 'ideal',
  });
  return sim.truth.sensors['imu']!;
}

/** H10 capture of the simulated accelerations: start sequence, then one uncompressed ACC frame per 20 samples. */
function h10CaptureOf(tS: Float64Array, accMS2: Float64Array) {
  const c = new CaptureBuilder('Polar H10 0A1B2C3D').service(PMD_SERVICE, PMD_CONTROL, PMD_DATA);
  c.read(PMD_CONTROL, [0x0f, 0x05]);
  c.write(PMD_CONTROL, [1, 2]).notify(PMD_CONTROL, [0xf0, 1, 2, 0, 0, 0, 1, ...u16(200), 1, 1, ...u16(16), 2, 1, ...u16(8)], 0.01);
  c.write(PMD_CONTROL, [2, 2, 0, 1, 0xc8, 0, 1, 1, 0x10, 0, 2, 1, 8, 0]).notify(PMD_CONTROL, [0xf0, 2, 2, 0, 0], 0.01);
  const n = Math.floor(tS.length / PER_FRAME) * PER_FRAME;
  for (let f = 0; f < n; f += PER_FRAME) {
    const payload: number[] = [];
    for (let k = f; k < f + PER_FRAME; k++) for (let c3 = 0; c3 < 3; c3++) payload.push(...i16(Math.round((accMS2[3 * k + c3]! / STANDARD_GRAVITY_MS2) * 1000)));
    const lastNs = T0_NS + BigInt(Math.round(tS[f + PER_FRAME - 1]! * 1e9));
    c.notify(PMD_DATA, [2, ...u64(lastNs), 0x01, ...payload], PER_FRAME / RATE_HZ);
  }
  return { fake: c.fake(), samples: n };
}

describe('Polar H10 recording (simulated chest, replayed over the fake transport)', () => {
  let dir: string;
  const truth = simulatedChest();
  let live: SampleBlock[] = [];
  let problems: BleProblem[] = [];
  let mem: MemoryCsvSink;
  let samples = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinemetry-h10-'));
    const { fake, samples: n } = h10CaptureOf(truth.tS, truth.accMS2);
    samples = n;
    mem = new MemoryCsvSink();
    const writes: Promise<void>[] = [];
    await connectSensor(fake, new PolarPmdDriver({ sensorId: 'chest', placement: 'sternum' }), {
      onBlock: (b) => {
        live.push(b);
        const w = mem.write(b);
        if (w) writes.push(w);
      },
      onProblem: (p) => problems.push(p),
      nowS: () => fake.nowS(),
      responseTimeoutMs: 200,
    });
    await fake.whenDone();
    await Promise.all(writes);
    await writeRecordingDirectory(dir, live);
    await writeRecording(join(dir, 'single.csv'), live);
  });
  afterAll(async () => {
    live = [];
    problems = [];
    await rm(dir, { recursive: true, force: true });
  });

  it('streams every sample as accelerometer-only blocks matching the simulator within the H10 quantisation', () => {
    expect(problems).toEqual([]);
    const b = concatBlocks(live).block;
    expect(b.tS.length).toBe(samples);
    expect(b.gyrRadS).toBeUndefined();
    let maxErrMS2 = 0;
    for (let i = 0; i < 3 * samples; i++) maxErrMS2 = Math.max(maxErrMS2, Math.abs(b.accMS2![i]! - truth.accMS2[i]!));
    expect(maxErrMS2).toBeLessThanOrEqual(HALF_LSB_MS2 + 1e-12);
    expect(maxErrMS2).toBeGreaterThan(0); // really quantised, not passed through
    // Session times keep the sensor's spacing (one offset for the whole stream).
    let maxDtErrS = 0;
    for (let k = 0; k < samples; k++) maxDtErrS = Math.max(maxDtErrS, Math.abs(b.tS[k]! - b.tS[0]! - (truth.tS[k]! - truth.tS[0]!)));
    console.info(`H10 replay vs simulator: max |acc error| ${maxErrMS2.toExponential(3)} m/s² (half LSB ${HALF_LSB_MS2.toExponential(3)}), max time-spacing error ${maxDtErrS.toExponential(2)} s`);
    expect(maxDtErrS).toBeLessThan(1e-6);
  });

  it('is written as t,ax,ay,az (memory sink and file) and read back bit for bit, metadata included', async () => {
    const streamed = concatBlocks(live).block;
    const fileText = await readFile(join(dir, 'chest.csv'), 'utf8');
    expect(mem.text('chest')).toBe(fileText);
    expect(await readFile(join(dir, 'single.csv'), 'utf8')).toBe(fileText);
    expect(fileText.split('\n').slice(0, 5)).toEqual(['# sensor: chest', '# placement: sternum', '# rate_hz: 200', '# device: Polar PMD', 't[s],ax[m/s^2],ay[m/s^2],az[m/s^2]']);
    const back = concatBlocks(parseCanonicalCsv(fileText, { file: 'chest.csv' })).block;
    expect(back.info).toEqual(streamed.info);
    expect(back.gyrRadS).toBeUndefined();
    expect(Array.from(back.tS)).toEqual(Array.from(streamed.tS));
    expect(Array.from(back.accMS2!)).toEqual(Array.from(streamed.accMS2!));
    // The session reader (CLI path) sees an accelerometer-only recording.
    await rm(join(dir, 'single.csv'));
    const session = await readSession(dir);
    const rec = session.recordings.find((r) => r.sensorId === 'chest')!;
    expect(rec.channels.map((c) => c.channel)).toEqual(['tS', 'acc']);
  });

  it('validates and resamples like any recording; fusion refuses it with the typed H10 error, not NaN', () => {
    const b = concatBlocks(parseCanonicalCsv(mem.text('chest'))).block;
    const report = validateBlock(b);
    expect(report.ok).toBe(true);
    expect(report.measuredRateHz).toBeCloseTo(RATE_HZ, 3);
    expect(report.gapCount).toBe(0);
    const grid = uniformGrid(b.tS[0]!, b.tS[b.tS.length - 1]!, 100);
    const r = resampleBlock(b, grid);
    expect(r.block.gyrRadS).toBeUndefined();
    expect(r.validCount).toBe(grid.length);
    let err: unknown;
    try {
      requireInertial(b, 'orientation fusion');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingChannelError);
    expect(err).toMatchObject({ sensorId: 'chest', channel: 'gyr', stage: 'orientation fusion', hint: ACC_ONLY_HINT });
    expect((err as Error).message).toContain('Polar H10');
  });

  it('gives a useful number without a gyroscope: chest tilt from gravity follows the simulated lean', () => {
    const b = concatBlocks(parseCanonicalCsv(mem.text('chest'))).block as AccelBlock;
    const t0 = b.tS[0]!;
    const tilt = new GravityTilt({ referenceUp: referenceUpFromRest(b, t0, t0 + 1.5) });
    const out = new Float64Array(b.tS.length);
    const flags = new Uint8Array(b.tS.length);
    tilt.updateBlock(b, out, flags);
    const up = (k: number) => quat.rotateInverse(new Float64Array(3), truth.quat.subarray(4 * k, 4 * k + 4), [0, 0, 1]);
    const u0 = up(0);
    let sq = 0, used = 0, maxTrueDeg = 0;
    for (let k = 0; k < out.length; k++) {
      if (flags[k]! & TILT_NOT_AT_REST) continue;
      const u = up(k);
      const trueDeg = (Math.acos(Math.min(1, u[0]! * u0[0]! + u[1]! * u0[1]! + u[2]! * u0[2]!)) * 180) / Math.PI;
      maxTrueDeg = Math.max(maxTrueDeg, trueDeg);
      sq += (out[k]! - trueDeg) ** 2;
      used++;
    }
    const rmsDeg = Math.sqrt(sq / used);
    console.info(`H10 chest tilt vs truth: rms ${rmsDeg.toFixed(3)}°, true tilt up to ${maxTrueDeg.toFixed(1)}°, ${used}/${out.length} samples at rest`);
    expect(maxTrueDeg).toBeGreaterThan(10);
    expect(used / out.length).toBeGreaterThan(0.8);
    expect(rmsDeg).toBeLessThan(2);
  });
});
