/**
 * Offline (forward–backward) orientation estimation for recorded sessions, built on the
 * VQF-class filter ({@link Vqf}). A causal filter is always late: its inclination correction
 * lags by its low-pass, its bias and heading need time to converge, and after a magnetic
 * disturbance it must bridge with the gyroscope from one side only. With the whole recording
 * available every sample can use the past and the future:
 *
 * 1. forward pass from the start, only to converge bias, inclination and heading;
 * 2. backward pass in reversed time (negated gyroscope) from the forward end state;
 * 3. forward pass again from the backward pass's state at the start (so it is converged
 *    from the very first sample);
 * 4. fusion per sample: the inclination comes from a zero-phase smoother over the whole
 *    recording (see `smoothedInclination`: the specific force in one almost-inertial frame,
 *    low-passed forwards and backwards, no lag and 4th-order roll-off; option
 *    `zeroPhaseInclination: false` averages the two passes' 6D estimates instead, whose
 *    low-pass lags are mirror images and largely cancel), with the high band (above
 *    ≈ 0.75 Hz, `inclinationSplitTauS`) of its difference to that pass average added —
 *    a complementary split of the two estimates, see `addHighBandOfPassAverage`; the heading offsets of the passes
 *    are averaged with weights from each pass's heading
 *    uncertainty, which grows while the magnetometer is rejected (gyroscope drift) and
 *    shrinks while it is used — across a disturbance each sample trusts the pass that left
 *    clean field most recently.
 * 5. optional latency compensation (`latencyCompensationS`), here by interpolating the fused
 *    orientation in time rather than extrapolating.
 *
 * The backward pass integrates sample i+1's rate to go from i+1 to i (the exact inverse of
 * the forward step), so that pure gyroscope integration gives the same trajectory both ways.
 */
import { filtfiltInPlace } from '../math/butterworth';
import * as quat from '../math/quat';
import { SAT_GYR, requireInertial, type InertialBlock } from '../samples/block';
import { Vqf, FusionOutputLengthError } from './vqf';
import { cutoffHzFromTau } from './vqfLowPass';
import { resolveVqfParams, VqfParamError, type VqfParams } from './vqfParams';
import type { VqfState } from './vqfState';

export interface OfflineOptions {
  /**
   * Heading uncertainty of a pass while the magnetometer is in use (steady state), deg.
   * Only its ratio to the drift below matters. Default 1.
   */
  headingSigmaMagDeg?: number;
  /** Growth of a pass's heading uncertainty while the magnetometer is not used, °/s. Default 0.05. */
  headingDriftDegS?: number;
  /**
   * Inclination from the zero-phase smoother (true) or from the average of the forward and
   * backward passes' 6D estimates (false, the earlier method). Default true.
   */
  zeroPhaseInclination?: boolean;
  /**
   * Time constant of the smoother's low-pass, s: the Butterworth of the real-time filter
   * (τ, fc = √2/(2πτ)) run forwards and backwards, so its response is |H|² (zero phase,
   * −6 dB at fc, 4th-order roll-off). Default: the parameters' `tauAccS` (3 s).
   */
  smootherTauAccS?: number;
  /**
   * Complementary split between the two offline inclination estimates, time constant in s:
   * the low band from the zero-phase smoother, the high band from the forward–backward pass
   * average. The tilt of the pass average relative to the smoother (a rotation vector,
   * horizontal part) is split with the smoother's zero-phase Butterworth at this τ
   * (fc = √2/(2πτ), response |H|²); its high part, 1 − |H|², is added to the smoother.
   * 0 = the smoother alone. Only used with `zeroPhaseInclination`. Default 0.3 (fc ≈ 0.75 Hz).
   */
  inclinationSplitTauS?: number;
}

/** One pass's per-sample outputs. */
interface Pass {
  q6: Float64Array;
  delta: Float64Array;
  /** Heading uncertainty proxy, deg (only ratios matter). */
  sigma: Float64Array;
}

