/**
 * Offline (forward–backward) estimation: better than the causal filter on the same recording,
 * bridging a magnetic disturbance from both sides, and the time-reversal of the state.
 */
import { describe, expect, it } from 'vitest';
import { estimateOrientationOffline, reverseTimeState } from '../../src/fusion/offline';
import { Vqf } from '../../src/fusion/vqf';
import { freeMotionScenario } from '../../src/sim';
import { rmsErrorDeg, sensorRun, simulate } from './vqfHelpers';

const RATE = 100;
const magneticField = { disturbances: [{ type: 'uniform' as const, fieldUT: [25, 10, 0], startS: 25, endS: 38 }] };
const { block, truth } = sensorRun(
  simulate(freeMotionScenario({ durationS: 70, noise: 'consumer', magneticField, seed: 11, rotationAmplitudeDeg: 70 }), { rateHz: RATE, seed: 11 }),
);
const n = block.tS.length;
// Both judged with the simulator's half-sample strapdown lead taken out (see vqf.test.ts).
const params = { latencyCompensationS: -0.5 / RATE };

describe('estimateOrientationOffline', () => {
  const rt = new Float64Array(4 * n);
  new Vqf(params, { rateHz: RATE }).updateBlock(block, rt);
  const off = estimateOrientationOffline(block, params);

  it('is more accurate in inclination than the real-time filter on the same recording', () => {
    const incRt = rmsErrorDeg(rt, truth, 2, 5 * RATE, n), incOff = rmsErrorDeg(off, truth, 2, 5 * RATE, n);
    expect(incOff).toBeLessThan(0.85 * incRt);
  });

  it('holds the heading through a 13 s magnetic disturbance', () => {
    const headRt = rmsErrorDeg(rt, truth, 1, 25 * RATE, 38 * RATE);
    const headOff = rmsErrorDeg(off, truth, 1, 25 * RATE, 38 * RATE);
    expect(headOff).toBeLessThan(2);
    expect(headOff).toBeLessThan(headRt + 0.5);
  });

  it('writes unit quaternions into a given array; 6D when the magnetometer is off', () => {
    const out = new Float64Array(4 * n + 8).fill(7);
    expect(estimateOrientationOffline(block, { ...params, magEnabled: false }, out)).toBe(out);
    for (let i = 0; i < n; i++) expect(Math.hypot(out[4 * i]!, out[4 * i + 1]!, out[4 * i + 2]!, out[4 * i + 3]!)).toBeCloseTo(1, 12);
    expect(out[4 * n]).toBe(7);
    expect(rmsErrorDeg(out, truth, 2, 5 * RATE, n)).toBeLessThan(rmsErrorDeg(rt, truth, 2, 5 * RATE, n));
    expect(() => estimateOrientationOffline(block, {}, new Float64Array(4))).toThrow(/outQuat/);
  });
});

describe('estimateOrientationOffline: zero-phase inclination smoother', () => {
  it('is more accurate in inclination than the average of the two passes (the earlier method)', () => {
    const smooth = estimateOrientationOffline(block, params);
    const avg = estimateOrientationOffline(block, params, undefined, { zeroPhaseInclination: false });
    expect(rmsErrorDeg(smooth, truth, 2, 5 * RATE, n)).toBeLessThan(0.9 * rmsErrorDeg(avg, truth, 2, 5 * RATE, n));
  });

  it('has no end transient when the recording ends in the middle of fast motion', () => {
    // This recording ends moving (no rest): the last seconds must be as good as the middle.
    const off = estimateOrientationOffline(block, params);
    const end = rmsErrorDeg(off, truth, 2, n - 5 * RATE, n), middle = rmsErrorDeg(off, truth, 2, 10 * RATE, n - 10 * RATE);
    expect(end).toBeLessThan(2 * middle + 0.3);
    const start = rmsErrorDeg(off, truth, 2, 0, 5 * RATE);
    expect(start).toBeLessThan(2 * middle + 0.3);
  });

  it('survives non-finite and zero samples and time steps that do not increase', () => {
    const b2 = { ...block, tS: block.tS.slice(), gyrRadS: block.gyrRadS.slice(), accMS2: block.accMS2.slice() };
    b2.accMS2.fill(NaN, 3 * 100, 3 * 103);
    b2.accMS2.fill(0, 3 * 2000, 3 * 2010);
    b2.accMS2.fill(NaN, 0, 3); // the very first accelerometer sample is bad
    b2.gyrRadS.fill(Infinity, 3 * 3000, 3 * 3001);
    b2.tS[4000] = b2.tS[3999]!;
    const out = estimateOrientationOffline(b2, params);
    for (let i = 0; i < n; i++) expect(Math.hypot(out[4 * i]!, out[4 * i + 1]!, out[4 * i + 2]!, out[4 * i + 3]!)).toBeCloseTo(1, 9);
    expect(rmsErrorDeg(out, truth, 2, 5 * RATE, n)).toBeLessThan(1.5);
  });

  it('smootherTauAccS: 0 is no smoothing (worse), a bad value throws', () => {
    const raw = estimateOrientationOffline(block, { ...params, magEnabled: false }, undefined, { smootherTauAccS: 0 });
    const smooth = estimateOrientationOffline(block, { ...params, magEnabled: false });
    expect(rmsErrorDeg(smooth, truth, 2, 5 * RATE, n)).toBeLessThan(rmsErrorDeg(raw, truth, 2, 5 * RATE, n));
    expect(() => estimateOrientationOffline(block, params, undefined, { smootherTauAccS: -1 })).toThrow(/smootherTauAccS/);
    expect(() => estimateOrientationOffline(block, params, undefined, { smootherTauAccS: NaN })).toThrow(/smootherTauAccS/);
  });
});

