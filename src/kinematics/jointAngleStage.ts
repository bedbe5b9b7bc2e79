/**
 * Streaming joint-angle stage: two sensor orientations in, three continuous clinical angles
 * (rad, DoF order of `joints.ts`), a per-angle uncertainty bound and flags out. Allocation-free
 * per sample. Also an offline helper over a whole recording.
 *
 * ## Calibration input
 * Per sensor a {@link SensorCalibration}: the mount q_{seg,S} (sensor axes in the segment frame,
 * as `scenario.sensors[i].orientation` in `src/sim`; the segment orientation is
 * q_{G,seg} = q_z(headingOffsetRad) ⊗ q_{G,S} ⊗ q_{seg,S}*), an optional heading correction about
 * the global vertical, and an optional orientation uncertainty.
 *
 * ## Continuity
 * The first and third angles are unwrapped across ±180° (`Unwrapper`), so they may leave
 * (−180°, 180°]. Shoulder (Y-X-Y): within `gimbalHoldDeg` of elevation 0° or 180° the plane of
 * elevation is undefined (only plane ± axial rotation is); the stage then HOLDS the last
 * well-defined plane, puts the rest of the rotation into axial rotation (so the three angles
 * still reproduce the measured rotation exactly), sets {@link FLAG_PLANE_HELD} and reports an
 * uncertainty of π for plane and axial rotation. Before any well-defined plane has been seen it
 * holds `initialPlaneOfElevationDeg` and also sets {@link FLAG_PLANE_INITIAL};
 * {@link jointAnglesOverRecording} back-fills those samples with the first well-defined plane.
 *
 * ## Uncertainty (what it means)
 * δ = σ_prox + σ_dist (each sensor's `orientationUncertaintyRad`, a bound on its segment
 * orientation error as a rotation angle) bounds the error of the relative rotation. The reported
 * per-angle value is the first-order worst case of each Euler angle's error for a relative
 * rotation error of size δ: Z-X-Y: (δ/cos a2, δ, δ(1 + |tan a2|)); Y-X-Y: (δ/sin e, δ,
 * δ(1 + |cot e|)); capped at π (= "undefined"). With no uncertainty input it is 0 away from
 * gimbal lock — it is a propagation of the given input, not an estimate of its own.
 *
 * With `uncertainty: 'sigma'` it is instead a 1-σ per angle (`angleUncertainty.ts`):
 * `orientationUncertaintyRad` is then each mount's per-axis 1-σ, to which the 6D filters'
 * inclination error (`tiltSigmaDeg` per sensor) and the relative heading error (`headingSigmaRad`,
 * settable per sample) are added, each projected through the decomposition with its own
 * direction (heading about the vertical, inclination about horizontal axes).
 */
import { eulerFromQuat } from '../math/euler';
import * as quat from '../math/quat';
import * as mat3 from '../math/mat3';
import { eulerAngleSigmaFromCovariance } from './angleUncertainty';
import { Unwrapper, wrapPi } from '../math/angle';
import type { QuatLike } from '../math/quat';
import { AngleInputError } from './angleErrors';
import type { Side } from './body';
import { jointDef } from './joints';
import type { JointDef, JointName } from './joints';
import { checkSide, jointFrameQuat, segmentQuatFromSensor } from './jointAngles';

const DEG = Math.PI / 180;
const UP = [0, 0, 1] as const;
/** Total error variance (rad²) above which the 1-σ model is not linear any more: ≈ (30°)². */
const MAX_LINEAR_VAR_RAD2 = (30 * DEG) ** 2;

/** Shoulder plane of elevation is being held (elevation within `gimbalHoldDeg` of 0° or 180°). */
export const FLAG_PLANE_HELD = 1;
/** The held plane is the initial default, no well-defined plane seen yet. */
export const FLAG_PLANE_INITIAL = 2;
/** Z-X-Y joint within `gimbalHoldDeg` of its gimbal lock (middle angle ±90°): angles 1 and 3 ill-conditioned. */
export const FLAG_NEAR_GIMBAL_LOCK = 4;

