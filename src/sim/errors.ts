/**
 * Sensor error model: what turns true gyroscope, accelerometer and magnetometer signals into
 * what a real IMU reports. Per channel, in this order:
 *
 *   y = M·x + b + b_rw(t) + n,  then saturation (clip to ±range, flagged), then quantisation
 *
 * with M = I + diag(scale) + cross-axis misalignment, b a constant bias (fixed part plus a
 * per-sensor random "turn-on" part), b_rw a random-walk bias, n white Gaussian noise.
 * All parameters default to zero/off (an ideal sensor). Values are in the channel's own unit:
 * rad/s for the gyroscope, m/s² for the accelerometer, µT for the magnetometer (hard iron is
 * magnetometer bias, soft iron its scale/misalignment).
 *
 * Clock errors (drift, jitter) and dropped samples are described here too and applied in
 * `clock.ts`.
 */
import type { Vec3Like } from '../math/vec3';
import type { Rng } from './random';
import { SimInputError, requireFinite, requireFiniteArray, requireNonNegative } from './sim-error';

const DEG = Math.PI / 180;

export interface ChannelErrorParams {
  /** White-noise std per sample, channel unit. From a noise density N (unit/√Hz): N·√rateHz. Default 0. */
  noiseStd?: number;
  /** Fixed bias per axis, channel unit. Default 0. */
  bias?: Vec3Like;
  /** Std of a random constant bias drawn once per sensor and axis (turn-on bias), channel unit. Default 0. */
  biasStd?: number;
  /** Bias random walk, channel unit per √s: the bias changes by N(0, σ²·Δt) each sample. Default 0. */
  biasRandomWalk?: number;
  /** Scale-factor error per axis, fraction (0.01 reads 1 % high). Default 0. */
  scale?: Vec3Like;
  /** Std of a random scale error drawn per sensor and axis, fraction. Default 0. */
  scaleStd?: number;
  /**
   * Cross-axis sensitivity, small angles in rad, as [xy, xz, yx, yz, zx, zy]: output axis i picks
   * up m_ij × input axis j. Default 0.
   */
  misalignmentRad?: ArrayLike<number>;
  /** Std of random misalignment terms drawn per sensor, rad. Default 0. */
  misalignmentStdRad?: number;
  /** Full-scale range: readings are clipped to ±range and flagged saturated. Default ∞. */
  range?: number;
  /** Quantisation step (1 LSB), channel unit. Default 0 (none). */
  lsb?: number;
}

export interface ClockParams {
  /** The sensor's clock runs fast by this many ppm: it samples more often in true time, and its timestamps run ahead. Default 0. */
  driftPpm?: number;
  /** Sensor timestamp of the sample taken at session start, s. Default 0. */
  offsetS?: number;
  /** Std of Gaussian noise on the reported timestamps (true sampling stays regular), s. Default 0. */
  timestampJitterStdS?: number;
  /** Std of Gaussian deviation of the true sampling instants (timestamps stay nominal), s. Default 0. */
  samplingJitterStdS?: number;
}

export interface DropParams {
  /** Probability per sample that a dropout starts there, in [0, 1). Default 0. */
  probability?: number;
  /** Mean dropout length in samples (geometric, ≥ 1). Default 1. */
  burstMeanSamples?: number;
}

export interface SensorErrorParams {
  gyr?: ChannelErrorParams;
  acc?: ChannelErrorParams;
  mag?: ChannelErrorParams;
  clock?: ClockParams;
  drops?: DropParams;
}

export type ErrorPresetName = 'ideal' | 'consumer';

const G0 = 9.80665;

/**
 * Ready-made error sets. `ideal`: no error at all. `consumer`: a typical consumer MEMS IMU at
 * ~100 Hz (BMI160/LSM6-class gyro and accelerometer, BMM150-class magnetometer) with calibrated
 * but imperfect magnetometer; clock ideal and no drops (add them explicitly).
 */
export const ERROR_PRESETS: Readonly<Record<ErrorPresetName, Readonly<SensorErrorParams>>> = Object.freeze({
  ideal: Object.freeze({}),
  consumer: Object.freeze({
    gyr: Object.freeze({
      noiseStd: 0.005,
      biasStd: 0.5 * DEG,
      biasRandomWalk: 1e-4,
      scaleStd: 0.005,
      misalignmentStdRad: 0.005,
      range: 2000 * DEG,
      lsb: (2000 * DEG) / 32768,
    }),
    acc: Object.freeze({
      noiseStd: 0.02,
      biasStd: 0.05,
      biasRandomWalk: 5e-4,
      scaleStd: 0.005,
      misalignmentStdRad: 0.005,
      range: 16 * G0,
      lsb: (16 * G0) / 32768,
    }),
    mag: Object.freeze({
      noiseStd: 0.5,
      biasStd: 1,
      scaleStd: 0.01,
      misalignmentStdRad: 0.01,
      range: 1300,
      lsb: 0.3,
    }),
  }),
});

