import { describe, expect, it } from 'vitest';
import * as quat from '../../src/math/quat';
import { dominantRotationSignal, DominantRotationTracker } from '../../src/reps/dominantRotation';
import { RepParamError } from '../../src/reps/segmenterParams';
import { principalRotationAxis } from '../../src/reps/principalAxis';
import { inclinationAngleRad, swingAngleRad, twistAngleRad, upInSensor } from '../../src/reps/twist';
import { concatBlocks } from '../../src/samples/block';
import { Body } from '../../src/sim/body';
import { RepSequence } from '../../src/sim/reps';
import { kneeFlexionScenario } from '../../src/sim/scenarios';
import { countRepsOffline } from '../../src/reps/offline';
import type { DominantRotationParams } from '../../src/reps/dominantRotationParams';
import type { Rep } from '../../src/reps/rep';
import { RepSegmenter } from '../../src/reps/segmenter';
import { simulate } from '../../src/sim/simulate';

const DEG = Math.PI / 180;

function rms(a: ArrayLike<number>, b: ArrayLike<number>, from: number): number {
  let s = 0, n = 0;
  for (let i = from; i < a.length; i++) {
    s += (a[i]! - b[i]!) ** 2;
    n++;
  }
  return Math.sqrt(s / n);
}

describe('twist and inclination angles', () => {
  it('recover the rotation about the axis, also with a swing about a perpendicular axis', () => {
    const a = [0, 0.6, 0.8];
    const qRef = quat.fromAxisAngle(quat.create(), [0.3, -0.2, 0.9], 0.7);
    for (const th of [-2.5, -0.4, 0, 0.3, 1.2, 3]) {
      const q = quat.multiply(quat.create(), qRef, quat.fromAxisAngle(quat.create(), a, th));
      expect(twistAngleRad(qRef, q, a)).toBeCloseTo(th, 10);
      expect(swingAngleRad(qRef, q, a)).toBeCloseTo(0, 6);
      // Add a swing of 0.3 rad about an axis perpendicular to a: the swing angle is 0.3.
      const qs = quat.multiply(quat.create(), quat.multiply(quat.create(), qRef, quat.fromAxisAngle(quat.create(), [1, 0, 0], 0.3)), quat.fromAxisAngle(quat.create(), a, th));
      expect(swingAngleRad(qRef, qs, a)).toBeCloseTo(0.3, 10);
      expect(twistAngleRad(qRef, qs, a)).toBeCloseTo(th, 10);
      // A global rotation about the vertical (6D heading drift) does not change the twist about a
      // horizontal axis to first order.
    }
    const up = new Float64Array(3), upRef = new Float64Array(3);
    const qh = quat.fromAxisAngle(quat.create(), [1, 0, 0], 0.4); // sensor x axis horizontal at qh
    upInSensor(qh, upRef);
    const q2 = quat.multiply(quat.create(), qh, quat.fromAxisAngle(quat.create(), [1, 0, 0], 0.5));
    expect(inclinationAngleRad(upRef, upInSensor(q2, up), [1, 0, 0])).toBeCloseTo(0.5, 10);
  });
});

describe('principalRotationAxis', () => {
  it('finds the axis of a noisy single-axis oscillation despite a few large spikes about another axis', () => {
    const n = 2000;
    const ax = [1 / 3, 2 / 3, 2 / 3];
    const tS = new Float64Array(n), g = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      tS[i] = i / 100;
      const w = 2 * Math.sin(2 * Math.PI * 0.3 * tS[i]!);
      for (let k = 0; k < 3; k++) g[3 * i + k] = w * ax[k]! + 0.01 * Math.sin(i * (k + 1.3));
      if (i % 400 === 7) g[3 * i] += 20; // bumps about x, 20 rad/s
    }
    const out = new Float64Array(3);
    const share = principalRotationAxis(tS, g, 5 * DEG, out);
    const dot = Math.abs(out[0]! * ax[0]! + out[1]! * ax[1]! + out[2]! * ax[2]!);
    expect(Math.acos(Math.min(1, dot)) / DEG).toBeLessThan(2);
    expect(share).toBeGreaterThan(0.9);
    // No motion: share 0.
    expect(principalRotationAxis(tS, new Float64Array(3 * n), 5 * DEG, out)).toBe(0);
  });
});

