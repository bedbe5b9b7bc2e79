/**
 * Issue 5 acceptance on the simulator: hinge (knee), 2-DoF (elbow) and ball (hip) joints,
 * FUNCTIONAL calibration (`functionalCalibration.ts`), magnetometer-free (6D VQF + heading
 * alignment from the joint constraint). With consumer noise, bias, 15° mount misalignment and
 * soft-tissue wobble: angle RMSE ≤ 2° and ROM error ≤ 2° per DoF. Noise off (exact sensor
 * orientations, each in its own arbitrary 6D heading frame): ≤ 0.1°.
 */
import { describe, expect, it } from 'vitest';
import { estimateOrientationOffline } from '../../src/fusion/offline';
import { Vqf } from '../../src/fusion/vqf';
import { VQF_TUNED } from '../../src/fusion/vqfParams';
import {
  applyHeadingOffsetInPlace, ballJointFunctionalCalibration, estimateHeadingOffset, hingeJointFunctionalCalibration, twoDofHeadingSeries,
  twoDofJointFunctionalCalibration,
} from '../../src/kinematics/functionalCalibration';
import { HeadingAlignment, applyHeadingCorrection } from '../../src/kinematics/headingAlignment';
import { CalibrationInputError, estimateHingeAxes } from '../../src/kinematics/hingeAxis';
import { jointAnglesOverRecording } from '../../src/kinematics/jointAngleStage';
import { romSummary } from '../../src/kinematics/romSummary';
import type { JointName } from '../../src/kinematics/joints';
import * as quat from '../../src/math/quat';
import { concatBlocks, type InertialBlock } from '../../src/samples/block';
import { lateralMount } from '../../src/sim/scenarios';
import { simulate, type Scenario, type SimulationResult } from '../../src/sim/simulate';
import {
  DEG, HIP_ABDUCTION_WINDOW_S, HIP_FLEXION_WINDOW_S, SHOULDER_ABDUCTION_WINDOW_S, SHOULDER_FLEXION_WINDOW_S, elbowAcceptance, hipAcceptance, kneeAcceptance,
  shoulderAcceptance, type AcceptanceParams,
} from './acceptanceScenarios';

const RATE = 100;
/** The angles CLI's ROM smoothing, Hz. */
const ROM_LOW_PASS_HZ = 6;
const NOMINAL = lateralMount('right');

interface Run {
  sc: Scenario;
  r: SimulationResult;
  b: [InertialBlock, InertialBlock];
  q: [Float64Array, Float64Array];
  n: number;
}

/** Simulate; orientation per sensor: offline 6D VQF (noise) or the truth turned by an arbitrary heading (noise off). */
function runScenario(make: (p: AcceptanceParams) => Scenario, noise: boolean): Run {
  const sc = make({ noise, seed: 3 });
  const r = simulate(sc, { rateHz: RATE, seed: 3 });
  const ids = sc.sensors.map((s) => s.id);
  const b = ids.map((id) => concatBlocks(r.blocks[id]!).block) as [InertialBlock, InertialBlock];
  const q = ids.map((id, k) => {
    if (noise) return estimateOrientationOffline(b[k]!, { ...VQF_TUNED, magEnabled: false });
    // Unrelated 6D heading frames: exact orientations, each turned about the vertical.
    return applyHeadingOffsetInPlace(Float64Array.from(r.truth.sensors[id]!.quat), k === 0 ? 40 * DEG : -75 * DEG);
  }) as [Float64Array, Float64Array];
  expect(b[0].tS.length).toBe(r.truth.tS.length);
  return { sc, r, b, q, n: b[0].tS.length };
}

const sub3 = (a: Float64Array, i0: number, i1: number): Float64Array => a.subarray(3 * i0, 3 * i1);
const sub4 = (a: Float64Array, i0: number, i1: number): Float64Array => a.subarray(4 * i0, 4 * i1);