/**
 * Per-sample white-noise std from a datasheet noise density (unit/√Hz) at a sampling rate:
 * σ = N·√rateHz — the discrete equivalent of continuous white noise of PSD N² averaged over
 * one sample period (the same relation as angle/velocity random walk).
 */
export function noiseStdFromDensity(densityPerSqrtHz: number, rateHz: number): number {
  requireNonNegative('densityPerSqrtHz', densityPerSqrtHz);
  if (!(rateHz > 0) || !Number.isFinite(rateHz)) throw new SimInputError(`rateHz must be > 0, got ${rateHz}`);
  return densityPerSqrtHz * Math.sqrt(rateHz);
}

/** Resolve a preset name (or params, passed through) to error params. Throws for unknown names. */
export function resolveErrors(e: SensorErrorParams | ErrorPresetName | undefined): SensorErrorParams {
  if (e === undefined) return ERROR_PRESETS.ideal;
  if (typeof e === 'string') {
    const p = ERROR_PRESETS[e];
    if (!p) throw new SimInputError(`unknown error preset '${e}' (have: ${Object.keys(ERROR_PRESETS).join(', ')})`);
    return p;
  }
  if (typeof e !== 'object' || e === null) throw new SimInputError('sensor errors must be a preset name or a params object');
  return e;
}

/** The error parameters one simulated sensor actually got (random parts drawn). */
export interface RealizedChannelErrors {
  /** M = I + diag(scale) + misalignment, row-major 3×3. */
  readonly matrix: Float64Array;
  /** Constant bias (fixed + drawn), channel unit. */
  readonly bias: Float64Array;
  readonly noiseStd: number;
  readonly biasRandomWalk: number;
  readonly range: number;
  readonly lsb: number;
}

/** Validate channel params and draw the per-sensor random parts from `rng`. */
export function realizeChannelErrors(what: string, p: ChannelErrorParams | undefined, rng: Rng): RealizedChannelErrors {
  const e = p ?? {};
  const noiseStd = requireNonNegative(`${what}.noiseStd`, e.noiseStd ?? 0);
  const biasStd = requireNonNegative(`${what}.biasStd`, e.biasStd ?? 0);
  const walk = requireNonNegative(`${what}.biasRandomWalk`, e.biasRandomWalk ?? 0);
  const scaleStd = requireNonNegative(`${what}.scaleStd`, e.scaleStd ?? 0);
  const misStd = requireNonNegative(`${what}.misalignmentStdRad`, e.misalignmentStdRad ?? 0);
  const range = e.range ?? Infinity;
  if (Number.isNaN(range) || range <= 0) throw new SimInputError(`${what}.range must be > 0, got ${range}`);
  const lsb = requireNonNegative(`${what}.lsb`, e.lsb ?? 0);
  const bias0 = requireFiniteArray(`${what}.bias`, e.bias ?? [0, 0, 0], 3);
  const scale0 = requireFiniteArray(`${what}.scale`, e.scale ?? [0, 0, 0], 3);
  const mis0 = requireFiniteArray(`${what}.misalignmentRad`, e.misalignmentRad ?? [0, 0, 0, 0, 0, 0], 6);
  // Draw in a fixed order, and only when enabled, so each std only affects its own term.
  const bias = new Float64Array(3);
  const matrix = new Float64Array(9);
  for (let i = 0; i < 3; i++) bias[i] = bias0[i]! + (biasStd > 0 ? biasStd * rng.gaussian() : 0);
  for (let i = 0; i < 3; i++) matrix[4 * i] = 1 + scale0[i]! + (scaleStd > 0 ? scaleStd * rng.gaussian() : 0);
  const offDiag = [1, 2, 3, 5, 6, 7]; // xy, xz, yx, yz, zx, zy
  for (let k = 0; k < 6; k++) matrix[offDiag[k]!] = mis0[k]! + (misStd > 0 ? misStd * rng.gaussian() : 0);
  return { matrix, bias, noiseStd, biasRandomWalk: walk, range, lsb };
}