function createPass(n: number): Pass {
  return { q6: new Float64Array(4 * n), delta: new Float64Array(n), sigma: new Float64Array(n) };
}

/** The state as seen with time running the other way: everything that is a rate changes sign. */
export function reverseTimeState(s: VqfState): VqfState {
  const neg = (a: number[], countIdx = -1): number[] => a.map((v, i) => (i === countIdx ? v : -v));
  // Low-pass states: memories and sums change sign with their input; the sample count (at 2n) does not.
  return {
    ...s,
    lastGyrRadS: neg(s.lastGyrRadS),
    pendingAccS: 0,
    pendingMagS: 0,
    bias: { ...s.bias, biasRadS: neg(s.bias.biasRadS), rbLpState: neg(s.bias.rbLpState, 4) },
    rest: { ...s.rest, lastGyrLp: neg(s.rest.lastGyrLp), gyrLpState: neg(s.rest.gyrLpState, 6) },
  };
}

/**
 * Orientation q_GS for every sample of a recorded block, using past and future samples.
 * 9D (East-North-Up) when the block has a magnetometer and `magEnabled`, else 6D (z up).
 * Writes into `out` (length ≥ 4n) when given, else allocates. Allocates its working arrays
 * (a few × 4n numbers); the per-sample work is allocation-free.
 */
