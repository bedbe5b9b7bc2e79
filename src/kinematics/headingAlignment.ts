/**
 * Magnetometer-free heading alignment of the two sensors of a hinge joint (Laidig et al.,
 * ICORR 2017): with 6D (magnetometer-free) orientations q₁, q₂, each with its own arbitrary and
 * drifting heading, the joint axis seen from both sides must coincide in the global frame:
 * R₁ j₁ = R_z(δ) R₂ j₂, where δ is the heading correction of sensor 2. Over a moving window the
 * least-squares δ maximises Σ a₁ · R_z(δ) a₂ with a₁ = R₁j₁, a₂ = R₂j₂, which has the closed form
 * δ = atan2(Σ (a₁ᵧa₂ₓ − a₁ₓa₂ᵧ), Σ (a₁ₓa₂ₓ + a₁ᵧa₂ᵧ)) — only the horizontal parts of the axes
 * carry information. Corrected sensor 2: q₂′ = q_z(δ) ⊗ q₂.
 *
 * Confidence ∈ [0, 1] = (agreement of the samples on δ, the mean resultant length) ×
 * min(1, mean |a₁,h||a₂,h| / sin²(fullTiltDeg)). It falls to ~0 when the axis is near vertical
 * (gravity then says nothing about relative heading: the output δ must not be trusted) or when
 * the samples disagree (not a hinge, wrong axes). During rest (both gyros below restRateDegS for
 * restDurationS) the last estimate and confidence are held: 6D headings barely drift at rest.
 *
 * j₁ and j₂ must be sign-consistent (the same physical direction), e.g. from
 * `estimateHingeAxes` with hints; an inverted pair gives δ off by 180° for horizontal axes.
 * Estimates are updated once per `updateIntervalS` from the last `windowS` of samples; between
 * updates the output is held (piecewise constant).
 */
import * as quat from '../math/quat';
import type { QuatLike } from '../math/quat';
import * as vec3 from '../math/vec3';
import type { Vec3Like } from '../math/vec3';
import { CalibrationInputError } from './hingeAxis';

const DEG = Math.PI / 180;

export interface HeadingAlignmentParams {
  /** Length of the moving window, s. Default 8. */
  windowS: number;
  /** Time between estimates, s. Default 1 (1 Hz). */
  updateIntervalS: number;
  /** Both gyro norms below this count as rest, deg/s. Default 4. */
  restRateDegS: number;
  /** Rest must last this long before the estimate is held, s. Default 3. */
  restDurationS: number;
  /** Axis tilt from vertical at and above which the geometry gives full confidence, deg. Default 30. */
  fullTiltDeg: number;
  /** Drift of the two sensors' relative 6D heading while nothing observes it (rest, no estimate yet), deg/s;
   *  e.g. √(σ_b1² + σ_b2²) of the filters' gyro-bias uncertainty. Default 0.05. */
  headingDriftDegS: number;
}

export const DEFAULT_HEADING_ALIGNMENT_PARAMS: HeadingAlignmentParams = {
  windowS: 8,
  updateIntervalS: 1,
  restRateDegS: 4,
  restDurationS: 3,
  fullTiltDeg: 30,
  headingDriftDegS: 0.05,
};

/** Plain-data state (JSON-serialisable). */
export interface HeadingAlignmentState {
  /** Per-bin sums of cos-term, sin-term and horizontal weight, and sample counts (ring buffer). */
  binC: number[];
  binS: number[];
  binW: number[];
  binN: number[];
  /** Ring index of the bin being filled. */
  head: number;
  /** Start time of the bin being filled, s (NaN before the first sample). */
  binStartS: number;
  lastTS: number;
  /** Time the current rest period began, s (NaN while moving). */
  restStartS: number;
  deltaRad: number;
  confidence: number;
  /** 1-σ of δ when it was estimated, rad (π before the first estimate). */
  deltaSigmaRad: number;
  /** Time of the last estimate, s (NaN before the first). */
  lastEstimateS: number;
  /** Number of estimates made so far. */
  estimates: number;
}

export class HeadingAlignment {
  readonly params: Readonly<HeadingAlignmentParams>;
  readonly j1: Float64Array;
  readonly j2: Float64Array;
  private readonly nBins: number;
  private s: HeadingAlignmentState;
  private readonly a1 = new Float64Array(3);
  private readonly a2 = new Float64Array(3);
  private readonly q = new Float64Array(4);
  private readonly g = new Float64Array(3);