/**
 * Apply realised errors in place to `data` (interleaved xyz, 3n) sampled at true times `tS`
 * (n). Sets `satBit` in `saturated[i]` for clipped samples. `biasTrace` (3n, optional)
 * receives the total bias b + b_rw at each sample. `noiseRng` and `walkRng` are separate so
 * that enabling one does not change the other's draws.
 */
export function applyChannelErrors(
  data: Float64Array,
  tS: Float64Array,
  e: RealizedChannelErrors,
  noiseRng: Rng,
  walkRng: Rng,
  saturated: Uint8Array,
  satBit: number,
  biasTrace?: Float64Array,
): void {
  const n = tS.length;
  if (data.length !== 3 * n) throw new SimInputError(`applyChannelErrors: data has ${data.length} values for ${n} samples`);
  const M = e.matrix;
  const { noiseStd, biasRandomWalk, range, lsb } = e;
  const maxQuantised = lsb > 0 && Number.isFinite(range) ? Math.floor(range / lsb) * lsb : range;
  let w0 = 0, w1 = 0, w2 = 0;
  for (let i = 0; i < n; i++) {
    if (biasRandomWalk > 0 && i > 0) {
      const s = biasRandomWalk * Math.sqrt(tS[i]! - tS[i - 1]!);
      w0 += s * walkRng.gaussian();
      w1 += s * walkRng.gaussian();
      w2 += s * walkRng.gaussian();
    }
    const k = 3 * i;
    const x = data[k]!, y = data[k + 1]!, z = data[k + 2]!;
    const b0 = e.bias[0]! + w0, b1 = e.bias[1]! + w1, b2 = e.bias[2]! + w2;
    if (biasTrace) {
      biasTrace[k] = b0;
      biasTrace[k + 1] = b1;
      biasTrace[k + 2] = b2;
    }
    let o0 = M[0]! * x + M[1]! * y + M[2]! * z + b0;
    let o1 = M[3]! * x + M[4]! * y + M[5]! * z + b1;
    let o2 = M[6]! * x + M[7]! * y + M[8]! * z + b2;
    if (noiseStd > 0) {
      o0 += noiseStd * noiseRng.gaussian();
      o1 += noiseStd * noiseRng.gaussian();
      o2 += noiseStd * noiseRng.gaussian();
    }
    let sat = false;
    if (Math.abs(o0) >= range) (o0 = Math.sign(o0) * range), (sat = true);
    if (Math.abs(o1) >= range) (o1 = Math.sign(o1) * range), (sat = true);
    if (Math.abs(o2) >= range) (o2 = Math.sign(o2) * range), (sat = true);
    if (lsb > 0) {
      o0 = quantise(o0, lsb, maxQuantised);
      o1 = quantise(o1, lsb, maxQuantised);
      o2 = quantise(o2, lsb, maxQuantised);
    }
    if (sat) saturated[i] = saturated[i]! | satBit;
    data[k] = o0;
    data[k + 1] = o1;
    data[k + 2] = o2;
  }
}

/** Round to the nearest multiple of `lsb` (ties away from zero, symmetric), within ±max. */
function quantise(v: number, lsb: number, max: number): number {
  const q = Math.sign(v) * Math.round(Math.abs(v) / lsb) * lsb;
  return Math.abs(q) > max ? Math.sign(q) * max : q;
}

/** Check clock params; returns them with defaults filled in. */
export function checkClock(c: ClockParams | undefined): Required<ClockParams> {
  const p = c ?? {};
  const driftPpm = requireFinite('clock.driftPpm', p.driftPpm ?? 0);
  if (Math.abs(driftPpm) >= 1e5) throw new SimInputError(`clock.driftPpm must be within ±1e5, got ${driftPpm}`);
  return {
    driftPpm,
    offsetS: requireFinite('clock.offsetS', p.offsetS ?? 0),
    timestampJitterStdS: requireNonNegative('clock.timestampJitterStdS', p.timestampJitterStdS ?? 0),
    samplingJitterStdS: requireNonNegative('clock.samplingJitterStdS', p.samplingJitterStdS ?? 0),
  };
}

/** Check drop params; returns them with defaults filled in. */
export function checkDrops(d: DropParams | undefined): Required<DropParams> {
  const p = d ?? {};
  const probability = requireFinite('drops.probability', p.probability ?? 0);
  if (probability < 0 || probability >= 1) throw new SimInputError(`drops.probability must be in [0, 1), got ${probability}`);
  const burst = requireFinite('drops.burstMeanSamples', p.burstMeanSamples ?? 1);
  if (burst < 1) throw new SimInputError(`drops.burstMeanSamples must be ≥ 1, got ${burst}`);
  return { probability, burstMeanSamples: burst };
}
