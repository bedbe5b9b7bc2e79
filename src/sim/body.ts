/**
 * A kinematic chain of rigid body segments: one root segment with its own pose trajectory and
 * child segments attached to their parents at joints (hinge, 2-DoF, ball, fixed). Forward
 * kinematics gives every segment's orientation, body-frame angular velocity and acceleration,
 * and the global position, velocity and acceleration of its origin — analytically from the
 * trajectories' derivatives (recursive, parent before child), so IMU truth built on it is exact.
 *
 * Frames: each segment's origin is its proximal joint centre (where it attaches to its
 * parent). The joint position and joint axes are given in the parent frame. The child's
 * orientation is q_{G,child} = q_{G,parent} ⊗ J(t) ⊗ offset, where J is the joint rotation
 * (axes applied in order, each in the frame left by the previous ones — an intrinsic
 * sequence) and `offset` is the child's orientation relative to the parent at zero angles.
 * Scenarios use ISB segment frames (x anterior, y superior along the segment, z right).
 */
import * as quat from '../math/quat';
import type { Quat, QuatLike } from '../math/quat';
import * as vec3 from '../math/vec3';
import type { Vec3, Vec3Like } from '../math/vec3';
import { appendFixed, appendHinge, appendRelative, unitAxis, unitQuat } from './motion';
import { FixedOrientation, FixedPosition } from './pose';
import type { OrientationTrajectory, PositionTrajectory } from './pose';
import { SimInputError, requireFiniteArray } from './sim-error';
import type { Trajectory1 } from './trajectory';

export interface HingeJointSpec {
  type: 'hinge';
  /** Rotation axis in the parent frame (normalised here); positive angle by the right-hand rule. */
  axis: Vec3Like;
  /** Joint angle, rad. */
  angle: Trajectory1;
  /** Name of the DoF, e.g. `'flexion'`. Default `'angle'`. */
  dofNames?: readonly [string];
}

export interface TwoDofJointSpec {
  type: 'two-dof';
  /** First axis in the parent frame, second in the frame after the first rotation. */
  axes: readonly [Vec3Like, Vec3Like];
  angles: readonly [Trajectory1, Trajectory1];
  dofNames?: readonly [string, string];
}

export interface BallJointAnglesSpec {
  type: 'ball';
  /** Three axes of an intrinsic sequence (e.g. ISB Y-X-Y for the shoulder). */
  axes: readonly [Vec3Like, Vec3Like, Vec3Like];
  angles: readonly [Trajectory1, Trajectory1, Trajectory1];
  dofNames?: readonly [string, string, string];
}

export interface BallJointQuatSpec {
  type: 'ball';
  /** Joint rotation J(t) as a quaternion trajectory (rates in the child-side frame). */
  orientation: OrientationTrajectory;
}

export interface FixedJointSpec {
  type: 'fixed';
}

export type JointSpec = HingeJointSpec | TwoDofJointSpec | BallJointAnglesSpec | BallJointQuatSpec | FixedJointSpec;

export interface SegmentSpec {
  /** Unique segment name, e.g. `'thigh'`. */
  name: string;
  /** Parent segment; absent for the root. Exactly one root, and parents come before children. */
  parent?: string;
  /** Root only: orientation q_{G,seg} — constant quaternion or trajectory. Default identity. */
  orientation?: OrientationTrajectory | QuatLike;
  /** Root only: origin position in G (m) — constant or trajectory. Default (0, 0, 0). */
  position?: PositionTrajectory | Vec3Like;
  /** Child only: joint name in the truth output. Default `'<parent>-<name>'`. */
  jointName?: string;
  /** Child only: joint centre (= this segment's origin) in the parent frame, m. Default 0. */
  jointPositionM?: Vec3Like;
  /** Child only: how it moves relative to the parent. Default fixed. */
  joint?: JointSpec;
  /** Child only: orientation relative to the parent at zero joint angles. Default identity. */
  offset?: QuatLike;
}

export interface SegmentInfo {
  readonly name: string;
  readonly index: number;
  /** −1 for the root. */
  readonly parentIndex: number;
  /** Index into {@link Body.joints} of the joint to the parent, −1 for the root. */
  readonly jointIndex: number;
}

export interface JointInfo {
  readonly name: string;
  readonly type: JointSpec['type'];
  readonly parentIndex: number;
  readonly childIndex: number;
  /** Names of the angle DoFs (empty for fixed joints and quaternion-driven ball joints). */
  readonly dofNames: readonly string[];
  /** Index of the first DoF in {@link BodyState.dofRad}. */
  readonly dofOffset: number;
}

/** Forward-kinematics result for all segments, flat arrays (segment i at 4i / 3i). */
export interface BodyState {
  /** q_{G,seg}, [w,x,y,z] per segment. */
  readonly q: Float64Array;
  /** Angular velocity in the segment frame, rad/s. */
  readonly rateRadS: Float64Array;
  /** Angular acceleration in the segment frame, rad/s². */
  readonly accRadS2: Float64Array;
  /** Origin position in G, m. */
  readonly posM: Float64Array;
  /** Origin velocity in G, m/s. */
  readonly velMS: Float64Array;
  /** Origin acceleration in G, m/s² (kinematic, gravity not included). */
  readonly accMS2: Float64Array;
  /** Every joint DoF angle, rad, in joint order (see {@link JointInfo.dofOffset}). */
  readonly dofRad: Float64Array;
  /** Their rates, rad/s. */
  readonly dofRateRadS: Float64Array;
}

