/**
 * Second-order Butterworth low-pass filter (the filter VQF uses for its accelerometer path):
 * coefficients by the bilinear transform with frequency prewarping, a streaming
 * multi-channel filter ({@link LowPass2}) in Direct Form II transposed, and zero-phase
 * offline filtering ({@link filtfiltInPlace}).
 *
 * Difference equation, a0 = 1: y[n] = b0 x[n] + b1 x[n−1] + b2 x[n−2] − a1 y[n−1] − a2 y[n−2].
 */
import { FilterParameterError, LengthMismatchError, NonFiniteInputError } from './errors';

/** Biquad coefficients with a0 normalised to 1. */
export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function checkRate(rateHz: number): void {
  if (!(rateHz > 0) || !Number.isFinite(rateHz)) {
    throw new FilterParameterError(`rateHz must be a positive finite number, got ${rateHz}`);
  }
}

function checkCutoff(cutoffHz: number, rateHz: number): void {
  checkRate(rateHz);
  if (!(cutoffHz > 0) || !(cutoffHz < 0.5 * rateHz)) {
    throw new FilterParameterError(
      `cutoffHz must be in (0, Nyquist = ${0.5 * rateHz} Hz) for rateHz ${rateHz}, got ${cutoffHz}`,
    );
  }
}

function checkChannels(channels: number): void {
  if (!Number.isInteger(channels) || channels < 1) {
    throw new FilterParameterError(`channels must be a positive integer, got ${channels}`);
  }
}

/**
 * 2nd-order Butterworth low-pass coefficients for `cutoffHz` at sampling rate `rateHz`.
 * Bilinear transform of H(s) = 1/(s² + √2 s + 1) with the analog cutoff prewarped,
 * K = tan(π·cutoff/rate), so the digital response is exactly −3 dB at `cutoffHz`.
 * Throws {@link FilterParameterError} unless 0 < cutoffHz < rateHz/2. Writes into `out`
 * when given (no allocation), else returns a new object.
 */
export function butterworthLowPass2(cutoffHz: number, rateHz: number, out?: BiquadCoefficients): BiquadCoefficients {
  checkCutoff(cutoffHz, rateHz);
  const k = Math.tan((Math.PI * cutoffHz) / rateHz);
  const k2 = k * k;
  const norm = 1 / (1 + Math.SQRT2 * k + k2);
  const a1 = 2 * (k2 - 1) * norm;
  const a2 = (1 - Math.SQRT2 * k + k2) * norm;
  // Mathematically b0 = K²·norm = (1 + a1 + a2)/4. Taking it from the rounded a1, a2 makes the
  // DC gain Σb/(1 + a1 + a2) exactly 1 for the coefficients actually used: for low cutoffs
  // 1 + a1 + a2 is a tiny difference (computed exactly, by Sterbenz), and K²·norm would
  // disagree with it in relative terms by ~1e-16/K².
  const b0 = (1 + a1 + a2) / 4;
  const c = out ?? { b0: 0, b1: 0, b2: 0, a1: 0, a2: 0 };
  c.b0 = b0;
  c.b1 = 2 * b0;
  c.b2 = b0;
  c.a1 = a1;
  c.a2 = a2;
  return c;
}

/** Magnitude |H(e^{jω})| of a biquad at `freqHz` (ω = 2π·freq/rate). */
export function biquadMagnitude(c: BiquadCoefficients, freqHz: number, rateHz: number): number {
  const w = (2 * Math.PI * freqHz) / rateHz;
  const c1 = Math.cos(w), s1 = Math.sin(w), c2 = Math.cos(2 * w), s2 = Math.sin(2 * w);
  const nr = c.b0 + c.b1 * c1 + c.b2 * c2, ni = -(c.b1 * s1 + c.b2 * s2);
  const dr = 1 + c.a1 * c1 + c.a2 * c2, di = -(c.a1 * s1 + c.a2 * s2);
  return Math.hypot(nr, ni) / Math.hypot(dr, di);
}

/** Plain-data state of a {@link LowPass2} (serialisable; restore with `setState`). */
export interface LowPass2State {
  /** False until the first sample has set the steady state. */
  initialised: boolean;
  /** First DF-II-T memory per channel. */
  s1: number[];
  /** Second DF-II-T memory per channel. */
  s2: number[];
}

/**
 * Streaming 2nd-order Butterworth low-pass over `channels` interleaved channels, Direct
 * Form II transposed, allocation-free per sample. The first sample after construction or
 * {@link reset} initialises the memories to the steady state for that input, so a constant
 * signal passes unchanged from the first sample (no start-up transient towards zero).
 */
