/**
 * Scalar trajectories: a value (an angle in rad, or a position coordinate in m) as an analytic
 * function of time, evaluated together with its first and second time derivatives. The
 * simulator builds gyroscope and accelerometer truth from these derivatives directly, never
 * by differencing samples, which is what makes its truth exact.
 *
 * `evaluate(tS, out)` writes `[value, d/dt, d²/dt²]` into `out[0..2]` and returns `out`
 * (rad, rad/s, rad/s² for angles; m, m/s, m/s² for positions). No allocation per call.
 */
import { SimInputError, requireFinite, requireNonNegative, requirePositive } from './sim-error';

export interface Trajectory1 {
  /** Write [value, first derivative, second derivative] at time `tS` (s) into out[0..2]. */
  evaluate(tS: number, out: Float64Array): Float64Array;
}

/** Minimum-jerk profile s(τ) = 10τ³ − 15τ⁴ + 6τ⁵ on τ ∈ [0, 1] with ds/dτ and d²s/dτ². */
export function minimumJerkProfile(tau: number, out: Float64Array): Float64Array {
  if (tau <= 0) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
  } else if (tau >= 1) {
    out[0] = 1;
    out[1] = 0;
    out[2] = 0;
  } else {
    const t2 = tau * tau;
    out[0] = t2 * tau * (10 + tau * (-15 + 6 * tau));
    out[1] = 30 * t2 * (1 + tau * (-2 + tau));
    out[2] = 60 * tau * (1 + tau * (-3 + 2 * tau));
  }
  return out;
}

/** A constant value; both derivatives are zero. */
export class ConstantTrajectory implements Trajectory1 {
  readonly value: number;
  constructor(value: number) {
    this.value = requireFinite('ConstantTrajectory value', value);
  }
  evaluate(_tS: number, out: Float64Array): Float64Array {
    out[0] = this.value;
    out[1] = 0;
    out[2] = 0;
    return out;
  }
}

export interface RampParams {
  /** Value at `t0S` (rad or m). Default 0. */
  value0?: number;
  /** Constant rate of change (rad/s or m/s). */
  ratePerS: number;
  /** Reference time, s. Default 0. */
  t0S?: number;
}

/** Constant-rate change: value0 + rate·(t − t0). A hinge driven by it spins at constant ω. */
export class RampTrajectory implements Trajectory1 {
  readonly value0: number;
  readonly ratePerS: number;
  readonly t0S: number;
  constructor(p: RampParams) {
    this.value0 = requireFinite('RampTrajectory value0', p.value0 ?? 0);
    this.ratePerS = requireFinite('RampTrajectory ratePerS', p.ratePerS);
    this.t0S = requireFinite('RampTrajectory t0S', p.t0S ?? 0);
  }
  evaluate(tS: number, out: Float64Array): Float64Array {
    out[0] = this.value0 + this.ratePerS * (tS - this.t0S);
    out[1] = this.ratePerS;
    out[2] = 0;
    return out;
  }
}

export interface MinimumJerkParams {
  /** Value held before the move (rad or m). */
  from: number;
  /** Value held after the move. */
  to: number;
  /** Start of the move, s. Default 0. */
  startS?: number;
  /** Duration of the move, s (> 0). */
  durationS: number;
}

/**
 * Point-to-point minimum-jerk move (Flash & Hogan): holds `from` until `startS`, moves with
 * zero velocity and acceleration at both ends, holds `to` afterwards. C² everywhere.
 */
export class MinimumJerkTrajectory implements Trajectory1 {
  readonly from: number;
  readonly to: number;
  readonly startS: number;
  readonly durationS: number;
  private readonly s = new Float64Array(3);
  constructor(p: MinimumJerkParams) {
    this.from = requireFinite('MinimumJerkTrajectory from', p.from);
    this.to = requireFinite('MinimumJerkTrajectory to', p.to);
    this.startS = requireFinite('MinimumJerkTrajectory startS', p.startS ?? 0);
    this.durationS = requirePositive('MinimumJerkTrajectory durationS', p.durationS);
  }
  evaluate(tS: number, out: Float64Array): Float64Array {
    const T = this.durationS;
    const d = this.to - this.from;
    const s = minimumJerkProfile((tS - this.startS) / T, this.s);
    out[0] = this.from + d * s[0]!;
    out[1] = (d * s[1]!) / T;
    out[2] = (d * s[2]!) / (T * T);
    return out;
  }
}

