/**
 * Clinical joint angles from two segment orientations — the allocation-free core of the angle
 * stage. Conventions (sequence per joint, signs, left-side mirroring, shoulder re-basing) are
 * documented in `joints.ts`.
 */
import { eulerFromQuat } from '../math/euler';
import * as quat from '../math/quat';
import type { QuatLike } from '../math/quat';
import type { Vec3 } from '../math/vec3';
import { AngleInputError, UnknownBodyPartError } from './angleErrors';
import type { Side } from './body';
import type { JointDef } from './joints';

const SCRATCH = new Float64Array(4);

function checkQuat(what: string, q: QuatLike): void {
  const n = q[0]! * q[0]! + q[1]! * q[1]! + q[2]! * q[2]! + q[3]! * q[3]!;
  if (!Number.isFinite(n) || n < 1e-12) throw new AngleInputError(`${what} must be a finite non-zero quaternion, got [${Array.from({ length: 4 }, (_, i) => q[i])}]`);
}

export function checkSide(side: unknown): Side {
  if (side !== 'left' && side !== 'right') throw new UnknownBodyPartError('side', String(side), ['left', 'right']);
  return side;
}

/**
 * The relative rotation q_{P,D} = q_{G,P}* ⊗ q_{G,D}, mirrored for a left-side limb joint and
 * re-based for the shoulder, normalised: the quaternion whose `joint.sequence` angles are the
 * ISB angles before the clinical sign. Written to `out` (4), returned.
 */
export function jointFrameQuat(out: Float64Array, qProximal: QuatLike, qDistal: QuatLike, joint: JointDef, side: Side): Float64Array {
  checkQuat('qProximal', qProximal);
  checkQuat('qDistal', qDistal);
  quat.multiplyConjugateLeft(out, qProximal, qDistal);
  quat.normalize(out, out);
  if (joint.lateral && checkSide(side) === 'left') {
    // Mirror through the sagittal plane: rotations about x and y change sign.
    out[1] = -out[1]!;
    out[2] = -out[2]!;
  }
  if (joint.elevationRebase) {
    // Same rotation seen in axes turned 180° about y: x → −x, z → −z (elevation becomes +x′).
    out[1] = -out[1]!;
    out[3] = -out[3]!;
  }
  return out;
}

/**
 * Clinical joint angles (rad) of the distal segment relative to the proximal one, in the joint's
 * DoF order (`joint.dofs`), written to `out` (3) and returned. Inputs are segment orientations
 * q_{G,seg} (not sensor orientations). Ranges are those of `eulerFromQuat` times the DoF sign:
 * first and third in (−π, π], second in [−π/2, π/2] (Z-X-Y) or [0, π] (shoulder elevation).
 * At an exact gimbal lock the third angle is 0 (the first carries the sum); the streaming
 * {@link JointAngleStage} handles the shoulder's lock region more carefully.
 */
export function jointAnglesFromQuats(out: Vec3, qProximal: QuatLike, qDistal: QuatLike, joint: JointDef, side: Side): Vec3 {
  jointFrameQuat(SCRATCH, qProximal, qDistal, joint, side);
  eulerFromQuat(out, SCRATCH, joint.sequence);
  out[0] = joint.dofs[0].sign * out[0]!;
  out[1] = joint.dofs[1].sign * out[1]!;
  out[2] = joint.dofs[2].sign * out[2]!;
  return out;
}

/**
 * Segment orientation from a sensor orientation and its mount: q_{G,seg} = q_z(headingRad) ⊗
 * q_{G,S} ⊗ q_{seg,S}*. `headingOffsetRad` rotates the sensor's orientation about the global
 * vertical (a heading alignment correction); 0 for none. Written to `out`, returned.
 */
export function segmentQuatFromSensor(out: Float64Array, qGS: QuatLike, qSegSensor: QuatLike, headingOffsetRad = 0): Float64Array {
  checkQuat('qGS', qGS);
  // q_{G,S} ⊗ conj(q_{seg,S}), written out to stay allocation-free.
  const aw = qGS[0]!, ax = qGS[1]!, ay = qGS[2]!, az = qGS[3]!;
  const bw = qSegSensor[0]!, bx = -qSegSensor[1]!, by = -qSegSensor[2]!, bz = -qSegSensor[3]!;
  let w = aw * bw - ax * bx - ay * by - az * bz;
  let x = aw * bx + ax * bw + ay * bz - az * by;
  let y = aw * by - ax * bz + ay * bw + az * bx;
  let z = aw * bz + ax * by - ay * bx + az * bw;
  if (headingOffsetRad !== 0) {
    const c = Math.cos(0.5 * headingOffsetRad);
    const s = Math.sin(0.5 * headingOffsetRad);
    const w2 = c * w - s * z;
    const x2 = c * x - s * y;
    const y2 = c * y + s * x;
    const z2 = c * z + s * w;
    w = w2; x = x2; y = y2; z = z2;
  }
  const n = Math.sqrt(w * w + x * x + y * y + z * z);
  out[0] = w / n; out[1] = x / n; out[2] = y / n; out[3] = z / n;
  return out;
}
