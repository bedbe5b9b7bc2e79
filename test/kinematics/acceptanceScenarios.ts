/**
 * Simulator set-ups for the joint-angle acceptance tests (issue 5 "done when"): a hinge (knee),
 * a 2-DoF joint (elbow flexion + pronation) and a ball joint (hip), each starting with a still
 * neutral pose, both segments moving (so that mag-free functional calibration is observable),
 * with sensors mounted off their nominal orientation. Composed from src/sim only.
 */
import * as quat from '../../src/math/quat';
import { Body } from '../../src/sim/body';
import type { SensorSpec } from '../../src/sim/imu';
import { AxisSequenceOrientation } from '../../src/sim/pose';
import { Rng } from '../../src/sim/random';
import { lateralMount, uprightOrientation } from '../../src/sim/scenarios';
import type { Scenario } from '../../src/sim/simulate';
import { ConstantTrajectory, FadeInTrajectory, MinimumJerkTrajectory, SinusoidTrajectory, SumTrajectory, type Trajectory1 } from '../../src/sim/trajectory';

export const DEG = Math.PI / 180;

/**
 * A single-plane burst: A·(1 − cos 2πf(t − t0))/2 for `cycles` whole cycles from t0, else 0 —
 * starts and ends at rest (C¹), for a calibration movement about one axis.
 */
export class BurstTrajectory implements Trajectory1 {
  constructor(private readonly amplitude: number, private readonly frequencyHz: number, private readonly t0S: number, private readonly cycles: number) {}
  evaluate(tS: number, out: Float64Array): Float64Array {
    const w = 2 * Math.PI * this.frequencyHz;
    const u = tS - this.t0S;
    if (u <= 0 || u >= this.cycles / this.frequencyHz) {
      out[0] = 0; out[1] = 0; out[2] = 0;
      return out;
    }
    out[0] = 0.5 * this.amplitude * (1 - Math.cos(w * u));
    out[1] = 0.5 * this.amplitude * w * Math.sin(w * u);
    out[2] = 0.5 * this.amplitude * w * w * Math.cos(w * u);
    return out;
  }
}

export interface AcceptanceParams {
  noise: boolean;
  seed?: number;
  mountErrorDeg?: number;
  facingDeg?: number;
}

const LEAD_S = 2;

function sway(amplitudeDeg: number, freqs: readonly [number, number, number], base: Float64Array, leadS = LEAD_S): AxisSequenceOrientation {
  return new AxisSequenceOrientation({
    axes: [[0, 0, 1], [1, 0, 0], [0, 1, 0]],
    angles: freqs.map((f, i) => new FadeInTrajectory(new SinusoidTrajectory({ amplitude: amplitudeDeg * DEG * (i === 0 ? 1 : 0.7), frequencyHz: f, phaseRad: i }), leadS, 1.5)),
    base,
  });
}

function mounted(p: AcceptanceParams, rng: Rng, id: string, segment: string, positionM: number[], nominal: Float64Array): SensorSpec {
  const ax = [rng.gaussian(), rng.gaussian(), rng.gaussian()];
  const orientation = quat.multiply(quat.create(), nominal, quat.fromAxisAngle(quat.create(), ax, (p.mountErrorDeg ?? 15) * DEG));
  return {
    id, segment, positionM, orientation, side: 'right', magnetometer: false,
    errors: p.noise ? 'consumer' : 'ideal',
    ...(p.noise ? { softTissue: true } : {}),
  };
}

/** Right knee: thigh sways ±25° (3 axes) after 2 s still, knee flexes 5…95° at 0.4 Hz. 40 s. */
export function kneeAcceptance(p: AcceptanceParams): Scenario {
  const rng = new Rng(p.seed ?? 1, 'acceptance', 'knee');
  const body = new Body([
    { name: 'thigh', orientation: sway(25, [0.23, 0.37, 0.29], uprightOrientation(p.facingDeg ?? 30)), position: [0, 0, 0.9] },
    {
      name: 'shank', parent: 'thigh', jointName: 'knee', jointPositionM: [0, -0.42, 0],
      joint: { type: 'hinge', axis: [0, 0, -1], angle: new FadeInTrajectory(new SinusoidTrajectory({ amplitude: 45 * DEG, frequencyHz: 0.4, offset: 50 * DEG, phaseRad: -Math.PI / 2 }), LEAD_S, 1.5), dofNames: ['flexion'] },
    },
  ]);
  const m = lateralMount('right');
  return {
    name: 'knee-acceptance', body, durationS: 40,
    sensors: [mounted(p, rng, 'thigh', 'thigh', [0, -0.2, 0.08], m), mounted(p, rng, 'shank', 'shank', [0, -0.18, 0.05], m)],
  };
}

