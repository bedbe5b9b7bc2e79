/**
 * True (error-free) outputs of an IMU mounted on a body segment, at any instant:
 *
 *   q_GS = q_{G,seg} ⊗ W(t) ⊗ q_{seg,S}              (W: soft-tissue wobble, identity if none)
 *   ω_S  = body-frame angular velocity of that frame  (rad/s)
 *   f_S  = R_GSᵀ (a_G − g),  g = (0, 0, −g₀)          (m/s²; at rest z-up reads +g₀)
 *   m_S  = R_GSᵀ m_G(p_G, t)                          (µT)
 *
 * The mount point is p_G = p_seg + R_seg (r + d(t)) with d the wobble displacement, so by the
 * transport theorem a_G = a_seg + R_seg (α×ρ + ω×(ω×ρ) + 2ω×ḋ + d̈), ρ = r + d — exact.
 */
import * as quat from '../math/quat';
import type { Quat, QuatLike } from '../math/quat';
import * as vec3 from '../math/vec3';
import type { Vec3, Vec3Like } from '../math/vec3';
import type { Body, BodyState } from './body';
import type { ErrorPresetName, SensorErrorParams } from './errors';
import type { MagneticField } from './magnetic';
import { appendFixed, appendRelative, unitQuat } from './motion';
import { SimInputError, requireFiniteArray, requirePositive } from './sim-error';
import type { SoftTissueMotion, SoftTissueParams } from './soft-tissue';

/** kinemetry's gravity magnitude, m/s² (g = (0, 0, −9.81) in ENU). */
export const GRAVITY_MS2 = 9.81;

export interface SensorSpec {
  /** Unique sensor id; becomes `SensorInfo.sensorId`. */
  id: string;
  /** Name of the segment it is strapped to. */
  segment: string;
  /** Mount point in the segment frame, m. Default (0, 0, 0). */
  positionM?: Vec3Like;
  /** Sensor orientation relative to the segment, q_{seg,S}. Default identity. */
  orientation?: QuatLike;
  /** `SensorInfo.placement`. Default: the segment name. */
  placement?: string;
  side?: 'left' | 'right';
  /** Has a magnetometer (9-axis). Default true. */
  magnetometer?: boolean;
  /** Also output the true orientation in `SampleBlock.quat` (like an on-board fusion chip, but exact). Default false. */
  outputQuat?: boolean;
  /** Output data rate, Hz. Default: the simulation rate. */
  rateHz?: number;
  /** Error model or preset. Default `'ideal'`. */
  errors?: SensorErrorParams | ErrorPresetName;
  /** Soft-tissue wobble of the mount; `true` uses the defaults. Default off. */
  softTissue?: SoftTissueParams | boolean;
}

export interface ImuEnvironment {
  readonly field: MagneticField;
  /** Gravity magnitude, m/s². */
  readonly gravityMS2: number;
}

/** One instant of true IMU output plus the mount point's motion. */
export interface ImuTruthSample {
  /** q_GS. */
  readonly q: Quat;
  readonly gyrRadS: Vec3;
  /** Specific force in the sensor frame, m/s². */
  readonly accMS2: Vec3;
  readonly magUT: Vec3;
  /** Mount point in G, m / m/s / m/s² (kinematic acceleration, no gravity). */
  readonly posM: Vec3;
  readonly velMS: Vec3;
  readonly linAccMS2: Vec3;
}

export function createImuTruthSample(): ImuTruthSample {
  return {
    q: quat.create(),
    gyrRadS: vec3.create(),
    accMS2: vec3.create(),
    magUT: vec3.create(),
    posM: vec3.create(),
    velMS: vec3.create(),
    linAccMS2: vec3.create(),
  };
}