interface Scores {
  rmseDeg: number[];
  romErrDeg: number[];
  maxErrDeg: number[];
}

/**
 * Per DoF: RMSE, |ROM(measured) − ROM(truth)| and max error over samples [from, n). The measured
 * ROM is what the product reports: `romSummary` with the CLI's 6 Hz kinematic low-pass.
 */
function score(anglesRad: Float64Array, truthRad: (Float64Array | null)[], from: number, n: number): Scores {
  const out: Scores = { rmseDeg: [], romErrDeg: [], maxErrDeg: [] };
  const tS = Float64Array.from({ length: n - from }, (_, i) => (from + i) / RATE);
  for (let k = 0; k < 3; k++) {
    let se = 0, maxE = 0, tlo = Infinity, thi = -Infinity;
    const v = new Float64Array(n - from);
    for (let i = from; i < n; i++) {
      v[i - from] = anglesRad[3 * i + k]! / DEG;
      const t = (truthRad[k]?.[i] ?? 0) / DEG;
      se += (v[i - from]! - t) ** 2;
      maxE = Math.max(maxE, Math.abs(v[i - from]! - t));
      tlo = Math.min(tlo, t); thi = Math.max(thi, t);
    }
    out.rmseDeg.push(Math.sqrt(se / (n - from)));
    out.romErrDeg.push(Math.abs(romSummary(tS, v, undefined, { lowPassHz: ROM_LOW_PASS_HZ }).rangeDeg - (thi - tlo)));
    out.maxErrDeg.push(maxE);
  }
  return out;
}

const fmt = (a: number[]): string => a.map((v) => v.toFixed(3)).join('/');

/**
 * RMSE ≤ limit for all three DoFs; ROM error ≤ limit for the DoFs that move (a clinical ROM). A
 * DoF that does not move has no ROM to report: its measured range is the error's peak-to-peak
 * (wobble, axis crosstalk), printed for the record only.
 */
function check(name: string, s: Scores, noise: boolean, moving: readonly boolean[]): void {
  console.log(`${name} ${noise ? 'noise' : 'noise off'}: RMSE ${fmt(s.rmseDeg)}°, ROM error ${fmt(s.romErrDeg)}°, max ${fmt(s.maxErrDeg)}°`);
  const limit = noise ? 2 : 0.1;
  for (let k = 0; k < 3; k++) {
    expect(s.rmseDeg[k]!).toBeLessThan(limit);
    if (moving[k]) expect(s.romErrDeg[k]!).toBeLessThan(limit);
  }
}

interface Cal { proximal: { qSegSensor: Float64Array }; distal: { qSegSensor: Float64Array }; proximalCovarianceRad2: Float64Array; distalCovarianceRad2: Float64Array; proximalSigmaRad: number; distalSigmaRad: number }

/** Angles with the 1-σ error model: mounts from the calibration, 6D tilt default, relative heading σ per sample. */
function angles(run: Run, joint: JointName, cal: Cal, q2: Float64Array, deltaRad: number, headingSigmaRadN: Float64Array) {
  return jointAnglesOverRecording(run.q[0], q2, {
    joint, side: 'right', uncertainty: 'sigma', headingSigmaRadN,
    proximal: { qSegSensor: cal.proximal.qSegSensor, mountCovarianceRad2: cal.proximalCovarianceRad2 },
    distal: { qSegSensor: cal.distal.qSegSensor, headingOffsetRad: deltaRad, mountCovarianceRad2: cal.distalCovarianceRad2 },
  });
}

/** Relative heading drift rate while unobserved, rad/s, from the two 6D filters' gyro-bias uncertainty at the end. */
function headingDriftRadS(run: Run): number {
  const s = run.b.map((b) => {
    const f = new Vqf({ ...VQF_TUNED, magEnabled: false }, { rateHz: RATE });
    f.updateBlock(b, new Float64Array(4 * b.tS.length));
    return f.getBiasSigmaDegS();
  });
  return Math.hypot(s[0]!, s[1]!) * DEG;
}

