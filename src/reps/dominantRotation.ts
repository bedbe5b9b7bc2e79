/**
 * A movement signal from one sensor with no calibration at all: the angle (deg) of its
 * dominant rotation — the principal axis of its angular motion (gyroscope, see
 * principalAxis.ts), and the rotation about that axis of the 6D orientation (VQF, no
 * magnetometer) relative to the attitude at the first sample (twist.ts). Inclination is
 * accelerometer-corrected, so the angle does not drift for rotations about a horizontal axis
 * (every limb raise, curl or bend in a vertical plane); heading drift only enters for an axis
 * with a vertical component.
 *
 * The axis sign is chosen so that excursions from the initial attitude go mostly positive
 * (reps read "up" when the recording starts at rest).
 */
import { estimateOrientationOffline } from '../fusion/offline';
import { Vqf } from '../fusion/vqf';
import * as quat from '../math/quat';
import type { Vec3Like } from '../math/vec3';
import type { InertialBlock } from '../samples/block';
import { resolveDominantRotationParams, type DominantRotationParams } from './dominantRotationParams';
import { RotationAxisAccumulator } from './principalAxis';
import type { MovementSignal } from './rep';
import { inclinationAngleRad, swingAngleRad, twistAngleRad, upInSensor, type DominantRotationMethod } from './twist';

const DEG = 180 / Math.PI;

export interface DominantRotationSignal extends MovementSignal {
  /** The rotation axis in the sensor frame (unit; the sign the angle is measured with). */
  readonly axisS: Float64Array;
  /** Total angle the sensor turned (Σ|ω|·dt above `minRateDegS`), deg: compare sensors to find the moving one. */
  readonly totalRotationDeg: number;
  /** Share of all angular motion about that axis, in [1/3, 1] (1 = pure single-axis motion; 0 = no motion). */
  readonly axisShare: number;
  readonly method: DominantRotationMethod;
  /**
   * Per sample, how far the sensor has rotated other than about the axis since the reference
   * attitude (swing angle), deg ≥ 0 — out-of-plane motion, e.g. for compensation measures.
   */
  readonly offAxisDeg: Float64Array;
}

/** Per-sample angle about `axis` relative to sample `ref` of the interleaved orientations `q`. */
function angleSeries(q: Float64Array, n: number, axis: Float64Array, method: DominantRotationMethod, out: Float64Array): Float64Array {
  const qRef = quat.readAt(quat.create(), q, 0);
  const qi = quat.create();
  const upRef = upInSensor(qRef, new Float64Array(3));
  const up = new Float64Array(3);
  let offset = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    quat.readAt(qi, q, i);
    const raw = method === 'orientation' ? twistAngleRad(qRef, qi, axis) : inclinationAngleRad(upRef, upInSensor(qi, up), axis);
    // Unwrap: a step of more than half a turn between samples is a wrap, not motion.
    let v = raw + offset;
    if (i > 0 && Math.abs(v - prev) > Math.PI) {
      offset -= 2 * Math.PI * Math.round((v - prev) / (2 * Math.PI));
      v = raw + offset;
    }
    prev = v;
    out[i] = v * DEG;
  }
  return out;
}

