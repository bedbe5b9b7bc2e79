/**
 * Ready-made simulation setups used by fixtures and tests.
 *
 * Segment frames follow ISB (Wu et al. 2002/2005): x anterior, y superior along the segment
 * (distal → proximal), z to the subject's right — for both sides, so that left and right
 * frames are parallel in a neutral standing posture. Global frame ENU, z up: a standing
 * segment's y axis points up. `facingDeg` is the compass heading the subject faces (clockwise
 * from north; 0 = facing north, right side east). Each segment's origin is its proximal joint.
 *
 * Sensors sit on the lateral surface with sensor x along the segment (pointing proximally),
 * sensor z out of the skin (laterally) and y = z × x; `mountErrorDeg` adds a seeded random
 * mounting rotation of that size.
 */
import * as quat from '../math/quat';
import type { Quat, QuatLike } from '../math/quat';
import type { Vec3Like } from '../math/vec3';
import { Body } from './body';
import type { ErrorPresetName, SensorErrorParams } from './errors';
import type { SensorSpec } from './imu';
import type { MagneticFieldParams } from './magnetic';
import { quatFromAxes, unitQuat } from './motion';
import { AxisPositionTrajectory, AxisSequenceOrientation } from './pose';
import { Rng } from './random';
import { RepSequence } from './reps';
import type { Scenario } from './simulate';
import { SimInputError, requireFinite, requireNonNegative, requirePositive } from './sim-error';
import type { SoftTissueParams } from './soft-tissue';
import { ConstantTrajectory, FadeInTrajectory, SinusoidTrajectory, SumTrajectory, type Trajectory1 } from './trajectory';

const DEG = Math.PI / 180;

export interface CommonScenarioParams {
  /** Sensor error model for every sensor. Default `'ideal'`. */
  noise?: ErrorPresetName | SensorErrorParams;
  /** Soft-tissue wobble of every mount (`true`: defaults). Default off. */
  softTissue?: boolean | SoftTissueParams;
  magneticField?: MagneticFieldParams;
  /** Seed for rep variation, random mounting error and random motion. Default 1. */
  seed?: number;
  /** Random extra mounting rotation per sensor, deg. Default 0. */
  mountErrorDeg?: number;
}

export interface RepScenarioParams extends CommonScenarioParams {
  /** Reps per set. Default 10. */
  reps?: number;
  /** Default 1. */
  sets?: number;
  /** End-range excursion, deg. */
  amplitudeDeg?: number;
  /** Outward move, s. */
  riseS?: number;
  /** Hold at end range, s. Default 2. */
  holdS?: number;
  /** Return move, s. Default `riseS`. */
  returnS?: number;
  /** Rest between reps, s. Default 1. */
  restS?: number;
  /** Rest between sets, s. Default 10. */
  setRestS?: number;
  /** Still time before the first rep, s. Default 2. */
  leadInS?: number;
  /** Still time after the last rep, s. Default 2. */
  tailS?: number;
  /** Relative std of rep amplitude. Default 0. */
  amplitudeVariation?: number;
  /** Relative std of rep tempo. Default 0. */
  tempoVariation?: number;
  /** 0-based indices of reps that stop at `partialFraction` of the amplitude. Default none. */
  partialReps?: readonly number[];
  /** Default 0.5. */
  partialFraction?: number;
  /** Compass heading the subject faces, deg. Default 0 (north). */
  facingDeg?: number;
  /** Default 'right'. */
  side?: 'left' | 'right';
}

/** q_{G,seg} of an upright segment (y up) of a subject facing compass heading `facingDeg`. */
export function uprightOrientation(facingDeg: number): Quat {
  const h = requireFinite('facingDeg', facingDeg) * DEG;
  const f = [Math.sin(h), Math.cos(h), 0];
  const right = [Math.cos(h), -Math.sin(h), 0];
  return quatFromAxes(f, [0, 0, 1], right);
}

/** Lateral-surface mounting q_{seg,S}: sensor x along segment +y, z out of the skin. */
export function lateralMount(side: 'left' | 'right'): Quat {
  const s = side === 'right' ? 1 : -1;
  // y = z × x with z = (0, 0, s), x = (0, 1, 0)
  return quatFromAxes([0, 1, 0], [-s, 0, 0], [0, 0, s]);
}

function checkSide(side: unknown): 'left' | 'right' {
  if (side !== 'left' && side !== 'right') throw new SimInputError(`side must be 'left' or 'right', got '${String(side)}'`);
  return side;
}