export interface SensorCalibration {
  /** Mount q_{seg,S}, [w,x,y,z]: the sensor's axes expressed in the segment frame. */
  qSegSensor: QuatLike;
  /** Heading correction about the global vertical applied to this sensor's orientation, rad. Default 0. */
  headingOffsetRad?: number;
  /** Bound on this segment's orientation error (rotation angle), rad, ≥ 0; in 'sigma' mode the mount's per-axis 1-σ. Default 0. */
  orientationUncertaintyRad?: number;
  /** 'sigma' mode: the mount's error covariance, rad², 3×3 row-major in the segment frame (overrides orientationUncertaintyRad², e.g. `mountCovariance`). */
  mountCovarianceRad2?: ArrayLike<number>;
}

export interface JointAngleStageParams {
  joint: JointName;
  /** Default 'right'. Ignored for midline joints (trunk, neck). */
  side?: Side;
  proximal: SensorCalibration;
  distal: SensorCalibration;
  /** Distance from a gimbal lock (deg) within which the shoulder plane is held / Z-X-Y flagged. Default 10. */
  gimbalHoldDeg?: number;
  /** Shoulder plane of elevation held before any well-defined one was seen, deg. Default 0 (abduction). */
  initialPlaneOfElevationDeg?: number;
  /** 'bound' (first-order worst case of the summed input, default) or 'sigma' (1-σ from the error model, see module doc). */
  uncertainty?: 'bound' | 'sigma';
  /** 'sigma' only: inclination 1-σ of each sensor's 6D orientation, per horizontal axis, deg. Default 0.4
   *  (6D VQF on BROAD: 0.50° offline, 0.60° real-time RMS tilt, two-axis magnitudes → 0.36–0.42° per axis). */
  tiltSigmaDeg?: number;
  /** 'sigma' only: 1-σ of the relative heading of the two sensors, rad (per sample: {@link JointAngleStage.headingSigmaRad}). Default 0. */
  headingSigmaRad?: number;
}

/** Plain-data state of a {@link JointAngleStage}. */
export interface JointAngleStageState {
  heldPlaneRad: number;
  planeSeen: boolean;
  unwrap0: ReturnType<Unwrapper['getState']>;
  unwrap2: ReturnType<Unwrapper['getState']>;
}

function checkCalibration(what: string, c: SensorCalibration): void {
  if (c === null || typeof c !== 'object' || c.qSegSensor === undefined || c.qSegSensor.length < 4) {
    throw new AngleInputError(`${what}.qSegSensor must be a quaternion [w,x,y,z]`);
  }
  let n = 0;
  for (let i = 0; i < 4; i++) {
    const v = c.qSegSensor[i]!;
    if (!Number.isFinite(v)) throw new AngleInputError(`${what}.qSegSensor must be finite`);
    n += v * v;
  }
  if (Math.abs(Math.sqrt(n) - 1) > 1e-6) throw new AngleInputError(`${what}.qSegSensor must be a unit quaternion (norm ${Math.sqrt(n)})`);
  if (c.headingOffsetRad !== undefined && !Number.isFinite(c.headingOffsetRad)) throw new AngleInputError(`${what}.headingOffsetRad must be finite`);
  const u = c.orientationUncertaintyRad;
  if (u !== undefined && !(u >= 0 && Number.isFinite(u))) throw new AngleInputError(`${what}.orientationUncertaintyRad must be finite and ≥ 0, got ${u}`);
}

export class JointAngleStage {
  readonly joint: JointDef;
  readonly side: Side;
  readonly params: Readonly<Required<Omit<JointAngleStageParams, 'proximal' | 'distal'>>> & Pick<JointAngleStageParams, 'proximal' | 'distal'>;
  /** 'sigma' mode: relative heading 1-σ used for the next samples, rad (set it per sample). */
  headingSigmaRad: number;
  /** Per-angle uncertainty bound of the last sample, rad (see module doc). */
  readonly uncertaintyRad = new Float64Array(3);
  /** Flags of the last sample (FLAG_*). */
  flags = 0;
  private readonly holdRad: number;
  private readonly deltaRad: number;
  private readonly sigmaMode: boolean;
  private readonly tiltRad2: number;
  private readonly covP: Float64Array;
  private readonly covD: Float64Array;
  private readonly flip: Float64Array;
  private readonly vert = new Float64Array(3);
  private readonly sig = new Float64Array(3);
  private readonly qRel = new Float64Array(4);
  private readonly rRel = new Float64Array(9);
  private readonly cov = new Float64Array(9);
  private heldPlaneRad: number;
  private planeSeen = false;
  private readonly unwrap0 = new Unwrapper();
  private readonly unwrap2 = new Unwrapper();
  private readonly qP = new Float64Array(4);
  private readonly qD = new Float64Array(4);
  private readonly qJ = new Float64Array(4);
  private readonly raw = new Float64Array(3);
  private readonly outScratch = new Float64Array(3);
  private readonly inP = new Float64Array(4);
  private readonly inD = new Float64Array(4);

