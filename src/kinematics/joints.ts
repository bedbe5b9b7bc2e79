/**
 * Body model, part 2: the joints, their ISB angle sequences and clinical sign conventions.
 *
 * ## How an angle is read (right side)
 * The relative orientation of the distal segment in the proximal one,
 * q_{P,D} = q_{G,P}* ⊗ q_{G,D}, is decomposed as an intrinsic sequence (`euler.ts`):
 * - **Z-X′-Y″** (hip, knee, ankle, trunk, neck, elbow, wrist; Grood & Suntay 1983, Wu 2002/2005):
 *   a1 about the proximal z (medio-lateral), a2 about the floating x′, a3 about the distal y″.
 *   Right-hand rotations with x anterior / y superior / z right mean: +a1 swings the distal
 *   segment's distal end anteriorly (hip flexion, elbow flexion, wrist flexion, ankle
 *   dorsiflexion — but knee EXTENSION, and neck/trunk EXTENSION because their distal end is
 *   superior); +a2 swings it medially (right side: adduction/varus, ulnar deviation, inversion);
 *   +a3 turns the anterior face medially (internal rotation, pronation).
 *   Each DoF's `sign` turns the raw angle into the clinical one: clinical = sign · raw. So knee
 *   flexion = −a1 (the simulator's knee hinges about the thigh's −z) and neck/trunk flexion = −a1.
 * - **Y-X′-Y″** (shoulder = humerus relative to thorax; Wu 2005): plane of elevation, elevation,
 *   axial rotation. ISB defines elevation as a NEGATIVE rotation about x′. To keep elevation in
 *   the proper-Euler range [0°, 180°] we read the sequence from the relative rotation expressed
 *   in axes turned 180° about y (x → −x, z → −z): q′ = (w, −x, y, −z). Then
 *   q = q_Y(p) ⊗ q_X(−e) ⊗ q_Y(r) becomes q′ = q_Y(p) ⊗ q_X(e) ⊗ q_Y(r) and the extracted angles
 *   are plane p (0° = abduction in the frontal plane, 90° = flexion in the sagittal plane),
 *   elevation e ≥ 0 and axial rotation r (internal +), all with sign +1.
 *
 * ## Left side
 * ISB frames are defined for the right side. The left limb is the mirror image through the
 * sagittal plane (z → −z). Mirroring a rotation through that plane keeps rotations about z and
 * negates those about x and y; on a quaternion that is (w, x, y, z) → (w, −x, −y, z). kinemetry
 * keeps the same right-handed, z-right segment axes on both sides and mirrors the RELATIVE
 * rotation of a left-side joint before decomposing it, so every clinical angle keeps its meaning
 * (left hip flexion, adduction and internal rotation are positive exactly as on the right).
 * This is the convention of `src/sim` (its left shoulder uses axes (0,−1,0), (1,0,0), (0,−1,0)).
 * Midline joints (trunk, neck) are not mirrored; `side` is ignored for them.
 */
import type { EulerSequence } from '../math/euler';
import { UnknownBodyPartError } from './angleErrors';
import type { SegmentName } from './body';

export type JointName = 'hip' | 'knee' | 'ankle' | 'trunk' | 'neck' | 'shoulder' | 'elbow' | 'wrist';

export interface DofDef {
  /** Column-friendly camelCase name, e.g. `'flexion'`. */
  readonly name: string;
  /** Clinical meaning of positive values, e.g. `'flexion'`. */
  readonly positive: string;
  /** Clinical meaning of negative values, e.g. `'extension'`. */
  readonly negative: string;
  /** clinical = sign · (ISB angle of the mirrored/re-based relative rotation). */
  readonly sign: 1 | -1;
}

export interface JointDef {
  readonly name: JointName;
  readonly proximal: SegmentName;
  readonly distal: SegmentName;
  /** Intrinsic ISB sequence, applied to q_{prox,dist} (after mirroring/re-basing). */
  readonly sequence: EulerSequence;
  /** True for a limb joint (mirrored on the left), false for midline joints. */
  readonly lateral: boolean;
  /** Y-X-Y shoulder: read in axes turned 180° about y so elevation ≥ 0 (see module doc). */
  readonly elevationRebase: boolean;
  readonly dofs: readonly [DofDef, DofDef, DofDef];
}