function withMountError(q: QuatLike, errDeg: number, rng: Rng): Quat {
  const out = quat.copy(quat.create(), q);
  if (errDeg === 0) return out;
  // Uniform random axis (normalised Gaussian vector), fixed angle.
  const ax = [rng.gaussian(), rng.gaussian(), rng.gaussian()];
  return quat.multiply(out, out, quat.fromAxisAngle(quat.create(), ax, errDeg * DEG));
}

function repSequence(p: RepScenarioParams, defaults: { amplitudeDeg: number; riseS: number }, restRad: number, sign: number): RepSequence {
  return new RepSequence({
    reps: p.reps ?? 10,
    sets: p.sets ?? 1,
    startS: requireNonNegative('leadInS', p.leadInS ?? 2),
    restRad,
    amplitudeRad: sign * requireFinite('amplitudeDeg', p.amplitudeDeg ?? defaults.amplitudeDeg) * DEG,
    riseS: p.riseS ?? defaults.riseS,
    holdS: p.holdS ?? 2,
    returnS: p.returnS ?? p.riseS ?? defaults.riseS,
    restS: p.restS ?? 1,
    setRestS: p.setRestS ?? 10,
    amplitudeVariation: p.amplitudeVariation ?? 0,
    tempoVariation: p.tempoVariation ?? 0,
    partialReps: p.partialReps ?? [],
    partialFraction: p.partialFraction ?? 0.5,
    seed: p.seed ?? 1,
  });
}

function sensor(
  p: CommonScenarioParams,
  rng: Rng,
  spec: { id: string; segment: string; positionM: Vec3Like; orientation: QuatLike; side?: 'left' | 'right' },
): SensorSpec {
  const mountErr = requireNonNegative('mountErrorDeg', p.mountErrorDeg ?? 0);
  return {
    id: spec.id,
    segment: spec.segment,
    positionM: spec.positionM,
    orientation: withMountError(spec.orientation, mountErr, rng),
    placement: spec.segment,
    ...(spec.side ? { side: spec.side } : {}),
    errors: p.noise ?? 'ideal',
    ...(p.softTissue ? { softTissue: p.softTissue } : {}),
  };
}

export interface KneeScenarioParams extends RepScenarioParams {
  /**
   * `'standing'`: thigh upright and still, reps flex the knee from 0° to `amplitudeDeg`
   * (hamstring curl). `'seated'`: thigh horizontal, knee rests at 90° flexion and reps extend it
   * by `amplitudeDeg` (long-arc quad). Default 'standing'.
   */
  posture?: 'standing' | 'seated';
  /** Default 0.42. */
  thighLengthM?: number;
}

/**
 * Knee flexion–extension: root 'thigh' (fixed), child 'shank' on a hinge 'knee' with DoF
 * 'flexion' (positive = flexion, i.e. rotation about the thigh's −z axis), sensors 'thigh'
 * and 'shank' on the lateral surfaces. Defaults: 10 reps to 90°, rise/return 1.5 s, hold 2 s.
 */
export function kneeFlexionScenario(p: KneeScenarioParams = {}): Scenario {
  const side = checkSide(p.side ?? 'right');
  const s = side === 'right' ? 1 : -1;
  const posture = p.posture ?? 'standing';
  if (posture !== 'standing' && posture !== 'seated') throw new SimInputError(`posture must be 'standing' or 'seated', got '${String(posture)}'`);
  const thighL = requirePositive('thighLengthM', p.thighLengthM ?? 0.42);
  const upright = uprightOrientation(p.facingDeg ?? 0);
  const seated = posture === 'seated';
  // Seated: the thigh is the upright thigh flexed 90° at the hip (rotation about +z).
  const thighQ = seated ? quat.multiply(quat.create(), upright, quat.fromAxisAngle(quat.create(), [0, 0, 1], Math.PI / 2)) : upright;
  const reps = seated ? repSequence(p, { amplitudeDeg: 90, riseS: 1.5 }, Math.PI / 2, -1) : repSequence(p, { amplitudeDeg: 90, riseS: 1.5 }, 0, 1);
  const hip = quat.rotate(new Float64Array(3), upright, [0, 0, 0.1 * s]);
  const body = new Body([
    { name: 'thigh', orientation: thighQ, position: [hip[0]!, hip[1]!, seated ? 0.5 : 0.9] },
    {
      name: 'shank',
      parent: 'thigh',
      jointName: 'knee',
      jointPositionM: [0, -thighL, 0],
      joint: { type: 'hinge', axis: [0, 0, -1], angle: reps, dofNames: ['flexion'] },
    },
  ]);
  const rng = new Rng(p.seed ?? 1, 'scenario', 'mount');
  const mount = lateralMount(side);
  const sensors = [
    sensor(p, rng, { id: 'thigh', segment: 'thigh', positionM: [0, -0.5 * thighL, 0.08 * s], orientation: mount, side }),
    sensor(p, rng, { id: 'shank', segment: 'shank', positionM: [0, -0.18, 0.05 * s], orientation: mount, side }),
  ];
  return {
    name: 'knee-flexion',
    description: `${posture} knee flexion–extension, ${side} leg, ${reps.reps.length} reps`,
    body,
    sensors,
    reps: reps.reps,
    ...(p.magneticField ? { magneticField: p.magneticField } : {}),
    durationS: reps.endS + requireNonNegative('tailS', p.tailS ?? 2),
  };
}

