import { describe, expect, it } from 'vitest';
import { Vqf } from '../../src/fusion/vqf';
import { CalibrationInputError } from '../../src/kinematics/hingeAxis';
import { HeadingAlignment, applyHeadingCorrection } from '../../src/kinematics/headingAlignment';
import * as quat from '../../src/math/quat';
import { concatBlocks, type InertialBlock } from '../../src/samples/block';
import { estimateHingeAxes } from '../../src/kinematics/hingeAxis';
import { kneeFlexionScenario, lateralMount } from '../../src/sim/scenarios';
import { simulate, type Scenario } from '../../src/sim/simulate';
import { DEG, swingingKneeScenario, trueKneeAxes } from './calibrationHelpers';

function sixD(blocks: InertialBlock[]): { b: InertialBlock; q: Float64Array } {
  const b = concatBlocks(blocks).block;
  const q = new Float64Array(4 * b.tS.length);
  new Vqf({ magEnabled: false }, { rateHz: 100 }).updateBlock(b, q);
  return { b, q };
}

/** Segment relative orientation from sensor orientations and the true mounts, vs truth; deg per sample. */
function kneeErrorsDeg(sc: Scenario, truthRel: Float64Array, q1: Float64Array, q2: Float64Array, delta: Float64Array | null, fromS: number, tS: Float64Array): number[] {
  const m1 = sc.sensors[0]!.orientation!, m2 = sc.sensors[1]!.orientation!;
  const a = quat.create(), b = quat.create(), s1 = quat.create(), s2 = quat.create(), rel = quat.create(), tr = quat.create();
  const errs: number[] = [];
  for (let i = 0; i < tS.length; i++) {
    if (tS[i]! < fromS) continue;
    quat.readAt(a, q1, i);
    quat.readAt(b, q2, i);
    if (delta) applyHeadingCorrection(b, b, delta[i]!);
    quat.multiply(s1, a, quat.conjugate(quat.create(), m1));
    quat.multiply(s2, b, quat.conjugate(quat.create(), m2));
    quat.relative(rel, s1, s2);
    quat.readAt(tr, truthRel, i);
    errs.push(quat.distanceRad(rel, tr) / DEG);
  }
  return errs;
}

const rms = (x: number[]): number => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