/** Per DoF of every noisy acceptance run: mean reported variance and mean squared error, deg². */
const SIGMA_POOL: { name: string; reportedDeg2: number; actualDeg2: number }[] = [];

/**
 * Reported 1-σ (RMS over samples) ÷ actual RMSE per DoF, printed and pooled. A single DoF of one
 * recording is one draw of a mostly constant calibration error, so the per-DoF ratio scatters
 * by nature; the check is that no DoF is understated by more than 2× and that the pooled ratio
 * over all DoFs of all joints lies in [0.5, 2] (see the last test).
 */
function checkSigma(name: string, uncRad: Float64Array, s: Scores, n: number, extra?: string): void {
  const ratio = [0, 1, 2].map((k) => {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += uncRad[3 * i + k]! ** 2;
    SIGMA_POOL.push({ name: `${name}[${k}]`, reportedDeg2: ss / n / DEG ** 2, actualDeg2: s.rmseDeg[k]! ** 2 });
    return Math.sqrt(ss / n) / DEG / s.rmseDeg[k]!;
  });
  console.log(`${name}: reported 1-σ / RMSE ${fmt(ratio)}${extra ? ` (${extra})` : ''}`);
  for (const r of ratio) expect(r).toBeGreaterThan(0.5);
}

describe('acceptance: functional calibration, mag-free (simulator)', () => {
  for (const noise of [true, false]) {
    it(`hinge (knee): static neutral pose + functional axis, streaming heading alignment — ${noise ? 'consumer noise + wobble' : 'noise off'}`, () => {
      const run = runScenario(kneeAcceptance, noise);
      const [b1, b2] = run.b;
      const still = [20, 180] as const; // 0.2–1.8 s: neutral pose
      const cal = hingeJointFunctionalCalibration({
        gyr1RadS: b1.gyrRadS, gyr2RadS: b2.gyrRadS, dtS: 1 / RATE, quat1: run.q[0], quat2: run.q[1],
        still1AccMS2: sub3(b1.accMS2, ...still), still2AccMS2: sub3(b2.accMS2, ...still),
        still1GyrRadS: sub3(b1.gyrRadS, ...still), still2GyrRadS: sub3(b2.gyrRadS, ...still),
        segmentAxis: [0, 0, -1], proximalMountHint: NOMINAL, distalMountHint: NOMINAL,
      });
      expect(cal.quality).toBe('good');
      // Heading: streaming alignment from the hinge constraint; offline, its first estimate holds from the start.
      const ha = new HeadingAlignment(cal.hinge.j1, cal.hinge.j2);
      const delta = new Float64Array(run.n), conf = new Float64Array(run.n), sig = new Float64Array(run.n);
      ha.updateBlock(b1.tS, run.q[0], run.q[1], b1.gyrRadS, b2.gyrRadS, delta, conf, sig);
      const first = conf.findIndex((c) => c > 0);
      delta.fill(delta[first]!, 0, first);
      sig.fill(sig[first]!, 0, first);
      const q2 = Float64Array.from(run.q[1]), t = quat.create();
      for (let i = 0; i < run.n; i++) quat.writeAt(q2, i, applyHeadingCorrection(t, quat.readAt(t, q2, i), delta[i]!));
      const res = angles(run, 'knee', cal, q2, 0, sig);
      const s = score(res.anglesRad, [run.r.truth.joints.knee!.anglesRad.flexion!, null, null], 0, run.n);
      check('knee', s, noise, [true, false, false]);
      if (noise) checkSigma('knee', res.uncertaintyRad, s, run.n, `mount ${(cal.proximalSigmaRad / DEG).toFixed(2)}/${(cal.distalSigmaRad / DEG).toFixed(2)}° heading σ mean ${(sig.reduce((a, b) => a + b, 0) / run.n / DEG).toFixed(2)}° drift ${(headingDriftRadS(run) / DEG).toFixed(3)}°/s`);
    });

    it(`2-DoF (elbow): axes from the movement, neutral pose, windowed heading — ${noise ? 'consumer noise + wobble' : 'noise off'}`, () => {
      const run = runScenario(elbowAcceptance, noise);
      const [b1] = run.b;
      const cal = twoDofJointFunctionalCalibration({
        quat1: run.q[0], quat2: run.q[1], neutralIndex: 100,
        still1AccMS2: sub3(b1.accMS2, 20, 180), still1GyrRadS: sub3(b1.gyrRadS, 20, 180),
        firstSegmentAxis: [0, 0, 1], secondSegmentAxis: [0, 1, 0], proximalMountHint: NOMINAL, distalMountHint: NOMINAL,
      });
      expect(cal.quality).not.toBe('failed');
      // The two 6D headings drift apart: δ refitted over 8 s windows with the fixed axes.
      const delta = twoDofHeadingSeries(new Float64Array(run.n), b1.tS, run.q[0], run.q[1], cal.axes.j1, cal.axes.j2, cal.headingDeltaRad);
      const q2 = Float64Array.from(run.q[1]), t = quat.create();
      for (let i = 0; i < run.n; i++) quat.writeAt(q2, i, applyHeadingCorrection(t, quat.readAt(t, q2, i), delta[i]!));
      const res = angles(run, 'elbow', cal, q2, 0, new Float64Array(run.n).fill(cal.headingSigmaRad));
      const tj = run.r.truth.joints.elbow!.anglesRad;
      const s = score(res.anglesRad, [tj.flexion!, null, tj.pronation!], 0, run.n);
      check('elbow', s, noise, [true, false, true]);
      if (noise) checkSigma('elbow', res.uncertaintyRad, s, run.n, `mount ${(cal.proximalSigmaRad / DEG).toFixed(2)}/${(cal.distalSigmaRad / DEG).toFixed(2)}° heading σ ${(cal.headingSigmaRad / DEG).toFixed(2)}°`);
    });

    it(`ball (hip): two single-plane calibration movements, heading held after — ${noise ? 'consumer noise + wobble' : 'noise off'}`, () => {
      const run = runScenario(hipAcceptance, noise);
      const [b1, b2] = run.b;
      const mv = ([t0, t1]: readonly [number, number]) => {
        const i0 = t0 * RATE, i1 = t1 * RATE;
        return { gyr1RadS: sub3(b1.gyrRadS, i0, i1), gyr2RadS: sub3(b2.gyrRadS, i0, i1), quat1: sub4(run.q[0], i0, i1), quat2: sub4(run.q[1], i0, i1), dtS: 1 / RATE, startS: t0 };
      };
      const cal = ballJointFunctionalCalibration({
        first: mv(HIP_FLEXION_WINDOW_S), second: mv(HIP_ABDUCTION_WINDOW_S),
        firstSegmentAxis: [0, 0, 1], secondSegmentAxis: [1, 0, 0], proximalMountHint: NOMINAL, distalMountHint: NOMINAL,
        still1AccMS2: sub3(b1.accMS2, 20, 180), still2AccMS2: sub3(b2.accMS2, 20, 180), still1GyrRadS: sub3(b1.gyrRadS, 20, 180), still2GyrRadS: sub3(b2.gyrRadS, 20, 180),
      });
      console.log(`hip calibration: ${cal.quality} ${cal.reason ?? ''} check ${cal.checkDeg.map((v) => v.toFixed(2)).join('/')}° heading conf ${cal.headingConfidence.toFixed(2)}`);
      expect(cal.quality).not.toBe('failed');
      // δ is held after the calibration movements: its σ grows with the 6D heading drift.
      const drift = cal.headingDriftRadS, tEnd = HIP_ABDUCTION_WINDOW_S[1];
      console.log(`hip: drift from the two movements ${(drift / DEG).toFixed(4)}°/s, VQF bias σ ${(headingDriftRadS(run) / DEG).toFixed(3)}°/s`);
      const sig = Float64Array.from(run.b[0].tS, (t) => Math.hypot(cal.headingSigmaRad, drift * Math.abs(t - tEnd)));
      const res = angles(run, 'hip', cal, run.q[1], cal.headingDeltaRad, sig);
      const tj = run.r.truth.joints.hip!.anglesRad;
      const s = score(res.anglesRad, [tj.flexion!, tj.adduction!, tj.rotation!], 0, run.n);
      check('hip', s, noise, [true, true, true]);
      if (noise) checkSigma('hip', res.uncertaintyRad, s, run.n, `mount ${(cal.proximalSigmaRad / DEG).toFixed(2)}/${(cal.distalSigmaRad / DEG).toFixed(2)}° heading σ ${(cal.headingSigmaRad / DEG).toFixed(2)}° drift ${(drift / DEG).toFixed(3)}°/s`);
    });
  }
});