interface CompiledSegment {
  parent: number;
  orientation: OrientationTrajectory | null;
  position: PositionTrajectory | null;
  jointPos: Vec3;
  axes: Vec3[];
  angles: Trajectory1[];
  relOrientation: OrientationTrajectory | null;
  offset: Quat | null;
  dofOffset: number;
}

function isTrajectory(x: unknown): x is { evaluate: (...args: never[]) => unknown } {
  return typeof x === 'object' && x !== null && typeof (x as { evaluate?: unknown }).evaluate === 'function';
}

export class Body {
  readonly segments: readonly SegmentInfo[];
  readonly joints: readonly JointInfo[];
  readonly dofCount: number;
  private readonly compiled: CompiledSegment[];
  private readonly byName = new Map<string, number>();
  // scratch
  private readonly q = quat.create();
  private readonly w = vec3.create();
  private readonly a = vec3.create();
  private readonly t1 = vec3.create();
  private readonly t2 = vec3.create();
  private readonly t3 = vec3.create();
  private readonly v3 = new Float64Array(3);
  private readonly qr = quat.create();
  private readonly wr = vec3.create();
  private readonly ar = vec3.create();

  constructor(specs: readonly SegmentSpec[]) {
    if (!Array.isArray(specs) || specs.length === 0) throw new SimInputError('Body needs at least one segment');
    const segments: SegmentInfo[] = [];
    const joints: JointInfo[] = [];
    const compiled: CompiledSegment[] = [];
    let dofs = 0;
    specs.forEach((s, i) => {
      if (typeof s.name !== 'string' || s.name === '') throw new SimInputError(`segment ${i} needs a name`);
      if (this.byName.has(s.name)) throw new SimInputError(`duplicate segment name '${s.name}'`);
      if (i === 0) {
        if (s.parent !== undefined) throw new SimInputError(`the first segment ('${s.name}') must be the root (no parent)`);
        const orientation = isTrajectory(s.orientation)
          ? (s.orientation as OrientationTrajectory)
          : new FixedOrientation(s.orientation ? (s.orientation as QuatLike) : quat.create());
        const position = isTrajectory(s.position)
          ? (s.position as PositionTrajectory)
          : new FixedPosition(s.position ? (s.position as Vec3Like) : [0, 0, 0]);
        compiled.push({ parent: -1, orientation, position, jointPos: vec3.create(), axes: [], angles: [], relOrientation: null, offset: null, dofOffset: 0 });
        segments.push({ name: s.name, index: 0, parentIndex: -1, jointIndex: -1 });
      } else {
        if (s.parent === undefined) throw new SimInputError(`segment '${s.name}': only the first segment may be a root`);
        const parent = this.byName.get(s.parent);
        if (parent === undefined) throw new SimInputError(`segment '${s.name}': parent '${s.parent}' is not defined before it`);
        if (s.orientation !== undefined || s.position !== undefined) {
          throw new SimInputError(`segment '${s.name}': orientation/position are for the root; children move through their joint`);
        }
        const joint: JointSpec = s.joint ?? { type: 'fixed' };
        const jointPos = Float64Array.from(requireFiniteArray(`segment '${s.name}' jointPositionM`, s.jointPositionM ?? [0, 0, 0], 3));
        let axes: Vec3[] = [];
        let angles: Trajectory1[] = [];
        let relOrientation: OrientationTrajectory | null = null;
        let dofNames: string[] = [];
        const where = `joint of segment '${s.name}'`;
        switch (joint.type) {
          case 'hinge':
            axes = [unitAxis(`${where} axis`, joint.axis)];
            angles = [joint.angle];
            dofNames = [...(joint.dofNames ?? ['angle'])];
            break;
          case 'two-dof':
            axes = joint.axes.map((a, k) => unitAxis(`${where} axes[${k}]`, a));
            angles = [...joint.angles];
            dofNames = [...(joint.dofNames ?? ['angle1', 'angle2'])];
            if (axes.length !== 2 || angles.length !== 2) throw new SimInputError(`${where}: a two-dof joint needs 2 axes and 2 angles`);
            break;
          case 'ball':
            if ('orientation' in joint) {
              if (!isTrajectory(joint.orientation)) throw new SimInputError(`${where}: orientation must be an OrientationTrajectory`);
              relOrientation = joint.orientation;
            } else {
              axes = joint.axes.map((a, k) => unitAxis(`${where} axes[${k}]`, a));
              angles = [...joint.angles];
              dofNames = [...(joint.dofNames ?? ['angle1', 'angle2', 'angle3'])];
              if (axes.length !== 3 || angles.length !== 3) throw new SimInputError(`${where}: a ball joint needs 3 axes and 3 angles`);
            }
            break;
          case 'fixed':
            break;
          default:
            throw new SimInputError(`${where}: unknown joint type '${String((joint as { type: unknown }).type)}'`);
        }
        if (dofNames.length !== axes.length) throw new SimInputError(`${where}: ${axes.length} DoFs but ${dofNames.length} dofNames`);
        angles.forEach((t, k) => {
          if (!isTrajectory(t)) throw new SimInputError(`${where}: angle ${k} is not a trajectory`);
        });
        const jointIndex = joints.length;
        joints.push({
          name: s.jointName ?? `${s.parent}-${s.name}`,
          type: joint.type,
          parentIndex: parent,
          childIndex: i,
          dofNames,
          dofOffset: dofs,
        });
        compiled.push({
          parent,
          orientation: null,
          position: null,
          jointPos,
          axes,
          angles,
          relOrientation,
          offset: s.offset ? unitQuat(`segment '${s.name}' offset`, s.offset) : null,
          dofOffset: dofs,
        });
        dofs += axes.length;
        segments.push({ name: s.name, index: i, parentIndex: parent, jointIndex });
      }
      this.byName.set(s.name, i);
    });
    const jointNames = new Set(joints.map((j) => j.name));
    if (jointNames.size !== joints.length) throw new SimInputError('joint names must be unique');
    this.segments = segments;
    this.joints = joints;
    this.compiled = compiled;
    this.dofCount = dofs;
  }