export interface ShoulderScenarioParams extends RepScenarioParams {
  /** ISB plane of elevation, deg: 0 = frontal plane (abduction), 90 = sagittal (flexion). Default 0. */
  planeOfElevationDeg?: number;
}

/**
 * Shoulder abduction: root 'thorax' (fixed, upright), child 'upperArm' on a ball joint
 * 'shoulder' driven as the ISB Y-X-Y sequence with DoFs 'planeOfElevation', 'elevation'
 * (positive = arm raised) and 'axialRotation'; one sensor 'upperArm' on the lateral upper arm.
 * Defaults: 10 reps of elevation 0 → 150°, rise/return 2 s, hold 2 s.
 */
export function shoulderAbductionScenario(p: ShoulderScenarioParams = {}): Scenario {
  const side = checkSide(p.side ?? 'right');
  const s = side === 'right' ? 1 : -1;
  const reps = repSequence(p, { amplitudeDeg: 150, riseS: 2 }, 0, 1);
  const plane = requireFinite('planeOfElevationDeg', p.planeOfElevationDeg ?? 0) * DEG;
  // Mirrored for the left side: rotations about y and x change sign so angles keep their meaning.
  const body = new Body([
    { name: 'thorax', orientation: uprightOrientation(p.facingDeg ?? 0), position: [0, 0, 1.45] },
    {
      name: 'upperArm',
      parent: 'thorax',
      jointName: 'shoulder',
      jointPositionM: [0, -0.05, 0.18 * s],
      joint: {
        type: 'ball',
        axes: [
          [0, s, 0],
          [-s, 0, 0],
          [0, s, 0],
        ],
        angles: [new ConstantTrajectory(plane), reps, new ConstantTrajectory(0)],
        dofNames: ['planeOfElevation', 'elevation', 'axialRotation'],
      },
    },
  ]);
  const rng = new Rng(p.seed ?? 1, 'scenario', 'mount');
  const sensors = [
    sensor(p, rng, { id: 'upperArm', segment: 'upperArm', positionM: [0, -0.15, 0.045 * s], orientation: lateralMount(side), side }),
  ];
  return {
    name: 'shoulder-abduction',
    description: `shoulder elevation in plane ${(plane / DEG).toFixed(0)}°, ${side} arm, ${reps.reps.length} reps`,
    body,
    sensors,
    reps: reps.reps,
    ...(p.magneticField ? { magneticField: p.magneticField } : {}),
    durationS: reps.endS + requireNonNegative('tailS', p.tailS ?? 2),
  };
}

export interface FreeMotionScenarioParams extends CommonScenarioParams {
  /** Default 60. */
  durationS?: number;
  /** Still period at the start (for filter initialisation), s. Default 2. */
  staticLeadS?: number;
  /** Smooth fade-in of the motion after the still period, s. Default 2. */
  rampS?: number;
  /** Peak of each rotation angle (z, then y, then x), deg. Default 60. */
  rotationAmplitudeDeg?: number;
  /** Peak displacement per axis, m. Default 0.2. */
  translationAmplitudeM?: number;
  /** Highest component frequency, Hz. Default 1. */
  maxFrequencyHz?: number;
  /** Sensor offset from the moving body's origin (lever arm), m. Default (0, 0, 0). */
  sensorPositionM?: Vec3Like;
}

