/**
 * VQF-class filter and bad input: NaN/Inf samples, dt ≤ 0, saturation, missing magnetometer
 * samples — reported and kept out of the state; getState/setState resumes identically.
 */
import { describe, expect, it } from 'vitest';
import { Vqf } from '../../src/fusion/vqf';
import { VqfStateError, type VqfState } from '../../src/fusion/vqfState';
import { SAT_ACC, SAT_GYR, SAT_MAG, sliceBlock, type InertialBlock } from '../../src/samples/block';
import { freeMotionScenario } from '../../src/sim';
import { rmsErrorDeg, sensorRun, simulate } from './vqfHelpers';

const RATE = 100;
const session = (() => {
  const sc = freeMotionScenario({ durationS: 30, noise: 'consumer', seed: 9 });
  return sensorRun(simulate(sc, { rateHz: RATE, seed: 9 }));
})();

/** State without the input report (which is what differs when samples are refused). */
function core(s: VqfState): Omit<VqfState, 'report'> {
  const { report: _r, ...rest } = s;
  return rest;
}

/** Feed samples [from, to) with dt = 1/RATE; `dtAt(i)` may replace a step ('skip' leaves the sample out). */
function feed(f: Vqf, b: InertialBlock, from: number, to: number, dtAt?: (i: number) => number | 'skip' | undefined): void {
  for (let i = from; i < to; i++) {
    const dt = dtAt?.(i);
    if (dt === 'skip') continue;
    f.update(b.gyrRadS.subarray(3 * i, 3 * i + 3), b.accMS2.subarray(3 * i, 3 * i + 3), b.magUT!.subarray(3 * i, 3 * i + 3), dt ?? 1 / RATE);
  }
}