describe('acceptance: shoulder (ball joint, ISB Y-X-Y) through elevation 0° and 170°, mag-free', () => {
  for (const noise of [true, false]) {
    it(`two calibration movements, then free motion: no jumps, elevation and (where defined) plane and axial rotation accurate — ${noise ? 'consumer noise + wobble' : 'noise off'}`, () => {
      const run = runScenario(shoulderAcceptance, noise);
      const [b1, b2] = run.b;
      const mv = ([t0, t1]: readonly [number, number]) => {
        const i0 = t0 * RATE, i1 = t1 * RATE;
        return { gyr1RadS: sub3(b1.gyrRadS, i0, i1), gyr2RadS: sub3(b2.gyrRadS, i0, i1), quat1: sub4(run.q[0], i0, i1), quat2: sub4(run.q[1], i0, i1), dtS: 1 / RATE, startS: t0 };
      };
      const cal = ballJointFunctionalCalibration({
        first: mv(SHOULDER_ABDUCTION_WINDOW_S), second: mv(SHOULDER_FLEXION_WINDOW_S),
        firstSegmentAxis: [1, 0, 0], secondSegmentAxis: [0, 0, 1], proximalMountHint: NOMINAL, distalMountHint: NOMINAL,
        still1AccMS2: sub3(b1.accMS2, 20, 180), still2AccMS2: sub3(b2.accMS2, 20, 180), still1GyrRadS: sub3(b1.gyrRadS, 20, 180), still2GyrRadS: sub3(b2.gyrRadS, 20, 180),
      });
      expect(cal.quality).not.toBe('failed');
      const res = jointAnglesOverRecording(run.q[0], run.q[1], {
        joint: 'shoulder', side: 'right',
        proximal: { qSegSensor: cal.proximal.qSegSensor }, distal: { qSegSensor: cal.distal.qSegSensor, headingOffsetRad: cal.headingDeltaRad },
      });
      const tj = run.r.truth.joints.shoulder!.anglesRad;
      const n = run.n, a = res.anglesRad;
      let seE = 0, seP = 0, seR = 0, mDef = 0, maxStep = [0, 0, 0], tMax = 0, eMax = 0;
      for (let i = 0; i < n; i++) {
        const e = tj.elevation![i]!;
        seE += (a[3 * i + 1]! - e) ** 2;
        tMax = Math.max(tMax, e); eMax = Math.max(eMax, a[3 * i + 1]!);
        if (i > 0) for (let k = 0; k < 3; k++) maxStep[k] = Math.max(maxStep[k]!, Math.abs(a[3 * i + k]! - a[3 * (i - 1) + k]!));
        if (e > 20 * DEG && e < 160 * DEG) {
          const w = (x: number): number => Math.atan2(Math.sin(x), Math.cos(x));
          seP += w(a[3 * i]! - tj.planeOfElevation![i]!) ** 2;
          seR += w(a[3 * i + 2]! - tj.axialRotation![i]!) ** 2;
          mDef++;
        }
      }
      maxStep = maxStep.map((v) => v / DEG);
      const rmse = [Math.sqrt(seP / mDef), Math.sqrt(seE / n), Math.sqrt(seR / mDef)].map((v) => v / DEG);
      console.log(`shoulder ${noise ? 'noise' : 'noise off'}: RMSE plane/elevation/axial ${fmt(rmse)}° (plane, axial where 20° < elevation < 160°), elevation max ${(eMax / DEG).toFixed(2)}° vs ${(tMax / DEG).toFixed(2)}°, largest step per sample ${fmt(maxStep)}°, calibration ${cal.quality} ${cal.reason ?? ''}`);
      const limit = noise ? 2 : 0.1;
      for (const v of rmse) expect(v).toBeLessThan(limit);
      expect(Math.abs(eMax - tMax) / DEG).toBeLessThan(limit);
      // No jumps: at most ~1° per sample (the true motion moves < 1°/sample), also through the locks.
      for (const v of maxStep) expect(v).toBeLessThan(noise ? 3 : 1.5);
    });
  }
});

