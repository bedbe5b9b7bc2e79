/**
 * Which joint angle measures which clinical ROM motion (the AAOS names of `norms.ts`): the
 * motion's excursion series from the three angles of a {@link JointAngleStage}, so that
 * `romSummary(...).maxDeg` is the motion's range from neutral.
 *
 * Shoulder flexion / abduction / extension are the humerothoracic ELEVATION (always ≥ 0) in a
 * named plane of elevation: 90° (flexion), 0° (abduction), −90° (extension, arm behind the
 * frontal plane); a sample counts as in that plane when its plane of elevation is within
 * `planeToleranceDeg` of it, or when the plane is undefined (elevation near 0°, flagged
 * by the stage) — at small elevation every plane meets. Bilateral midline motions (cervical
 * lateral flexion and rotation) are measured either way: the excursion is |angle|.
 */
import { AngleInputError, UnknownBodyPartError } from './angleErrors';
import type { JointName } from './joints';
import type { RomMotion } from './norms';

export interface RomMotionSource {
  readonly joint: JointName;
  /** Index of the DoF in the joint's angle triple. */
  readonly dof: 0 | 1 | 2;
  /** excursion = sign · angle (or |angle| when `bilateral`). */
  readonly sign: 1 | -1;
  readonly bilateral?: boolean;
  /** Shoulder only: the plane of elevation this motion happens in, deg. */
  readonly planeDeg?: number;
}

export const ROM_MOTION_SOURCES: Readonly<Record<RomMotion, RomMotionSource>> = {
  'shoulder-flexion': { joint: 'shoulder', dof: 1, sign: 1, planeDeg: 90 },
  'shoulder-extension': { joint: 'shoulder', dof: 1, sign: 1, planeDeg: -90 },
  'shoulder-abduction': { joint: 'shoulder', dof: 1, sign: 1, planeDeg: 0 },
  'shoulder-internal-rotation': { joint: 'shoulder', dof: 2, sign: 1 },
  'shoulder-external-rotation': { joint: 'shoulder', dof: 2, sign: -1 },
  'elbow-flexion': { joint: 'elbow', dof: 0, sign: 1 },
  'forearm-pronation': { joint: 'elbow', dof: 2, sign: 1 },
  'forearm-supination': { joint: 'elbow', dof: 2, sign: -1 },
  'wrist-flexion': { joint: 'wrist', dof: 0, sign: 1 },
  'wrist-extension': { joint: 'wrist', dof: 0, sign: -1 },
  'wrist-radial-deviation': { joint: 'wrist', dof: 1, sign: -1 },
  'wrist-ulnar-deviation': { joint: 'wrist', dof: 1, sign: 1 },
  'hip-flexion': { joint: 'hip', dof: 0, sign: 1 },
  'hip-extension': { joint: 'hip', dof: 0, sign: -1 },
  'hip-abduction': { joint: 'hip', dof: 1, sign: -1 },
  'hip-internal-rotation': { joint: 'hip', dof: 2, sign: 1 },
  'hip-external-rotation': { joint: 'hip', dof: 2, sign: -1 },
  'knee-flexion': { joint: 'knee', dof: 0, sign: 1 },
  'ankle-dorsiflexion': { joint: 'ankle', dof: 0, sign: 1 },
  'ankle-plantarflexion': { joint: 'ankle', dof: 0, sign: -1 },
  'cervical-flexion': { joint: 'neck', dof: 0, sign: 1 },
  'cervical-extension': { joint: 'neck', dof: 0, sign: -1 },
  'cervical-lateral-flexion': { joint: 'neck', dof: 1, sign: 1, bilateral: true },
  'cervical-rotation': { joint: 'neck', dof: 2, sign: 1, bilateral: true },
};

export function romMotionSource(motion: string): RomMotionSource {
  if (!Object.hasOwn(ROM_MOTION_SOURCES, motion)) throw new UnknownBodyPartError('motion', motion, Object.keys(ROM_MOTION_SOURCES));
  return ROM_MOTION_SOURCES[motion as RomMotion];
}

/**
 * The motion's excursion (deg) per sample from clinical angles `anglesRad3n` (3 per sample, as
 * from {@link JointAngleStage.updateArrays}) into `outDeg` (n); `inPlaneN` (n, optional) gets 1
 * where the sample belongs to the motion's plane (always 1 for non-shoulder-elevation motions).
 * `planeHeldN` (optional, the stage's FLAG_PLANE_HELD per sample, nonzero = held) marks samples
 * whose plane is undefined and so counts as in plane. Returns `outDeg`.
 */
export function motionExcursionDeg(
  motion: string,
  anglesRad3n: ArrayLike<number>,
  outDeg: Float64Array,
  inPlaneN?: Uint8Array,
  planeHeldN?: ArrayLike<number>,
  planeToleranceDeg = 30,
): Float64Array {
  const src = romMotionSource(motion);
  if (anglesRad3n.length % 3 !== 0) throw new AngleInputError(`anglesRad3n length must be a multiple of 3, got ${anglesRad3n.length}`);
  const n = anglesRad3n.length / 3;
  if (outDeg.length < n) throw new AngleInputError(`outDeg needs length ${n}, got ${outDeg.length}`);
  if (inPlaneN && inPlaneN.length < n) throw new AngleInputError(`inPlaneN needs length ${n}, got ${inPlaneN.length}`);
  if (planeHeldN && planeHeldN.length < n) throw new AngleInputError(`planeHeldN needs length ${n}, got ${planeHeldN.length}`);
  if (!(planeToleranceDeg >= 0 && planeToleranceDeg <= 180)) throw new AngleInputError(`planeToleranceDeg must be in [0, 180], got ${planeToleranceDeg}`);
  const k = 180 / Math.PI;
  for (let i = 0; i < n; i++) {
    const a = anglesRad3n[3 * i + src.dof]! * k;
    if (!Number.isFinite(a)) throw new AngleInputError(`anglesRad3n[${3 * i + src.dof}] must be finite`);
    outDeg[i] = src.bilateral ? Math.abs(a) : src.sign * a;
    if (inPlaneN) {
      let ok = 1;
      if (src.planeDeg !== undefined && !(planeHeldN && planeHeldN[i]! !== 0)) {
        // Plane angle may be unwrapped: compare on the circle.
        const d = (((anglesRad3n[3 * i]! * k - src.planeDeg) % 360) + 540) % 360 - 180;
        ok = Math.abs(d) <= planeToleranceDeg ? 1 : 0;
      }
      inPlaneN[i] = ok;
    }
  }
  return outDeg;
}
