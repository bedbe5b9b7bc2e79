/**
 * What the two classic baseline filters (Madgwick, Mahony) share: sample timing from blocks,
 * input checks and their report, start-up from the first accelerometer (+ magnetometer)
 * sample, gaps, flags and plain-data state. A subclass supplies only its correction step.
 *
 * Output frame (see `filter.ts`): q_GS with G = East-North-Up when a magnetometer is used,
 * else z up with an arbitrary but fixed heading.
 *
 * Start-up: the original filters start at the identity and take many seconds to converge
 * (β-limited slew, ~10°/s). We instead set the orientation from the first usable
 * accelerometer sample (inclination; heading 0 about the shortest arc) and, in 9D, the
 * magnetometer (heading towards magnetic north) — as the BROAD evaluation of these filters
 * did. When the first magnetometer sample arrives after a 6D start, the orientation is set
 * again from that sample (the heading so far was arbitrary).
 *
 * Timing: both filters, as published, evaluate the correction at the previous estimate
 * against the current measurement, so under steady rotation the estimate settles about one
 * sample ahead of the truth (ω·dt: 0.9° at 90°/s and 100 Hz). Kept for faithfulness to the
 * published algorithms and their benchmark figures; the VQF-class filter has no such offset.
 */
import { FilterParameterError, LengthMismatchError } from '../math/errors';
import * as mat3 from '../math/mat3';
import * as quat from '../math/quat';
import type { Quat, QuatLike } from '../math/quat';
import type { Vec3, Vec3Like } from '../math/vec3';
import { SAT_ACC, SAT_GYR, SAT_MAG, requireInertial } from '../samples/block';
import type { InertialBlock } from '../samples/block';
import type { FusionFlags, FusionInputReport, OrientationFilter } from './filter';

/** Parameters every baseline filter takes. */
export interface AhrsCommonParams {
  /**
   * Nominal sampling rate, Hz: the time step of the very first sample of `updateBlock` when the
   * block's `info.rateHz` gives none. Default 100.
   */
  rateHz?: number;
  /** Use magnetometer samples when given (9D). `false` always runs 6D. Default true. */
  useMag?: boolean;
  /**
   * A time step, or a block's `gapBeforeS`, at least this long (s) is a gap: one gyroscope
   * sample cannot stand for the rotation over it, so the orientation is set again from the
   * next usable accelerometer (+ magnetometer) sample. In 6D the heading is kept (only the
   * inclination is re-levelled). Default 1.
   */
  reinitAfterGapS?: number;
  /** Gyroscope bias known beforehand (e.g. from a still period, `gyroBias.ts`), rad/s. Default 0. */
  initialBiasRadS?: Vec3Like;
}

/** Plain-data state of a baseline filter (JSON-safe; `setState` restores it exactly). */
export interface AhrsState {
  /** Which filter wrote it (`madgwick`, `mahony`); `setState` refuses another filter's state. */
  readonly filter: string;
  /**
   * Orientation [w, x, y, z] in the filter's working frame {@link frame} — stored as is, so a
   * round trip is exact (use `getQuat` for the output-frame orientation).
   */
  readonly quat: readonly number[];
  /** Working frame of {@link quat}: `ENU` (Mahony) or `NWU` (Madgwick's native frame). */
  readonly frame: 'ENU' | 'NWU';
  /** Gyroscope bias estimate, rad/s (Mahony: minus the integral term; Madgwick: the fixed bias). */
  readonly biasRadS: readonly number[];
  /** The orientation has been set from an accelerometer sample. */
  readonly initialised: boolean;
  /** The heading has been set from a magnetometer sample. */
  readonly magInitialised: boolean;
  /** A gap was seen: the next usable sample sets the orientation again. */
  readonly reinitPending: boolean;
  /** Time of the last sample taken from a block, s (null before the first). */
  readonly lastTS: number | null;
  readonly flags: FusionFlags;
  readonly inputReport: FusionInputReport;
}