/** Right elbow: upper arm (hanging) sways ±25°, elbow flexes 10…110°, forearm pronates ±60°. 40 s. */
export function elbowAcceptance(p: AcceptanceParams): Scenario {
  const rng = new Rng(p.seed ?? 1, 'acceptance', 'elbow');
  const body = new Body([
    { name: 'upperArm', orientation: sway(25, [0.21, 0.33, 0.27], uprightOrientation(p.facingDeg ?? 30)), position: [0, 0.18, 1.4] },
    {
      name: 'forearm', parent: 'upperArm', jointName: 'elbow', jointPositionM: [0, -0.3, 0],
      joint: {
        type: 'two-dof', axes: [[0, 0, 1], [0, 1, 0]],
        angles: [
          new FadeInTrajectory(new SinusoidTrajectory({ amplitude: 50 * DEG, frequencyHz: 0.4, offset: 60 * DEG, phaseRad: -Math.PI / 2 }), LEAD_S, 1.5),
          new FadeInTrajectory(new SinusoidTrajectory({ amplitude: 60 * DEG, frequencyHz: 0.17 }), LEAD_S, 1.5),
        ],
        dofNames: ['flexion', 'pronation'],
      },
    },
  ]);
  const m = lateralMount('right');
  return {
    name: 'elbow-acceptance', body, durationS: 40,
    sensors: [mounted(p, rng, 'upperArm', 'upperArm', [0, -0.15, 0.04], m), mounted(p, rng, 'forearm', 'forearm', [0, -0.15, 0.03], m)],
  };
}

/** Calibration movement windows of the hip scenario, s. */
export const HIP_FLEXION_WINDOW_S = [3, 11] as const;
export const HIP_ABDUCTION_WINDOW_S = [12, 20] as const;
/** Free 3-DoF hip motion from here on, s. */
export const HIP_FREE_FROM_S = 21;

/**
 * Right hip (ball joint, ISB Z-X-Y): pelvis sways ±12° throughout after 2 s still; calibration
 * movements: flexion 0→50° twice (3–11 s), abduction 0→35° twice (12–20 s); then free motion
 * of all three DoFs (flexion 0…60°, ab/adduction ±15°, rotation ±20°). 50 s.
 */
export function hipAcceptance(p: AcceptanceParams): Scenario {
  const rng = new Rng(p.seed ?? 1, 'acceptance', 'hip');
  const free = (a: Trajectory1): Trajectory1 => new FadeInTrajectory(a, HIP_FREE_FROM_S, 2);
  const flexion = new SumTrajectory([
    new BurstTrajectory(50 * DEG, 0.25, HIP_FLEXION_WINDOW_S[0], 2),
    free(new SinusoidTrajectory({ amplitude: 30 * DEG, frequencyHz: 0.3, offset: 30 * DEG, phaseRad: -Math.PI / 2 })),
  ]);
  const adduction = new SumTrajectory([
    new BurstTrajectory(-35 * DEG, 0.25, HIP_ABDUCTION_WINDOW_S[0], 2),
    free(new SinusoidTrajectory({ amplitude: 15 * DEG, frequencyHz: 0.21 })),
  ]);
  const rotation = new SumTrajectory([new ConstantTrajectory(0), free(new SinusoidTrajectory({ amplitude: 20 * DEG, frequencyHz: 0.17, phaseRad: 0.5 }))]);
  const body = new Body([
    { name: 'pelvis', orientation: sway(12, [0.31, 0.43, 0.37], uprightOrientation(p.facingDeg ?? 30)), position: [0, 0, 1.0] },
    {
      name: 'thigh', parent: 'pelvis', jointName: 'hip', jointPositionM: [0, -0.08, 0.1],
      joint: { type: 'ball', axes: [[0, 0, 1], [1, 0, 0], [0, 1, 0]], angles: [flexion, adduction, rotation], dofNames: ['flexion', 'adduction', 'rotation'] },
    },
  ]);
  const m = lateralMount('right');
  return {
    name: 'hip-acceptance', body, durationS: 50,
    sensors: [mounted(p, rng, 'pelvis', 'pelvis', [0, 0, 0.15], m), mounted(p, rng, 'thigh', 'thigh', [0, -0.2, 0.08], m)],
  };
}

