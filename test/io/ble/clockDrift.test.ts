/**
 * Clock-drift correction: two Movesense sensors whose clocks run +50 ppm and −80 ppm off the
 * host, frames delivered with BLE-like latency (a floor, exponential jitter, and stretches of
 * congestion), decoded by the real driver for a simulated hour. Ground truth is the true
 * sampling instant of every sample; the alignment error is the difference between the two
 * sensors' time errors. The latency floor (7.5 ms, the same for both) cannot be observed from
 * arrivals and is left in: it cancels between the sensors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClockDriftCorrector } from '../../../src/io/ble/clockDrift';
import { MovesenseDriver } from '../../../src/io/ble/movesense';
import { Rng } from '../../../src/sim/random';
import { f32, u32, view } from './bytes';

const RATE_HZ = 52;
const PER_PACKET = 2;
const FLOOR_S = 0.0075;
const PAYLOAD = f32(...Array.from({ length: 9 * PER_PACKET }, (_, i) => (i % 3 === 2 ? 9.81 : 0.1)));

interface Run {
  /** Per second of true time: the sensor's time error then (mapped − true), s; raw = the driver's times uncorrected. */
  readonly errS: Float64Array;
  readonly rawErrS: Float64Array;
  readonly monotonic: boolean;
  readonly driftPpm: number;
}

/** One sensor for `durationS`: clock error `ppm`, its stamps starting at `originMs`, first sample at true time `startS`. */
function simulate(ppm: number, originMs: number, startS: number, durationS: number, seed: number, correct: boolean): Run {
  const rng = new Rng(seed, 'clock-drift');
  const driver = new MovesenseDriver({ rateHz: RATE_HZ });
  driver.decode(view([1, 0x63, 200, 0]), 0, '34800002-7185-4d5d-b431-630e7050e8f0');
  const corrector = new ClockDriftCorrector();
  const seconds = Math.floor(durationS);
  const errS = new Float64Array(seconds).fill(NaN);
  const rawErrS = new Float64Array(seconds).fill(NaN);
  const truePeriodS = 1 / (RATE_HZ * (1 + ppm * 1e-6));
  let arrivalS = 0;
  let lastOut = -Infinity;
  let monotonic = true;
  let congestedUntilS = -1;
  const packets = Math.floor((durationS * RATE_HZ) / PER_PACKET);
  for (let k = 0; k < packets; k++) {
    const j0 = k * PER_PACKET;
    const newestTrueS = startS + (j0 + PER_PACKET - 1) * truePeriodS;
    // Congestion: now and then, 2 s in which every packet waits 20–60 ms more.
    if (rng.uniform() < 1 / (RATE_HZ * 15)) congestedUntilS = newestTrueS + 2;
    const extraS = newestTrueS < congestedUntilS ? 0.02 + 0.04 * rng.uniform() : 0;
    arrivalS = Math.max(arrivalS, newestTrueS + FLOOR_S - 0.008 * Math.log(1 - rng.uniform()) + extraS);
    const stampMs = originMs + Math.round((j0 * 1000) / RATE_HZ); // the sensor's own ms clock
    const r = driver.decode(view([2, 0x63, ...u32(stampMs), ...PAYLOAD]), arrivalS, '34800002-7185-4d5d-b431-630e7050e8f0');
    const b = r.block!;
    const n = b.tS.length;
    const raw = b.tS[0]!;
    if (correct) {
      corrector.observe(b.tS[n - 1]!, arrivalS);
      corrector.mapInto(b.tS, b.tS);
    }
    for (let i = 0; i < n; i++) {
      if (!(b.tS[i]! > lastOut)) monotonic = false;
      lastOut = b.tS[i]!;
    }
    const trueS = startS + j0 * truePeriodS;
    const sec = Math.floor(trueS);
    if (sec < seconds && Number.isNaN(errS[sec]!)) {
      errS[sec] = b.tS[0]! - trueS;
      rawErrS[sec] = raw - trueS;
    }
  }
  return { errS, rawErrS, monotonic, driftPpm: corrector.driftPpm };
}

function maxAlignmentErrorS(a: Float64Array, b: Float64Array, fromS: number): number {
  let worst = 0;
  for (let s = fromS; s < Math.min(a.length, b.length); s++) {
    const e = Math.abs(a[s]! - b[s]!);
    if (Number.isFinite(e) && e > worst) worst = e;
  }
  return worst;
}

describe('ClockDriftCorrector', () => {
  it('two sensors at +50 and −80 ppm over a simulated hour: aligned within 2 ms after the first minute (hundreds of ms uncorrected)', () => {
    const hourS = 3600;
    const a = simulate(+50, 5_000, 0.2, hourS, 1, true);
    const b = simulate(-80, 912_345, 0.33, hourS, 2, true);
    const corrected = maxAlignmentErrorS(a.errS, b.errS, 60);
    const raw = maxAlignmentErrorS(a.rawErrS, b.rawErrS, 60);
    expect(a.monotonic && b.monotonic).toBe(true);
    // The fitted drift is the host's against each sensor: −50 and +80 ppm.
    expect(a.driftPpm).toBeCloseTo(-50, 0);
    expect(b.driftPpm).toBeCloseTo(80, 0);
    expect(corrected).toBeLessThan(0.002);
    expect(raw).toBeGreaterThan(0.4); // 130 ppm × 1 h ≈ 468 ms apart uncorrected
    // Each sensor alone, against the true time less the common latency floor.
    for (const r of [a, b]) {
      const tail = [...r.errS.subarray(60)].map((e) => Math.abs(e - FLOOR_S));
      expect(Math.max(...tail)).toBeLessThan(0.002);
    }
    process.stdout.write(`clock drift, 1 h at +50/−80 ppm: alignment error max ${(corrected * 1e3).toFixed(3)} ms corrected, ${(raw * 1e3).toFixed(1)} ms uncorrected; fitted ${a.driftPpm.toFixed(2)} / ${b.driftPpm.toFixed(2)} ppm\n`);
  });

  it('property: any drift within ±200 ppm and start offset: times increase and converge to the envelope', () => {
    fc.assert(
      fc.property(fc.double({ min: -200, max: 200, noNaN: true }), fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 1000 }), (ppm, originMs, seed) => {
        const r = simulate(ppm, originMs, 0.1, 240, seed, true);
        const tail = [...r.errS.subarray(90)].map((e) => Math.abs(e - FLOOR_S));
        return r.monotonic && Math.max(...tail) < 0.002 && Math.abs(r.driftPpm + ppm) < 5;
      }),
      { numRuns: 12 },
    );
  });

  it('restart keeps the fitted drift; bad parameters are refused', () => {
    const c = new ClockDriftCorrector({ bucketS: 1 });
    for (let k = 0; k < 2000; k++) c.observe(k * 0.01, k * 0.01 * (1 + 1e-4) + 0.01);
    expect(c.driftPpm).toBeCloseTo(100, 3);
    c.restart();
    expect(c.isFitted).toBe(false);
    expect(c.driftPpm).toBeCloseTo(100, 3);
    c.observe(50, 60);
    expect(c.map(50)).toBe(60);
    expect(c.map(51)).toBeCloseTo(61 + 1e-4, 9);
    expect(() => new ClockDriftCorrector({ tauS: 0 })).toThrow(RangeError);
    expect(() => new ClockDriftCorrector({ windowBuckets: 2 })).toThrow(RangeError);
  });
});
