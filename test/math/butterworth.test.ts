import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LowPass2, biquadMagnitude, butterworthLowPass2, filtfiltInPlace } from '../../src/math/butterworth';
import { FilterParameterError, NonFiniteInputError } from '../../src/math/errors';
import { NUM_RUNS, real } from './arbitraries';

const opts = { numRuns: NUM_RUNS };

/** Cutoff as a fraction of the sampling rate, anywhere in (0, ½). */
const cutoffFraction = fc.oneof(real(1e-5, 0.4999), fc.constantFrom(1e-6, 1e-3, 0.25, 0.49, 0.4999999));
const rate = fc.constantFrom(50, 100, 128, 200, 1000, 1600);

/** Least-squares amplitude and phase of a sinusoid at `freqHz` in x[from..to). */
function fitSine(x: ArrayLike<number>, step: number, ch: number, freqHz: number, rateHz: number, from: number, to: number): { amp: number; phase: number } {
  let ss = 0, sc = 0, cc = 0, xs = 0, xc = 0;
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * freqHz * i) / rateHz;
    const s = Math.sin(w), c = Math.cos(w), v = x[i * step + ch]!;
    ss += s * s; sc += s * c; cc += c * c; xs += v * s; xc += v * c;
  }
  const det = ss * cc - sc * sc;
  const a = (xs * cc - xc * sc) / det; // coefficient of sin
  const b = (xc * ss - xs * sc) / det; // coefficient of cos
  return { amp: Math.hypot(a, b), phase: Math.atan2(b, a) };
}

describe('butterworthLowPass2 coefficients', () => {
  it('match scipy.signal.butter(2, Wn) to 1e-15', () => {
    // Reference values: scipy 1.17, butter(2, 0.2) and butter(2, 2·1.5/100).
    const cases: [number, number, number[], number[]][] = [
      [10, 100, [0.0674552738890719, 0.1349105477781438, 0.0674552738890719], [-1.1429805025399011, 0.41280159809618877]],
      [1.5, 100, [0.00208056713549229, 0.00416113427098458, 0.00208056713549229], [-1.866892279711715, 0.875214548253684]],
    ];
    for (const [fc_, fs, b, a] of cases) {
      const c = butterworthLowPass2(fc_, fs);
      expect(Math.abs(c.b0 - b[0]!)).toBeLessThan(1e-15);
      expect(Math.abs(c.b1 - b[1]!)).toBeLessThan(1e-15);
      expect(Math.abs(c.b2 - b[2]!)).toBeLessThan(1e-15);
      expect(Math.abs(c.a1 - a[0]!)).toBeLessThan(1e-15);
      expect(Math.abs(c.a2 - a[1]!)).toBeLessThan(1e-15);
    }
  });

  it('have DC gain exactly 1 (b0+b1+b2 = 1+a1+a2 within 1e-12), zero gain at Nyquist, −3 dB at the cutoff', () => {
    fc.assert(
      fc.property(cutoffFraction, rate, (f, fs) => {
        const fcHz = f * fs;
        const c = butterworthLowPass2(fcHz, fs);
        expect(Math.abs(c.b0 + c.b1 + c.b2 - (1 + c.a1 + c.a2))).toBeLessThan(1e-12);
        expect(Math.abs(biquadMagnitude(c, 0, fs) - 1)).toBeLessThan(1e-12);
        expect(c.b0 - c.b1 + c.b2).toBe(0);
        // Prewarping makes the digital response hit −3 dB exactly at the requested cutoff. The
        // tolerance is the conditioning of evaluating |H| from a1 ≈ ∓2, a2 ≈ 1 when the cutoff
        // sits within m of DC or Nyquist (relative rounding ~1e-16/m²); 1e-14 at f = 0.01.
        const m = Math.min(f, 0.5 - f);
        expect(Math.abs(biquadMagnitude(c, fcHz, fs) - Math.SQRT1_2)).toBeLessThan(1e-15 + 1e-16 / (m * m));
      }),
      opts,
    );
  });

  it('are maximally flat and monotone: |H| decreases from 1 at DC to 0 at Nyquist', () => {
    const c = butterworthLowPass2(20, 200);
    let prev = 1 + 1e-15;
    for (let k = 0; k <= 100; k++) {
      const m = biquadMagnitude(c, k, 200);
      expect(m).toBeLessThanOrEqual(prev);
      prev = m;
    }
    // Second order: −40 dB/decade well above the cutoff (analog prototype 1/√(1+(f/fc)⁴)).
    expect(biquadMagnitude(c, 2, 200)).toBeCloseTo(1 / Math.sqrt(1 + 1e-4), 4);
  });

  it('have stable poles (inside the unit circle) for any cutoff in (0, Nyquist)', () => {
    fc.assert(
      fc.property(cutoffFraction, rate, (f, fs) => {
        const { a1, a2 } = butterworthLowPass2(f * fs, fs);
        // Jury criterion for z² + a1 z + a2: |a2| < 1 and |a1| < 1 + a2.
        expect(Math.abs(a2)).toBeLessThan(1);
        expect(Math.abs(a1)).toBeLessThan(1 + a2);
      }),
      opts,
    );
  });

  it('reject cutoff ≤ 0, ≥ Nyquist, NaN, and a bad rate with FilterParameterError (a RangeError)', () => {
    expect(() => butterworthLowPass2(0, 100)).toThrow(FilterParameterError);
    expect(() => butterworthLowPass2(-1, 100)).toThrow(FilterParameterError);
    expect(() => butterworthLowPass2(50, 100)).toThrow(FilterParameterError);
    expect(() => butterworthLowPass2(60, 100)).toThrow(RangeError);
    expect(() => butterworthLowPass2(NaN, 100)).toThrow(FilterParameterError);
    expect(() => butterworthLowPass2(1, 0)).toThrow(FilterParameterError);
    expect(() => butterworthLowPass2(1, Infinity)).toThrow(FilterParameterError);
    expect(() => new LowPass2(1, 100, 0)).toThrow(FilterParameterError);
    expect(() => new LowPass2(1, 100, 1.5)).toThrow(FilterParameterError);
  });
});