  constructor(j1: Vec3Like, j2: Vec3Like, params: Partial<HeadingAlignmentParams> = {}) {
    const p = { ...DEFAULT_HEADING_ALIGNMENT_PARAMS, ...params };
    if (!(p.headingDriftDegS >= 0 && Number.isFinite(p.headingDriftDegS))) throw new CalibrationInputError(`HeadingAlignment: headingDriftDegS must be finite and ≥ 0, got ${String(p.headingDriftDegS)}`);
    for (const k of ['windowS', 'updateIntervalS', 'restRateDegS', 'restDurationS', 'fullTiltDeg'] as const) {
      if (!Number.isFinite(p[k]) || p[k] <= 0) throw new CalibrationInputError(`HeadingAlignment: ${k} must be > 0, got ${String(p[k])}`);
    }
    if (p.fullTiltDeg > 90) throw new CalibrationInputError(`HeadingAlignment: fullTiltDeg must be ≤ 90, got ${p.fullTiltDeg}`);
    this.params = Object.freeze(p);
    this.j1 = unitAxis('j1', j1);
    this.j2 = unitAxis('j2', j2);
    this.nBins = Math.max(1, Math.round(p.windowS / p.updateIntervalS));
    this.s = this.initialState();
  }

  private initialState(): HeadingAlignmentState {
    const z = (): number[] => new Array<number>(this.nBins).fill(0);
    return { binC: z(), binS: z(), binW: z(), binN: z(), head: 0, binStartS: NaN, lastTS: NaN, restStartS: NaN, deltaRad: 0, confidence: 0, deltaSigmaRad: Math.PI, lastEstimateS: NaN, estimates: 0 };
  }

  reset(): void {
    this.s = this.initialState();
  }

  getState(): HeadingAlignmentState {
    return structuredClone(this.s);
  }

  setState(state: HeadingAlignmentState): void {
    if (state.binC.length !== this.nBins) throw new CalibrationInputError(`HeadingAlignment.setState: expected ${this.nBins} bins, got ${state.binC.length}`);
    this.s = structuredClone(state);
  }

  /** Current heading correction of sensor 2, rad (0 before the first estimate). */
  get deltaRad(): number {
    return this.s.deltaRad;
  }

  /** Confidence of `deltaRad`, 0…1 (0 before the first estimate). */
  get confidence(): number {
    return this.s.confidence;
  }

  /**
   * 1-σ of `deltaRad` at time `tS`, rad: its spread when estimated (per-sample heading spread over
   * √(independent samples), divided by the confidence) combined with the drift since
   * (`headingDriftDegS` × time since the last estimate); π before the first estimate.
   */
  sigmaAt(tS: number): number {
    const s = this.s;
    if (s.estimates === 0) return Math.PI;
    const drift = this.params.headingDriftDegS * DEG * Math.max(0, tS - s.lastEstimateS);
    return Math.min(Math.PI, Math.hypot(s.deltaSigmaRad, drift));
  }

  /**
   * One time-aligned sample: 6D orientations q_GS of both sensors and their gyro rates (rad/s,
   * for rest detection). Times must increase.
   */
  update(tS: number, q1: QuatLike, q2: QuatLike, gyr1RadS: Vec3Like, gyr2RadS: Vec3Like): void {
    const s = this.s, p = this.params;
    if (!Number.isFinite(tS)) throw new CalibrationInputError(`HeadingAlignment: non-finite time ${tS}`);
    if (tS <= s.lastTS) throw new CalibrationInputError(`HeadingAlignment: time must increase (${tS} after ${s.lastTS})`);
    s.lastTS = tS;
    if (Number.isNaN(s.binStartS)) s.binStartS = tS;
    // Close finished bins (several if there was a pause in the data).
    while (tS >= s.binStartS + p.updateIntervalS) {
      this.closeBin();
      s.binStartS += p.updateIntervalS;
      if (tS - s.binStartS > p.windowS) s.binStartS = tS; // long gap: skip ahead
    }
    // Rest detection.
    const moving = vec3.length(gyr1RadS) >= p.restRateDegS * DEG || vec3.length(gyr2RadS) >= p.restRateDegS * DEG;
    if (moving) s.restStartS = NaN;
    else if (Number.isNaN(s.restStartS)) s.restStartS = tS;
    if (this.resting()) return;
    if (!finite4(q1) || !finite4(q2)) return; // missing sample: no contribution
    const a1 = quat.rotate(this.a1, q1, this.j1), a2 = quat.rotate(this.a2, q2, this.j2);
    const h = s.head;
    s.binC[h] += a1[0]! * a2[0]! + a1[1]! * a2[1]!;
    s.binS[h] += a1[1]! * a2[0]! - a1[0]! * a2[1]!;
    s.binW[h] += Math.hypot(a1[0]!, a1[1]!) * Math.hypot(a2[0]!, a2[1]!);
    s.binN[h] += 1;
  }