export class LowPass2 {
  readonly channels: number;
  private cutoffHzValue: number;
  private rateHzValue: number;
  private readonly c: BiquadCoefficients = { b0: 0, b1: 0, b2: 0, a1: 0, a2: 0 };
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  private initialised = false;

  constructor(cutoffHz: number, rateHz: number, channels = 1) {
    checkChannels(channels);
    butterworthLowPass2(cutoffHz, rateHz, this.c);
    this.cutoffHzValue = cutoffHz;
    this.rateHzValue = rateHz;
    this.channels = channels;
    this.s1 = new Float64Array(channels);
    this.s2 = new Float64Array(channels);
  }

  get cutoffHz(): number {
    return this.cutoffHzValue;
  }

  get rateHz(): number {
    return this.rateHzValue;
  }

  /** Current coefficients (a copy). */
  getCoefficients(): BiquadCoefficients {
    return { ...this.c };
  }

  /**
   * Filter one multi-channel sample: out[ch] = filtered x[ch] for ch < channels. `out` may
   * alias `x`. Throws {@link NonFiniteInputError} (before touching any state) for NaN/∞.
   */
  step(out: Float64Array, x: ArrayLike<number>): Float64Array {
    const n = this.channels;
    for (let ch = 0; ch < n; ch++) {
      if (!Number.isFinite(x[ch]!)) throw new NonFiniteInputError('x', x[ch]!, ch);
    }
    this.run(out, x, 0, n);
    return out;
  }

  /**
   * Filter `data.length / channels` consecutive interleaved samples into `out` (may alias
   * `data`). Equivalent to calling {@link step} on each sample in turn.
   */
  filterInterleaved(out: Float64Array, data: ArrayLike<number>): Float64Array {
    const n = this.channels;
    if (data.length % n !== 0) throw new LengthMismatchError('LowPass2.filterInterleaved data', `a multiple of ${n}`, data.length);
    if (out.length < data.length) throw new LengthMismatchError('LowPass2.filterInterleaved out', `at least ${data.length}`, out.length);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) throw new NonFiniteInputError('data', data[i]!, i);
    }
    for (let k = 0; k < data.length; k += n) this.run(out, data, k, n);
    return out;
  }

  private run(out: Float64Array, x: ArrayLike<number>, offset: number, n: number): void {
    const { b0, b1, b2, a1, a2 } = this.c;
    const s1 = this.s1, s2 = this.s2;
    if (!this.initialised) {
      for (let ch = 0; ch < n; ch++) {
        const v = x[offset + ch]!;
        // Memories after (and before) a step whose input and output both equal v.
        s2[ch] = (b2 - a2) * v;
        s1[ch] = (b1 - a1) * v + s2[ch]!;
        out[offset + ch] = v;
      }
      this.initialised = true;
      return;
    }
    for (let ch = 0; ch < n; ch++) {
      const v = x[offset + ch]!;
      const y = b0 * v + s1[ch]!;
      s1[ch] = b1 * v - a1 * y + s2[ch]!;
      s2[ch] = b2 * v - a2 * y;
      out[offset + ch] = y;
    }
  }

  /** Forget the signal: the next sample re-initialises the steady state. Coefficients stay. */
  reset(): void {
    this.s1.fill(0);
    this.s2.fill(0);
    this.initialised = false;
  }

  getState(): LowPass2State {
    return { initialised: this.initialised, s1: Array.from(this.s1), s2: Array.from(this.s2) };
  }

  setState(state: LowPass2State): void {
    if (state.s1.length !== this.channels || state.s2.length !== this.channels) {
      throw new LengthMismatchError('LowPass2.setState', this.channels, Math.min(state.s1.length, state.s2.length));
    }
    for (let ch = 0; ch < this.channels; ch++) {
      if (!Number.isFinite(state.s1[ch]!)) throw new NonFiniteInputError('state.s1', state.s1[ch]!, ch);
      if (!Number.isFinite(state.s2[ch]!)) throw new NonFiniteInputError('state.s2', state.s2[ch]!, ch);
    }
    this.s1.set(state.s1);
    this.s2.set(state.s2);
    this.initialised = state.initialised;
  }

  /**
   * Change the sampling rate (e.g. a measured rather than nominal rate) keeping the cutoff in
   * Hz and the filter memories; throws {@link FilterParameterError} if the cutoff would no
   * longer be below Nyquist (nothing is changed then).
   */
  setRate(rateHz: number): void {
    butterworthLowPass2(this.cutoffHzValue, rateHz, this.c);
    this.rateHzValue = rateHz;
  }

  /** Change the cutoff keeping the rate and the filter memories. */
  setCutoff(cutoffHz: number): void {
    butterworthLowPass2(cutoffHz, this.rateHzValue, this.c);
    this.cutoffHzValue = cutoffHz;
  }
}

