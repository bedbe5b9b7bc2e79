/**
 * Tilt from gravity for accelerometer-only sensors (a Polar H10 chest strap: trunk
 * inclination): the angle between the specific force now and the one measured while the
 * segment stood upright. No gyroscope, so no heading and no sign — just how far the segment
 * leans from its upright reference, in any direction. Valid while the segment is
 * quasi-static: linear acceleration tilts the measured "up", so samples whose specific-force
 * norm is far from g are flagged ({@link TILT_NOT_AT_REST}) rather than trusted.
 */
import type { AccelBlock } from '../samples/block';
import { requireAccel } from '../samples/block';
import type { Vec3Like } from '../math/vec3';
import { AngleInputError } from './angleErrors';

/** Specific-force norm differs from g by more than `restToleranceMS2`: the tilt includes linear acceleration. */
export const TILT_NOT_AT_REST = 1;

export interface GravityTiltParams {
  /** Specific force in the sensor frame while upright (any length > 0), e.g. from {@link referenceUpFromRest}. */
  referenceUp: Vec3Like;
  /** Largest | ‖f‖ − g | for a sample at rest, m/s². Default 0.5. */
  restToleranceMS2?: number;
  /** Gravity magnitude, m/s². Default 9.81. */
  gravityMS2?: number;
}

export class GravityTilt {
  readonly restToleranceMS2: number;
  readonly gravityMS2: number;
  /** Unit reference up in the sensor frame. */
  private readonly ux: number;
  private readonly uy: number;
  private readonly uz: number;
  /** TILT_* flags of the last sample; 0 = at rest. */
  flags = 0;

  constructor(p: GravityTiltParams) {
    const r = p.referenceUp;
    if (!r || r.length < 3) throw new AngleInputError('referenceUp must be a 3-vector');
    const n = Math.hypot(r[0]!, r[1]!, r[2]!);
    if (!(n > 0) || !Number.isFinite(n)) throw new AngleInputError(`referenceUp must be finite and non-zero (norm ${n})`);
    this.ux = r[0]! / n;
    this.uy = r[1]! / n;
    this.uz = r[2]! / n;
    this.restToleranceMS2 = p.restToleranceMS2 ?? 0.5;
    if (!(this.restToleranceMS2 > 0)) throw new AngleInputError(`restToleranceMS2 must be > 0, got ${this.restToleranceMS2}`);
    this.gravityMS2 = p.gravityMS2 ?? 9.81;
    if (!(this.gravityMS2 > 0 && Number.isFinite(this.gravityMS2))) throw new AngleInputError(`gravityMS2 must be > 0, got ${this.gravityMS2}`);
  }

  /** Tilt from the upright reference, deg in [0, 180], of one specific-force sample (m/s²); sets {@link flags}. */
  tiltDeg(ax: number, ay: number, az: number): number {
    const n = Math.hypot(ax, ay, az);
    if (!(n > 0) || !Number.isFinite(n)) throw new AngleInputError(`specific force must be finite and non-zero, got (${ax}, ${ay}, ${az})`);
    this.flags = Math.abs(n - this.gravityMS2) > this.restToleranceMS2 ? TILT_NOT_AT_REST : 0;
    // atan2(|u × f|, u · f): accurate near 0° and 180°, where acos is not.
    const cx = this.uy * az - this.uz * ay;
    const cy = this.uz * ax - this.ux * az;
    const cz = this.ux * ay - this.uy * ax;
    return (Math.atan2(Math.hypot(cx, cy, cz), this.ux * ax + this.uy * ay + this.uz * az) * 180) / Math.PI;
  }

  /** Tilt (deg) of every sample of a block with an accelerometer into `outDeg` (and flags into `outFlags`). */
  updateBlock(block: AccelBlock, outDeg: Float64Array, outFlags?: Uint8Array): void {
    const acc = requireAccel(block, 'gravity tilt').accMS2;
    const n = block.tS.length;
    if (outDeg.length < n) throw new AngleInputError(`outDeg needs length ${n}, got ${outDeg.length}`);
    if (outFlags && outFlags.length < n) throw new AngleInputError(`outFlags needs length ${n}, got ${outFlags.length}`);
    for (let i = 0; i < n; i++) {
      outDeg[i] = this.tiltDeg(acc[3 * i]!, acc[3 * i + 1]!, acc[3 * i + 2]!);
      if (outFlags) outFlags[i] = this.flags;
    }
  }
}

/**
 * Mean specific force over [startS, endS] (m/s², sensor frame): the upright reference for
 * {@link GravityTilt}, from a period of standing still. Throws AngleInputError when the period
 * holds no samples or the sensor was not still (a sample's norm off g by more than `toleranceMS2`).
 */
export function referenceUpFromRest(block: AccelBlock, startS: number, endS: number, toleranceMS2 = 0.5, gravityMS2 = 9.81): Float64Array {
  const acc = requireAccel(block, 'gravity tilt reference').accMS2;
  const sum = new Float64Array(3);
  let count = 0;
  for (let i = 0; i < block.tS.length; i++) {
    const t = block.tS[i]!;
    if (!(t >= startS && t <= endS)) continue;
    const x = acc[3 * i]!, y = acc[3 * i + 1]!, z = acc[3 * i + 2]!;
    const n = Math.hypot(x, y, z);
    if (!(Math.abs(n - gravityMS2) <= toleranceMS2)) {
      throw new AngleInputError(`sensor '${block.info.sensorId}' was not still at ${t} s (|f| = ${n} m/s², g = ${gravityMS2}): choose a period of standing still`);
    }
    sum[0] += x;
    sum[1] += y;
    sum[2] += z;
    count++;
  }
  if (count === 0) throw new AngleInputError(`sensor '${block.info.sensorId}' has no samples in ${startS}…${endS} s for the upright reference`);
  for (let c = 0; c < 3; c++) sum[c]! /= count;
  return sum;
}