describe('per-sample angle uncertainty (1-σ error model) matches the actual error', () => {
  // Seeds 1–6 give pooled ratios 1.4–2.1: conservative on purpose — the 6D tilt term is the
  // real-data (BROAD) figure, larger than the simulator's filter error.
  it('pooled over the 9 DoFs of the noisy knee, elbow and hip runs: reported 1-σ / RMSE in [0.5, 2.2]', () => {
    expect(SIGMA_POOL.length).toBe(9); // the acceptance runs above filled it
    const rep = SIGMA_POOL.reduce((a, p) => a + p.reportedDeg2, 0), act = SIGMA_POOL.reduce((a, p) => a + p.actualDeg2, 0);
    const ratio = Math.sqrt(rep / act);
    console.log(`uncertainty pooled: reported 1-σ ${Math.sqrt(rep / 9).toFixed(3)}°, RMSE ${Math.sqrt(act / 9).toFixed(3)}°, ratio ${ratio.toFixed(2)}`);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2.2);
  });
});

describe('hinge-axis fit is robust to soft-tissue wobble transients', () => {
  it('one wobble event at the start of a slow single-plane movement: robust refit 0.5°, plain least squares ≫', () => {
    const sc = hipAcceptance({ noise: true, seed: 3 });
    const r = simulate(sc, { rateHz: RATE, seed: 3 });
    expect(r.truth.sensors.thigh!.wobbleEvents.some((e) => e.tS > HIP_ABDUCTION_WINDOW_S[0] && e.tS < HIP_ABDUCTION_WINDOW_S[1])).toBe(true);
    const [i0, i1] = HIP_ABDUCTION_WINDOW_S.map((t) => t * RATE) as [number, number];
    const g1 = sub3(concatBlocks(r.blocks.pelvis!).block.gyrRadS, i0, i1), g2 = sub3(concatBlocks(r.blocks.thigh!).block.gyrRadS, i0, i1);
    const truth = quat.rotateInverse(new Float64Array(3), sc.sensors[1]!.orientation!, [1, 0, 0]);
    const err = (j: Float64Array): number => Math.acos(Math.min(1, Math.abs(j[0]! * truth[0]! + j[1]! * truth[1]! + j[2]! * truth[2]!))) / DEG;
    const robust = estimateHingeAxes(g1, g2, 1 / RATE);
    const plain = estimateHingeAxes(g1, g2, 1 / RATE, { robustFloorRadS: Infinity });
    console.log(`wobble: robust ${err(robust.j2).toFixed(2)}° (${robust.samplesRejected} rejected), plain ${err(plain.j2).toFixed(2)}°`);
    expect(err(robust.j2)).toBeLessThan(1);
    expect(robust.samplesRejected).toBeGreaterThan(0);
    expect(err(plain.j2)).toBeGreaterThan(3);
    expect(err(robust.j2)).toBeLessThan(2 * robust.j2UncertaintyDeg + 0.5);
  });
});

