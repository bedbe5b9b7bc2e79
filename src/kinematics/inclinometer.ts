/**
 * Single-sensor range of motion, inclinometer style: the angle of ONE segment against gravity,
 * signed within a named plane fixed to that segment — what a clinician reads from an
 * inclinometer strapped to the limb. Valid for motions in a vertical plane: shoulder
 * flexion/abduction, hip flexion, knee flexion with the thigh held vertical (standing), cervical
 * flexion/extension (segments and frames: `body.ts`).
 *
 * With u = the global up direction expressed in the segment frame (x anterior, y superior,
 * z right), a segment turned by θ about its own z from upright has u = (sin θ, cos θ, 0), so
 * θ_z = atan2(u_x, u_y) (sagittal plane, out-of-plane tilt asin(u_z)); turned by θ about its x,
 * θ_x = atan2(−u_z, u_y) (frontal plane, out-of-plane tilt asin(u_x)). Clinical sign per motion:
 * shoulder flexion +θ_z, hip flexion +θ_z, knee flexion −θ_z (the shank swings posteriorly),
 * cervical flexion −θ_z (the head's top swings anteriorly); shoulder abduction −θ_x on the right,
 * +θ_x on the left (the arm swings laterally). Range (−π, π]; 0 = segment upright / hanging.
 *
 * The plane is the segment's own (through the mount), so axial rotation of the segment turns it
 * with the segment; the validity flag catches the segment's plane leaving the vertical by more
 * than `outOfPlaneLimitDeg`, and (accelerometer input) a specific-force norm away from g.
 */
import * as quat from '../math/quat';
import type { QuatLike } from '../math/quat';
import { AngleInputError, UnknownBodyPartError } from './angleErrors';
import type { SegmentName, Side } from './body';
import { checkSide, segmentQuatFromSensor } from './jointAngles';

export type InclinometerMotion = 'shoulder-flexion' | 'shoulder-abduction' | 'hip-flexion' | 'knee-flexion' | 'cervical-flexion';

interface MotionDef {
  segment: SegmentName;
  /** 'z': sagittal plane (rotation about the segment z); 'x': frontal plane. */
  plane: 'z' | 'x';
  /** Clinical sign on the right side; the left side multiplies frontal-plane signs by −1. */
  sign: 1 | -1;
}

export const INCLINOMETER_MOTIONS: Readonly<Record<InclinometerMotion, MotionDef>> = {
  'shoulder-flexion': { segment: 'upperArm', plane: 'z', sign: 1 },
  'shoulder-abduction': { segment: 'upperArm', plane: 'x', sign: -1 },
  'hip-flexion': { segment: 'thigh', plane: 'z', sign: 1 },
  'knee-flexion': { segment: 'shank', plane: 'z', sign: -1 },
  'cervical-flexion': { segment: 'head', plane: 'z', sign: -1 },
};

/** Segment tilted out of the named plane by more than `outOfPlaneLimitDeg`. */
export const INCL_OUT_OF_PLANE = 1;
/** Accelerometer input whose norm differs from g by more than `restToleranceMS2` (not at rest). */
export const INCL_NOT_AT_REST = 2;

export interface InclinometerParams {
  motion: InclinometerMotion;
  /** Default 'right'. Only frontal-plane motions depend on it. */
  side?: Side;
  /** Mount q_{seg,S} of the sensor on the motion's segment. */
  qSegSensor: QuatLike;
  /** Largest tilt of the segment's plane from vertical for a valid reading, deg. Default 15. */
  outOfPlaneLimitDeg?: number;
  /** Accelerometer input: largest | |f| − g | for a reading at rest, m/s². Default 0.5. */
  restToleranceMS2?: number;
  /** Gravity magnitude, m/s². Default 9.81. */
  gravityMS2?: number;
}

export class Inclinometer {
  readonly motion: InclinometerMotion;
  readonly segment: SegmentName;
  readonly side: Side;
  readonly outOfPlaneLimitRad: number;
  readonly restToleranceMS2: number;
  readonly gravityMS2: number;
  /** Out-of-plane tilt of the last reading, rad (signed). */
  outOfPlaneRad = 0;
  /** INCL_* flags of the last reading; 0 = valid. */
  flags = 0;
  private readonly plane: 'z' | 'x';
  private readonly sign: number;
  private readonly qSegSensor: Float64Array;
  private readonly qSeg = new Float64Array(4);
  private readonly u = new Float64Array(3);
  private readonly up = new Float64Array([0, 0, 1]);