  /** Index of a segment by name; throws for an unknown name. */
  segmentIndex(name: string): number {
    const i = this.byName.get(name);
    if (i === undefined) throw new SimInputError(`unknown segment '${name}' (have: ${[...this.byName.keys()].join(', ')})`);
    return i;
  }

  createState(): BodyState {
    const m = this.segments.length;
    return {
      q: new Float64Array(4 * m),
      rateRadS: new Float64Array(3 * m),
      accRadS2: new Float64Array(3 * m),
      posM: new Float64Array(3 * m),
      velMS: new Float64Array(3 * m),
      accMS2: new Float64Array(3 * m),
      dofRad: new Float64Array(this.dofCount),
      dofRateRadS: new Float64Array(this.dofCount),
    };
  }

  /** Forward kinematics of all segments at time `tS` into `state`. */
  evaluate(tS: number, state: BodyState): BodyState {
    const { q, w, a, t1, t2, t3, v3 } = this;
    for (let i = 0; i < this.compiled.length; i++) {
      const c = this.compiled[i]!;
      if (c.parent < 0) {
        c.orientation!.evaluate(tS, q, w, a);
        c.position!.evaluate(tS, t1, t2, t3);
      } else {
        const p = c.parent;
        quat.readAt(q, state.q, p);
        vec3.readAt(w, state.rateRadS, p);
        vec3.readAt(a, state.accRadS2, p);
        // Origin of the child = parent origin + R_p j; rigid-body velocity/acceleration transfer.
        const j = c.jointPos;
        const wxjx = w[1]! * j[2]! - w[2]! * j[1]!;
        const wxjy = w[2]! * j[0]! - w[0]! * j[2]!;
        const wxjz = w[0]! * j[1]! - w[1]! * j[0]!;
        // α × j + ω × (ω × j), parent frame
        vec3.set(
          t3,
          a[1]! * j[2]! - a[2]! * j[1]! + (w[1]! * wxjz - w[2]! * wxjy),
          a[2]! * j[0]! - a[0]! * j[2]! + (w[2]! * wxjx - w[0]! * wxjz),
          a[0]! * j[1]! - a[1]! * j[0]! + (w[0]! * wxjy - w[1]! * wxjx),
        );
        quat.rotate(t1, q, j);
        quat.rotate(t2, q, vec3.set(t2, wxjx, wxjy, wxjz));
        quat.rotate(t3, q, t3);
        for (let k = 0; k < 3; k++) {
          t1[k] = state.posM[3 * p + k]! + t1[k]!;
          t2[k] = state.velMS[3 * p + k]! + t2[k]!;
          t3[k] = state.accMS2[3 * p + k]! + t3[k]!;
        }
        for (let k = 0; k < c.axes.length; k++) {
          c.angles[k]!.evaluate(tS, v3);
          state.dofRad[c.dofOffset + k] = v3[0]!;
          state.dofRateRadS[c.dofOffset + k] = v3[1]!;
          appendHinge(q, w, a, c.axes[k]!, v3[0]!, v3[1]!, v3[2]!);
        }
        if (c.relOrientation) {
          c.relOrientation.evaluate(tS, this.qr, this.wr, this.ar);
          appendRelative(q, w, a, this.qr, this.wr, this.ar);
        }
        if (c.offset) appendFixed(q, w, a, c.offset);
      }
      quat.writeAt(state.q, i, q);
      vec3.writeAt(state.rateRadS, i, w);
      vec3.writeAt(state.accRadS2, i, a);
      vec3.writeAt(state.posM, i, t1);
      vec3.writeAt(state.velMS, i, t2);
      vec3.writeAt(state.accMS2, i, t3);
    }
    return state;
  }
}