export function estimateOrientationOffline(
  block: InertialBlock,
  params: Partial<VqfParams> = {},
  out?: Float64Array,
  options: OfflineOptions = {},
): Float64Array {
  requireInertial(block, 'estimateOrientationOffline');
  const p = resolveVqfParams(params);
  const n = block.tS.length;
  const result = out ?? new Float64Array(4 * n);
  if (result.length < 4 * n) throw new FusionOutputLengthError(4 * n, result.length);
  if (n === 0) return result;
  const rateHz = block.info.rateHz;
  const passParams = { ...p, latencyCompensationS: 0 };
  const rates = rateHz !== undefined && rateHz > 0 && Number.isFinite(rateHz) ? { rateHz } : {};
  const sigmaMag = options.headingSigmaMagDeg ?? 1;
  const drift = options.headingDriftDegS ?? 0.05;
  const useMag = block.magUT !== undefined && p.magEnabled;

  // 1. forward, to converge.
  const f1 = new Vqf(passParams, rates);
  const fwd1 = new Float64Array(4 * n);
  f1.updateBlock(block, fwd1);
  if (n === 1) {
    result.set(fwd1.subarray(0, 4));
    return result;
  }

  const { tS, gyrRadS: gyr, accMS2: acc, magUT: mag, saturated: sat } = block;
  const g = new Float64Array(3), a = new Float64Array(3), m = new Float64Array(3), q = quat.create();
  const record = (f: Vqf, pass: Pass, i: number, sigma: number): void => {
    f.getQuat6D(q);
    quat.writeAt(pass.q6, i, q);
    pass.delta[i] = f.getDeltaRad();
    pass.sigma[i] = sigma;
  };
  /** Step to sample i with the gyroscope sample gi and the accelerometer/magnetometer sample ai. */
  const step = (f: Vqf, gi: number, ai: number, sign: number, dtS: number): void => {
    g[0] = sign * gyr[3 * gi]!;
    g[1] = sign * gyr[3 * gi + 1]!;
    g[2] = sign * gyr[3 * gi + 2]!;
    a[0] = acc[3 * ai]!;
    a[1] = acc[3 * ai + 1]!;
    a[2] = acc[3 * ai + 2]!;
    if (useMag) {
      m[0] = mag![3 * ai]!;
      m[1] = mag![3 * ai + 1]!;
      m[2] = mag![3 * ai + 2]!;
    }
    // The gyroscope sample carries its own saturation bit, the others theirs.
    const bits = sat === undefined ? 0 : (sat[gi]! & SAT_GYR) | (sat[ai]! & ~SAT_GYR);
    f.update(g, a, useMag ? m : null, dtS, bits);
  };
  const nextSigma = (f: Vqf, sigma: number, dtS: number): number => {
    if (!useMag) return sigma;
    const k = f.getLastMagGain();
    return k > 0 ? (1 - k) * sigma + k * sigmaMag : sigma + drift * (dtS > 0 ? dtS : 0);
  };

  // 2. backward from the forward end state. With alignToSampleInstant the filter rotates each
  // accelerometer and magnetometer sample half a step back along its own time, i.e. here half
  // a step later than the quaternion of sample i, which is the instant of sample i + 1 (the
  // quaternion after a step is half a step past the sample in both directions; see
  // vqfParams.ts): so the backward step to i takes those two sensors' samples i + 1.
  const accAhead = p.alignToSampleInstant;
  const bwd = createPass(n);
  const fb = new Vqf(passParams, rates);
  fb.setState(reverseTimeState(f1.getState()));
  let sigma = sigmaMag;
  record(fb, bwd, n - 1, sigma);
  for (let i = n - 2; i >= 0; i--) {
    const dt = tS[i + 1]! - tS[i]!;
    step(fb, i + 1, accAhead ? i + 1 : i, -1, dt);
    sigma = nextSigma(fb, sigma, dt);
    record(fb, bwd, i, sigma);
  }

  // 3. forward again from the backward pass's start state.
  const fwd = createPass(n);
  const f2 = new Vqf(passParams, rates);
  f2.setState(reverseTimeState(fb.getState()));
  sigma = sigmaMag;
  record(f2, fwd, 0, sigma);
  for (let i = 1; i < n; i++) {
    const dt = tS[i]! - tS[i - 1]!;
    step(f2, i, i, 1, dt);
    sigma = nextSigma(f2, sigma, dt);
    record(f2, fwd, i, sigma);
  }

  // 4. inclination: zero-phase smoother (or the passes' average), then heading.
  const smooth = options.zeroPhaseInclination ?? true;
  const smootherTau = options.smootherTauAccS ?? p.tauAccS;
  if (!(smootherTau >= 0) || !Number.isFinite(smootherTau)) throw new VqfParamError('smootherTauAccS', smootherTau, 'must be a finite number ≥ 0');
  const splitTau = options.inclinationSplitTauS ?? 0.3;
  if (!(splitTau >= 0) || !Number.isFinite(splitTau)) throw new VqfParamError('inclinationSplitTauS', splitTau, 'must be a finite number ≥ 0');
  const q6s = smooth ? smoothedInclination(block, fwd.q6, f2, p, smootherTau, rateHz) : undefined;
  const qf = quat.create(), qb = quat.create();
  if (q6s !== undefined && splitTau > 0) addHighBandOfPassAverage(q6s, fwd.q6, bwd.q6, n, splitTau, block);
  for (let i = 0; i < n; i++) {
    quat.readAt(qf, fwd.q6, i);
    quat.readAt(qb, bwd.q6, i);
    if (q6s !== undefined) quat.readAt(q, q6s, i);
    else quat.slerp(q, qf, qb, 0.5);
    if (useMag) {
      // Heading of each pass's 9D estimate relative to the fused 6D one: its δ plus the
      // (small) twist between that pass's 6D estimate and the fused one.
      const psiF = fwd.delta[i]! + twistZ(qf, q);
      const psiB = bwd.delta[i]! + twistZ(qb, q);
      const vf = fwd.sigma[i]! ** 2, vb = bwd.sigma[i]! ** 2;
      const wf = vb / (vf + vb);
      const psi = Math.atan2(wf * Math.sin(psiF) + (1 - wf) * Math.sin(psiB), wf * Math.cos(psiF) + (1 - wf) * Math.cos(psiB));
      rotateZ(q, q, psi);
    }
    quat.writeAt(result, i, q);
  }

  // 5. latency compensation by interpolation towards later samples.
  if (p.latencyCompensationS !== 0) shiftInTime(result, tS, p.latencyCompensationS, n);
  return result;
}