describe('dominantRotationSignal on a simulated IMU (consumer errors, mounting error)', () => {
  // Seated long-arc quad: the knee rests at 90° flexion and extends by 60° (the joint angle goes down).
  const scenario = kneeFlexionScenario({ posture: 'seated', reps: 5, amplitudeDeg: 60, holdS: 5, noise: 'consumer', mountErrorDeg: 10, seed: 4 });
  const sim = simulate(scenario, { rateHz: 100, seed: 4 });
  const block = concatBlocks(sim.blocks['shank']!).block;
  const kneeDeg = Float64Array.from(sim.truth.joints['knee']!.anglesRad['flexion']!, (v) => v / DEG);
  const n = block.tS.length;

  it('is the joint angle change (up = away from rest) within 2° rms, for both methods', () => {
    for (const method of ['orientation', 'inclination'] as const) {
      const s = dominantRotationSignal(block, { method });
      expect(s.axisShare).toBeGreaterThan(0.95);
      const truth = Float64Array.from(kneeDeg, (v) => -(v - kneeDeg[0]!) + s.angleDeg[0]!);
      expect(rms(s.angleDeg, truth, 0), method).toBeLessThan(2);
      // A hinge: hardly any motion off the axis.
      expect(Math.max(...s.offAxisDeg), method).toBeLessThan(5);
    }
  });

  it('streaming tracker: every sample delivered in order once; after the warm-up it matches the offline signal', () => {
    const tS: number[] = [], a: number[] = [];
    const tr = new DominantRotationTracker((t, v) => {
      tS.push(t);
      a.push(v);
    }, {}, 100);
    expect(tr.ready).toBe(false);
    tr.updateBlock(block);
    tr.finish();
    expect(tr.ready).toBe(true);
    expect(tS).toEqual(Array.from(block.tS));
    const off = dominantRotationSignal(block);
    const d = Float64Array.from(a, (v, i) => v - off.angleDeg[i]!);
    const skip = Math.floor(n / 3);
    const mean = d.subarray(skip).reduce((s, v) => s + v, 0) / (n - skip);
    expect(rms(d, new Float64Array(n).fill(mean), skip)).toBeLessThan(2);
    const ax = tr.axisS;
    expect(Math.abs(ax[0]! * off.axisS[0]! + ax[1]! * off.axisS[1]! + ax[2]! * off.axisS[2]!)).toBeGreaterThan(0.99);
    tr.reset();
    expect(tr.ready).toBe(false);
  });

  it('streaming tracker across a 1.2 s link loss that ends mid-movement: no made-up turn, back on the offline signal within seconds', () => {
    // Cut 1.2 s that end at the fastest point of the 3rd rep's return (the link comes back mid-move).
    const r = sim.truth.reps![2]!;
    const cutTo = (r.holdEndS + r.endS) / 2, cutFrom = cutTo - 1.2;
    const keep = Array.from(block.tS, (t, i) => (t < cutFrom || t >= cutTo ? i : -1)).filter((i) => i >= 0);
    const pick = (a: Float64Array, w: number): Float64Array => Float64Array.from({ length: keep.length * w }, (_, k) => a[w * keep[Math.floor(k / w)]! + (k % w)]!);
    const cut = { ...block, tS: pick(block.tS, 1), accMS2: pick(block.accMS2, 3), gyrRadS: pick(block.gyrRadS, 3) };
    const out = new Map<number, number>();
    const tr = new DominantRotationTracker((t, v) => out.set(t, v), {}, 100);
    tr.updateBlock(cut);
    tr.finish();
    const off = dominantRotationSignal(block); // the uncut recording
    const offAt = new Map(Array.from(off.tS, (t, i) => [t, off.angleDeg[i]!]));
    // Constant offset between live and offline (reference attitude), from before the gap.
    const before = [...out.keys()].filter((t) => t > cutFrom - 5 && t < cutFrom);
    const bias = before.reduce((a, t) => a + out.get(t)! - offAt.get(t)!, 0) / before.length;
    const err = (t: number): number => Math.abs(out.get(t)! - offAt.get(t)! - bias);
    const after = [...out.keys()].filter((t) => t >= cutTo);
    const trueChangeDeg = Math.abs(offAt.get(after[0]!)! - offAt.get(before[before.length - 1]!)!);
    // Right after the gap the live angle is off by at most what really happened during it (it was
    // not there to see), never by ω × gap on top; 8 s later (accelerometer correction) it is back.
    expect(Math.max(...after.filter((t) => t < cutTo + 1).map(err))).toBeLessThan(trueChangeDeg + 5);
    expect(Math.max(...after.filter((t) => t > cutTo + 8 && t < cutTo + 12).map(err))).toBeLessThan(3);
  });

  it('streaming tracker warm-up: a small held rep fixes the axis as soon as it is back (not after 90° of motion); the same reps as offline', () => {
    // 20° reps with 3 s holds: 90° of motion would take ~2.3 reps.
    const small = kneeFlexionScenario({ posture: 'seated', reps: 5, amplitudeDeg: 20, holdS: 3, noise: 'consumer', mountErrorDeg: 10, seed: 5 });
    const simSmall = simulate(small, { rateHz: 100, seed: 5 });
    const b = concatBlocks(simSmall.blocks['shank']!).block;
    const first = simSmall.truth.reps![0]!;
    const readyAt = (params: Partial<DominantRotationParams>): number => {
      let at = NaN;
      const tr = new DominantRotationTracker(() => {}, params, 100);
      for (let i = 0; i < b.tS.length && Number.isNaN(at); i++) {
        tr.update(b.tS[i]!, b.gyrRadS.subarray(3 * i, 3 * i + 3), b.accMS2.subarray(3 * i, 3 * i + 3));
        if (tr.ready) at = b.tS[i]!;
      }
      return at;
    };
    const early = readyAt({});
    expect(early).toBeGreaterThan(first.holdEndS);
    expect(early).toBeLessThan(first.endS);
    // Without the one-rep rule: well after the first rep.
    expect(readyAt({ warmupRepDeg: 1e6 })).toBeGreaterThan(simSmall.truth.reps![1]!.holdEndS);
    // The first rep is then emitted right after it ends, and the live count is the offline one.
    const seg = new RepSegmenter();
    const live: Rep[] = [];
    let nowS = 0;
    const tr = new DominantRotationTracker((t, a) => {
      const r = seg.push(t, a);
      if (r) live.push({ ...r, latencyS: nowS - r.endS });
    }, {}, 100);
    for (let i = 0; i < b.tS.length; i++) {
      nowS = b.tS[i]!;
      tr.update(nowS, b.gyrRadS.subarray(3 * i, 3 * i + 3), b.accMS2.subarray(3 * i, 3 * i + 3));
    }
    tr.finish();
    expect(live.filter((r) => !r.partial)).toHaveLength(countRepsOffline(dominantRotationSignal(b)).count);
    expect(live).toHaveLength(5);
    expect(live[0]!.latencyS).toBeLessThan(0.3);
  });

  it('rejects bad parameters', () => {
    expect(() => new DominantRotationTracker(() => {}, { warmupBackFraction: 1 })).toThrow(RepParamError);
    expect(() => new DominantRotationTracker(() => {}, { warmupRepShare: 0.2 })).toThrow(RepParamError);
    expect(() => dominantRotationSignal(block, { minRateDegS: -1 })).toThrow(RepParamError);
    expect(() => dominantRotationSignal(block, { method: 'pca' as never })).toThrow(RepParamError);
  });
});