/**
 * Zero-phase offline filtering ("filtfilt"): the 2nd-order Butterworth low-pass run forwards,
 * then backwards, over each channel of interleaved `data` (n samples × `channels`), in place.
 * The magnitude response is |H|² (−6 dB at `cutoffHz`), the phase is zero.
 *
 * Edges: each end is extended by an odd reflection about the end sample (2·x₀ − x_r), of
 * `min(n − 1, max(9, ⌈rateHz / cutoffHz⌉))` samples (one cutoff period, at least scipy's 9),
 * and each pass starts from the steady state for the straight line through its padded
 * start (value of the first padded sample, mean slope across the pad to the end sample). So a constant or a
 * straight line passes unchanged (to rounding) and a smooth signal has no start-up
 * transient worth the name. Allocates one scratch array of the pad length. Returns `data`.
 */
export function filtfiltInPlace(data: Float64Array, channels: number, cutoffHz: number, rateHz: number): Float64Array {
  checkChannels(channels);
  const c = butterworthLowPass2(cutoffHz, rateHz);
  if (data.length % channels !== 0) throw new LengthMismatchError('filtfiltInPlace data', `a multiple of ${channels}`, data.length);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw new NonFiniteInputError('data', data[i]!, i);
  }
  const n = data.length / channels;
  if (n === 0) return data;
  const pad = Math.min(n - 1, Math.max(9, Math.ceil(rateHz / cutoffHz)));
  const tail = new Float64Array(pad);
  const { b0, b1, b2, a1, a2 } = c;
  const C = channels;
  // DC group delay (samples) of the biquad: a line u[n] = p + g·n comes out as u[n] − g·delay.
  const delay = 1 - (a1 + 2 * a2) / (1 + a1 + a2);
  let s1 = 0, s2 = 0;
  /** Memories after the virtual samples n = −2, −1 of the line through (0, p) with slope g. */
  const initLine = (p: number, g: number): void => {
    const u1 = p - g, u2 = p - 2 * g;
    const y1 = u1 - g * delay, y2 = u2 - g * delay;
    s2 = b2 * u1 - a2 * y1;
    s1 = b1 * u1 - a1 * y1 + (b2 * u2 - a2 * y2);
  };
  for (let ch = 0; ch < C; ch++) {
    const x0 = data[ch]!;
    const xe = data[(n - 1) * C + ch]!;
    // Post-pad inputs, saved before the forward pass overwrites the samples they reflect.
    for (let i = 0; i < pad; i++) tail[i] = 2 * xe - data[(n - 2 - i) * C + ch]!;

    // Forward pass over pre-pad (outputs discarded), data (in place), post-pad (kept in tail).
    let u: number;
    // Line through the padded start with the pad's mean slope (reflection keeps slopes).
    if (pad > 0) initLine(2 * x0 - data[pad * C + ch]!, (data[pad * C + ch]! - x0) / pad);
    else initLine(x0, 0);
    for (let r = pad; r >= 1; r--) {
      u = 2 * x0 - data[r * C + ch]!;
      const y = b0 * u + s1;
      s1 = b1 * u - a1 * y + s2;
      s2 = b2 * u - a2 * y;
    }
    for (let i = 0; i < n; i++) {
      const k = i * C + ch;
      u = data[k]!;
      const y = b0 * u + s1;
      s1 = b1 * u - a1 * y + s2;
      s2 = b2 * u - a2 * y;
      data[k] = y;
    }
    for (let i = 0; i < pad; i++) {
      u = tail[i]!;
      const y = b0 * u + s1;
      s1 = b1 * u - a1 * y + s2;
      s2 = b2 * u - a2 * y;
      tail[i] = y;
    }

    // Backward pass over the forward-filtered post-pad (discarded), then the data.
    // Backwards, the pad runs from tail[pad − 1] to the forward output at the last sample.
    if (pad > 0) initLine(tail[pad - 1]!, (data[(n - 1) * C + ch]! - tail[pad - 1]!) / pad);
    else initLine(data[(n - 1) * C + ch]!, 0);
    for (let i = pad - 1; i >= 0; i--) {
      u = tail[i]!;
      const y = b0 * u + s1;
      s1 = b1 * u - a1 * y + s2;
      s2 = b2 * u - a2 * y;
    }
    for (let i = n - 1; i >= 0; i--) {
      const k = i * C + ch;
      u = data[k]!;
      const y = b0 * u + s1;
      s1 = b1 * u - a1 * y + s2;
      s2 = b2 * u - a2 * y;
      data[k] = y;
    }
  }
  return data;
}