/**
 * Zero-phase inclination smoother, 6D quaternion per sample (4n).
 *
 * The forward–backward average of two causal passes smooths each pass's low-pass in the
 * almost-inertial frame with the response Re H (equal and opposite phase lags cancel), which
 * passes the band just above the cutoff with a negative lobe and rolls off at only
 * 12 dB/octave. Here the whole recording is used directly instead:
 *
 * 1. one strapdown trajectory G over the recording with a constant bias — the estimate the
 *    second forward pass ends with (it has seen the recording twice); from the 6D estimate
 *    of sample 0;
 * 2. every accelerometer sample rotated into that frame (at its own sampling instant when
 *    `alignToSampleInstant` is set, as in the filter);
 * 3. that specific force low-passed forwards and backwards ({@link filtfiltInPlace}, the
 *    filter's 2nd-order Butterworth): zero phase, response |H|², so neither lag nor lead
 *    and twice the roll-off against linear acceleration;
 * 4. per sample the shortest rotation from the smoothed vector to vertical, applied to G.
 *
 * Slow drift of G (bias error, scale-factor errors during fast motion) is in the smoothed
 * vector too and is removed with it. Samples with a non-finite or zero accelerometer
 * reading hold the previous rotated vector; gyroscope samples that are not finite (or a
 * time step that is not positive) are not integrated.
 */
function smoothedInclination(
  block: InertialBlock,
  q6Start: Float64Array,
  lastPass: Vqf,
  p: VqfParams,
  tauS: number,
  rateHz: number | undefined,
): Float64Array {
  const { tS, gyrRadS: gyr, accMS2: acc } = block;
  const n = tS.length;
  const out = new Float64Array(4 * n);
  const v = new Float64Array(3 * n);
  const G = quat.create(), h = quat.create(), w = new Float64Array(3), a = new Float64Array(3), r = new Float64Array(3);
  const b = lastPass.getBiasRadS(new Float64Array(3));
  G[0] = q6Start[0]!;
  G[1] = q6Start[1]!;
  G[2] = q6Start[2]!;
  G[3] = q6Start[3]!;
  const align = p.alignToSampleInstant;
  let have = false;
  for (let i = 0; i < n; i++) {
    const dt = i > 0 ? tS[i]! - tS[i - 1]! : 0;
    w[0] = gyr[3 * i]! - b[0]!;
    w[1] = gyr[3 * i + 1]! - b[1]!;
    w[2] = gyr[3 * i + 2]! - b[2]!;
    const gyrOk = i > 0 && dt > 0 && Number.isFinite(dt) && Number.isFinite(w[0]!) && Number.isFinite(w[1]!) && Number.isFinite(w[2]!);
    if (gyrOk) quat.integrateRate(G, G, w, dt);
    quat.writeAt(out, i, G);
    a[0] = acc[3 * i]!;
    a[1] = acc[3 * i + 1]!;
    a[2] = acc[3 * i + 2]!;
    const accOk = Number.isFinite(a[0]!) && Number.isFinite(a[1]!) && Number.isFinite(a[2]!) && (a[0] !== 0 || a[1] !== 0 || a[2] !== 0);
    if (accOk) {
      // The sample's instant is half a step before G (see vqfParams.ts, alignToSampleInstant).
      if (align && gyrOk) quat.integrateRate(h, G, w, -0.5 * dt);
      else h.set(G);
      quat.rotate(r, h, a);
      v[3 * i] = r[0]!;
      v[3 * i + 1] = r[1]!;
      v[3 * i + 2] = r[2]!;
      if (!have) {
        // Samples before the first good one take its value.
        for (let j = 0; j < i; j++) v.copyWithin(3 * j, 3 * i, 3 * i + 3);
        have = true;
      }
    } else if (i > 0) v.copyWithin(3 * i, 3 * (i - 1), 3 * i);
  }
  if (!have) return out;
  const rate = rateHz !== undefined && rateHz > 0 && Number.isFinite(rateHz) ? rateHz : (n - 1) / (tS[n - 1]! - tS[0]!);
  if (tauS > 0 && Number.isFinite(rate) && rate > 0 && cutoffHzFromTau(tauS) < 0.45 * rate && n > 1) zeroPhaseLowPass(v, n, cutoffHzFromTau(tauS), rate);
  const qc = quat.create(), g6 = quat.create();
  for (let i = 0; i < n; i++) {
    const x = v[3 * i]!, y = v[3 * i + 1]!, z = v[3 * i + 2]!;
    const norm = Math.sqrt(x * x + y * y + z * z);
    quat.readAt(g6, out, i);
    if (!(norm > 0)) continue;
    const ez = z / norm;
    // Shortest rotation from the smoothed vector to +z (as in the filter's correction).
    const qw = Math.sqrt(0.5 * (ez + 1));
    if (qw > 1e-6) quat.set(qc, qw, (0.5 * y) / norm / qw, (-0.5 * x) / norm / qw, 0);
    else quat.set(qc, 0, 1, 0, 0);
    quat.multiply(g6, qc, g6);
    quat.normalize(g6, g6);
    quat.writeAt(out, i, g6);
  }
  return out;
}