  constructor(p: InclinometerParams) {
    if (!Object.hasOwn(INCLINOMETER_MOTIONS, p.motion)) throw new UnknownBodyPartError('motion', String(p.motion), Object.keys(INCLINOMETER_MOTIONS));
    const def = INCLINOMETER_MOTIONS[p.motion];
    this.motion = p.motion;
    this.segment = def.segment;
    this.side = checkSide(p.side ?? 'right');
    this.plane = def.plane;
    this.sign = def.plane === 'x' && this.side === 'left' ? -def.sign : def.sign;
    const lim = p.outOfPlaneLimitDeg ?? 15;
    if (!(lim > 0 && lim <= 90)) throw new AngleInputError(`outOfPlaneLimitDeg must be in (0, 90], got ${lim}`);
    this.outOfPlaneLimitRad = (lim * Math.PI) / 180;
    this.restToleranceMS2 = p.restToleranceMS2 ?? 0.5;
    if (!(this.restToleranceMS2 > 0)) throw new AngleInputError(`restToleranceMS2 must be > 0, got ${this.restToleranceMS2}`);
    this.gravityMS2 = p.gravityMS2 ?? 9.81;
    if (!(this.gravityMS2 > 0 && Number.isFinite(this.gravityMS2))) throw new AngleInputError(`gravityMS2 must be > 0, got ${this.gravityMS2}`);
    if (!p.qSegSensor || p.qSegSensor.length < 4) throw new AngleInputError('qSegSensor must be a quaternion [w,x,y,z]');
    const qn = quat.norm(p.qSegSensor);
    if (!Number.isFinite(qn) || Math.abs(qn - 1) > 1e-6) throw new AngleInputError(`qSegSensor must be a finite unit quaternion (norm ${qn})`);
    this.qSegSensor = quat.normalize(quat.create(), p.qSegSensor);
  }

  /** Angle (rad) from the up direction in the segment frame (unit or not). */
  private fromUp(u: Float64Array, extraFlags: number): number {
    const n = Math.hypot(u[0]!, u[1]!, u[2]!);
    if (!(n > 0) || !Number.isFinite(n)) throw new AngleInputError('gravity direction is zero or not finite');
    const ux = u[0]! / n, uy = u[1]! / n, uz = u[2]! / n;
    let raw: number;
    if (this.plane === 'z') {
      raw = Math.atan2(ux, uy);
      this.outOfPlaneRad = Math.asin(Math.max(-1, Math.min(1, uz)));
    } else {
      raw = Math.atan2(-uz, uy);
      this.outOfPlaneRad = Math.asin(Math.max(-1, Math.min(1, ux)));
    }
    this.flags = extraFlags | (Math.abs(this.outOfPlaneRad) > this.outOfPlaneLimitRad ? INCL_OUT_OF_PLANE : 0);
    const a = this.sign * raw;
    return a === -Math.PI ? Math.PI : a;
  }

  /** Clinical angle (rad) from the sensor orientation q_{G,S}; sets {@link flags}, {@link outOfPlaneRad}. */
  fromQuat(qGS: QuatLike): number {
    segmentQuatFromSensor(this.qSeg, qGS, this.qSegSensor);
    quat.rotateInverse(this.u, this.qSeg, this.up);
    return this.fromUp(this.u, 0);
  }

  /**
   * Clinical angle (rad) from one accelerometer sample (specific force in the sensor frame,
   * m/s²; at rest it points up). Flags {@link INCL_NOT_AT_REST} when its norm is not ≈ g.
   */
  fromAcc(accMS2: ArrayLike<number>): number {
    const ax = accMS2[0]!, ay = accMS2[1]!, az = accMS2[2]!;
    if (!Number.isFinite(ax) || !Number.isFinite(ay) || !Number.isFinite(az)) throw new AngleInputError('accMS2 must be finite');
    const n = Math.hypot(ax, ay, az);
    this.u[0] = ax; this.u[1] = ay; this.u[2] = az;
    quat.rotate(this.u, this.qSegSensor, this.u);
    return this.fromUp(this.u, Math.abs(n - this.gravityMS2) > this.restToleranceMS2 ? INCL_NOT_AT_REST : 0);
  }

  /** Orientations q_{G,S} (4n) → angles (rad, n) and optional flags (n). Returns `outRad`. */
  updateArrays(quat4n: ArrayLike<number>, outRad: Float64Array, flagsN?: Uint8Array): Float64Array {
    if (quat4n.length % 4 !== 0) throw new AngleInputError(`quat4n length must be a multiple of 4, got ${quat4n.length}`);
    const n = quat4n.length / 4;
    if (outRad.length < n) throw new AngleInputError(`outRad needs length ${n}, got ${outRad.length}`);
    if (flagsN && flagsN.length < n) throw new AngleInputError(`flagsN needs length ${n}, got ${flagsN.length}`);
    const q = this.qSeg;
    for (let i = 0; i < n; i++) {
      // fromQuat overwrites qSeg only after reading its input, so qSeg can carry the input.
      q[0] = quat4n[4 * i]!; q[1] = quat4n[4 * i + 1]!; q[2] = quat4n[4 * i + 2]!; q[3] = quat4n[4 * i + 3]!;
      outRad[i] = this.fromQuat(q);
      if (flagsN) flagsN[i] = this.flags;
    }
    return outRad;
  }
}