export class ImuModel {
  readonly body: Body;
  readonly segmentIndex: number;
  readonly positionM: Float64Array;
  /** q_{seg,S}. */
  readonly mount: Quat;
  readonly softTissue: SoftTissueMotion | null;
  readonly gravityMS2: number;
  private readonly field: MagneticField;
  private readonly state: BodyState;
  private readonly w = vec3.create();
  private readonly al = vec3.create();
  private readonly rho = vec3.create();
  private readonly dDot = vec3.create();
  private readonly dDDot = vec3.create();
  private readonly tmp = vec3.create();
  private readonly v3 = new Float64Array(3);
  private readonly qw = quat.create();
  private readonly ww = vec3.create();
  private readonly aw = vec3.create();

  constructor(body: Body, spec: SensorSpec, env: ImuEnvironment, softTissue: SoftTissueMotion | null = null) {
    if (typeof spec.id !== 'string' || spec.id === '') throw new SimInputError('sensor id must be a non-empty string');
    this.body = body;
    this.segmentIndex = body.segmentIndex(spec.segment);
    this.positionM = Float64Array.from(requireFiniteArray(`sensor '${spec.id}' positionM`, spec.positionM ?? [0, 0, 0], 3));
    this.mount = spec.orientation ? unitQuat(`sensor '${spec.id}' orientation`, spec.orientation) : quat.create();
    this.softTissue = softTissue;
    this.gravityMS2 = requirePositive('gravityMS2', env.gravityMS2);
    this.field = env.field;
    this.state = body.createState();
  }

  /** True outputs at time `tS` (s). */
  evaluate(tS: number, out: ImuTruthSample): ImuTruthSample {
    return this.evaluateFromState(tS, this.body.evaluate(tS, this.state), out);
  }

  /**
   * True outputs at time `tS` from a body state already evaluated at that same time — lets
   * several sensors on one time grid share a single forward-kinematics pass.
   */
  evaluateFromState(tS: number, s: BodyState, out: ImuTruthSample): ImuTruthSample {
    const i = this.segmentIndex;
    const { w, al, rho, dDot, dDDot, tmp, v3 } = this;
    const q = out.q;
    quat.readAt(q, s.q, i);
    vec3.readAt(w, s.rateRadS, i);
    vec3.readAt(al, s.accRadS2, i);
    vec3.copy(rho, this.positionM);
    dDot.fill(0);
    dDDot.fill(0);
    const st = this.softTissue;
    if (st) {
      for (let k = 0; k < 3; k++) {
        st.translation[k]!.evaluate(tS, v3);
        rho[k] = rho[k]! + v3[0]!;
        dDot[k] = v3[1]!;
        dDDot[k] = v3[2]!;
      }
    }
    // Position, velocity, acceleration of the mount point (segment frame first, then to G).
    vec3.cross(tmp, w, rho);
    vec3.add(out.velMS, tmp, dDot);
    quat.rotate(out.velMS, q, out.velMS);
    const lin = out.linAccMS2;
    vec3.cross(lin, w, tmp); // ω × (ω × ρ)
    vec3.add(lin, lin, vec3.cross(tmp, al, rho));
    vec3.scaleAndAdd(lin, lin, vec3.cross(tmp, w, dDot), 2);
    vec3.add(lin, lin, dDDot);
    quat.rotate(lin, q, lin);
    quat.rotate(out.posM, q, rho);
    for (let k = 0; k < 3; k++) {
      out.posM[k] = out.posM[k]! + s.posM[3 * i + k]!;
      out.velMS[k] = out.velMS[k]! + s.velMS[3 * i + k]!;
      lin[k] = lin[k]! + s.accMS2[3 * i + k]!;
    }
    // Orientation and rate: segment → wobble → fixed mount.
    if (st) {
      st.rotation.evaluate(tS, this.qw, this.ww, this.aw);
      appendRelative(q, w, al, this.qw, this.ww, this.aw);
    }
    appendFixed(q, w, al, this.mount);
    vec3.copy(out.gyrRadS, w);
    // Specific force: a − g with g = (0, 0, −g₀).
    vec3.set(tmp, lin[0]!, lin[1]!, lin[2]! + this.gravityMS2);
    quat.rotateInverse(out.accMS2, q, tmp);
    this.field.fieldAt(tmp, out.posM, tS);
    quat.rotateInverse(out.magUT, q, tmp);
    return out;
  }
}