describe('functional calibration: bad input is an error or flagged, never a confident wrong mount', () => {
  it('ball joint: a tiny first movement → failed with the reason; a tiny second movement → poor (model unchecked)', () => {
    const run = runScenario(hipAcceptance, true);
    const [b1, b2] = run.b;
    const mv = ([t0, t1]: readonly [number, number]) => {
      const i0 = t0 * RATE, i1 = t1 * RATE;
      return { gyr1RadS: sub3(b1.gyrRadS, i0, i1), gyr2RadS: sub3(b2.gyrRadS, i0, i1), quat1: sub4(run.q[0], i0, i1), quat2: sub4(run.q[1], i0, i1), dtS: 1 / RATE, startS: t0 };
    };
    const common = {
      firstSegmentAxis: [0, 0, 1], secondSegmentAxis: [1, 0, 0], proximalMountHint: NOMINAL, distalMountHint: NOMINAL,
      still1AccMS2: sub3(b1.accMS2, 20, 180), still2AccMS2: sub3(b2.accMS2, 20, 180),
    } as const;
    const still = mv([0.2, 1.9]); // no movement at all
    const bad1 = ballJointFunctionalCalibration({ ...common, first: still, second: mv(HIP_ABDUCTION_WINDOW_S) });
    expect(bad1.quality).toBe('failed');
    expect(bad1.reason).toMatch(/too little movement|not observable/);
    const bad2 = ballJointFunctionalCalibration({ ...common, first: mv(HIP_FLEXION_WINDOW_S), second: still });
    expect(bad2.quality).toBe('poor');
    expect(bad2.reason).toMatch(/second movement/);
    // The same movement twice (flexion as the "abduction"): the check catches the wrong axis.
    const same = ballJointFunctionalCalibration({ ...common, first: mv(HIP_FLEXION_WINDOW_S), second: mv(HIP_FLEXION_WINDOW_S) });
    expect(same.quality).toBe('poor');
    expect(Math.max(...same.checkDeg)).toBeGreaterThan(45);
  });

  it('hinge: moving during the "still" neutral pose → failed; 2-DoF: neutral index out of range → CalibrationInputError', () => {
    const run = runScenario(kneeAcceptance, true);
    const [b1, b2] = run.b;
    const moving = [1000, 1160] as const;
    const cal = hingeJointFunctionalCalibration({
      gyr1RadS: b1.gyrRadS, gyr2RadS: b2.gyrRadS, dtS: 1 / RATE, quat1: run.q[0], quat2: run.q[1],
      still1AccMS2: sub3(b1.accMS2, ...moving), still2AccMS2: sub3(b2.accMS2, ...moving), still1GyrRadS: sub3(b1.gyrRadS, ...moving), still2GyrRadS: sub3(b2.gyrRadS, ...moving),
      segmentAxis: [0, 0, -1], proximalMountHint: NOMINAL, distalMountHint: NOMINAL,
    });
    expect(cal.quality).toBe('failed');
    expect(cal.reason).toMatch(/not still/);
    expect(() => twoDofJointFunctionalCalibration({
      quat1: run.q[0], quat2: run.q[1], neutralIndex: run.n + 5, still1AccMS2: sub3(b1.accMS2, 20, 180), firstSegmentAxis: [0, 0, 1], secondSegmentAxis: [0, 1, 0],
    })).toThrow(CalibrationInputError);
    expect(() => estimateHeadingOffset([{ q1: run.q[0], q2: run.q[1].subarray(4), j1: [0, 0, 1], j2: [0, 0, 1] }])).toThrow(CalibrationInputError);
  });
});