describe('HeadingAlignment (mag-free, hinge constraint)', () => {
  it('knee, consumer noise + gyro bias + wobble, two independent 6D VQF: relative orientation RMSE ≤ 3° after alignment', () => {
    const sc = kneeFlexionScenario({ mountErrorDeg: 15, noise: 'consumer', softTissue: true, seed: 7, facingDeg: 70, reps: 8 });
    const r = simulate(sc, { rateHz: 100 });
    const s1 = sixD(r.blocks['thigh']!), s2 = sixD(r.blocks['shank']!);
    // An arbitrary start heading of sensor 2 (6D headings are unrelated between sensors).
    const off = quat.create(), qi = quat.create();
    for (let i = 0; i < s2.b.tS.length; i++) quat.writeAt(s2.q, i, applyHeadingCorrection(off, quat.readAt(qi, s2.q, i), 40 * DEG));
    const [j1, j2] = trueKneeAxes(sc);
    const ha = new HeadingAlignment(j1, j2);
    const n = s1.b.tS.length;
    const delta = new Float64Array(n), conf = new Float64Array(n);
    ha.updateBlock(s1.b.tS, s1.q, s2.q, s1.b.gyrRadS, s2.b.gyrRadS, delta, conf);
    const rel = r.truth.joints['knee']!.relativeQuat;
    const before = rms(kneeErrorsDeg(sc, rel, s1.q, s2.q, null, 12, s1.b.tS));
    const after = kneeErrorsDeg(sc, rel, s1.q, s2.q, delta, 12, s1.b.tS);
    console.log(`heading: before ${before.toFixed(2)}°, after rms ${rms(after).toFixed(2)}° max ${Math.max(...after).toFixed(2)}°`);
    expect(before).toBeGreaterThan(20); // the 6D headings are unrelated
    expect(rms(after)).toBeLessThan(3);
    expect(conf[n - 1]!).toBeGreaterThan(0.8);
  });

  it('end to end, mag-free: functional axes (nominal-mount hints) → heading alignment → relative sensor orientation RMSE ≤ 3°', () => {
    const sc = swingingKneeScenario({ mountErrorDeg: 15, seed: 8, noise: 'consumer', softTissue: true, durationS: 40, facingDeg: 200 });
    const r = simulate(sc, { rateHz: 100 });
    const s1 = sixD(r.blocks['thigh']!), s2 = sixD(r.blocks['shank']!);
    const nominal = quat.rotateInverse(new Float64Array(3), lateralMount('right'), [0, 0, -1]);
    const axes = estimateHingeAxes(s1.b.gyrRadS, s2.b.gyrRadS, 0.01, { j1Hint: nominal, j2Hint: nominal });
    expect(axes.quality).toBe('good');
    const ha = new HeadingAlignment(axes.j1, axes.j2);
    const n = s1.b.tS.length;
    const delta = new Float64Array(n), conf = new Float64Array(n);
    ha.updateBlock(s1.b.tS, s1.q, s2.q, s1.b.gyrRadS, s2.b.gyrRadS, delta, conf);
    const t1 = r.truth.sensors['thigh']!.quat, t2 = r.truth.sensors['shank']!.quat;
    const a = quat.create(), b = quat.create(), rel = quat.create(), tr = quat.create(), x = quat.create(), y = quat.create();
    const errs: number[] = [];
    for (let i = 1000; i < n; i++) {
      quat.readAt(a, s1.q, i);
      applyHeadingCorrection(b, quat.readAt(b, s2.q, i), delta[i]!);
      quat.relative(rel, a, b);
      quat.relative(tr, quat.readAt(x, t1, i), quat.readAt(y, t2, i));
      errs.push(quat.distanceRad(rel, tr) / DEG);
    }
    console.log(`end-to-end: rms ${rms(errs).toFixed(2)}° max ${Math.max(...errs).toFixed(2)}°, final confidence ${conf[n - 1]!.toFixed(2)}`);
    expect(rms(errs)).toBeLessThan(3);
    expect(conf[n - 1]!).toBeGreaterThan(0.5);
  });

  it('near-vertical hinge axis → low confidence (no confident wrong heading)', () => {
    const sc = swingingKneeScenario({ verticalAxis: true, mountErrorDeg: 10, noise: 'consumer', seed: 3, durationS: 30 });
    const r = simulate(sc, { rateHz: 100 });
    const s1 = sixD(r.blocks['thigh']!), s2 = sixD(r.blocks['shank']!);
    const [j1, j2] = trueKneeAxes(sc);
    const ha = new HeadingAlignment(j1, j2);
    const n = s1.b.tS.length;
    const delta = new Float64Array(n), conf = new Float64Array(n);
    ha.updateBlock(s1.b.tS, s1.q, s2.q, s1.b.gyrRadS, s2.b.gyrRadS, delta, conf);
    let maxConf = 0;
    for (let i = 0; i < n; i++) maxConf = Math.max(maxConf, conf[i]!);
    console.log(`near-vertical: max confidence ${maxConf.toFixed(3)}`);
    expect(maxConf).toBeLessThan(0.2);
  });

  it('holds the estimate during rest and its state round-trips', () => {
    const j = [0, 0, 1];
    const ha = new HeadingAlignment(j, j, { windowS: 4 });
    // sensor 1 axis along +x horizontally, sensor 2 has heading offset −30° (so δ = +30°)
    const q1 = quat.fromAxisAngle(quat.create(), [0, 1, 0], Math.PI / 2); // z_S → +x_G
    const q2 = quat.multiply(quat.create(), quat.fromAxisAngle(quat.create(), [0, 0, 1], -30 * DEG), q1);
    const moving = [0.5, 0, 0], still = [0, 0, 0];
    let t = 0;
    for (; t < 6; t += 0.01) ha.update(t, q1, q2, moving, moving);
    expect(ha.deltaRad / DEG).toBeCloseTo(30, 6);
    expect(ha.confidence).toBeCloseTo(1, 6);
    const saved = ha.getState();
    // rest with contradicting data (δ would be −60°): held after 3 s of rest
    const q2b = quat.multiply(quat.create(), quat.fromAxisAngle(quat.create(), [0, 0, 1], 60 * DEG), q1);
    for (; t < 20; t += 0.01) ha.update(t, q1, q2b, still, still);
    // during the first 3 s of rest the samples still count, so the held value is a blend; after
    // that it must not move any more
    const held = ha.deltaRad;
    for (; t < 30; t += 0.01) ha.update(t, q1, q2b, still, still);
    expect(ha.deltaRad).toBe(held);
    const other = new HeadingAlignment(j, j, { windowS: 4 });
    other.setState(saved);
    expect(other.deltaRad / DEG).toBeCloseTo(30, 6);
    expect(structuredClone(saved)).toEqual(saved);
    ha.reset();
    expect(ha.confidence).toBe(0);
  });

  it('bad input throws', () => {
    expect(() => new HeadingAlignment([0, 0, 0], [0, 0, 1])).toThrow(CalibrationInputError);
    expect(() => new HeadingAlignment([0, 0, 1], [0, 0, 1], { windowS: 0 })).toThrow(CalibrationInputError);
    const ha = new HeadingAlignment([0, 0, 1], [0, 0, 1]);
    const q = quat.create();
    ha.update(1, q, q, [0, 0, 0], [0, 0, 0]);
    expect(() => ha.update(1, q, q, [0, 0, 0], [0, 0, 0])).toThrow(/time must increase/);
  });
});
