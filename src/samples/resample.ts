/**
 * Resampling a sensor's block onto given target times: linear for vector channels, SLERP for
 * quaternions. Two rules, from "gaps are marked, not papered over":
 *  - never extrapolate: a target before the first or after the last source sample is invalid;
 *  - never interpolate across a gap: a target inside a source interval longer than
 *    gapFactor × the block's median interval (or across a declared break) is invalid.
 * Invalid targets get `valid[k] = 0` **and NaN in every channel**, so code that forgets the
 * mask fails loudly instead of using invented values. A target whose interpolated value is
 * not finite (a NaN/Inf source sample) is likewise invalid and NaN throughout.
 *
 * The work is split so that a streaming resampler can reuse it on a window of samples:
 * {@link locate} finds the bracketing source sample and fraction for each target, and
 * {@link interpolateLinear} / {@link interpolateQuat} / {@link interpolateMask} fill outputs
 * from those. None of them allocates.
 */
import type { BlockBuilder, SampleBlock, SensorInfo } from './block';
import { checkBlockShape } from './construct';
import { SampleParameterError, TimeOrderError } from './errors';
import { medianIntervalOrZero } from './rate';

export interface LocateParams {
  /** Added to source times to get target times (sensor time + offset = session time), s. Default 0. */
  offsetS?: number;
  /** Longest source interval interpolated across, s; longer ones are gaps. Default Infinity. */
  maxIntervalS?: number;
  /** Ascending source indices j whose preceding interval (j − 1, j) is never bridged (declared gaps). */
  breaksBefore?: ArrayLike<number>;
}