export interface SinusoidParams {
  /** Peak deviation from `offset` (rad or m). */
  amplitude: number;
  /** Frequency, Hz (≥ 0). */
  frequencyHz: number;
  /** Phase at t = 0, rad. Default 0. */
  phaseRad?: number;
  /** Mean value. Default 0. */
  offset?: number;
}

/** offset + amplitude · sin(2π f t + phase). */
export class SinusoidTrajectory implements Trajectory1 {
  readonly amplitude: number;
  readonly frequencyHz: number;
  readonly phaseRad: number;
  readonly offset: number;
  constructor(p: SinusoidParams) {
    this.amplitude = requireFinite('SinusoidTrajectory amplitude', p.amplitude);
    this.frequencyHz = requireNonNegative('SinusoidTrajectory frequencyHz', p.frequencyHz);
    this.phaseRad = requireFinite('SinusoidTrajectory phaseRad', p.phaseRad ?? 0);
    this.offset = requireFinite('SinusoidTrajectory offset', p.offset ?? 0);
  }
  evaluate(tS: number, out: Float64Array): Float64Array {
    const w = 2 * Math.PI * this.frequencyHz;
    const ph = w * tS + this.phaseRad;
    const s = Math.sin(ph);
    out[0] = this.offset + this.amplitude * s;
    out[1] = this.amplitude * w * Math.cos(ph);
    out[2] = -this.amplitude * w * w * s;
    return out;
  }
}

/** Sum of trajectories (values and derivatives add). */
export class SumTrajectory implements Trajectory1 {
  readonly parts: readonly Trajectory1[];
  private readonly tmp = new Float64Array(3);
  constructor(parts: readonly Trajectory1[]) {
    if (!Array.isArray(parts) || parts.length === 0) throw new SimInputError('SumTrajectory needs at least one part');
    this.parts = parts.slice();
  }
  evaluate(tS: number, out: Float64Array): Float64Array {
    let v = 0, d = 0, dd = 0;
    const tmp = this.tmp;
    for (const p of this.parts) {
      p.evaluate(tS, tmp);
      v += tmp[0]!;
      d += tmp[1]!;
      dd += tmp[2]!;
    }
    out[0] = v;
    out[1] = d;
    out[2] = dd;
    return out;
  }
}

/** gain · base(t) + offset — e.g. one rep profile driving several DoFs, or degrees → rad. */
export class AffineTrajectory implements Trajectory1 {
  readonly base: Trajectory1;
  readonly gain: number;
  readonly offset: number;
  constructor(base: Trajectory1, gain = 1, offset = 0) {
    this.base = base;
    this.gain = requireFinite('AffineTrajectory gain', gain);
    this.offset = requireFinite('AffineTrajectory offset', offset);
  }
  evaluate(tS: number, out: Float64Array): Float64Array {
    this.base.evaluate(tS, out);
    out[0] = this.gain * out[0]! + this.offset;
    out[1] = this.gain * out[1]!;
    out[2] = this.gain * out[2]!;
    return out;
  }
}

/**
 * base(t) · w(t), where the weight w rises from 0 to 1 along a minimum-jerk profile over
 * [startS, startS + rampS]: a motion that starts smoothly (C²) after a still period — e.g. a
 * static lead-in so that a fusion filter can initialise.
 */
export class FadeInTrajectory implements Trajectory1 {
  readonly base: Trajectory1;
  readonly startS: number;
  readonly rampS: number;
  private readonly w = new Float64Array(3);
  constructor(base: Trajectory1, startS: number, rampS: number) {
    this.base = base;
    this.startS = requireFinite('FadeInTrajectory startS', startS);
    this.rampS = requirePositive('FadeInTrajectory rampS', rampS);
  }
  evaluate(tS: number, out: Float64Array): Float64Array {
    const T = this.rampS;
    const w = minimumJerkProfile((tS - this.startS) / T, this.w);
    const w0 = w[0]!, w1 = w[1]! / T, w2 = w[2]! / (T * T);
    if (w0 === 0 && w1 === 0 && w2 === 0) {
      out[0] = 0;
      out[1] = 0;
      out[2] = 0;
      return out;
    }
    this.base.evaluate(tS, out);
    const b0 = out[0]!, b1 = out[1]!, b2 = out[2]!;
    out[0] = b0 * w0;
    out[1] = b1 * w0 + b0 * w1;
    out[2] = b2 * w0 + 2 * b1 * w1 + b0 * w2;
    return out;
  }
}