/**
 * Complementary split of the two inclination estimates (option `inclinationSplitTauS`), in
 * place on the smoother's 6D quaternions `q6s`. Per sample the tilt d of the pass average
 * (slerp of the forward and backward 6D estimates) relative to the smoother, d = rotation
 * vector of q_avg ⊗ q_s⁻¹ without its vertical (heading) part; then d − LP(d) with the
 * zero-phase low-pass at τ, i.e. the high band of the difference, is applied:
 * q_s ← exp(d − LP(d)) ⊗ q_s. The result has the smoother's low band (no lag, no
 * drift) and the pass average's high band.
 *
 * In the almost-inertial frame both estimates are linear filters of the same rotated specific
 * force (measured: replacing the pass average by the forward and backward causal Butterworth
 * of the smoother's own specific force gives the same result per BROAD trial to 0.01°), so
 * the split is one zero-phase response, K = |H|²·|L|² + Re H·(1 − |L|²) with L the split's
 * Butterworth and Re H = |H|²·(1 − (f/fc)²): the smoother's |H|² below the split, the pass
 * average's small negative lobe, ≈ −(fc/f)², above it. On BROAD this lowers the inclination
 * error (0.504° → 0.492°, mostly trials 15 and 30; also with BROAD's latency compensated); on
 * the ideal simulator it costs 0.004–0.009° (the lobe passes some linear acceleration). Why
 * BROAD favours it is not established.
 */
function addHighBandOfPassAverage(q6s: Float64Array, fwd: Float64Array, bwd: Float64Array, n: number, tauS: number, block: InertialBlock): void {
  const rate = inferRateHz(block);
  const fc = cutoffHzFromTau(tauS);
  if (!(rate > 0) || !Number.isFinite(rate) || !(fc < 0.45 * rate) || n < 2) return;
  const d = new Float64Array(3 * n);
  const qf = quat.create(), qb = quat.create(), qa = quat.create(), qs = quat.create(), dq = quat.create();
  for (let i = 0; i < n; i++) {
    quat.readAt(qf, fwd, i);
    quat.readAt(qb, bwd, i);
    quat.slerp(qa, qf, qb, 0.5);
    quat.readAt(qs, q6s, i);
    quat.multiply(dq, qa, quat.conjugate(qs, qs));
    // Small-angle rotation vector (the two estimates differ by a fraction of a degree).
    const s = dq[0]! < 0 ? -2 : 2;
    d[3 * i] = s * dq[1]!;
    d[3 * i + 1] = s * dq[2]!;
  }
  const lp = d.slice();
  zeroPhaseLowPass(lp, n, fc, rate);
  for (let i = 0; i < n; i++) {
    const x = d[3 * i]! - lp[3 * i]!, y = d[3 * i + 1]! - lp[3 * i + 1]!;
    const ang = Math.sqrt(x * x + y * y);
    if (!(ang > 0)) continue;
    const k = Math.sin(0.5 * ang) / ang;
    quat.set(dq, Math.cos(0.5 * ang), k * x, k * y, 0);
    quat.readAt(qs, q6s, i);
    quat.multiply(qs, dq, qs);
    quat.normalize(qs, qs);
    quat.writeAt(q6s, i, qs);
  }
}