  private resting(): boolean {
    const s = this.s;
    return !Number.isNaN(s.restStartS) && s.lastTS - s.restStartS >= this.params.restDurationS;
  }

  private closeBin(): void {
    const s = this.s;
    if (!this.resting()) {
      let c = 0, sn = 0, w = 0, n = 0;
      for (let i = 0; i < this.nBins; i++) {
        c += s.binC[i]!;
        sn += s.binS[i]!;
        w += s.binW[i]!;
        n += s.binN[i]!;
      }
      if (n > 0 && w > 0) {
        const r = Math.hypot(c, sn);
        const agreement = Math.min(1, r / w);
        const full = Math.sin(this.params.fullTiltDeg * DEG) ** 2;
        s.deltaRad = Math.atan2(sn, c);
        s.confidence = agreement * Math.min(1, w / n / full);
        // Circular spread of the per-sample headings; neighbouring samples are strongly
        // correlated (slow motion), so count about one independent sample per 0.25 s.
        const spread = Math.sqrt(Math.max(0, -2 * Math.log(Math.max(agreement, 1e-12))));
        const nEff = Math.max(1, Math.min(n, (this.params.windowS / 0.25)));
        s.deltaSigmaRad = Math.min(Math.PI, spread / Math.sqrt(nEff) / Math.max(s.confidence, 1e-3));
        s.lastEstimateS = s.lastTS;
        s.estimates++;
      } else if (n > 0) {
        s.confidence = 0; // axis exactly vertical: no information
      }
    }
    s.head = (s.head + 1) % this.nBins;
    s.binC[s.head] = 0;
    s.binS[s.head] = 0;
    s.binW[s.head] = 0;
    s.binN[s.head] = 0;
  }

  /**
   * A run of time-aligned samples: q1, q2 (4n), gyr1, gyr2 (3n). Writes δ (rad) and the
   * confidence for every sample (the values valid after that sample) into the outputs (length ≥ n),
   * and optionally δ's 1-σ ({@link sigmaAt}).
   */
  updateBlock(
    tS: ArrayLike<number>, q1: ArrayLike<number>, q2: ArrayLike<number>, gyr1RadS: ArrayLike<number>, gyr2RadS: ArrayLike<number>,
    outDeltaRad: Float64Array, outConfidence: Float64Array, outSigmaRad?: Float64Array,
  ): void {
    const n = tS.length;
    if (q1.length < 4 * n || q2.length < 4 * n || gyr1RadS.length < 3 * n || gyr2RadS.length < 3 * n) {
      throw new CalibrationInputError(`HeadingAlignment.updateBlock: inputs shorter than ${n} samples (quats 4n, gyros 3n)`);
    }
    if (outDeltaRad.length < n || outConfidence.length < n) throw new CalibrationInputError(`HeadingAlignment.updateBlock: outputs need length ≥ ${n}`);
    const qa = this.q, qb = new Float64Array(4), g1 = this.g, g2 = new Float64Array(3);
    for (let i = 0; i < n; i++) {
      quat.readAt(qa, q1, i);
      quat.readAt(qb, q2, i);
      vec3.readAt(g1, gyr1RadS, i);
      vec3.readAt(g2, gyr2RadS, i);
      this.update(tS[i]!, qa, qb, g1, g2);
      outDeltaRad[i] = this.s.deltaRad;
      outConfidence[i] = this.s.confidence;
      if (outSigmaRad) outSigmaRad[i] = this.sigmaAt(tS[i]!);
    }
  }
}

/** q₂′ = q_z(δ) ⊗ q₂: sensor 2's orientation in sensor 1's heading frame. */
export function applyHeadingCorrection(out: Float64Array, q2: QuatLike, deltaRad: number): Float64Array {
  const c = Math.cos(deltaRad / 2), s = Math.sin(deltaRad / 2);
  const w = q2[0]!, x = q2[1]!, y = q2[2]!, z = q2[3]!;
  out[0] = c * w - s * z;
  out[1] = c * x - s * y;
  out[2] = c * y + s * x;
  out[3] = c * z + s * w;
  return out;
}

function finite4(q: QuatLike): boolean {
  return Number.isFinite(q[0]!) && Number.isFinite(q[1]!) && Number.isFinite(q[2]!) && Number.isFinite(q[3]!);
}

function unitAxis(name: string, a: Vec3Like): Float64Array {
  const n = Math.hypot(a[0]!, a[1]!, a[2]!);
  if (!(n > 1e-9) || !Number.isFinite(n)) throw new CalibrationInputError(`HeadingAlignment: axis ${name} must be a finite non-zero vector`);
  return vec3.fromValues(a[0]! / n, a[1]! / n, a[2]! / n);
}