/** `setState` was given something that is not a state of this filter. */
export class FilterStateError extends Error {
  override readonly name = 'FilterStateError';
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const SQRT_HALF = Math.SQRT1_2;

/** Offsets in {@link AhrsFilterBase.io}: gyroscope, accelerometer, magnetometer (3 each), time step. */
export const G0 = 0;
export const A0 = 3;
export const M0 = 6;
export const DT = 9;
/** 1/|m|² of the raw magnetometer sample at {@link M0}. */
export const MS = 10;
/** Scratch for a candidate quaternion (4 values) handed to {@link normalizeFrom}. */
export const CQ = 11;

/**
 * Usable magnetometer readings have 10⁻¹⁰⁰ < |m|² < 10¹⁰⁰ (µT²): far beyond anything physical,
 * and it keeps |m|² and 1/|m|² — which the filters multiply together — clear of underflow
 * and overflow.
 */
const MAG2_MIN = 1e-100;
const MAG2_MAX = 1e100;

function checkPositive(what: string, v: number, allowInfinity = false): number {
  if (!(v > 0) || (!allowInfinity && !Number.isFinite(v))) {
    throw new FilterParameterError(`${what} must be a positive${allowInfinity ? '' : ' finite'} number, got ${v}`);
  }
  return v;
}

/** A finite, non-negative number (gains). */
export function checkGain(what: string, v: number): number {
  if (!(v >= 0) || !Number.isFinite(v)) throw new FilterParameterError(`${what} must be a finite number ≥ 0, got ${v}`);
  return v;
}

function checkVec3(what: string, v: Vec3Like): Float64Array {
  if (v.length !== 3) throw new FilterParameterError(`${what} must have 3 components, got ${v.length}`);
  const out = Float64Array.from(v);
  for (let i = 0; i < 3; i++) if (!Number.isFinite(out[i]!)) throw new FilterParameterError(`${what}[${i}] must be finite, got ${out[i]}`);
  return out;
}

/**
 * The common machinery. `q` holds the orientation in the subclass's own working frame:
 * the output frame, or — when `nwuInternal` — a North-West-Up frame (Madgwick's native one,
 * magnetic north along x), turned into ENU by a fixed +90° rotation about z on output.
 */
export abstract class AhrsFilterBase implements OrientationFilter<AhrsState> {
  abstract readonly name: string;
  /** Orientation in the working frame, [w, x, y, z]. */
  protected readonly q = quat.create();
  /** Gyroscope bias estimate, rad/s (subtracted from every gyroscope sample). */
  protected readonly bias = new Float64Array(3);
  protected readonly rateHz: number;
  protected readonly useMag: boolean;
  protected readonly reinitAfterGapS: number;
  /** One sample on its way through `ingest` and `step`; layout {@link G0}, {@link A0}, {@link M0}, {@link DT}, {@link MS}, {@link CQ}. */
  protected readonly io = new Float64Array(15);
  private readonly initialBias: Float64Array;
  private readonly nwuInternal: boolean;
  private initialised = false;
  private magInitialised = false;
  private reinitPending = false;
  /** [0]: time of the last sample taken from a block, s (NaN before the first). A typed array keeps it an unboxed double. */
  private readonly clock = Float64Array.of(NaN);
  private readonly flagsData: Mutable<FusionFlags> = {
    initialising: true,
    resting: false,
    accRejected: false,
    magDisturbed: false,
    magUsed: false,
  };
  private readonly report: Mutable<FusionInputReport> = { badGyr: 0, badAcc: 0, badMag: 0, badDt: 0, saturated: 0, gaps: 0 };
  // Scratch for (re-)initialisation; never touched on the per-sample path.
  private readonly tmpQ = quat.create();
  private readonly tmpQ2 = quat.create();
  private readonly tmpM = mat3.create();
  private readonly tmpV = new Float64Array(3);
  private readonly tmpV2 = new Float64Array(3);

  protected constructor(p: AhrsCommonParams, nwuInternal: boolean) {
    this.rateHz = checkPositive('rateHz', p.rateHz ?? 100);
    this.useMag = p.useMag ?? true;
    this.reinitAfterGapS = checkPositive('reinitAfterGapS', p.reinitAfterGapS ?? 1, true);
    this.initialBias = checkVec3('initialBiasRadS', p.initialBiasRadS ?? [0, 0, 0]);
    this.bias.set(this.initialBias);
    this.nwuInternal = nwuInternal;
  }

  /** The common parameters in effect, defaults filled in. */
  protected commonParams(): Readonly<Required<AhrsCommonParams>> & { readonly initialBiasRadS: readonly number[] } {
    return { rateHz: this.rateHz, useMag: this.useMag, reinitAfterGapS: this.reinitAfterGapS, initialBiasRadS: Array.from(this.initialBias) };
  }