/** Flip so that the larger excursion from the first sample is positive; returns the sign applied. */
function orientUp(angleDeg: Float64Array, n: number, axis: Float64Array): number {
  if (n === 0) return 1;
  const a0 = angleDeg[0]!;
  let lo = 0, hi = 0;
  for (let i = 0; i < n; i++) {
    const d = angleDeg[i]! - a0;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  if (-lo <= hi) return 1;
  for (let i = 0; i < n; i++) angleDeg[i] = -angleDeg[i]!;
  for (let k = 0; k < 3; k++) axis[k] = -axis[k]!;
  return -1;
}

/**
 * Offline: the dominant-rotation angle of a whole recording. The axis is estimated from the
 * whole record, the orientation with the forward–backward 6D filter
 * ({@link estimateOrientationOffline}); pass `orientation` (q_GS, 4n) to reuse one already
 * computed.
 */
export function dominantRotationSignal(
  block: InertialBlock,
  params: Partial<DominantRotationParams> = {},
  orientation?: Float64Array,
): DominantRotationSignal {
  const p = resolveDominantRotationParams(params);
  const n = block.tS.length;
  const q = orientation ?? estimateOrientationOffline(block, { ...p.vqf, magEnabled: false });
  if (q.length < 4 * n) throw new RangeError(`dominantRotationSignal: orientation needs ${4 * n} values, got ${q.length}`);
  const acc = new RotationAxisAccumulator(p.minRateDegS / DEG);
  const g = block.gyrRadS;
  for (let i = 1; i < n; i++) acc.add(g[3 * i]!, g[3 * i + 1]!, g[3 * i + 2]!, block.tS[i]! - block.tS[i - 1]!);
  const axisS = new Float64Array(3);
  const axisShare = acc.axis(axisS);
  const angleDeg = angleSeries(q, n, axisS, p.method, new Float64Array(n));
  orientUp(angleDeg, n, axisS);
  const offAxisDeg = new Float64Array(n);
  const qRef = quat.readAt(quat.create(), q, 0);
  const qi = quat.create();
  for (let i = 0; i < n; i++) offAxisDeg[i] = swingAngleRad(qRef, quat.readAt(qi, q, i), axisS) * DEG;
  // Time jumps of more than 1.5 nominal periods are gaps in the source (dropped samples).
  const rateHz = block.info.rateHz;
  const gapAfterS: number[] = [];
  if (rateHz !== undefined && rateHz > 0) {
    for (let i = 1; i < n; i++) if (block.tS[i]! - block.tS[i - 1]! > 1.5 / rateHz) gapAfterS.push(block.tS[i - 1]!);
  }
  return {
    tS: block.tS,
    angleDeg,
    ...(gapAfterS.length > 0 ? { gapAfterS } : {}),
    name: `dominant rotation (sensor ${block.info.sensorId})`,
    axisS,
    totalRotationDeg: acc.totalRad * DEG,
    axisShare,
    method: p.method,
    offAxisDeg,
  };
}

/** "Near the farthest attitude" (a hold at end range): within this fraction of its distance from the first one. */
const NEAR_FAR = 0.2;

/** Receives the streaming signal one sample at a time (offAxisDeg: see {@link DominantRotationSignal.offAxisDeg}). */
export type AngleSink = (tS: number, angleDeg: number, offAxisDeg: number) => void;

/**
 * Streaming dominant-rotation angle. The axis needs motion to be known, so the first samples
 * are held (orientation only, in a preallocated buffer) until the sensor has turned
 * `warmupDeg` in total, or has gone out by `warmupRepDeg` and come back (one rep), or
 * `warmupMaxS` passed; then the axis is fixed, the held samples are
 * delivered to the sink in order, and every later sample is delivered as it arrives. The
 * warm-up therefore adds to the latency of the first rep(s) only. Allocation-free per sample.
 */
export class DominantRotationTracker {
  readonly params: Readonly<DominantRotationParams>;
  private readonly vqf: Vqf;
  private readonly acc: RotationAxisAccumulator;
  private readonly capacity: number;
  private readonly heldTS: Float64Array;
  private readonly heldQ: Float64Array;
  private held = 0;
  /** Warm-up: largest distance of the attitude from the first one so far, deg, and that attitude. */
  private farthestDeg = 0;
  private readonly qFar = quat.create();
  private readonly scratchAxis = new Float64Array(3);
  /** Warm-up: since when the attitude has been near the farthest one (NaN: it is not), s; longest such stay, s. */
  private nearFarFromS = NaN;
  private heldFarS = 0;
  private readonly axis = new Float64Array([1, 0, 0]);
  private share = 0;
  private fixed = false;
  private sign = 1;
  private readonly qRef = quat.create();
  private readonly upRef = new Float64Array(3);
  private readonly q = quat.create();
  private readonly up = new Float64Array(3);
  /** Samples seen (the first is kept until the second gives the time step). */
  private count = 0;
  private firstTS = 0;
  private readonly firstGyr = new Float64Array(3);
  private readonly firstAcc = new Float64Array(3);
  private t0S = 0;
  private lastTS = NaN;
  private offsetRad = 0;
  private prevRad = 0;
  private unwrapStarted = false;
  /** Last time step that was not a gap, s (0 until one is seen). */
  private normalDtS = 0;
  /** The next sample follows a marked gap (a block's `gapBeforeS`). */
  private gapPending = false;

  constructor(
    private readonly sink: AngleSink,
    params: Partial<DominantRotationParams> = {},
    rateHz?: number,
  ) {
    this.params = Object.freeze(resolveDominantRotationParams(params));
    this.vqf = new Vqf({ ...this.params.vqf, magEnabled: false }, rateHz !== undefined ? { rateHz } : {});
    this.acc = new RotationAxisAccumulator(this.params.minRateDegS / DEG);
    this.capacity = Math.ceil(this.params.warmupMaxS * this.params.maxRateHz) + 1;
    this.heldTS = new Float64Array(this.capacity);
    this.heldQ = new Float64Array(4 * this.capacity);
  }

  /** True once the axis is fixed (samples flow straight through). */
  get ready(): boolean {
    return this.fixed;
  }

  /** The axis in the sensor frame (unit, with the sign used), or (1,0,0) before it is fixed. */
  get axisS(): Float64Array {
    return Float64Array.from(this.axis);
  }

  get axisShare(): number {
    return this.share;
  }

  reset(): void {
    this.vqf.reset();
    this.acc.reset();
    this.held = 0;
    this.farthestDeg = 0;
    this.nearFarFromS = NaN;
    this.heldFarS = 0;
    this.axis.set([1, 0, 0]);
    this.share = 0;
    this.fixed = false;
    this.sign = 1;
    this.count = 0;
    this.lastTS = NaN;
    this.unwrapStarted = false;
    this.offsetRad = 0;
    this.normalDtS = 0;
    this.gapPending = false;
  }

  /** One sample: time (s), gyroscope (rad/s, sensor frame), accelerometer (m/s²). */
  update(tS: number, gyrRadS: Vec3Like, accMS2: Vec3Like): void {
    if (!Number.isFinite(tS) || (this.count > 0 && !(tS > this.lastTS))) return;
    if (this.count === 0) {
      // The filter learns its rate from the first time step: keep this sample until the next one.
      this.firstTS = tS;
      for (let k = 0; k < 3; k++) {
        this.firstGyr[k] = gyrRadS[k]!;
        this.firstAcc[k] = accMS2[k]!;
      }
      this.count = 1;
      this.lastTS = tS;
      return;
    }
    let dtS = tS - this.lastTS;
    if (dtS >= this.params.gapS || this.gapPending) {
      // A gap: one step of the last normal period, not ω × gap (see DominantRotationParams.gapS).
      dtS = this.normalDtS > 0 ? this.normalDtS : Math.min(dtS, this.params.gapS);
      this.gapPending = false;
    } else {
      this.normalDtS = dtS;
    }
    if (this.count === 1) {
      this.vqf.update(this.firstGyr, this.firstAcc, null, dtS);
      this.vqf.getQuat6D(this.qRef);
      upInSensor(this.qRef, this.upRef);
      this.t0S = this.firstTS;
      this.accept(this.firstTS, this.qRef);
    }
    this.count++;
    this.vqf.update(gyrRadS, accMS2, null, dtS);
    this.acc.add(gyrRadS[0]!, gyrRadS[1]!, gyrRadS[2]!, dtS);
    this.lastTS = tS;
    this.vqf.getQuat6D(this.q);
    this.accept(tS, this.q);
  }

  private accept(tS: number, q: Float64Array): void {
    if (this.fixed) {
      this.sink(tS, this.angleDeg(q), swingAngleRad(this.qRef, q, this.axis) * DEG);
      return;
    }
    this.heldTS[this.held] = tS;
    quat.writeAt(this.heldQ, this.held, q);
    this.held++;
    const moved = this.acc.totalRad * DEG;
    const p = this.params;
    const awayDeg = quat.distanceRad(this.qRef, q) * DEG;
    let fromFarDeg = quat.distanceRad(this.qFar, q) * DEG;
    if (awayDeg > this.farthestDeg) {
      // Farther than ever: the hold at the far end restarts unless this is the same end range.
      if (fromFarDeg > NEAR_FAR * awayDeg) this.heldFarS = 0;
      this.farthestDeg = awayDeg;
      quat.copy(this.qFar, q);
      fromFarDeg = 0;
    }
    if (fromFarDeg > NEAR_FAR * this.farthestDeg) this.nearFarFromS = NaN;
    else if (Number.isNaN(this.nearFarFromS)) this.nearFarFromS = tS;
    else this.heldFarS = Math.max(this.heldFarS, tS - this.nearFarFromS);
    // Out, held, and back: one whole rep has been seen, enough for its axis — when it was about
    // one axis (a multi-axis movement needs more motion to find it).
    const f = p.warmupBackFraction * this.farthestDeg;
    const outAndBack =
      this.farthestDeg >= p.warmupRepDeg &&
      this.heldFarS >= p.warmupRepHoldS &&
      awayDeg <= this.farthestDeg - f &&
      fromFarDeg >= f &&
      this.acc.axis(this.scratchAxis) >= p.warmupRepShare;
    if (moved >= p.warmupDeg || outAndBack || (moved > 0 && (tS - this.t0S >= p.warmupMaxS || this.held >= this.capacity))) {
      this.fixAxis();
    } else if (this.held >= this.capacity) {
      // Nothing moved for the whole buffer: deliver those (still) samples about the provisional axis.
      this.flushHeld();
    }
  }

  /** A block of samples. */
  updateBlock(block: InertialBlock): void {
    const g = block.gyrRadS, a = block.accMS2;
    const gv = new Float64Array(3), av = new Float64Array(3);
    if (block.tS.length > 0 && block.gapBeforeS !== undefined && block.gapBeforeS > 0 && this.count > 0) this.gapPending = true;
    for (let i = 0; i < block.tS.length; i++) {
      gv[0] = g[3 * i]!;
      gv[1] = g[3 * i + 1]!;
      gv[2] = g[3 * i + 2]!;
      av[0] = a[3 * i]!;
      av[1] = a[3 * i + 1]!;
      av[2] = a[3 * i + 2]!;
      this.update(block.tS[i]!, gv, av);
    }
  }

  /** End of the recording: fixes the axis with what was seen and delivers any held samples. */
  finish(): void {
    if (this.count === 1) {
      // A single sample: its attitude is the reference, angle 0.
      this.vqf.update(this.firstGyr, this.firstAcc, null, 0.01);
      this.vqf.getQuat6D(this.qRef);
      upInSensor(this.qRef, this.upRef);
      this.accept(this.firstTS, this.qRef);
      this.count = 2;
    }
    if (!this.fixed && this.held > 0) {
      if (this.acc.totalRad > 0) this.fixAxis();
      else this.flushHeld();
    }
  }

  private angleDeg(q: Float64Array): number {
    const raw =
      this.params.method === 'orientation' ? twistAngleRad(this.qRef, q, this.axis) : inclinationAngleRad(this.upRef, upInSensor(q, this.up), this.axis);
    let v = raw + this.offsetRad;
    if (this.unwrapStarted && Math.abs(v - this.prevRad) > Math.PI) {
      this.offsetRad -= 2 * Math.PI * Math.round((v - this.prevRad) / (2 * Math.PI));
      v = raw + this.offsetRad;
    }
    this.unwrapStarted = true;
    this.prevRad = v;
    return v * DEG;
  }

  private fixAxis(): void {
    this.share = this.acc.axis(this.axis);
    // Sign from the held samples: larger excursion from the first one positive.
    let lo = 0, hi = 0, a0 = 0;
    const saveOffset = this.offsetRad, savePrev = this.prevRad, saveStarted = this.unwrapStarted;
    for (let i = 0; i < this.held; i++) {
      quat.readAt(this.q, this.heldQ, i);
      const d = this.angleDeg(this.q);
      if (i === 0) a0 = d;
      if (d - a0 < lo) lo = d - a0;
      if (d - a0 > hi) hi = d - a0;
    }
    this.offsetRad = saveOffset;
    this.prevRad = savePrev;
    this.unwrapStarted = saveStarted;
    this.sign = -lo > hi ? -1 : 1;
    for (let k = 0; k < 3; k++) this.axis[k] = this.sign * this.axis[k]!;
    this.fixed = true;
    this.flushHeld();
  }

  private flushHeld(): void {
    for (let i = 0; i < this.held; i++) {
      quat.readAt(this.q, this.heldQ, i);
      this.sink(this.heldTS[i]!, this.angleDeg(this.q), swingAngleRad(this.qRef, this.q, this.axis) * DEG);
    }
    this.held = 0;
  }
}
