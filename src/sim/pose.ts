/**
 * Three-dimensional trajectories: orientations (with body-frame angular velocity and
 * acceleration) and positions (with velocity and acceleration), built from scalar
 * {@link Trajectory1}s so every derivative stays analytic. They drive the root segment of a
 * body and ball joints given as quaternion trajectories.
 */
import * as quat from '../math/quat';
import type { Quat, QuatLike } from '../math/quat';
import type { Vec3, Vec3Like } from '../math/vec3';
import { appendHinge, unitAxis, unitQuat } from './motion';
import { SimInputError, requireFiniteArray } from './sim-error';
import type { Trajectory1 } from './trajectory';

export interface OrientationTrajectory {
  /**
   * Orientation q (reference ← frame) at `tS`, the frame's angular velocity (rad/s) and
   * angular acceleration (rad/s²), both in the frame's own coordinates.
   */
  evaluate(tS: number, outQ: Quat, outRateRadS: Vec3, outAccRadS2: Vec3): void;
}

export interface PositionTrajectory {
  /** Position (m), velocity (m/s) and acceleration (m/s²) in the reference frame at `tS`. */
  evaluate(tS: number, outPosM: Vec3, outVelMS: Vec3, outAccMS2: Vec3): void;
}

/** A constant orientation. */
export class FixedOrientation implements OrientationTrajectory {
  readonly q: Quat;
  constructor(q: QuatLike) {
    this.q = unitQuat('FixedOrientation q', q);
  }
  evaluate(_tS: number, outQ: Quat, outRateRadS: Vec3, outAccRadS2: Vec3): void {
    quat.copy(outQ, this.q);
    outRateRadS.fill(0);
    outAccRadS2.fill(0);
  }
}

export interface AxisSequenceParams {
  /** Rotation axes, applied in order, each in the frame produced by the previous ones (intrinsic). */
  axes: readonly Vec3Like[];
  /** One angle trajectory (rad) per axis. */
  angles: readonly Trajectory1[];
  /** Orientation before the first rotation. Default identity. */
  base?: QuatLike;
}

/**
 * q(t) = base ⊗ exp(a₁θ₁/2) ⊗ exp(a₂θ₂/2) ⊗ … — an intrinsic rotation sequence (Euler/Cardan
 * angles when the axes are coordinate axes). One axis with a {@link RampTrajectory} is a
 * constant-rate spin; three axes with sinusoids give arbitrary smooth 3-D rotation.
 */
export class AxisSequenceOrientation implements OrientationTrajectory {
  readonly axes: readonly Vec3[];
  readonly angles: readonly Trajectory1[];
  readonly base: Quat;
  private readonly v = new Float64Array(3);
  constructor(p: AxisSequenceParams) {
    if (p.axes.length === 0 || p.axes.length !== p.angles.length) {
      throw new SimInputError(`AxisSequenceOrientation: need one angle trajectory per axis (got ${p.axes.length} axes, ${p.angles.length} angles)`);
    }
    this.axes = p.axes.map((a, i) => unitAxis(`AxisSequenceOrientation axes[${i}]`, a));
    this.angles = p.angles.slice();
    this.base = p.base ? unitQuat('AxisSequenceOrientation base', p.base) : quat.create();
  }
  evaluate(tS: number, outQ: Quat, outRateRadS: Vec3, outAccRadS2: Vec3): void {
    quat.copy(outQ, this.base);
    outRateRadS.fill(0);
    outAccRadS2.fill(0);
    const v = this.v;
    for (let i = 0; i < this.axes.length; i++) {
      this.angles[i]!.evaluate(tS, v);
      appendHinge(outQ, outRateRadS, outAccRadS2, this.axes[i]!, v[0]!, v[1]!, v[2]!);
    }
  }
}

/** A constant position. */
export class FixedPosition implements PositionTrajectory {
  readonly positionM: Float64Array;
  constructor(positionM: Vec3Like) {
    this.positionM = Float64Array.from(requireFiniteArray('FixedPosition positionM', positionM, 3));
  }
  evaluate(_tS: number, outPosM: Vec3, outVelMS: Vec3, outAccMS2: Vec3): void {
    outPosM.set(this.positionM);
    outVelMS.fill(0);
    outAccMS2.fill(0);
  }
}

/** Position whose x, y, z coordinates (m) each follow a scalar trajectory. */
export class AxisPositionTrajectory implements PositionTrajectory {
  readonly components: readonly [Trajectory1, Trajectory1, Trajectory1];
  private readonly v = new Float64Array(3);
  constructor(x: Trajectory1, y: Trajectory1, z: Trajectory1) {
    this.components = [x, y, z];
  }
  evaluate(tS: number, outPosM: Vec3, outVelMS: Vec3, outAccMS2: Vec3): void {
    const v = this.v;
    for (let i = 0; i < 3; i++) {
      this.components[i]!.evaluate(tS, v);
      outPosM[i] = v[0]!;
      outVelMS[i] = v[1]!;
      outAccMS2[i] = v[2]!;
    }
  }
}