function hasBreak(breaks: ArrayLike<number> | undefined, j: number): boolean {
  if (!breaks || breaks.length === 0) return false;
  let lo = 0, hi = breaks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = breaks[mid]!;
    if (v === j) return true;
    if (v < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * For each target time, the last source sample at or before it (`outIndex`) and the fraction of
 * the way to the next sample (`outFrac`, in [0, 1)). A target equal to a source time gets that
 * sample with fraction 0, even next to a gap. `outIndex[k] = −1` marks a target that cannot be
 * served: NaN, outside the source span, or inside a gap. Source times must be finite and
 * non-decreasing (equal times: the later sample wins); targets may come in any order but
 * ascending ones are served in one pass. Returns the number of servable targets.
 */
export function locate(
  outIndex: Int32Array,
  outFrac: Float64Array,
  srcTS: ArrayLike<number>,
  targetTS: ArrayLike<number>,
  params: LocateParams = {},
): number {
  const n = srcTS.length;
  const m = targetTS.length;
  if (outIndex.length < m || outFrac.length < m) throw new RangeError(`locate: output arrays shorter than ${m} targets`);
  const o = params.offsetS ?? 0;
  const maxD = params.maxIntervalS ?? Infinity;
  const breaks = params.breaksBefore;
  if (n === 0) {
    outIndex.fill(-1, 0, m);
    outFrac.fill(0, 0, m);
    return 0;
  }
  const first = srcTS[0]! + o;
  const last = srcTS[n - 1]! + o;
  let i = 0;
  let served = 0;
  for (let k = 0; k < m; k++) {
    const x = targetTS[k]!;
    outFrac[k] = 0;
    if (!(x >= first && x <= last)) {
      outIndex[k] = -1;
      continue;
    }
    if (x < srcTS[i]! + o) {
      // Target went backwards: binary search for the last index with s ≤ x in [0, i).
      let lo = 0, hi = i - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (srcTS[mid]! + o <= x) lo = mid;
        else hi = mid - 1;
      }
      i = lo;
    }
    while (i + 1 < n && srcTS[i + 1]! + o <= x) i++;
    const a = srcTS[i]! + o;
    if (a === x) {
      outIndex[k] = i;
      served++;
      continue;
    }
    // Here a < x < b: i + 1 exists because x ≤ last.
    const b = srcTS[i + 1]! + o;
    const d = b - a;
    if (d > maxD || hasBreak(breaks, i + 1)) {
      outIndex[k] = -1;
      continue;
    }
    outIndex[k] = i;
    outFrac[k] = (x - a) / d;
    served++;
  }
  return served;
}

/**
 * Linear interpolation of an interleaved channel of `width` components per sample:
 * out[k] = src[i] + (src[i+1] − src[i]) · f from {@link locate}'s index/fraction; NaN where
 * index is −1. Returns out.
 */
export function interpolateLinear(
  out: Float64Array,
  src: ArrayLike<number>,
  width: number,
  index: Int32Array,
  frac: Float64Array,
  count: number = index.length,
): Float64Array {
  for (let k = 0; k < count; k++) {
    const i = index[k]!;
    const ko = k * width;
    if (i < 0) {
      for (let c = 0; c < width; c++) out[ko + c] = NaN;
      continue;
    }
    const f = frac[k]!;
    const ka = i * width;
    if (f === 0) {
      for (let c = 0; c < width; c++) out[ko + c] = src[ka + c]!;
      continue;
    }
    const kb = ka + width;
    for (let c = 0; c < width; c++) {
      const a = src[ka + c]!;
      out[ko + c] = a + (src[kb + c]! - a) * f;
    }
  }
  return out;
}

/**
 * Spherical linear interpolation of interleaved [w,x,y,z] quaternions along the shorter arc
 * (q and −q are the same rotation, so the bracket's second sample is flipped when their dot
 * product is negative). Both brackets are normalised first; results are unit, in the
 * hemisphere of the earlier bracket. A fraction of 0 copies the source sample unchanged.
 * NaN where index is −1. Returns out.
 */
export function interpolateQuat(
  out: Float64Array,
  src: ArrayLike<number>,
  index: Int32Array,
  frac: Float64Array,
  count: number = index.length,
): Float64Array {
  for (let k = 0; k < count; k++) {
    const i = index[k]!;
    const ko = 4 * k;
    if (i < 0) {
      out[ko] = out[ko + 1] = out[ko + 2] = out[ko + 3] = NaN;
      continue;
    }
    const ka = 4 * i;
    const f = frac[k]!;
    if (f === 0) {
      out[ko] = src[ka]!;
      out[ko + 1] = src[ka + 1]!;
      out[ko + 2] = src[ka + 2]!;
      out[ko + 3] = src[ka + 3]!;
      continue;
    }
    let aw = src[ka]!, ax = src[ka + 1]!, ay = src[ka + 2]!, az = src[ka + 3]!;
    let bw = src[ka + 4]!, bx = src[ka + 5]!, by = src[ka + 6]!, bz = src[ka + 7]!;
    const na = 1 / Math.sqrt(aw * aw + ax * ax + ay * ay + az * az);
    aw *= na; ax *= na; ay *= na; az *= na;
    let nb = 1 / Math.sqrt(bw * bw + bx * bx + by * by + bz * bz);
    let cos = (aw * bw + ax * bx + ay * by + az * bz) * nb;
    if (cos < 0) {
      cos = -cos;
      nb = -nb;
    }
    bw *= nb; bx *= nb; by *= nb; bz *= nb;
    let s0: number, s1: number;
    if (cos > 1 - 1e-10) {
      // Nearly equal: sin Ω → 0 makes the SLERP weights lose precision; the chord is exact enough (error O(Ω³)).
      s0 = 1 - f;
      s1 = f;
    } else {
      const omega = Math.acos(Math.min(1, cos));
      const inv = 1 / Math.sin(omega);
      s0 = Math.sin((1 - f) * omega) * inv;
      s1 = Math.sin(f * omega) * inv;
    }
    const w = s0 * aw + s1 * bw, x = s0 * ax + s1 * bx, y = s0 * ay + s1 * by, z = s0 * az + s1 * bz;
    const nr = 1 / Math.sqrt(w * w + x * x + y * y + z * z);
    out[ko] = w * nr;
    out[ko + 1] = x * nr;
    out[ko + 2] = y * nr;
    out[ko + 3] = z * nr;
  }
  return out;
}

/** Saturation bits of the bracketing samples, OR-ed (an interpolated sample is only as good as both). 0 where index is −1. */
export function interpolateMask(out: Uint8Array, src: ArrayLike<number>, index: Int32Array, frac: Float64Array, count: number = index.length): Uint8Array {
  for (let k = 0; k < count; k++) {
    const i = index[k]!;
    out[k] = i < 0 ? 0 : frac[k]! === 0 ? src[i]! : src[i]! | src[i + 1]!;
  }
  return out;
}

/** Throw {@link TimeOrderError} unless the block's times are finite and non-decreasing. */
export function assertTimeOrder(b: SampleBlock): void {
  const t = b.tS;
  for (let i = 0; i < t.length; i++) {
    const v = t[i]!;
    if (!Number.isFinite(v)) throw new TimeOrderError(b.info.sensorId, i, `time is ${v}`);
    if (i > 0 && v < t[i - 1]!) throw new TimeOrderError(b.info.sensorId, i, `time goes back from ${t[i - 1]} s to ${v} s`);
  }
}

export interface ResampleOptions {
  /** A source interval longer than gapFactor × periodS is a gap, never interpolated across. Default 1.5. */
  gapFactor?: number;
  /** Reference period, s. Default: the block's median interval. */
  periodS?: number;
  /** sensor time + offsetS = target time, s. Default 0. */
  offsetS?: number;
  /** Ascending source indices j whose preceding interval is a declared gap (e.g. from concatBlocks). */
  breaksBefore?: ArrayLike<number>;
  /** Info of the output block. Default: the source info with `rateHz` removed (targets need not be uniform). */
  info?: SensorInfo;
}

export interface ResampleResult<B extends SampleBlock = SampleBlock> {
  /** Resampled block, with the source's channels; its `tS` IS the target array (shared, not copied); invalid samples are NaN in every channel. */
  readonly block: B;
  /** 1 = interpolated inside the source span, not across a gap, all channels finite; 0 = do not use. */
  readonly valid: Uint8Array;
  readonly validCount: number;
}

function checkFinite(name: string, v: number | undefined, positive: boolean): void {
  if (v === undefined) return;
  if (!Number.isFinite(v) || (positive && !(v > 0))) throw new SampleParameterError(name, v, positive ? 'a finite value > 0' : 'a finite value');
}

/**
 * Resample one block onto `targetTS` (see the module notes for what is invalid). Allocates the
 * outputs once; no per-sample allocation. Throws TimeOrderError for unordered source times.
 */
export function resampleBlock<B extends SampleBlock>(block: B, targetTS: Float64Array, options?: ResampleOptions): ResampleResult<B>;
export function resampleBlock(block: SampleBlock, targetTS: Float64Array, options: ResampleOptions = {}): ResampleResult {
  checkBlockShape(block);
  assertTimeOrder(block);
  const gapFactor = options.gapFactor ?? 1.5;
  checkFinite('gapFactor', gapFactor, true);
  checkFinite('periodS', options.periodS, true);
  checkFinite('offsetS', options.offsetS, false);
  const periodS = options.periodS ?? medianIntervalOrZero(block.tS);
  const m = targetTS.length;
  const index = new Int32Array(m);
  const frac = new Float64Array(m);
  locate(index, frac, block.tS, targetTS, {
    offsetS: options.offsetS ?? 0,
    maxIntervalS: periodS > 0 ? gapFactor * periodS : Infinity,
    ...(options.breaksBefore ? { breaksBefore: options.breaksBefore } : {}),
  });
  const info = options.info ?? withoutRate(block.info);
  const out: BlockBuilder = { info, tS: targetTS };
  if (block.accMS2) out.accMS2 = interpolateLinear(new Float64Array(3 * m), block.accMS2, 3, index, frac);
  if (block.gyrRadS) out.gyrRadS = interpolateLinear(new Float64Array(3 * m), block.gyrRadS, 3, index, frac);
  if (block.magUT) out.magUT = interpolateLinear(new Float64Array(3 * m), block.magUT, 3, index, frac);
  if (block.quat) out.quat = interpolateQuat(new Float64Array(4 * m), block.quat, index, frac);
  if (block.saturated) out.saturated = interpolateMask(new Uint8Array(m), block.saturated, index, frac);
  const valid = new Uint8Array(m);
  const validCount = finalizeValidity(valid, out, index);
  return { block: out, valid, validCount };
}

function withoutRate(info: SensorInfo): SensorInfo {
  if (info.rateHz === undefined) return info;
  const { rateHz: _rate, ...rest } = info;
  return rest;
}

function allFinite(a: Float64Array, k0: number, width: number): boolean {
  for (let c = 0; c < width; c++) if (!Number.isFinite(a[k0 + c]!)) return false;
  return true;
}

function fillNaN(a: Float64Array | undefined, k0: number, width: number): void {
  if (a) a.fill(NaN, k0, k0 + width);
}

/**
 * valid[k] = 1 when the target was located and every channel is finite; otherwise 0 and every
 * channel NaN (and the saturation bits 0). Returns the valid count. Exported for streaming reuse.
 */
export function finalizeValidity(
  valid: Uint8Array,
  out: { accMS2?: Float64Array; gyrRadS?: Float64Array; magUT?: Float64Array; quat?: Float64Array; saturated?: Uint8Array },
  index: Int32Array,
  count: number = index.length,
): number {
  let n = 0;
  for (let k = 0; k < count; k++) {
    const ok =
      index[k]! >= 0 &&
      (!out.accMS2 || allFinite(out.accMS2, 3 * k, 3)) &&
      (!out.gyrRadS || allFinite(out.gyrRadS, 3 * k, 3)) &&
      (!out.magUT || allFinite(out.magUT, 3 * k, 3)) &&
      (!out.quat || allFinite(out.quat, 4 * k, 4));
    if (!ok && index[k]! >= 0) {
      fillNaN(out.accMS2, 3 * k, 3);
      fillNaN(out.gyrRadS, 3 * k, 3);
      fillNaN(out.magUT, 3 * k, 3);
      fillNaN(out.quat, 4 * k, 4);
      if (out.saturated) out.saturated[k] = 0;
    }
    valid[k] = ok ? 1 : 0;
    if (ok) n++;
  }
  return n;
}
