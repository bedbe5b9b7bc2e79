/**
 * The multi-channel 2nd-order Butterworth low-pass the VQF-class filter uses everywhere
 * (accelerometer in the almost-inertial frame, rest detection, field norm/dip, bias model),
 * as flat functions over `Float64Array`s so that the filter's state stays plain data.
 *
 * A filter is set by a time constant τ (s) instead of a cutoff: fc = √2 / (2π τ), the
 * Butterworth whose step response settles like a first-order filter of time constant τ.
 *
 * Start-up: the first samples, for a duration τ, are averaged (output = running mean) and the
 * filter memories are then set to the steady state for that mean, so the output depends on
 * more than a single first sample (a jolt at power-on would otherwise linger for ~τ).
 *
 * State layout for `n` channels (length {@link lowPassStateLength}): DF-II-T memories
 * s1, s2 per channel at [2i, 2i+1]; at [2n] the number of samples averaged so far (≥ 0 while
 * averaging, −1 once running); at [2n + 1 + i] the running sums.
 */
import { butterworthLowPass2 } from '../math/butterworth';

/**
 * Coefficients [b0, b1, b2, a1, a2] (a0 = 1) and, at [5], the number of start-up samples to
 * average (⌈τ/Ts⌉, at least 1), in a `Float64Array(6)` ({@link createLowPassCoefficients}).
 */
export type LowPassCoefficients = Float64Array;

export function createLowPassCoefficients(): LowPassCoefficients {
  return new Float64Array(6);
}

const scratch = { b0: 0, b1: 0, b2: 0, a1: 0, a2: 0 };

/** Cutoff frequency (Hz) of the filter with time constant `tauS`. */
export function cutoffHzFromTau(tauS: number): number {
  return Math.SQRT2 / (2 * Math.PI * tauS);
}

/**
 * Coefficients for time constant `tauS` at sample period `tsS`, into `out`. τ = 0, or a cutoff
 * at or above 0.45 × the sampling rate (nothing left to filter), gives a pass-through.
 */
export function lowPassCoefficients(out: LowPassCoefficients, tauS: number, tsS: number): LowPassCoefficients {
  const rateHz = 1 / tsS;
  // Averaging ends once count·Ts ≥ τ (the tolerance keeps τ = k·Ts at k samples).
  out[5] = Math.max(1, Math.ceil(tauS / tsS - 1e-9));
  if (!(tauS > 0) || cutoffHzFromTau(tauS) >= 0.45 * rateHz) {
    out[0] = 1;
    out[1] = 0;
    out[2] = 0;
    out[3] = 0;
    out[4] = 0;
    return out;
  }
  butterworthLowPass2(cutoffHzFromTau(tauS), rateHz, scratch);
  out[0] = scratch.b0;
  out[1] = scratch.b1;
  out[2] = scratch.b2;
  out[3] = scratch.a1;
  out[4] = scratch.a2;
  return out;
}

export function lowPassStateLength(channels: number): number {
  return 3 * channels + 1;
}

/** Back to "no sample seen" (the next samples are averaged again). */
export function resetLowPass(state: Float64Array): Float64Array {
  state.fill(0);
  return state;
}

/** True while the start-up average is still being formed. */
export function lowPassAveraging(state: Float64Array, channels: number): boolean {
  return state[2 * channels]! >= 0;
}

/** Memories of a settled filter whose input and output both equal `v`. */
function settle(state: Float64Array, i: number, c: LowPassCoefficients, v: number): void {
  const s2 = (c[2]! - c[4]!) * v;
  state[2 * i + 1] = s2;
  state[2 * i] = (c[1]! - c[3]!) * v + s2;
}

/**
 * Filter one `n`-channel sample `x[0..n)` into `out[0..n)` (may alias `x`). No allocation
 * (no number arguments either: V8 boxes doubles passed to calls it does not inline).
 */
