/**
 * What every orientation filter in kinemetry offers (VQF-class, Madgwick, Mahony): the same
 * update calls, the same output convention and flags that explain what it is doing, so an
 * app or an evaluation can swap filters without other changes.
 *
 * Output: q_GS (sensor → global). 9D (with magnetometer): global frame East-North-Up.
 * 6D (no magnetometer): z is up, heading arbitrary (fixed at start-up, then drifting only
 * as far as the gyroscope bias allows).
 */
import type { Quat } from '../math/quat';
import type { Vec3, Vec3Like } from '../math/vec3';
import type { InertialBlock } from '../samples/block';

/** What a filter is doing right now; plain data so a UI can show it. */
export interface FusionFlags {
  /** Still converging after start or reset (outputs are less trustworthy). */
  readonly initialising: boolean;
  /** Rest detected (gyroscope and accelerometer steady): bias is being estimated at rest. */
  readonly resting: boolean;
  /** The accelerometer is currently not trusted (large linear acceleration, saturation). */
  readonly accRejected: boolean;
  /** The magnetic field is judged disturbed; heading is held by the gyroscope. */
  readonly magDisturbed: boolean;
  /** A magnetometer is being used (9D). */
  readonly magUsed: boolean;
}

/** Counts of inputs a filter refused (bad samples are skipped, never allowed into the state). */
export interface FusionInputReport {
  /** Samples with a non-finite gyroscope value: the orientation was held. */
  readonly badGyr: number;
  /** Samples with a non-finite or zero accelerometer vector: no inclination correction. */
  readonly badAcc: number;
  /** Samples with a non-finite magnetometer value (treated as missing). */
  readonly badMag: number;
  /** Time steps that were not finite or not > 0: the sample was skipped. */
  readonly badDt: number;
  /** Samples whose gyroscope or accelerometer was flagged saturated. */
  readonly saturated: number;
  /**
   * Gaps: blocks marked `gapBeforeS` and time steps longer than the filter's gap threshold
   * (VQF `maxStepS`, Madgwick/Mahony `reinitAfterGapS`); the rotation during them is unknown.
   */
  readonly gaps: number;
}

export interface OrientationFilter<State = unknown> {
  /** Short name, e.g. `vqf`, `madgwick`, `mahony`. */
  readonly name: string;
  /**
   * One sample. `magUT` null (or absent) means no magnetometer sample at this instant.
   * `dtS` is the time since the previous sample (s). No allocation.
   */
  update(gyrRadS: Vec3Like, accMS2: Vec3Like, magUT: Vec3Like | null, dtS: number): void;
  /**
   * A block: writes one quaternion per sample into `outQuat` (length ≥ 4n, [w,x,y,z]).
   * Time steps come from `block.tS` (the first sample of the first block uses the nominal
   * period); a block's `gapBeforeS` is honoured. Saturated samples (block.saturated) are
   * not trusted for correction.
   */
  updateBlock(block: InertialBlock, outQuat: Float64Array): void;
  /** Current orientation q_GS (9D when the magnetometer is used, else 6D). */
  getQuat(out: Quat): Quat;
  /** Current gyroscope bias estimate, rad/s (zero for filters that do not estimate it). */
  getBiasRadS(out: Vec3): Vec3;
  readonly flags: FusionFlags;
  readonly inputReport: FusionInputReport;
  /** Plain-data state: serialisable, restorable after a reconnect. */
  getState(): State;
  setState(state: State): void;
  /** Back to the initial state (parameters kept). */
  reset(): void;
}