  /**
   * The filter's own step, reading `io`: the bias-corrected rate g (rad/s) at
   * [G0..G0+2], the unit accelerometer vector a at [A0..A0+2] (valid when `useAcc`), the raw
   * magnetometer vector m at [M0..M0+2] with 1/|m|² at [MS] (valid when `useMag`, only
   * ever together with `useAcc`) and the time step at [DT]. The magnetometer is not normalised:
   * both filters' magnetometer terms are quadratic in m, so scaling them by 1/|m|² costs one
   * division where normalising would cost a square root and a division — on the per-sample
   * critical path, these long operations are what the speed depends on. `freezeBias`: do
   * not learn bias now (saturated gyroscope). Must leave `q` a unit quaternion. (Samples
   * travel in a typed array rather than as arguments: V8 would box every double argument of
   * a call it does not inline.)
   */
  protected abstract step(useAcc: boolean, useMag: boolean, freezeBias: boolean): void;

  get flags(): FusionFlags {
    return this.flagsData;
  }

  get inputReport(): FusionInputReport {
    return this.report;
  }

  update(gyrRadS: Vec3Like, accMS2: Vec3Like, magUT: Vec3Like | null, dtS: number): void {
    this.io[DT] = dtS;
    this.ingest(gyrRadS, accMS2, magUT === null ? undefined : magUT, 0, 0);
  }

  updateBlock(block: InertialBlock, outQuat: Float64Array): void {
    requireInertial(block, `${this.name}.updateBlock`);
    const t = block.tS;
    const n = t.length;
    const gyr = block.gyrRadS;
    const acc = block.accMS2;
    const mag = this.useMag ? block.magUT : undefined;
    const sat = block.saturated;
    if (outQuat.length < 4 * n) throw new LengthMismatchError(`${this.name}.updateBlock outQuat`, `at least ${4 * n}`, outQuat.length);
    if (gyr.length < 3 * n) throw new LengthMismatchError(`${this.name}.updateBlock gyrRadS`, 3 * n, gyr.length);
    if (acc.length < 3 * n) throw new LengthMismatchError(`${this.name}.updateBlock accMS2`, 3 * n, acc.length);
    if (mag && mag.length < 3 * n) throw new LengthMismatchError(`${this.name}.updateBlock magUT`, 3 * n, mag.length);
    if (sat && sat.length < n) throw new LengthMismatchError(`${this.name}.updateBlock saturated`, n, sat.length);
    const r = block.info.rateHz;
    const nominalS = 1 / (r !== undefined && r > 0 && Number.isFinite(r) ? r : this.rateHz);
    const gap = block.gapBeforeS;
    if (n > 0 && gap !== undefined && gap > 0) {
      this.report.gaps++;
      if (gap >= this.reinitAfterGapS) this.reinitPending = true;
    }
    const io = this.io;
    let prev = this.clock[0]!;
    for (let i = 0; i < n; i++) {
      const ti = t[i]!;
      // The first sample ever (no previous time: prev is NaN) gets the nominal period; a
      // non-finite or backwards time stamp gives a bad step (skipped and reported) and does
      // not become the reference. (Written with x − x and x !== x rather than Number.isNaN/
      // isFinite: those made V8 box the time step here, one allocation per sample.)
      let dt = ti - prev;
      if (prev !== prev) dt = nominalS + (ti - ti);
      if (dt > 0 && dt < Infinity) prev = ti;
      io[DT] = dt;
      this.ingest(gyr, acc, mag, 3 * i, sat ? sat[i]! : 0);
      this.writeOutput(outQuat, 4 * i);
    }
    this.clock[0] = prev;
  }

  getQuat(out: Quat): Quat {
    this.writeOutput(out, 0);
    return out;
  }

  getBiasRadS(out: Vec3): Vec3 {
    out[0] = this.bias[0]!;
    out[1] = this.bias[1]!;
    out[2] = this.bias[2]!;
    return out;
  }

  /** Replace the gyroscope bias estimate (e.g. with one from a still period), rad/s. */
  setBiasRadS(biasRadS: Vec3Like): void {
    this.bias.set(checkVec3('biasRadS', biasRadS));
  }

  /**
   * Set the orientation (output frame, normalised) — e.g. from a reference system or another
   * filter. Counts as initialised (and, in 9D, as having a heading).
   */
  setQuat(q: QuatLike): void {
    const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
    const n2 = w * w + x * x + y * y + z * z;
    if (!(n2 > 0 && n2 < Infinity)) throw new FilterParameterError(`${this.name}.setQuat: need a finite non-zero quaternion, got [${w}, ${x}, ${y}, ${z}]`);
    this.readOutput(q);
    this.initialised = true;
    this.magInitialised = this.useMag;
    this.reinitPending = false;
    this.flagsData.initialising = false;
  }