export function lowPassStep(out: Float64Array, x: ArrayLike<number>, n: number, c: LowPassCoefficients, state: Float64Array): Float64Array {
  const countIdx = 2 * n;
  const count = state[countIdx]!;
  if (count >= 0) {
    const k = count + 1;
    state[countIdx] = k;
    for (let i = 0; i < n; i++) {
      const sum = state[countIdx + 1 + i]! + x[i]!;
      state[countIdx + 1 + i] = sum;
      out[i] = sum / k;
    }
    if (k >= c[5]!) {
      for (let i = 0; i < n; i++) settle(state, i, c, out[i]!);
      state[countIdx] = -1;
    }
    return out;
  }
  const b0 = c[0]!, b1 = c[1]!, b2 = c[2]!, a1 = c[3]!, a2 = c[4]!;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const s1 = state[2 * i]!;
    const y = b0 * v + s1;
    state[2 * i] = b1 * v - a1 * y + state[2 * i + 1]!;
    state[2 * i + 1] = b2 * v - a2 * y;
    out[i] = y;
  }
  return out;
}

/**
 * {@link lowPassStep} for 3 channels (a vector), written out: the filter runs three of these
 * per sample (accelerometer in the almost-inertial frame, both rest-detection filters), and
 * the generic loop over a channel count is not unrolled by V8. Same operations, same result.
 */
export function lowPassStep3(out: Float64Array, x: ArrayLike<number>, c: LowPassCoefficients, state: Float64Array): Float64Array {
  // While the start-up average is formed (count ≥ 0, a few hundred samples at most) the generic step does it.
  if (state[6]! >= 0) return lowPassStep(out, x, 3, c, state);
  const b0 = c[0]!, b1 = c[1]!, b2 = c[2]!, a1 = c[3]!, a2 = c[4]!;
  const x0 = x[0]!, x1 = x[1]!, x2 = x[2]!;
  const y0 = b0 * x0 + state[0]!;
  const y1 = b0 * x1 + state[2]!;
  const y2 = b0 * x2 + state[4]!;
  state[0] = b1 * x0 - a1 * y0 + state[1]!;
  state[1] = b2 * x0 - a2 * y0;
  state[2] = b1 * x1 - a1 * y1 + state[3]!;
  state[3] = b2 * x1 - a2 * y1;
  state[4] = b1 * x2 - a1 * y2 + state[5]!;
  state[5] = b2 * x2 - a2 * y2;
  out[0] = y0;
  out[1] = y1;
  out[2] = y2;
  return out;
}

/** {@link lowPassStep} for 2 channels, written out (field norm and dip; the bias model's R·b rows). */
export function lowPassStep2(out: Float64Array, x: ArrayLike<number>, c: LowPassCoefficients, state: Float64Array): Float64Array {
  if (state[4]! >= 0) return lowPassStep(out, x, 2, c, state);
  const b0 = c[0]!, b1 = c[1]!, b2 = c[2]!, a1 = c[3]!, a2 = c[4]!;
  const x0 = x[0]!, x1 = x[1]!;
  const y0 = b0 * x0 + state[0]!;
  const y1 = b0 * x1 + state[2]!;
  state[0] = b1 * x0 - a1 * y0 + state[1]!;
  state[1] = b2 * x0 - a2 * y0;
  state[2] = b1 * x1 - a1 * y1 + state[3]!;
  state[3] = b2 * x1 - a2 * y1;
  out[0] = y0;
  out[1] = y1;
  return out;
}

/**
 * After the coefficients changed from `oldC` to `newC` (a new sampling rate), re-settle the
 * memories at the level the filter currently holds (read from s1, exact in steady state), so
 * the output stays continuous; what the filter was still catching up on is a small transient.
 */
export function adaptLowPassState(state: Float64Array, n: number, oldC: LowPassCoefficients, newC: LowPassCoefficients): void {
  if (state[2 * n]! >= 0) return;
  // In steady state s1 = (b1 − a1 + b2 − a2)·v, and that sum is (1 + √2K)/D > 0 for every Butterworth.
  // A pass-through (g = 0) keeps no level: start averaging afresh instead.
  const g = oldC[1]! - oldC[3]! + oldC[2]! - oldC[4]!;
  if (g === 0) {
    resetLowPass(state);
    return;
  }
  for (let i = 0; i < n; i++) settle(state, i, newC, state[2 * i]! / g);
}