/**
 * One sensor 'imu' on a free rigid body 'body' that rotates arbitrarily in 3-D (intrinsic
 * z-y-x angles, each a seeded sum of three sinusoids) and translates (seeded sinusoids per
 * axis) after a still lead-in. Starts level (sensor axes = ENU) at 1 m height.
 */
export function freeMotionScenario(p: FreeMotionScenarioParams = {}): Scenario {
  const durationS = requirePositive('durationS', p.durationS ?? 60);
  const lead = requireNonNegative('staticLeadS', p.staticLeadS ?? 2);
  const ramp = requirePositive('rampS', p.rampS ?? 2);
  const rotAmp = requireNonNegative('rotationAmplitudeDeg', p.rotationAmplitudeDeg ?? 60) * DEG;
  const trAmp = requireNonNegative('translationAmplitudeM', p.translationAmplitudeM ?? 0.2);
  const fMax = requirePositive('maxFrequencyHz', p.maxFrequencyHz ?? 1);
  const rng = new Rng(p.seed ?? 1, 'scenario', 'free-motion');
  const wave = (amp: number, parts: number, offset: number): Trajectory1 => {
    const comps: Trajectory1[] = [];
    for (let i = 0; i < parts; i++) {
      comps.push(
        new SinusoidTrajectory({
          amplitude: amp / parts,
          frequencyHz: fMax * (0.1 + 0.9 * rng.uniform()),
          phaseRad: 2 * Math.PI * rng.uniform(),
        }),
      );
    }
    // Faded in (C²) after the still lead-in, so the motion leaves the still pose smoothly.
    return new SumTrajectory([new FadeInTrajectory(new SumTrajectory(comps), lead, ramp), new ConstantTrajectory(offset)]);
  };
  const body = new Body([
    {
      name: 'body',
      orientation: new AxisSequenceOrientation({
        axes: [
          [0, 0, 1],
          [0, 1, 0],
          [1, 0, 0],
        ],
        angles: [wave(rotAmp, 3, 0), wave(rotAmp, 3, 0), wave(rotAmp, 3, 0)],
      }),
      position: new AxisPositionTrajectory(wave(trAmp, 2, 0), wave(trAmp, 2, 0), wave(trAmp, 2, 1)),
    },
  ]);
  const mountRng = new Rng(p.seed ?? 1, 'scenario', 'mount');
  return {
    name: 'free-motion',
    description: 'single sensor, arbitrary 3-D rotation and translation',
    body,
    sensors: [sensor(p, mountRng, { id: 'imu', segment: 'body', positionM: p.sensorPositionM ?? [0, 0, 0], orientation: quat.create() })],
    ...(p.magneticField ? { magneticField: p.magneticField } : {}),
    durationS,
  };
}

export interface StaticScenarioParams extends CommonScenarioParams {
  /** Default 60. */
  durationS?: number;
  /** Orientation q_GS; overrides the angles below. */
  orientation?: QuatLike;
  /** Intrinsic z-y-x angles (about ENU z, then the new y, then the new x), deg. Default 0. */
  yawDeg?: number;
  pitchDeg?: number;
  rollDeg?: number;
  /** Default (0, 0, 1). */
  positionM?: Vec3Like;
}

/** One sensor 'imu' lying still at a fixed orientation. */
export function staticScenario(p: StaticScenarioParams = {}): Scenario {
  let q: Quat;
  if (p.orientation) q = unitQuat('orientation', p.orientation);
  else {
    const z = quat.fromAxisAngle(quat.create(), [0, 0, 1], requireFinite('yawDeg', p.yawDeg ?? 0) * DEG);
    const y = quat.fromAxisAngle(quat.create(), [0, 1, 0], requireFinite('pitchDeg', p.pitchDeg ?? 0) * DEG);
    const x = quat.fromAxisAngle(quat.create(), [1, 0, 0], requireFinite('rollDeg', p.rollDeg ?? 0) * DEG);
    q = quat.multiply(z, quat.multiply(z, z, y), x);
  }
  const body = new Body([{ name: 'body', orientation: q, position: p.positionM ?? [0, 0, 1] }]);
  const rng = new Rng(p.seed ?? 1, 'scenario', 'mount');
  return {
    name: 'static',
    description: 'single sensor at rest',
    body,
    sensors: [sensor(p, rng, { id: 'imu', segment: 'body', positionM: [0, 0, 0], orientation: quat.create() })],
    ...(p.magneticField ? { magneticField: p.magneticField } : {}),
    durationS: requirePositive('durationS', p.durationS ?? 60),
  };
}