  getState(): AhrsState {
    return {
      filter: this.name,
      quat: Array.from(this.q),
      frame: this.nwuInternal ? 'NWU' : 'ENU',
      biasRadS: Array.from(this.bias),
      initialised: this.initialised,
      magInitialised: this.magInitialised,
      reinitPending: this.reinitPending,
      lastTS: Number.isNaN(this.clock[0]!) ? null : this.clock[0]!,
      flags: { ...this.flagsData },
      inputReport: { ...this.report },
    };
  }

  setState(state: AhrsState): void {
    if (state === null || typeof state !== 'object') throw new FilterStateError(`${this.name}.setState: not a state object`);
    if (state.filter !== this.name) throw new FilterStateError(`${this.name}.setState: state of filter '${String(state.filter)}'`);
    const frame = this.nwuInternal ? 'NWU' : 'ENU';
    if (state.frame !== frame) throw new FilterStateError(`${this.name}.setState: quat must be in the ${frame} frame, got '${String(state.frame)}'`);
    const q = state.quat;
    if (!Array.isArray(q) || q.length !== 4 || !q.every((v) => Number.isFinite(v))) {
      throw new FilterStateError(`${this.name}.setState: quat must be 4 finite numbers`);
    }
    const n = Math.sqrt(q[0]! * q[0]! + q[1]! * q[1]! + q[2]! * q[2]! + q[3]! * q[3]!);
    if (Math.abs(n - 1) > 1e-6) throw new FilterStateError(`${this.name}.setState: quat must be a unit quaternion (norm ${n})`);
    const b = state.biasRadS;
    if (!Array.isArray(b) || b.length !== 3 || !b.every((v) => Number.isFinite(v))) {
      throw new FilterStateError(`${this.name}.setState: biasRadS must be 3 finite numbers`);
    }
    if (state.lastTS !== null && !Number.isFinite(state.lastTS)) throw new FilterStateError(`${this.name}.setState: lastTS must be finite or null`);
    this.q.set(q);
    // Our own states are unit to rounding and stay bit-exact; anything further off is normalised.
    if (Math.abs(n - 1) > 1e-12) quat.normalize(this.q, this.q);
    this.bias.set(b);
    this.initialised = state.initialised === true;
    this.magInitialised = state.magInitialised === true;
    this.reinitPending = state.reinitPending === true;
    this.clock[0] = state.lastTS === null ? NaN : state.lastTS;
    Object.assign(this.flagsData, pickFlags(state.flags));
    Object.assign(this.report, pickReport(state.inputReport));
  }

  reset(): void {
    quat.identity(this.q);
    this.bias.set(this.initialBias);
    this.initialised = false;
    this.magInitialised = false;
    this.reinitPending = false;
    this.clock[0] = NaN;
    this.flagsData.initialising = true;
    this.flagsData.resting = false;
    this.flagsData.accRejected = false;
    this.flagsData.magDisturbed = false;
    this.flagsData.magUsed = false;
    this.report.badGyr = 0;
    this.report.badAcc = 0;
    this.report.badMag = 0;
    this.report.badDt = 0;
    this.report.saturated = 0;
    this.report.gaps = 0;
  }

