/**
 * Angle helpers: unit conversion, wrapping into a principal range, and unwrapping of angle
 * series that jump by a full turn (e.g. heading or Euler angles crossing ±180°).
 * Non-finite input throws {@link NonFiniteInputError} rather than yielding NaN.
 */
import { NonFiniteInputError, ParameterRangeError } from './errors';

const TWO_PI = 2 * Math.PI;
const RAD_PER_DEG = Math.PI / 180;
const DEG_PER_RAD = 180 / Math.PI;

export function degToRad(angleDeg: number): number {
  return angleDeg * RAD_PER_DEG;
}

export function radToDeg(angleRad: number): number {
  return angleRad * DEG_PER_RAD;
}

/** Wrap into (−π, π]. Values already in range are returned unchanged (bit for bit). */
export function wrapPi(angleRad: number): number {
  if (angleRad > -Math.PI && angleRad <= Math.PI) return angleRad;
  if (!Number.isFinite(angleRad)) throw new NonFiniteInputError('angleRad', angleRad);
  // `%` is exact (no rounding in the remainder itself), so even huge inputs land in range.
  const r = angleRad % TWO_PI;
  return r <= -Math.PI ? r + TWO_PI : r > Math.PI ? r - TWO_PI : r;
}

/** Wrap into [0, 2π). Values already in range are returned unchanged. */
export function wrap2Pi(angleRad: number): number {
  if (angleRad >= 0 && angleRad < TWO_PI) return angleRad;
  if (!Number.isFinite(angleRad)) throw new NonFiniteInputError('angleRad', angleRad);
  const r = angleRad % TWO_PI;
  if (r >= 0) return r;
  // A tiny negative remainder plus 2π rounds to exactly 2π, which is the same angle as 0.
  const p = r + TWO_PI;
  return p >= TWO_PI ? 0 : p;
}

/** Wrap degrees into (−180, 180]. */
export function wrap180Deg(angleDeg: number): number {
  if (angleDeg > -180 && angleDeg <= 180) return angleDeg;
  if (!Number.isFinite(angleDeg)) throw new NonFiniteInputError('angleDeg', angleDeg);
  const r = angleDeg % 360;
  return r <= -180 ? r + 360 : r > 180 ? r - 360 : r;
}

/** Signed smallest difference a − b, wrapped into (−π, π]. */
export function diffRad(aRad: number, bRad: number): number {
  return wrapPi(aRad - bRad);
}

function checkPeriod(periodRad: number): void {
  if (!(periodRad > 0) || !Number.isFinite(periodRad)) {
    throw new ParameterRangeError(`periodRad must be a positive finite number, got ${periodRad}`);
  }
}

/**
 * Remove jumps of whole periods in place: wherever consecutive samples differ by more than
 * half a period, shift all later samples by the multiple of `periodRad` that makes the step
 * smallest. The first sample is kept; every output differs from its input by an exact
 * integer number of periods (offsets are added, not differences accumulated, so no drift).
 * Use `periodRad = π` for axial data such as orientation of a line. Returns `angles`.
 */
export function unwrapInPlace(angles: Float64Array, periodRad = TWO_PI): Float64Array {
  checkPeriod(periodRad);
  const half = 0.5 * periodRad;
  let offset = 0;
  let prev = 0;
  for (let i = 0; i < angles.length; i++) {
    const raw = angles[i]!;
    if (!Number.isFinite(raw)) throw new NonFiniteInputError('angles', raw, i);
    let v = raw + offset;
    if (i > 0) {
      const d = v - prev;
      if (d > half || d < -half) {
        offset -= periodRad * Math.round(d / periodRad);
        v = raw + offset;
      }
    }
    angles[i] = v;
    prev = v;
  }
  return angles;
}

/** Plain-data state of an {@link Unwrapper} (serialisable; restore with `setState`). */
export interface UnwrapperState {
  /** False until the first angle has been pushed. */
  started: boolean;
  /** Last continuous output, rad. */
  prevRad: number;
  /** Multiple of the period currently added to inputs, rad. */
  offsetRad: number;
}

/**
 * Streaming counterpart of {@link unwrapInPlace}: push angles one at a time and get a
 * continuous angle back; the same rule (a step larger than half a period is a wrap).
 */
export class Unwrapper {
  readonly periodRad: number;
  private started = false;
  private prevRad = 0;
  private offsetRad = 0;

  constructor(periodRad = TWO_PI) {
    checkPeriod(periodRad);
    this.periodRad = periodRad;
  }

  /** Feed the next wrapped angle (rad); returns the continuous angle (rad). */
  push(angleRad: number): number {
    if (!Number.isFinite(angleRad)) throw new NonFiniteInputError('angleRad', angleRad);
    let v = angleRad + this.offsetRad;
    if (this.started) {
      const d = v - this.prevRad;
      if (d > 0.5 * this.periodRad || d < -0.5 * this.periodRad) {
        this.offsetRad -= this.periodRad * Math.round(d / this.periodRad);
        v = angleRad + this.offsetRad;
      }
    }
    this.started = true;
    this.prevRad = v;
    return v;
  }

  /** Forget history: the next pushed angle is returned unchanged. */
  reset(): void {
    this.started = false;
    this.prevRad = 0;
    this.offsetRad = 0;
  }

  getState(): UnwrapperState {
    return { started: this.started, prevRad: this.prevRad, offsetRad: this.offsetRad };
  }

  setState(state: UnwrapperState): void {
    this.started = state.started;
    this.prevRad = state.prevRad;
    this.offsetRad = state.offsetRad;
  }
}