describe('dominantRotationSignal for a rotation about the vertical (heading: only the orientation method sees it)', () => {
  it('counts reps of an axial rotation about the vertical despite gyroscope bias (6D heading drift)', () => {
    const reps = new RepSequence({ reps: 8, startS: 3, amplitudeRad: 45 * DEG, riseS: 1.2, holdS: 3, restS: 1.5 });
    const body = new Body([
      { name: 'trunk', orientation: [1, 0, 0, 0], position: [0, 0, 1] },
      { name: 'arm', parent: 'trunk', jointName: 'turn', jointPositionM: [0, 0, 0], joint: { type: 'hinge', axis: [0, 0, 1], angle: reps, dofNames: ['turn'] } },
    ]);
    const sim = simulate(
      { body, sensors: [{ id: 'arm', segment: 'arm', positionM: [0.3, 0, 0], orientation: quat.fromAxisAngle(quat.create(), [1, 1, 0], 0.4), errors: 'consumer' }], durationS: reps.endS + 3 },
      { rateHz: 100, seed: 9 },
    );
    const block = concatBlocks(sim.blocks['arm']!).block;
    const s = dominantRotationSignal(block);
    const r = countRepsOffline(s);
    expect(r.count).toBe(8);
    r.reps.forEach((x, i) => {
      expect(Math.abs(x.startS - reps.reps[i]!.startS)).toBeLessThan(0.2);
      expect(Math.abs(x.endS - reps.reps[i]!.endS)).toBeLessThan(0.2);
      expect(Math.abs(x.romDeg - 45)).toBeLessThan(3);
    });
  });
});