/** The block's nominal rate when known, else the mean rate over its time stamps, Hz. */
function inferRateHz(block: InertialBlock): number {
  const r = block.info.rateHz;
  if (r !== undefined && r > 0 && Number.isFinite(r)) return r;
  const { tS } = block, n = tS.length;
  return (n - 1) / (tS[n - 1]! - tS[0]!);
}

/**
 * {@link filtfiltInPlace} of the 3-channel `v` (n samples) with each end first extended by its
 * mirror image (v[1], v[2], … before the start; likewise after the end) over
 * `SMOOTHER_PAD_PERIODS` cutoff periods. filtfilt's own padding reflects about the end
 * sample, which is one noisy specific-force sample when a recording starts or ends in
 * motion; the mirror has no such pivot, and the start-up transient of filtfilt's own pad
 * dies out inside the mirror before it reaches the data.
 */
function zeroPhaseLowPass(v: Float64Array, n: number, cutoffHz: number, rateHz: number): void {
  const pad = Math.min(n - 1, Math.ceil((SMOOTHER_PAD_PERIODS * rateHz) / cutoffHz));
  const m = n + 2 * pad;
  const x = new Float64Array(3 * m);
  x.set(v.subarray(0, 3 * n), 3 * pad);
  for (let j = 1; j <= pad; j++) {
    x.copyWithin(3 * (pad - j), 3 * (pad + j), 3 * (pad + j) + 3);
    x.copyWithin(3 * (pad + n - 1 + j), 3 * (pad + n - 1 - j), 3 * (pad + n - 1 - j) + 3);
  }
  filtfiltInPlace(x, 3, cutoffHz, rateHz);
  v.set(x.subarray(3 * pad, 3 * (pad + n)));
}

/** Length of the smoother's mirrored end extensions, in cutoff periods (1/fc). */
const SMOOTHER_PAD_PERIODS = 2;

/** Rotation angle about global z of a ⊗ b* (its twist about z), rad. */
function twistZ(a: Float64Array, b: Float64Array): number {
  const w = a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! + a[3]! * b[3]!;
  const z = -a[0]! * b[3]! - a[1]! * b[2]! + a[2]! * b[1]! + a[3]! * b[0]!;
  return 2 * Math.atan2(z, w);
}

/** out = Rz(angle) ⊗ q. */
function rotateZ(out: Float64Array, q: Float64Array, angleRad: number): Float64Array {
  const c = Math.cos(0.5 * angleRad), s = Math.sin(0.5 * angleRad);
  const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
  out[0] = c * w - s * z;
  out[1] = c * x - s * y;
  out[2] = c * y + s * x;
  out[3] = c * z + s * w;
  return out;
}

/**
 * Replace each sample i by the orientation at tS[i] + leadS (slerp between the neighbours,
 * held beyond the ends). Works on a copy: a negative lead reads earlier samples.
 */
function shiftInTime(qs: Float64Array, tS: Float64Array, leadS: number, n: number): void {
  const src = qs.slice(0, 4 * n);
  const a = quat.create(), b = quat.create(), r = quat.create();
  let j = 0;
  for (let i = 0; i < n; i++) {
    const t = tS[i]! + leadS;
    while (j + 1 < n && tS[j + 1]! <= t) j++;
    while (j > 0 && tS[j]! > t) j--;
    if (t <= tS[0]!) quat.readAt(r, src, 0);
    else if (j + 1 >= n) quat.readAt(r, src, n - 1);
    else {
      const span = tS[j + 1]! - tS[j]!;
      const frac = span > 0 ? (t - tS[j]!) / span : 0;
      quat.slerp(r, quat.readAt(a, src, j), quat.readAt(b, src, j + 1), frac);
    }
    quat.writeAt(qs, i, r);
  }
}
