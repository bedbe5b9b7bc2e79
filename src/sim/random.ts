/**
 * Seeded pseudo-random numbers for the simulator: xoshiro128** (32-bit words, so every step is
 * exact integer arithmetic via `Math.imul` and `>>> 0`, identical on every JS engine), seeded
 * through the splitmix32 mixer. Gaussians use Marsaglia's polar method (only `log` and `sqrt`).
 *
 * Streams are derived by label ({@link deriveSeed}) rather than drawn one after another, so
 * switching one error source on (say dropped samples) does not change the noise of another.
 * `Math.random` is never used.
 */
import { SimInputError } from './sim-error';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** splitmix32-style finaliser: a bijective avalanche mix of one 32-bit word. */
function mix32(x: number): number {
  let z = x | 0;
  z ^= z >>> 16;
  z = Math.imul(z, 0x21f0aaad);
  z ^= z >>> 15;
  z = Math.imul(z, 0x735a2d97);
  z ^= z >>> 15;
  return z >>> 0;
}

/** FNV-1a hash of a string's UTF-16 code units, 32-bit. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Throw unless `seed` is an integer in the safe range. */
function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new SimInputError(`seed must be a safe integer, got ${seed}`);
}

/**
 * A 32-bit seed for an independent stream, from a base seed and labels (e.g.
 * `deriveSeed(seed, 'thigh', 'gyr')`). Same inputs, same output, on every platform.
 */
export function deriveSeed(seed: number, ...labels: readonly string[]): number {
  checkSeed(seed);
  // Both halves of a 53-bit integer seed take part.
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  h = mix32(h ^ Math.floor(seed / TWO_POW_32));
  for (const label of labels) h = mix32(h ^ hashString(label)) ^ mix32(h + 0x6a09e667);
  return h >>> 0;
}

/** Plain-data generator state: four xoshiro words plus the polar method's cached deviate. */
export interface RngState {
  readonly s: Uint32Array;
  spare: number;
  hasSpare: boolean;
}

export class Rng {
  readonly state: RngState;

  /** `seed`: safe integer; `labels` select an independent stream (see {@link deriveSeed}). */
  constructor(seed: number, ...labels: readonly string[]) {
    this.state = { s: new Uint32Array(4), spare: 0, hasSpare: false };
    this.reset(seed, ...labels);
  }

  /** Re-seed in place. */
  reset(seed: number, ...labels: readonly string[]): void {
    let x = deriveSeed(seed, ...labels);
    const s = this.state.s;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      s[i] = mix32(x);
    }
    // The all-zero state is a fixed point of xoshiro; it cannot come out of four distinct mixes, but be sure.
    if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
    this.state.hasSpare = false;
    this.state.spare = 0;
  }

  /** Next uniformly distributed unsigned 32-bit integer (xoshiro128**). */
  nextU32(): number {
    const s = this.state.s;
    const s0 = s[0]!, s1 = s[1]!, s2 = s[2]!, s3 = s[3]!;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[0] = s0 ^ n3;
    s[1] = s1 ^ n2;
    s[2] = n2 ^ t;
    s[3] = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** Standard normal deviate (mean 0, std 1), Marsaglia polar method. */
  gaussian(): number {
    const st = this.state;
    if (st.hasSpare) {
      st.hasSpare = false;
      return st.spare;
    }
    let u: number, v: number, r: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      r = u * u + v * v;
    } while (r >= 1 || r === 0);
    const k = Math.sqrt((-2 * Math.log(r)) / r);
    st.spare = v * k;
    st.hasSpare = true;
    return u * k;
  }
}
