/**
 * Magnetic disturbance detection and rejection for the VQF-class filter.
 *
 * The field seen in the 6D earth frame has a norm and a dip angle that stay constant wherever
 * the Earth's field is undisturbed. A reference norm/dip is tracked slowly; a current value
 * (lightly low-passed) that deviates by more than `magNormTh` (relative) or `magDipThDeg`
 * marks the field disturbed, and it must then agree again for `magMinUndisturbedTimeS` to be
 * trusted. A different but steady field (e.g. a new room) becomes the new reference once it
 * has been seen for `magNewTimeS` of motion (≥ `magNewMinGyrDegS`; `magNewFirstTimeS` at
 * start-up, when there is no reference yet).
 *
 * Rejection: while disturbed the heading correction is off for up to `magMaxRejectionTimeS`
 * (the gyroscope holds the heading); after that it resumes at a reduced gain so that a
 * permanent change cannot leave the heading uncorrected for ever. Undisturbed time earns the
 * rejection budget back at `magRejectionFactor` × real time.
 */
import type { VqfCoefficients } from './vqfCoefficients';
import * as vqfLowPass from './vqfLowPass';

// Bound once (see vqf.ts: module-object access can cost a getter call per use).
const { lowPassStateLength, lowPassStep2 } = vqfLowPass;
import type { VqfParams } from './vqfParams';

export interface MagDistStateOf<A> {
  detected: boolean;
  /** Reference field norm (µT, 0 = none yet) and dip (rad). */
  refNormUT: number;
  refDipRad: number;
  /** Time undisturbed since the last disturbance, s. */
  undisturbedS: number;
  /** Rejection time used up, s. */
  rejectS: number;
  /** Candidate for a new reference: norm (µT), dip (rad), time seen in motion (s). */
  candidateNormUT: number;
  candidateDipRad: number;
  candidateS: number;
  /** Current (low-passed) norm, µT, and dip, rad. */
  normDip: A;
  normDipLpState: A;
}

export type MagDistState = MagDistStateOf<number[]>;

export function createMagDistState(): MagDistStateOf<Float64Array> {
  return {
    detected: false,
    refNormUT: 0,
    refDipRad: 0,
    undisturbedS: 0,
    rejectS: 0,
    candidateNormUT: -1,
    candidateDipRad: 0,
    candidateS: 0,
    normDip: new Float64Array(2),
    normDipLpState: new Float64Array(lowPassStateLength(2)),
  };
}

/**
 * Update detection with a field sample in the 6D earth frame (`magE`, µT; non-zero) while the
 * sensor turns at |`gyrLpRadS`| (the rest detector's low-passed rate). Time advances by the
 * magnetometer's coefficient period.
 */
export function magDistDetect(m: MagDistStateOf<Float64Array>, magE: ArrayLike<number>, gyrLpRadS: ArrayLike<number>, c: VqfCoefficients, p: VqfParams): void {
  const nd = m.normDip;
  const n = Math.sqrt(magE[0]! * magE[0]! + magE[1]! * magE[1]! + magE[2]! * magE[2]!);
  nd[0] = n;
  // Dip: angle below the horizontal (positive when the field points down, as in the north).
  const s = -magE[2]! / n;
  nd[1] = Math.asin(s > 1 ? 1 : s < -1 ? -1 : s);
  if (p.magCurrentTauS > 0) lowPassStep2(nd, nd, c.magNormDipLp, m.normDipLpState);
  const norm = nd[0]!, dip = nd[1]!;
  const ts = c.magTsS;

  if (Math.abs(norm - m.refNormUT) < p.magNormTh * m.refNormUT && Math.abs(dip - m.refDipRad) < c.magDipThRad) {
    m.undisturbedS += ts;
    if (m.undisturbedS >= p.magMinUndisturbedTimeS) {
      m.detected = false;
      m.refNormUT += c.kMagRef * (norm - m.refNormUT);
      m.refDipRad += c.kMagRef * (dip - m.refDipRad);
    }
  } else {
    m.undisturbedS = 0;
    m.detected = true;
  }

  if (Math.abs(norm - m.candidateNormUT) < p.magNormTh * m.candidateNormUT && Math.abs(dip - m.candidateDipRad) < c.magDipThRad) {
    // The turn rate matters only while a candidate field holds steady.
    const gyrRateRadS = Math.sqrt(gyrLpRadS[0]! * gyrLpRadS[0]! + gyrLpRadS[1]! * gyrLpRadS[1]! + gyrLpRadS[2]! * gyrLpRadS[2]!);
    if (gyrRateRadS >= c.magNewMinGyrRadS) m.candidateS += ts;
    m.candidateNormUT += c.kMagRef * (norm - m.candidateNormUT);
    m.candidateDipRad += c.kMagRef * (dip - m.candidateDipRad);
    if (m.detected && (m.candidateS >= p.magNewTimeS || (m.refNormUT === 0 && m.candidateS >= p.magNewFirstTimeS))) {
      m.refNormUT = m.candidateNormUT;
      m.refDipRad = m.candidateDipRad;
      m.detected = false;
      m.undisturbedS = p.magMinUndisturbedTimeS;
    }
  } else {
    m.candidateS = 0;
    m.candidateNormUT = norm;
    m.candidateDipRad = dip;
  }
}

/**
 * Heading-correction gain for this sample given the disturbance state, into `out[0]` (the
 * undisturbed gain is `c.kMag`; written to an array because V8 boxes returned doubles).
 */
export function magRejectionGain(m: MagDistStateOf<Float64Array>, out: Float64Array, c: VqfCoefficients, p: VqfParams): void {
  if (m.detected) {
    if (m.rejectS <= p.magMaxRejectionTimeS) {
      m.rejectS += c.magTsS;
      out[0] = 0;
    } else out[0] = c.kMag / p.magRejectionFactor;
    return;
  }
  m.rejectS = Math.max(m.rejectS - p.magRejectionFactor * c.magTsS, 0);
  out[0] = c.kMag;
}