/**
 * Right hip, a joint-centre calibration movement: quick leg circles (each hip DoF a sinusoid of
 * 25–35° at 0.7–1.1 Hz) with the pelvis swaying, after 2 s still. 20 s. Same sensors as
 * {@link hipAcceptance}.
 */
export function hipCircles(p: AcceptanceParams): Scenario {
  const base = hipAcceptance(p);
  const f = (a: number, hz: number, ph: number): Trajectory1 => new FadeInTrajectory(new SinusoidTrajectory({ amplitude: a * DEG, frequencyHz: hz, phaseRad: ph }), LEAD_S, 1);
  const body = new Body([
    { name: 'pelvis', orientation: sway(12, [0.31, 0.43, 0.37], uprightOrientation(p.facingDeg ?? 30)), position: [0, 0, 1.0] },
    {
      name: 'thigh', parent: 'pelvis', jointName: 'hip', jointPositionM: [0, -0.08, 0.1],
      joint: { type: 'ball', axes: [[0, 0, 1], [1, 0, 0], [0, 1, 0]], angles: [f(35, 0.9, 0), f(25, 1.1, 1), f(30, 0.7, 2)], dofNames: ['flexion', 'adduction', 'rotation'] },
    },
  ]);
  return { ...base, name: 'hip-circles', body, durationS: 20 };
}

export const SHOULDER_ABDUCTION_WINDOW_S = [3, 11] as const;
export const SHOULDER_FLEXION_WINDOW_S = [12, 20] as const;
export const SHOULDER_FREE_FROM_S = 20;

/**
 * Right shoulder (ball joint, ISB Y-X′-Y″ as in `shoulderAbductionScenario`): the thorax sways
 * ±10° after 2 s still; calibration movements abduction 0→60° twice (3–11 s, about the thorax
 * x) and flexion 0→60° twice (12–20 s, plane 90° and axial rotation −90°: about the thorax z; the
 * switch happens at elevation 0, where it moves nothing); then free motion with elevation 0→170°
 * (through both gimbal regions), plane 50…130° and axial rotation ±30°. 50 s.
 */
export function shoulderAcceptance(p: AcceptanceParams): Scenario {
  const rng = new Rng(p.seed ?? 1, 'acceptance', 'shoulder');
  const free = (a: Trajectory1): Trajectory1 => new FadeInTrajectory(a, SHOULDER_FREE_FROM_S, 2);
  const plane = new SumTrajectory([
    new MinimumJerkTrajectory({ from: 0, to: 90 * DEG, startS: 11.2, durationS: 0.6 }),
    free(new SinusoidTrajectory({ amplitude: 40 * DEG, frequencyHz: 0.11 })),
  ]);
  const elevation = new SumTrajectory([
    new BurstTrajectory(60 * DEG, 0.25, SHOULDER_ABDUCTION_WINDOW_S[0], 2),
    new BurstTrajectory(60 * DEG, 0.25, SHOULDER_FLEXION_WINDOW_S[0], 2),
    free(new SinusoidTrajectory({ amplitude: 85 * DEG, frequencyHz: 0.15, offset: 85 * DEG, phaseRad: -Math.PI / 2 })),
  ]);
  const axial = new SumTrajectory([
    new MinimumJerkTrajectory({ from: 0, to: -90 * DEG, startS: 11.2, durationS: 0.6 }),
    free(new SinusoidTrajectory({ amplitude: 30 * DEG, frequencyHz: 0.13, phaseRad: 1 })),
  ]);
  const body = new Body([
    { name: 'thorax', orientation: sway(10, [0.27, 0.41, 0.33], uprightOrientation(p.facingDeg ?? 30)), position: [0, 0, 1.45] },
    {
      name: 'upperArm', parent: 'thorax', jointName: 'shoulder', jointPositionM: [0, -0.05, 0.18],
      joint: { type: 'ball', axes: [[0, 1, 0], [-1, 0, 0], [0, 1, 0]], angles: [plane, elevation, axial], dofNames: ['planeOfElevation', 'elevation', 'axialRotation'] },
    },
  ]);
  const m = lateralMount('right');
  return {
    name: 'shoulder-acceptance', body, durationS: 50,
    sensors: [mounted(p, rng, 'thorax', 'thorax', [0.1, -0.15, 0.05], m), mounted(p, rng, 'upperArm', 'upperArm', [0, -0.15, 0.045], m)],
  };
}