describe('LowPass2', () => {
  it('passes a constant unchanged from the very first sample (steady-state start)', () => {
    fc.assert(
      fc.property(cutoffFraction, rate, fc.array(real(-1e4, 1e4), { minLength: 1, maxLength: 4 }), (f, fs, x) => {
        const lp = new LowPass2(f * fs, fs, x.length);
        const out = new Float64Array(x.length);
        // Rounding in the memories is amplified by the noise gain of any direct form, large
        // when the poles crowd z = 1 (low cutoffs, ~1/(4π²f²)) or z = −1 (near Nyquist):
        // measured ≤ 2e-11 relative over the whole range, a few ulps in the middle of it.
        const tol = f >= 0.05 && f <= 0.45 ? 4e-15 : 1e-10;
        expect(Array.from(lp.step(out, x))).toEqual(x); // the first sample is passed exactly
        for (let n = 0; n < 300; n++) {
          lp.step(out, x);
          for (let ch = 0; ch < x.length; ch++) expect(Math.abs(out[ch]! - x[ch]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(x[ch]!)));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('attenuates a sinusoid at the cutoff to 1/√2 in steady state (time domain agrees with the coefficients)', () => {
    const fs = 100, fcHz = 5;
    const lp = new LowPass2(fcHz, fs, 1);
    const n = 4000;
    const y = new Float64Array(n);
    const o = new Float64Array(1);
    for (let i = 0; i < n; i++) y[i] = lp.step(o, [Math.sin((2 * Math.PI * fcHz * i) / fs)])[0]!;
    const { amp, phase } = fitSine(y, 1, 0, fcHz, fs, 1000, n);
    expect(amp).toBeCloseTo(Math.SQRT1_2, 6);
    // A 2nd-order Butterworth lags by 90° at its cutoff.
    expect(phase).toBeCloseTo(-Math.PI / 2, 4);
  });

  it('filters channels independently; step and filterInterleaved agree, also in place', () => {
    fc.assert(
      fc.property(fc.array(real(-5, 5), { minLength: 30, maxLength: 90 }), (vals) => {
        const n = Math.floor(vals.length / 3) * 3;
        const data = Float64Array.from(vals.slice(0, n));
        const a = new LowPass2(7, 100, 3), b = new LowPass2(7, 100, 3);
        const single = [new LowPass2(7, 100, 1), new LowPass2(7, 100, 1), new LowPass2(7, 100, 1)];
        const viaBlock = b.filterInterleaved(data.slice(), data.slice()); // out aliases nothing; then in place below
        const inPlace = data.slice();
        new LowPass2(7, 100, 3).filterInterleaved(inPlace, inPlace);
        const out = new Float64Array(3), o1 = new Float64Array(1);
        for (let k = 0; k < n; k += 3) {
          a.step(out, data.subarray(k, k + 3));
          for (let ch = 0; ch < 3; ch++) {
            expect(out[ch]).toBe(viaBlock[k + ch]);
            expect(out[ch]).toBe(inPlace[k + ch]);
            expect(single[ch]!.step(o1, [data[k + ch]!])[0]).toBe(out[ch]);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it('reset re-initialises on the next sample; getState/setState resume exactly (JSON-safe)', () => {
    const lp = new LowPass2(3, 100, 2);
    const o = new Float64Array(2);
    for (let i = 0; i < 50; i++) lp.step(o, [Math.sin(i / 5), Math.cos(i / 7)]);
    const copy = new LowPass2(3, 100, 2);
    copy.setState(JSON.parse(JSON.stringify(lp.getState())));
    const o2 = new Float64Array(2);
    for (let i = 50; i < 80; i++) {
      lp.step(o, [Math.sin(i / 5), Math.cos(i / 7)]);
      copy.step(o2, [Math.sin(i / 5), Math.cos(i / 7)]);
      expect(Array.from(o2)).toEqual(Array.from(o));
    }
    lp.reset();
    expect(Array.from(lp.step(o, [4, -2]))).toEqual([4, -2]);
    expect(() => copy.setState({ initialised: true, s1: [0], s2: [0] })).toThrow(RangeError);
  });

  it('a non-finite sample throws NonFiniteInputError and leaves the state untouched', () => {
    const lp = new LowPass2(3, 100, 2);
    const o = new Float64Array(2);
    lp.step(o, [1, 2]);
    lp.step(o, [1.5, 2.5]);
    const before = lp.getState();
    expect(() => lp.step(o, [0.5, NaN])).toThrow(NonFiniteInputError);
    expect(lp.getState()).toEqual(before);
  });

  it('setRate/setCutoff recompute coefficients and keep the memories', () => {
    const lp = new LowPass2(5, 100, 1);
    const o = new Float64Array(1);
    lp.step(o, [2]);
    lp.step(o, [3]);
    const state = lp.getState();
    lp.setRate(200);
    expect(lp.rateHz).toBe(200);
    expect(lp.getCoefficients()).toEqual(butterworthLowPass2(5, 200));
    expect(lp.getState()).toEqual(state);
    lp.setCutoff(20);
    expect(lp.getCoefficients()).toEqual(butterworthLowPass2(20, 200));
    expect(() => lp.setRate(30)).toThrow(FilterParameterError); // 20 Hz ≥ Nyquist of 30 Hz
    expect(lp.rateHz).toBe(200);
    expect(lp.getCoefficients()).toEqual(butterworthLowPass2(20, 200));
  });
});

/** Max |filtfilt − ideal| of scipy 1.17 filtfilt(butter(2, 0.1), sin(2πf·i/200 + 0.3)), n = 2000, best padlen. */
const SCIPY_EDGE_ERROR: Record<number, number> = { 2: 0.00364, 5: 0.01809, 10: 0.14630, 15: 0.20219 };

describe('filtfiltInPlace', () => {
  it('has zero phase and |H|² gain on a sinusoid (and the forward-only filter does not)', () => {
    const fs = 200, fcHz = 10, n = 2000;
    for (const f of [2, 5, 10, 15]) {
      const data = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        data[2 * i] = Math.sin((2 * Math.PI * f * i) / fs + 0.3);
        data[2 * i + 1] = 5 - 2 * Math.cos((2 * Math.PI * f * i) / fs);
      }
      const fwd = new LowPass2(fcHz, fs, 2).filterInterleaved(new Float64Array(2 * n), data);
      filtfiltInPlace(data, 2, fcHz, fs);
      const h = biquadMagnitude(butterworthLowPass2(fcHz, fs), f, fs);
      // Interior: exactly |H|² and zero phase.
      const s = fitSine(data, 2, 0, f, fs, 300, n - 300);
      expect(Math.abs(s.amp - h * h)).toBeLessThan(1e-6);
      expect(Math.abs(s.phase - 0.3)).toBeLessThan(1e-6);
      const c = fitSine(data, 2, 1, f, fs, 300, n - 300);
      expect(Math.abs(c.amp - 2 * h * h)).toBeLessThan(1e-6);
      expect(Math.abs(Math.abs(c.phase) - Math.PI / 2)).toBeLessThan(1e-6); // −cos: phase ±90° in this fit
      // Whole record, edges included: the edge transient is no worse than scipy's filtfilt
      // (odd padding, best of padlen 9/20/60) on the same signal, within 30 %.
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const ideal = h * h * Math.sin((2 * Math.PI * f * i) / fs + 0.3);
        worst = Math.max(worst, Math.abs(data[2 * i]! - ideal));
      }
      expect(worst).toBeLessThan(1.3 * SCIPY_EDGE_ERROR[f]!);
      const sf = fitSine(fwd, 2, 0, f, fs, 300, n);
      expect(Math.abs(sf.phase - 0.3)).toBeGreaterThan(0.05);
    }
  });

  it('is symmetric in time: filtfilt(reverse x) = reverse(filtfilt x) in the interior', () => {
    fc.assert(
      fc.property(fc.array(real(-1, 1), { minLength: 200, maxLength: 400 }), real(0.02, 0.3), (vals, f) => {
        const x = Float64Array.from(vals);
        const fwd = filtfiltInPlace(x.slice(), 1, f * 100, 100);
        const rev = filtfiltInPlace(x.slice().reverse(), 1, f * 100, 100).reverse();
        const n = x.length;
        const edge = Math.min(n / 4, Math.ceil(4 / f)) | 0;
        for (let i = edge; i < n - edge; i++) expect(Math.abs(fwd[i]! - rev[i]!)).toBeLessThan(1e-3);
      }),
      { numRuns: 50 },
    );
  });

  it('passes constants and straight lines unchanged, edges included (odd reflection + line-steady start)', () => {
    fc.assert(
      fc.property(real(-100, 100), real(-1, 1), fc.integer({ min: 1, max: 300 }), real(0.001, 0.45), (p, g, n, f) => {
        const x = new Float64Array(n);
        for (let i = 0; i < n; i++) x[i] = p + g * i;
        const y = filtfiltInPlace(x.slice(), 1, f * 100, 100);
        for (let i = 0; i < n; i++) expect(Math.abs(y[i]! - x[i]!)).toBeLessThan(1e-9 * (1 + Math.abs(p) + Math.abs(g) * n));
      }),
      { numRuns: 100 },
    );
  });

  it('rejects bad input with typed errors and accepts empty data', () => {
    expect(() => filtfiltInPlace(new Float64Array(5), 2, 1, 100)).toThrow(RangeError);
    expect(() => filtfiltInPlace(Float64Array.of(1, NaN), 1, 1, 100)).toThrow(NonFiniteInputError);
    expect(() => filtfiltInPlace(new Float64Array(4), 1, 60, 100)).toThrow(FilterParameterError);
    expect(filtfiltInPlace(new Float64Array(0), 3, 1, 100).length).toBe(0);
  });
});