  /**
   * One sample: gyroscope, accelerometer and magnetometer (when given) at `src[k..k+2]` of
   * their arrays, time step in `io[DT]`. Copies what it uses into `io`. No allocation.
   */
  private ingest(gyr: ArrayLike<number>, acc: ArrayLike<number>, mag: ArrayLike<number> | undefined, k: number, sat: number): void {
    const io = this.io;
    const report = this.report;
    const dtS = io[DT]!;
    // Comparisons are false for NaN, so these also catch NaN time steps.
    if (!(dtS > 0 && dtS < Infinity)) {
      report.badDt++;
      return;
    }
    const gx = gyr[k]!, gy = gyr[k + 1]!, gz = gyr[k + 2]!;
    // x·0 is 0 for every finite x and NaN for ±∞ and NaN: one test for all three.
    if (gx * 0 + gy * 0 + gz * 0 !== 0) {
      report.badGyr++;
      return;
    }
    if ((sat & (SAT_ACC | SAT_GYR)) !== 0) report.saturated++;
    const ax = acc[k]!, ay = acc[k + 1]!, az = acc[k + 2]!;
    // The squared norm is NaN/∞ for non-finite (or overflowing) values and 0 for a zero vector.
    const a2 = ax * ax + ay * ay + az * az;
    const accOk = a2 > 0 && a2 < Infinity;
    if (!accOk) report.badAcc++;
    const useAcc = accOk && (sat & SAT_ACC) === 0;
    let useMag = false;
    let m2 = 0;
    if (mag !== undefined && this.useMag) {
      const mx = mag[k]!, my = mag[k + 1]!, mz = mag[k + 2]!;
      m2 = mx * mx + my * my + mz * mz;
      if (m2 > MAG2_MIN && m2 < MAG2_MAX) {
        useMag = (sat & SAT_MAG) === 0;
        io[M0] = mx;
        io[M0 + 1] = my;
        io[M0 + 2] = mz;
      } else report.badMag++;
    }
    const flags = this.flagsData;
    flags.accRejected = !useAcc;
    flags.magUsed = useMag && useAcc;
    if (dtS >= this.reinitAfterGapS) {
      this.reinitPending = true;
      report.gaps++;
    }
    if (useAcc) {
      const na = Math.sqrt(a2);
      let ia: number;
      // With a magnetometer: 1/|a| and 1/|m|² from a single division when |a|·|m|² is safely
      // inside the double range (always, for physical readings).
      const d = useMag ? na * m2 : 0;
      if (d > 1e-280 && d < 1e280) {
        const r = 1 / d;
        ia = m2 * r;
        io[MS] = na * r;
      } else {
        ia = 1 / na;
        if (useMag) io[MS] = 1 / m2;
      }
      io[A0] = ax * ia;
      io[A0 + 1] = ay * ia;
      io[A0 + 2] = az * ia;
    }

    const needInit = !this.initialised || this.reinitPending;
    if (needInit || (useMag && useAcc && !this.magInitialised)) {
      if (useAcc) {
        if (useMag && this.initialiseFull()) return;
        if (needInit) {
          this.initialiseTilt();
          return;
        }
      } else if (this.reinitPending) {
        // Nothing to set the orientation from after a gap: hold it.
        return;
      }
    }
    const b = this.bias;
    io[G0] = gx - b[0]!;
    io[G0 + 1] = gy - b[1]!;
    io[G0 + 2] = gz - b[2]!;
    this.step(useAcc, useMag && useAcc, (sat & SAT_GYR) !== 0);
  }

  /** Orientation from gravity and the magnetic field (sensor frame, from `io`). False when they are parallel. */
  private initialiseFull(): boolean {
    const io = this.io;
    const ax = io[A0]!, ay = io[A0 + 1]!, az = io[A0 + 2]!;
    const im = Math.sqrt(io[MS]!);
    const mx = io[M0]! * im, my = io[M0 + 1]! * im, mz = io[M0 + 2]! * im;
    // Rows of R_GS are the global axes in sensor coordinates: up = a, east = m × up, north = up × east.
    let ex = my * az - mz * ay, ey = mz * ax - mx * az, ez = mx * ay - my * ax;
    const en = Math.sqrt(ex * ex + ey * ey + ez * ez);
    if (!(en > 1e-6)) return false;
    ex /= en;
    ey /= en;
    ez /= en;
    const nx = ay * ez - az * ey, ny = az * ex - ax * ez, nz = ax * ey - ay * ex;
    mat3.set(this.tmpM, ex, ey, ez, nx, ny, nz, ax, ay, az);
    this.readOutput(mat3.toQuat(this.tmpQ, this.tmpM));
    this.initialised = true;
    this.magInitialised = true;
    this.reinitPending = false;
    this.flagsData.initialising = false;
    return true;
  }

  /**
   * Inclination from gravity (unit vector, sensor frame). At start-up: the shortest rotation
   * taking it to z (heading arbitrary). After a gap: the smallest correction of the current
   * orientation that levels it, so the heading is kept.
   */
  private initialiseTilt(): void {
    const a = this.tmpV;
    a[0] = this.io[A0]!;
    a[1] = this.io[A0 + 1]!;
    a[2] = this.io[A0 + 2]!;
    if (!this.initialised) {
      this.tmpV2[0] = 0;
      this.tmpV2[1] = 0;
      this.tmpV2[2] = 1;
      this.readOutput(quat.fromTwoVectors(this.tmpQ, a, this.tmpV2));
    } else {
      // Current "up" in the sensor frame, then q ← q ⊗ c with c taking the measured up onto it.
      const q = this.getQuat(this.tmpQ);
      this.tmpV2[0] = 0;
      this.tmpV2[1] = 0;
      this.tmpV2[2] = 1;
      const up = quat.rotateInverse(this.tmpV2, q, this.tmpV2);
      const c = quat.fromTwoVectors(this.tmpQ2, a, up);
      this.readOutput(quat.normalize(q, quat.multiply(q, q, c)));
    }
    this.initialised = true;
    this.reinitPending = false;
    this.flagsData.initialising = false;
  }