describe('Vqf bad input', () => {
  const { block, truth } = session;
  const n = block.tS.length;

  it('dt ≤ 0, NaN or ∞: the sample is skipped entirely and counted', () => {
    const ref = new Vqf({}, { rateHz: RATE });
    const bad = new Vqf({}, { rateHz: RATE });
    const badAt = new Map([
      [500, 0],
      [501, -0.01],
      [900, NaN],
      [1300, Infinity],
    ]);
    feed(ref, block, 0, n, (i) => (badAt.has(i) ? 'skip' : undefined));
    feed(bad, block, 0, n, (i) => badAt.get(i));
    expect(bad.inputReport.badDt).toBe(4);
    expect(core(bad.getState())).toEqual(core(ref.getState()));
  });

  it('NaN/∞ gyroscope: orientation held for that sample, counted, state stays finite and accurate', () => {
    const f = new Vqf({}, { rateHz: RATE });
    const out = new Float64Array(4 * n);
    const q = new Float64Array(4);
    for (let i = 0; i < n; i++) {
      const g = Array.from(block.gyrRadS.subarray(3 * i, 3 * i + 3));
      if (i % 97 === 0 && i >= 5 * RATE && i < 15 * RATE) g[i % 3] = i % 2 ? NaN : -Infinity;
      if (i === 1500) {
        g[1] = NaN;
        const before = f.getQuat6D(new Float64Array(4));
        f.updateGyr(g, 1 / RATE);
        expect(Array.from(f.getQuat6D(new Float64Array(4)))).toEqual(Array.from(before));
      } else f.update(g, block.accMS2.subarray(3 * i, 3 * i + 3), block.magUT!.subarray(3 * i, 3 * i + 3), 1 / RATE);
      out.set(f.getQuat(q), 4 * i);
    }
    let expected = 1;
    for (let i = 5 * RATE; i < 15 * RATE; i++) if (i % 97 === 0) expected++;
    expect(f.inputReport.badGyr).toBe(expected);
    expect(out.every(Number.isFinite)).toBe(true);
    // Each held sample loses that sample's rotation; the inclination correction repairs it.
    const ref = new Float64Array(4 * n);
    new Vqf({}, { rateHz: RATE }).updateBlock(block, ref);
    expect(rmsErrorDeg(out, truth, 2, 5 * RATE, 15 * RATE)).toBeLessThan(4);
    expect(rmsErrorDeg(out, truth, 2, 25 * RATE, n)).toBeLessThan(rmsErrorDeg(ref, truth, 2, 25 * RATE, n) + 0.3);
  });

  it('NaN/∞/zero accelerometer: no inclination correction, counted, flagged', () => {
    const ref = new Vqf({}, { rateHz: RATE });
    const f = new Vqf({}, { rateHz: RATE });
    feed(ref, block, 0, 1000);
    feed(f, block, 0, 1000);
    f.update(block.gyrRadS.subarray(3000, 3003), [NaN, 0, 9.81], null, 0.01);
    expect(f.flags.accRejected).toBe(true);
    f.update(block.gyrRadS.subarray(3000, 3003), [0, 0, 0], null, 0.01);
    f.update(block.gyrRadS.subarray(3000, 3003), [1e300 * 1e300, 0, 0], null, 0.01);
    expect(f.inputReport.badAcc).toBe(3);
    ref.updateGyr(block.gyrRadS.subarray(3000, 3003), 0.01);
    ref.updateGyr(block.gyrRadS.subarray(3000, 3003), 0.01);
    ref.updateGyr(block.gyrRadS.subarray(3000, 3003), 0.01);
    // Same orientation as a filter that only got the gyroscope.
    expect(Array.from(f.getQuat6D(new Float64Array(4)))).toEqual(Array.from(ref.getQuat6D(new Float64Array(4))));
    feed(f, block, 1000, 1001);
    expect(f.flags.accRejected).toBe(false);
  });

  it('missing magnetometer samples (null, NaN, zero, saturated): heading held by the gyroscope', () => {
    const f = new Vqf({}, { rateHz: RATE });
    const out = new Float64Array(4 * n);
    const q = new Float64Array(4);
    for (let i = 0; i < n; i++) {
      const g = block.gyrRadS.subarray(3 * i, 3 * i + 3), a = block.accMS2.subarray(3 * i, 3 * i + 3);
      let m: ArrayLike<number> | null = block.magUT!.subarray(3 * i, 3 * i + 3);
      let sat = 0;
      // 10 s to 20 s: no usable magnetometer at all, in four different ways.
      if (i >= 10 * RATE && i < 20 * RATE) {
        const k = i % 4;
        m = k === 0 ? null : k === 1 ? [NaN, 1, 1] : k === 2 ? [0, 0, 0] : m;
        if (k === 3) sat = SAT_MAG;
      }
      f.update(g, a, m, 1 / RATE, sat);
      out.set(f.getQuat(q), 4 * i);
    }
    expect(f.inputReport.badMag).toBe(2 * 250); // NaN and saturated ones; null and zero mean "no sample"
    expect(f.flags.magUsed).toBe(true);
    expect(rmsErrorDeg(out, truth, 1, 10 * RATE, 20 * RATE)).toBeLessThan(3);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it('saturated gyroscope: counted, integrated, rest ended; saturated accelerometer not used', () => {
    const f = new Vqf({ magEnabled: false }, { rateHz: 100 });
    for (let i = 0; i < 400; i++) f.update([0.001, 0, 0], [0, 0, 9.81], null, 0.01);
    expect(f.flags.resting).toBe(true);
    f.update([0.001, 0, 0], [0, 0, 9.81], null, 0.01, SAT_GYR);
    expect(f.flags.resting).toBe(false);
    const before = f.getState();
    f.update([0, 0, 0], [5, 0, 5], null, 0.01, SAT_ACC);
    expect(f.flags.accRejected).toBe(true);
    expect(f.getState().lastAccLp).toEqual(before.lastAccLp);
    expect(f.inputReport.saturated).toBe(2);
  });

  it('updateBlock honours block.saturated and counts bad timestamps', () => {
    const b = sliceBlock(block, 0, 300);
    const sat = new Uint8Array(300);
    sat[10] = SAT_GYR;
    sat[11] = SAT_ACC | SAT_MAG;
    const tS = Float64Array.from(b.tS);
    tS[50] = tS[49]!; // repeated timestamp
    tS[60] = NaN;
    const f = new Vqf({}, { rateHz: RATE });
    const out = new Float64Array(4 * 300);
    f.updateBlock({ ...b, tS, saturated: sat }, out);
    expect(f.inputReport).toEqual({ badGyr: 0, badAcc: 0, badMag: 1, badDt: 2, saturated: 2, gaps: 0 });
    expect(out.every(Number.isFinite)).toBe(true);
  });
});

describe('Vqf state', () => {
  const { block } = session;
  const n = block.tS.length;

  it('getState/setState (through JSON) resumes bit-identically', () => {
    const a = new Vqf({ tauMagS: 12 }, { rateHz: RATE });
    const half = n >> 1;
    const outA = new Float64Array(4 * n);
    a.updateBlock(sliceBlock(block, 0, half), outA);
    const saved = JSON.parse(JSON.stringify(a.getState())) as VqfState;
    a.updateBlock(sliceBlock(block, half), outA.subarray(4 * half));
    const b = new Vqf({ tauMagS: 12 }, { rateHz: RATE });
    b.setState(saved);
    const outB = new Float64Array(4 * (n - half));
    b.updateBlock(sliceBlock(block, half), outB);
    expect(Array.from(outB)).toEqual(Array.from(outA.subarray(4 * half)));
    expect(b.getState()).toEqual(a.getState());
  });

  it('setState refuses malformed states and leaves the filter unchanged', () => {
    const f = new Vqf();
    feed(f, block, 0, 100);
    const good = f.getState();
    const before = JSON.stringify(good);
    expect(() => f.setState({ ...good, gyrQuat: [1, 0, 0] })).toThrow(VqfStateError);
    expect(() => f.setState({ ...good, deltaRad: NaN })).toThrow(/deltaRad/);
    expect(() => f.setState({ ...good, rest: { ...good.rest, detected: 1 as unknown as boolean } })).toThrow(/rest\.detected/);
    const { magDist: _m, ...missing } = good;
    expect(() => f.setState(missing as VqfState)).toThrow(/magDist/);
    expect(JSON.stringify(f.getState())).toBe(before);
  });

  it('reset returns to the initial state, keeping parameters', () => {
    const f = new Vqf({ tauAccS: 2 }, { rateHz: RATE });
    const initial = JSON.stringify(f.getState());
    feed(f, block, 0, 200);
    expect(JSON.stringify(f.getState())).not.toBe(initial);
    f.reset();
    expect(JSON.stringify(f.getState())).toBe(initial);
    expect(f.params.tauAccS).toBe(2);
  });
});