  constructor(params: JointAngleStageParams) {
    const joint = jointDef(params.joint);
    const side = checkSide(params.side ?? 'right');
    checkCalibration('proximal', params.proximal);
    checkCalibration('distal', params.distal);
    const holdDeg = params.gimbalHoldDeg ?? 10;
    if (!(holdDeg >= 0 && holdDeg < 45)) throw new AngleInputError(`gimbalHoldDeg must be in [0, 45), got ${holdDeg}`);
    const initDeg = params.initialPlaneOfElevationDeg ?? 0;
    if (!Number.isFinite(initDeg)) throw new AngleInputError(`initialPlaneOfElevationDeg must be finite, got ${initDeg}`);
    this.joint = joint;
    this.side = side;
    const mode = params.uncertainty ?? 'bound';
    if (mode !== 'bound' && mode !== 'sigma') throw new AngleInputError(`uncertainty must be 'bound' or 'sigma', got '${String(mode)}'`);
    const tiltDeg = params.tiltSigmaDeg ?? 0.4;
    if (!(tiltDeg >= 0 && Number.isFinite(tiltDeg))) throw new AngleInputError(`tiltSigmaDeg must be finite and ≥ 0, got ${tiltDeg}`);
    const headSig = params.headingSigmaRad ?? 0;
    if (!(headSig >= 0 && Number.isFinite(headSig))) throw new AngleInputError(`headingSigmaRad must be finite and ≥ 0, got ${headSig}`);
    this.params = {
      joint: joint.name, side, proximal: params.proximal, distal: params.distal, gimbalHoldDeg: holdDeg, initialPlaneOfElevationDeg: initDeg,
      uncertainty: mode, tiltSigmaDeg: tiltDeg, headingSigmaRad: headSig,
    };
    this.headingSigmaRad = headSig;
    this.holdRad = holdDeg * DEG;
    const up = params.proximal.orientationUncertaintyRad ?? 0, ud = params.distal.orientationUncertaintyRad ?? 0;
    this.deltaRad = up + ud;
    this.sigmaMode = mode === 'sigma';
    this.tiltRad2 = 2 * (tiltDeg * DEG) ** 2;
    const cov = (c: SensorCalibration, u: number, what: string): Float64Array => {
      if (c.mountCovarianceRad2 === undefined) return Float64Array.from([u * u, 0, 0, 0, u * u, 0, 0, 0, u * u]);
      if (c.mountCovarianceRad2.length !== 9 || !Array.from(c.mountCovarianceRad2).every(Number.isFinite)) throw new AngleInputError(`${what}.mountCovarianceRad2 must be 9 finite numbers (3×3)`);
      return Float64Array.from(c.mountCovarianceRad2);
    };
    this.covP = cov(params.proximal, up, 'proximal');
    this.covD = cov(params.distal, ud, 'distal');
    const left = joint.lateral && side === 'left';
    // Component signs of mirroring (x, y) and shoulder re-basing (x, z), as applied to qJ.
    this.flip = Float64Array.from([(left ? -1 : 1) * (joint.elevationRebase ? -1 : 1), left ? -1 : 1, joint.elevationRebase ? -1 : 1]);
    this.heldPlaneRad = initDeg * DEG;
  }

  reset(): void {
    this.heldPlaneRad = this.params.initialPlaneOfElevationDeg * DEG;
    this.planeSeen = false;
    this.unwrap0.reset();
    this.unwrap2.reset();
    this.flags = 0;
    this.uncertaintyRad.fill(0);
  }

