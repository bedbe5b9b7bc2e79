/**
 * A small radix-2 FFT: enough for spectral measures over short windows (a rep is a few hundred
 * samples). Not a general-purpose FFT library: power-of-two lengths only, no plans, no SIMD.
 */
import { ParameterRangeError } from './errors';

/** Smallest power of two ≥ n (n ≥ 1). */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * In-place iterative Cooley–Tukey FFT (forward, no scaling) of the complex sequence
 * `re + i·im`; both arrays have the same power-of-two length. Returns `re`.
 */
export function fftInPlace(re: Float64Array, im: Float64Array): Float64Array {
  const n = re.length;
  if (im.length !== n) throw new ParameterRangeError(`fftInPlace: re and im lengths differ (${n} vs ${im.length})`);
  if (n === 0 || (n & (n - 1)) !== 0) throw new ParameterRangeError(`fftInPlace: length must be a power of two, got ${n}`);
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  for (let len = 2; len <= n; len *= 2) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang), wi = Math.sin(ang);
    const half = len / 2;
    for (let i = 0; i < n; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < half; k++) {
        const a = i + k, b = a + half;
        const xr = re[b]! * cr - im[b]! * ci;
        const xi = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
  return re;
}

/** |FFT| of the real sequence `x` zero-padded to `nfft` (a power of two ≥ x.length). */
export function fftMagnitude(x: ArrayLike<number>, nfft: number): Float64Array {
  if (nfft < x.length) throw new ParameterRangeError(`fftMagnitude: nfft ${nfft} is shorter than the input (${x.length})`);
  const re = new Float64Array(nfft);
  const im = new Float64Array(nfft);
  for (let i = 0; i < x.length; i++) re[i] = x[i]!;
  fftInPlace(re, im);
  for (let i = 0; i < nfft; i++) re[i] = Math.hypot(re[i]!, im[i]!);
  return re;
}