  /** Write the orientation in the output frame at `out[k..k+3]`. */
  private writeOutput(out: Float64Array, k: number): void {
    const q = this.q;
    if (this.nwuInternal) {
      // q_ENU = q_z(+90°) ⊗ q_NWU: NWU x (north) is ENU y, NWU y (west) is ENU −x.
      const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
      out[k] = SQRT_HALF * (w - z);
      out[k + 1] = SQRT_HALF * (x - y);
      out[k + 2] = SQRT_HALF * (x + y);
      out[k + 3] = SQRT_HALF * (w + z);
    } else {
      out[k] = q[0]!;
      out[k + 1] = q[1]!;
      out[k + 2] = q[2]!;
      out[k + 3] = q[3]!;
    }
  }

  /** Set the working orientation from one in the output frame (normalised). */
  private readOutput(src: ArrayLike<number>): void {
    const q = this.q;
    const w = src[0]!, x = src[1]!, y = src[2]!, z = src[3]!;
    if (this.nwuInternal) {
      // q_NWU = q_z(−90°) ⊗ q_ENU
      q[0] = SQRT_HALF * (w + z);
      q[1] = SQRT_HALF * (x + y);
      q[2] = SQRT_HALF * (y - x);
      q[3] = SQRT_HALF * (z - w);
    } else {
      q[0] = w;
      q[1] = x;
      q[2] = y;
      q[3] = z;
    }
    quat.normalize(q, q);
  }
}

/**
 * Polynomial 1/√(1 + ε) for the per-sample renormalisation, valid for |ε| < {@link SERIES_EPS}.
 * After one filter step |q|² = 1 + ε with tiny ε, and the series 1 − ε/2 + 3ε²/8 − 5ε³/16
 * (relative error < 3·10⁻¹³ there, and it does not accumulate: the next step's ε includes
 * it) keeps a square root and a division off the chain of operations each sample depends
 * on. Callers inline it (Estrin form: the halves evaluate in parallel) and fall back to
 * {@link normalizeFrom} outside the range.
 *   s = (1 − 0.5ε) + ε²·(0.375 − 0.3125ε)
 */
export const SERIES_EPS = 1e-3;

/**
 * Exact normalisation of the quaternion at `src[k..k+3]` into `out`: the rare path (large
 * steps). A quaternion whose squared norm overflowed (huge but finite rates) is rescaled
 * first; one that is zero or not finite leaves `out` unchanged — the previous orientation is
 * kept rather than NaN. Takes arrays, not numbers: a call V8 does not inline would box every
 * double argument.
 */
export function normalizeFrom(out: Quat, src: Float64Array, k: number): void {
  let w = src[k]!, x = src[k + 1]!, y = src[k + 2]!, z = src[k + 3]!;
  let n2 = (w * w + x * x) + (y * y + z * z);
  if (!(n2 > 0 && n2 < Infinity)) {
    const m = Math.max(Math.abs(w), Math.abs(x), Math.abs(y), Math.abs(z));
    if (!(m > 0 && m < Infinity)) return;
    w /= m;
    x /= m;
    y /= m;
    z /= m;
    n2 = (w * w + x * x) + (y * y + z * z);
  }
  const s = 1 / Math.sqrt(n2);
  out[0] = w * s;
  out[1] = x * s;
  out[2] = y * s;
  out[3] = z * s;
}

function pickFlags(f: FusionFlags | undefined): FusionFlags {
  const g = f ?? ({} as Partial<FusionFlags>);
  return {
    initialising: g.initialising === true,
    resting: g.resting === true,
    accRejected: g.accRejected === true,
    magDisturbed: g.magDisturbed === true,
    magUsed: g.magUsed === true,
  };
}

function pickReport(r: FusionInputReport | undefined): FusionInputReport {
  const count = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  const g = r ?? ({} as Partial<FusionInputReport>);
  return { badGyr: count(g.badGyr), badAcc: count(g.badAcc), badMag: count(g.badMag), badDt: count(g.badDt), saturated: count(g.saturated), gaps: count(g.gaps) };
}