function dof(name: string, positive: string, negative: string, sign: 1 | -1 = 1): DofDef {
  return { name, positive, negative, sign };
}

const ROT = dof('rotation', 'internal rotation', 'external rotation');

export const JOINTS: Readonly<Record<JointName, JointDef>> = {
  hip: {
    name: 'hip', proximal: 'pelvis', distal: 'thigh', sequence: 'ZXY', lateral: true, elevationRebase: false,
    dofs: [dof('flexion', 'flexion', 'extension'), dof('adduction', 'adduction', 'abduction'), ROT],
  },
  knee: {
    name: 'knee', proximal: 'thigh', distal: 'shank', sequence: 'ZXY', lateral: true, elevationRebase: false,
    dofs: [dof('flexion', 'flexion', 'extension', -1), dof('adduction', 'adduction (varus)', 'abduction (valgus)'), ROT],
  },
  ankle: {
    name: 'ankle', proximal: 'shank', distal: 'foot', sequence: 'ZXY', lateral: true, elevationRebase: false,
    dofs: [dof('dorsiflexion', 'dorsiflexion', 'plantarflexion'), dof('inversion', 'inversion', 'eversion'), dof('rotation', 'internal rotation (adduction)', 'external rotation (abduction)')],
  },
  trunk: {
    name: 'trunk', proximal: 'pelvis', distal: 'thorax', sequence: 'ZXY', lateral: false, elevationRebase: false,
    dofs: [dof('flexion', 'flexion', 'extension', -1), dof('lateralFlexion', 'lateral flexion to the right', 'lateral flexion to the left'), dof('rotation', 'rotation to the right', 'rotation to the left', -1)],
  },
  neck: {
    name: 'neck', proximal: 'thorax', distal: 'head', sequence: 'ZXY', lateral: false, elevationRebase: false,
    dofs: [dof('flexion', 'flexion', 'extension', -1), dof('lateralFlexion', 'lateral flexion to the right', 'lateral flexion to the left'), dof('rotation', 'rotation to the right', 'rotation to the left', -1)],
  },
  shoulder: {
    name: 'shoulder', proximal: 'thorax', distal: 'upperArm', sequence: 'YXY', lateral: true, elevationRebase: true,
    dofs: [
      dof('planeOfElevation', 'plane anterior of the frontal plane (0 = abduction, 90 = flexion)', 'plane posterior of the frontal plane'),
      dof('elevation', 'elevation', '(never negative)'),
      ROT,
    ],
  },
  elbow: {
    name: 'elbow', proximal: 'upperArm', distal: 'forearm', sequence: 'ZXY', lateral: true, elevationRebase: false,
    dofs: [dof('flexion', 'flexion', 'extension (hyperextension)'), dof('carryingAngle', 'adduction (varus)', 'abduction (valgus)'), dof('pronation', 'pronation', 'supination')],
  },
  wrist: {
    name: 'wrist', proximal: 'forearm', distal: 'hand', sequence: 'ZXY', lateral: true, elevationRebase: false,
    dofs: [dof('flexion', 'flexion (palmar)', 'extension (dorsal)'), dof('ulnarDeviation', 'ulnar deviation', 'radial deviation'), dof('pronation', 'pronation', 'supination')],
  },
};

export const JOINT_NAMES = Object.keys(JOINTS) as readonly JointName[];

/** The joint definition by name; throws {@link UnknownBodyPartError} for an unknown name. */
export function jointDef(name: string): JointDef {
  if (!Object.hasOwn(JOINTS, name)) throw new UnknownBodyPartError('joint', name, JOINT_NAMES);
  return JOINTS[name as JointName];
}

/** CSV-style column names with unit, e.g. ['flexion_deg', 'adduction_deg', 'rotation_deg']. */
export function angleColumnNames(joint: JointName | JointDef): string[] {
  const def = typeof joint === 'string' ? jointDef(joint) : joint;
  return def.dofs.map((d) => `${d.name}_deg`);
}