export interface KneeSwingScenarioParams extends CommonScenarioParams {
  /** Default 20. */
  durationS?: number;
  /** Still neutral standing pose at the start (for calibration and filter start-up), s. Default 2. */
  leadInS?: number;
  /** Peak thigh swing about each of its axes (hip flexion, ab/adduction, rotation), deg. Default 25. */
  hipAmplitudeDeg?: number;
  /** Knee flexion swings between 5° and 5° + 2·this, deg. Default 45. */
  kneeAmplitudeDeg?: number;
  /** Knee flexion frequency, Hz. Default 0.4. */
  kneeFrequencyHz?: number;
  facingDeg?: number;
  side?: 'left' | 'right';
  /** Sensors have a magnetometer. Default true. */
  magnetometer?: boolean;
}

/**
 * Knee with a MOVING thigh (the whole leg swings about the hip while the knee flexes), so that a
 * functional calibration can find the knee axis in both sensors: root 'thigh' (upright, then
 * three faded-in sinusoids about its z, x, y axes), child 'shank' on the hinge 'knee' (DoF
 * 'flexion', about the thigh's −z, 5°…95° by default), sensors 'thigh' and 'shank' on the lateral
 * surfaces. Starts with a still neutral pose (knee straight, segments upright) of `leadInS`.
 */
export function kneeSwingScenario(p: KneeSwingScenarioParams = {}): Scenario {
  const side = checkSide(p.side ?? 'right');
  const s = side === 'right' ? 1 : -1;
  const lead = requireNonNegative('leadInS', p.leadInS ?? 2);
  const hipA = requireNonNegative('hipAmplitudeDeg', p.hipAmplitudeDeg ?? 25) * DEG;
  const kneeA = requireNonNegative('kneeAmplitudeDeg', p.kneeAmplitudeDeg ?? 45) * DEG;
  const kneeF = requirePositive('kneeFrequencyHz', p.kneeFrequencyHz ?? 0.4);
  const fade = (t: Trajectory1): Trajectory1 => new FadeInTrajectory(t, lead, 1.5);
  const thigh = new AxisSequenceOrientation({
    axes: [[0, 0, 1], [s, 0, 0], [0, s, 0]],
    angles: [
      fade(new SinusoidTrajectory({ amplitude: hipA, frequencyHz: 0.23 })),
      fade(new SinusoidTrajectory({ amplitude: 0.7 * hipA, frequencyHz: 0.37, phaseRad: 1 })),
      fade(new SinusoidTrajectory({ amplitude: 0.7 * hipA, frequencyHz: 0.29, phaseRad: 2 })),
    ],
    base: uprightOrientation(p.facingDeg ?? 0),
  });
  // −cos from the straight knee: flexion starts at 5° + A − A = 5°·w(t) and rises smoothly.
  const knee = fade(new SinusoidTrajectory({ amplitude: kneeA, frequencyHz: kneeF, offset: kneeA + 5 * DEG, phaseRad: -Math.PI / 2 }));
  const body = new Body([
    { name: 'thigh', orientation: thigh, position: [0.1 * s, 0, 0.9] },
    { name: 'shank', parent: 'thigh', jointName: 'knee', jointPositionM: [0, -0.42, 0], joint: { type: 'hinge', axis: [0, 0, -1], angle: knee, dofNames: ['flexion'] } },
  ]);
  const rng = new Rng(p.seed ?? 1, 'scenario', 'mount');
  const mount = lateralMount(side);
  const mag = p.magnetometer ?? true;
  const sensors = [
    { ...sensor(p, rng, { id: 'thigh', segment: 'thigh', positionM: [0, -0.21, 0.08 * s], orientation: mount, side }), magnetometer: mag },
    { ...sensor(p, rng, { id: 'shank', segment: 'shank', positionM: [0, -0.18, 0.05 * s], orientation: mount, side }), magnetometer: mag },
  ];
  return {
    name: 'knee-swing',
    description: `knee flexion with the whole ${side} leg swinging at the hip (thigh moving), for functional calibration`,
    body,
    sensors,
    ...(p.magneticField ? { magneticField: p.magneticField } : {}),
    durationS: requirePositive('durationS', p.durationS ?? 20),
  };
}