describe('estimateOrientationOffline: complementary split of the two inclination estimates', () => {
  const p6 = { ...params, magEnabled: false };
  const smoothOnly = estimateOrientationOffline(block, p6, undefined, { inclinationSplitTauS: 0 });
  const split = estimateOrientationOffline(block, p6);
  /** Horizontal rotation vector of a ⊗ b⁻¹ at sample i, rad (small angles). */
  const tilt = (a: Float64Array, b: Float64Array, i: number): [number, number] => {
    const [aw, ax, ay, az] = [a[4 * i]!, a[4 * i + 1]!, a[4 * i + 2]!, a[4 * i + 3]!];
    const [bw, bx, by, bz] = [b[4 * i]!, -b[4 * i + 1]!, -b[4 * i + 2]!, -b[4 * i + 3]!];
    const w = aw * bw - ax * bx - ay * by - az * bz;
    const x = aw * bx + ax * bw + ay * bz - az * by;
    const y = aw * by - ax * bz + ay * bw + az * bx;
    const s = w < 0 ? -2 : 2;
    return [s * x, s * y];
  };

  it('adds only a high band to the smoother: the difference has no mean and is small', () => {
    let sx = 0, sy = 0, ss = 0, cnt = 0;
    for (let i = 5 * RATE; i < n - 5 * RATE; i++) {
      const [x, y] = tilt(split, smoothOnly, i);
      sx += x;
      sy += y;
      ss += x * x + y * y;
      cnt++;
    }
    const rms = Math.sqrt(ss / cnt), meanNorm = Math.hypot(sx, sy) / cnt;
    expect(rms).toBeGreaterThan(1e-5); // it does something …
    expect(rms * (180 / Math.PI)).toBeLessThan(0.5); // … but only a fraction of a degree
    expect(meanNorm).toBeLessThan(0.05 * rms); // and nothing at low frequencies
  });

  it('changes the inclination only slightly on the ideal simulator (its gain is on BROAD), and only the inclination', () => {
    const incSplit = rmsErrorDeg(split, truth, 2, 5 * RATE, n), incSmooth = rmsErrorDeg(smoothOnly, truth, 2, 5 * RATE, n);
    expect(Math.abs(incSplit - incSmooth)).toBeLessThan(0.05);
    for (let i = 0; i < n; i += 97) expect(Math.hypot(split[4 * i]!, split[4 * i + 1]!, split[4 * i + 2]!, split[4 * i + 3]!)).toBeCloseTo(1, 12);
  });

  it('is ignored without the smoother; a bad value throws', () => {
    const a = estimateOrientationOffline(block, p6, undefined, { zeroPhaseInclination: false });
    const b = estimateOrientationOffline(block, p6, undefined, { zeroPhaseInclination: false, inclinationSplitTauS: 2 });
    expect(b).toEqual(a);
    expect(() => estimateOrientationOffline(block, params, undefined, { inclinationSplitTauS: -1 })).toThrow(/inclinationSplitTauS/);
    expect(() => estimateOrientationOffline(block, params, undefined, { inclinationSplitTauS: Infinity })).toThrow(/inclinationSplitTauS/);
  });
});

describe('reverseTimeState', () => {
  it('negates every rate (bias, low-passed gyroscope) and nothing else; twice is the identity', () => {
    const f = new Vqf({}, { rateHz: RATE });
    f.updateBlock(block, new Float64Array(4 * n));
    const s = f.getState();
    const r = reverseTimeState(s);
    expect(r.bias.biasRadS).toEqual(s.bias.biasRadS.map((v) => -v));
    expect(r.rest.lastGyrLp).toEqual(s.rest.lastGyrLp.map((v) => -v));
    expect(r.gyrQuat).toEqual(s.gyrQuat);
    expect(r.accQuat).toEqual(s.accQuat);
    expect(r.deltaRad).toBe(s.deltaRad);
    expect(r.bias.p).toEqual(s.bias.p);
    expect(r.rest.gyrLpState[6]).toBe(s.rest.gyrLpState[6]); // the sample count keeps its sign
    const back = reverseTimeState(r);
    expect({ ...back, pendingAccS: s.pendingAccS, pendingMagS: s.pendingMagS }).toEqual(s);
  });

  it('a backward run from the reversed end state retraces the forward gyroscope trajectory', () => {
    // Pure strapdown (no corrections): backward with negated rates, each step using the later
    // sample's rate, must return to the start orientation.
    const p = { tauAccS: 1e9, magEnabled: false, motionBiasEst: false, restBiasEst: false, magDistRejection: false };
    const fwd = new Vqf(p, { rateHz: RATE });
    const m = 3000;
    const q0 = new Float64Array(4);
    for (let i = 0; i < m; i++) {
      fwd.updateGyr(block.gyrRadS.subarray(3 * i, 3 * i + 3), 0.01);
      if (i === 0) fwd.getQuat6D(q0);
    }
    const bwd = new Vqf(p, { rateHz: RATE });
    bwd.setState(reverseTimeState(fwd.getState()));
    const g = new Float64Array(3);
    for (let i = m - 2; i >= 0; i--) {
      for (let k = 0; k < 3; k++) g[k] = -block.gyrRadS[3 * (i + 1) + k]!;
      bwd.updateGyr(g, 0.01);
    }
    const q = bwd.getQuat6D(new Float64Array(4));
    const dot = Math.abs(q[0]! * q0[0]! + q[1]! * q0[1]! + q[2]! * q0[2]! + q[3]! * q0[3]!);
    expect(2 * Math.acos(Math.min(1, dot))).toBeLessThan(1e-9);
  });
});