  getState(): JointAngleStageState {
    return { heldPlaneRad: this.heldPlaneRad, planeSeen: this.planeSeen, unwrap0: this.unwrap0.getState(), unwrap2: this.unwrap2.getState() };
  }

  setState(s: JointAngleStageState): void {
    this.heldPlaneRad = s.heldPlaneRad;
    this.planeSeen = s.planeSeen;
    this.unwrap0.setState(s.unwrap0);
    this.unwrap2.setState(s.unwrap2);
  }

  /**
   * One sample: sensor orientations q_{G,S} of the proximal and distal sensor → clinical angles
   * (rad) in `out` (3). Uncertainty and flags of this sample are in {@link uncertaintyRad} and
   * {@link flags}. Returns `out`.
   */
  update(qProxSensor: QuatLike, qDistSensor: QuatLike, out: Float64Array): Float64Array {
    const { proximal, distal } = this.params;
    segmentQuatFromSensor(this.qP, qProxSensor, proximal.qSegSensor, proximal.headingOffsetRad ?? 0);
    segmentQuatFromSensor(this.qD, qDistSensor, distal.qSegSensor, distal.headingOffsetRad ?? 0);
    return this.fromSegments(this.qP, this.qD, out);
  }

  /** As {@link update} but from segment orientations q_{G,seg} directly (calibration already applied). */
  fromSegments(qProxSeg: QuatLike, qDistSeg: QuatLike, out: Float64Array): Float64Array {
    const joint = this.joint;
    jointFrameQuat(this.qJ, qProxSeg, qDistSeg, joint, this.side);
    const raw = eulerFromQuat(this.raw, this.qJ, joint.sequence);
    const d = this.deltaRad;
    const u = this.uncertaintyRad;
    let flags = 0;
    let a0 = raw[0]!;
    const a1 = raw[1]!;
    let a2 = raw[2]!;
    if (joint.elevationRebase) {
      const nearZero = a1 < 0.5 * Math.PI;
      const dist = nearZero ? a1 : Math.PI - a1;
      if (dist <= this.holdRad) {
        // Only p + r (near 0°) or p − r (near 180°) is defined: keep the plane, move the rest into r.
        flags |= FLAG_PLANE_HELD;
        if (!this.planeSeen) flags |= FLAG_PLANE_INITIAL;
        a2 = nearZero ? wrapPi(a0 + a2 - this.heldPlaneRad) : wrapPi(this.heldPlaneRad - (a0 - a2));
        a0 = wrapPi(this.heldPlaneRad);
        u[0] = Math.PI;
        u[2] = Math.PI;
      } else {
        this.heldPlaneRad = a0;
        this.planeSeen = true;
        const s = Math.sin(a1);
        u[0] = Math.min(Math.PI, d / s);
        u[2] = Math.min(Math.PI, d * (1 + Math.abs(Math.cos(a1) / s)));
      }
      u[1] = Math.min(Math.PI, d);
    } else {
      const c = Math.cos(a1);
      if (0.5 * Math.PI - Math.abs(a1) <= this.holdRad) flags |= FLAG_NEAR_GIMBAL_LOCK;
      u[0] = c > 0 ? Math.min(Math.PI, d / c) : Math.PI;
      u[1] = Math.min(Math.PI, d);
      u[2] = c > 0 ? Math.min(Math.PI, d * (1 + Math.abs(Math.sin(a1)) / c)) : Math.PI;
    }
    if (this.sigmaMode) {
      // Error covariance in the proximal frame: both mounts (the distal one turned by the
      // relative rotation), both filters' tilt (horizontal), the relative heading (vertical).
      const v = quat.rotateInverse(this.vert, qProxSeg, UP);
      quat.normalize(this.qRel, quat.multiplyConjugateLeft(this.qRel, qProxSeg, qDistSeg));
      const R = mat3.fromQuat(this.rRel, this.qRel), D = this.covD, P = this.covP, C = this.cov, f = this.flip;
      const t2 = this.tiltRad2, h2 = this.headingSigmaRad * this.headingSigmaRad;
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          let rdr = 0;
          for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) rdr += R[3 * i + a]! * D[3 * a + b]! * R[3 * j + b]!;
          const vv = v[i]! * v[j]!;
          C[3 * i + j] = (P[3 * i + j]! + rdr + t2 * ((i === j ? 1 : 0) - vv) + h2 * vv) * f[i]! * f[j]!;
        }
      }
      const sg = eulerAngleSigmaFromCovariance(this.sig, joint.sequence, raw[0]!, a1, C);
      // Beyond ~30° the first-order propagation means nothing: every angle is undefined then.
      if (C[0]! + C[4]! + C[8]! > MAX_LINEAR_VAR_RAD2) sg.fill(Math.PI);
      const held = (flags & FLAG_PLANE_HELD) !== 0;
      u[0] = held ? Math.PI : sg[0]!;
      u[1] = sg[1]!;
      u[2] = held ? Math.PI : sg[2]!;
    }
    const dofs = joint.dofs;
    out[0] = this.unwrap0.push(dofs[0].sign * a0);
    out[1] = dofs[1].sign * a1;
    out[2] = this.unwrap2.push(dofs[2].sign * a2);
    this.flags = flags;
    return out;
  }

  /**
   * A block of samples: `qProx4n`, `qDist4n` sensor orientations (4 per sample, same length) →
   * `out3n` angles (rad); optional `uncertainty3n` (rad) and `flagsN` filled alongside. Returns `out3n`.
   */
  updateArrays(qProx4n: ArrayLike<number>, qDist4n: ArrayLike<number>, out3n: Float64Array, uncertainty3n?: Float64Array, flagsN?: Uint8Array, headingSigmaRadN?: ArrayLike<number>): Float64Array {
    if (qProx4n.length % 4 !== 0) throw new AngleInputError(`qProx4n length must be a multiple of 4, got ${qProx4n.length}`);
    const n = qProx4n.length / 4;
    if (qDist4n.length !== qProx4n.length) throw new AngleInputError(`qDist4n length ${qDist4n.length} differs from qProx4n length ${qProx4n.length} (sensors must be aligned to one time grid)`);
    if (out3n.length < 3 * n) throw new AngleInputError(`out3n needs length ${3 * n}, got ${out3n.length}`);
    if (uncertainty3n && uncertainty3n.length < 3 * n) throw new AngleInputError(`uncertainty3n needs length ${3 * n}, got ${uncertainty3n.length}`);
    if (flagsN && flagsN.length < n) throw new AngleInputError(`flagsN needs length ${n}, got ${flagsN.length}`);
    if (headingSigmaRadN && headingSigmaRadN.length < n) throw new AngleInputError(`headingSigmaRadN needs length ${n}, got ${headingSigmaRadN.length}`);
    const qa = this.inP;
    const qb = this.inD;
    const o = this.outScratch;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 4; k++) {
        qa[k] = qProx4n[4 * i + k]!;
        qb[k] = qDist4n[4 * i + k]!;
      }
      const { proximal, distal } = this.params;
      if (headingSigmaRadN) this.headingSigmaRad = headingSigmaRadN[i]!;
      segmentQuatFromSensor(this.qP, qa, proximal.qSegSensor, proximal.headingOffsetRad ?? 0);
      segmentQuatFromSensor(this.qD, qb, distal.qSegSensor, distal.headingOffsetRad ?? 0);
      this.fromSegments(this.qP, this.qD, o);
      out3n[3 * i] = o[0]!;
      out3n[3 * i + 1] = o[1]!;
      out3n[3 * i + 2] = o[2]!;
      if (uncertainty3n) {
        uncertainty3n[3 * i] = this.uncertaintyRad[0]!;
        uncertainty3n[3 * i + 1] = this.uncertaintyRad[1]!;
        uncertainty3n[3 * i + 2] = this.uncertaintyRad[2]!;
      }
      if (flagsN) flagsN[i] = this.flags;
    }
    return out3n;
  }
}

export interface JointAngleSeries {
  /** Clinical angles, rad, 3 per sample in DoF order. */
  anglesRad: Float64Array;
  /** Per-angle uncertainty bound, rad, 3 per sample. */
  uncertaintyRad: Float64Array;
  /** FLAG_* per sample (FLAG_PLANE_INITIAL is cleared where back-filled). */
  flags: Uint8Array;
}

/**
 * A whole recording through a fresh {@link JointAngleStage}. For the shoulder, the leading
 * samples held at the initial default plane (arm near 0°/180° elevation from the start) are
 * back-filled with the first well-defined plane, axial rotation adjusted so the angles still
 * reproduce the rotation. If no well-defined plane occurs at all, they keep the default. Every
 * later hold run that ends in a well-defined plane gets its plane moved linearly from the entry
 * to the exit value (axial rotation compensating), so the offline series has no jump at release.
 */
export function jointAnglesOverRecording(
  qProxSensor4n: ArrayLike<number>, qDistSensor4n: ArrayLike<number>, params: JointAngleStageParams & { headingSigmaRadN?: ArrayLike<number> },
): JointAngleSeries {
  const { headingSigmaRadN, ...stageParams } = params;
  const stage = new JointAngleStage(stageParams);
  const n = Math.floor(qProxSensor4n.length / 4);
  const anglesRad = new Float64Array(3 * n);
  const uncertaintyRad = new Float64Array(3 * n);
  const flags = new Uint8Array(n);
  stage.updateArrays(qProxSensor4n, qDistSensor4n, anglesRad, uncertaintyRad, flags, headingSigmaRadN);
  if (stage.joint.elevationRebase) {
    let first = 0;
    while (first < n && (flags[first]! & FLAG_PLANE_INITIAL) !== 0) first++;
    if (first > 0 && first < n) {
      const newPlane = anglesRad[3 * first]!;
      for (let i = 0; i < first; i++) {
        const shift = newPlane - anglesRad[3 * i]!;
        const nearZero = anglesRad[3 * i + 1]! < 0.5 * Math.PI;
        anglesRad[3 * i] = newPlane;
        anglesRad[3 * i + 2] = anglesRad[3 * i + 2]! + (nearZero ? -shift : shift);
        flags[i] = flags[i]! & ~FLAG_PLANE_INITIAL;
      }
      // Axial rotation of the back-filled run may now sit a whole turn from the rest.
      const next = anglesRad[3 * first + 2]!;
      for (let i = first - 1; i >= 0; i--) {
        const ref = i === first - 1 ? next : anglesRad[3 * (i + 1) + 2]!;
        anglesRad[3 * i + 2] = ref + wrapPi(anglesRad[3 * i + 2]! - ref);
      }
    }
    // Later hold runs: the plane held at entry generally differs from the one at exit (the arm
    // changed plane near 0°/180°), which the streaming stage shows as a jump at release. Offline,
    // move the plane linearly from its entry to its exit value across the run, axial rotation
    // taking the difference as in the hold itself (only plane ± axial is defined there).
    for (let h0 = Math.max(first, 1); h0 < n; h0++) {
      if ((flags[h0]! & FLAG_PLANE_HELD) === 0 || (flags[h0 - 1]! & FLAG_PLANE_HELD) !== 0) continue;
      let h1 = h0;
      while (h1 < n && (flags[h1]! & FLAG_PLANE_HELD) !== 0) h1++;
      if (h1 >= n) break; // still held at the end: nothing to move towards
      const pIn = anglesRad[3 * (h0 - 1)]!, pOut = anglesRad[3 * h1]!;
      for (let i = h0; i < h1; i++) {
        const u = (i - h0 + 1) / (h1 - h0 + 1);
        const pNew = pIn + u * (pOut - pIn);
        const shift = pNew - anglesRad[3 * i]!;
        const nearZero = anglesRad[3 * i + 1]! < 0.5 * Math.PI;
        anglesRad[3 * i] = pNew;
        anglesRad[3 * i + 2] = anglesRad[3 * i + 2]! + (nearZero ? -shift : shift);
      }
      for (let i = h1 - 1; i >= h0; i--) {
        const ref = anglesRad[3 * (i + 1) + 2]!;
        anglesRad[3 * i + 2] = ref + wrapPi(anglesRad[3 * i + 2]! - ref);
      }
      h0 = h1;
    }
  }
  return { anglesRad, uncertaintyRad, flags };
}
