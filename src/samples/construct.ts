/**
 * Building and checking blocks from plain arrays (readers, tests, the simulator). The checks
 * catch the mistake that otherwise surfaces far away: a channel with the wrong length.
 */
import type { AccelBlock, BlockBuilder, InertialBlock, SampleBlock, SensorInfo } from './block';
import { BlockShapeError } from './errors';

/** Flat numbers, or one row per sample (`[[x, y, z], …]`). */
export type ChannelInput = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

export interface BlockArrays {
  /** Sample times, s since session start. */
  tS: ArrayLike<number>;
  /**
   * Specific force, m/s², interleaved xyz (3n) or n rows of 3. With or without gyr (an
   * accelerometer-only sensor such as the Polar H10); gyr without acc is refused.
   */
  accMS2?: ChannelInput;
  /** Angular velocity, rad/s, interleaved xyz (3n) or n rows of 3. */
  gyrRadS?: ChannelInput;
  /** Magnetic field, µT, interleaved xyz (3n) or n rows of 3. */
  magUT?: ChannelInput;
  /** Orientation q_GS [w,x,y,z], interleaved (4n) or n rows of 4. */
  quat?: ChannelInput;
  /** Per-sample SAT_* bitmask, length n. */
  saturated?: ArrayLike<number>;
  /** Time missing before the first sample beyond one period, s. */
  gapBeforeS?: number;
}

/**
 * A gyroscope channel without an accelerometer. Refused: every acc-using stage (fusion,
 * gravity, inclination) would see a sensor it cannot use, and no real device sends this.
 */
export class GyroWithoutAccError extends BlockShapeError {
  constructor(sensorId: string, n: number) {
    super(sensorId, 'accMS2', 3 * n, 0);
    this.message = `${sensorId}: gyrRadS given without accMS2 (a block may have acc without gyr, not gyr without acc)`;
  }
}

function toF64(x: ArrayLike<number>): Float64Array {
  return x instanceof Float64Array ? x : Float64Array.from(x);
}

function isRows(x: ChannelInput): x is ArrayLike<ArrayLike<number>> {
  if (x.length === 0) return false;
  const first = (x as ArrayLike<unknown>)[0];
  return typeof first === 'object' && first !== null && typeof (first as ArrayLike<number>).length === 'number';
}

function channel(sensorId: string, field: string, x: ChannelInput, n: number, width: number): Float64Array {
  if (!isRows(x)) {
    const flat = toF64(x as ArrayLike<number>);
    if (flat.length !== n * width) throw new BlockShapeError(sensorId, field, n * width, flat.length);
    return flat;
  }
  if (x.length !== n) throw new BlockShapeError(sensorId, field, n, x.length);
  const out = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    const row = x[i]!;
    if (row.length !== width) throw new BlockShapeError(sensorId, `${field}[${i}]`, width, row.length);
    for (let c = 0; c < width; c++) out[i * width + c] = row[c]!;
  }
  return out;
}

/**
 * Assemble a {@link SampleBlock} from arrays, checking every length against `tS`. A
 * `Float64Array` given flat is used as is (no copy); anything else is copied.
 * Throws {@link BlockShapeError} on a length mismatch.
 */
export function blockFromArrays(info: SensorInfo, arrays: BlockArrays & { accMS2: ChannelInput; gyrRadS: ChannelInput }): InertialBlock;
export function blockFromArrays(info: SensorInfo, arrays: BlockArrays & { accMS2: ChannelInput }): AccelBlock;
export function blockFromArrays(info: SensorInfo, arrays: BlockArrays): SampleBlock;
export function blockFromArrays(info: SensorInfo, arrays: BlockArrays): SampleBlock {
  const id = info.sensorId;
  const tS = toF64(arrays.tS);
  const n = tS.length;
  const block: BlockBuilder = { info, tS };
  if (arrays.accMS2 === undefined && arrays.gyrRadS !== undefined) throw new GyroWithoutAccError(id, n);
  if (arrays.accMS2 !== undefined) block.accMS2 = channel(id, 'accMS2', arrays.accMS2, n, 3);
  if (arrays.gyrRadS !== undefined) block.gyrRadS = channel(id, 'gyrRadS', arrays.gyrRadS, n, 3);
  if (arrays.magUT !== undefined) block.magUT = channel(id, 'magUT', arrays.magUT, n, 3);
  if (arrays.quat !== undefined) block.quat = channel(id, 'quat', arrays.quat, n, 4);
  if (arrays.saturated !== undefined) {
    const sat = arrays.saturated instanceof Uint8Array ? arrays.saturated : Uint8Array.from(arrays.saturated);
    if (sat.length !== n) throw new BlockShapeError(id, 'saturated', n, sat.length);
    block.saturated = sat;
  }
  if (arrays.gapBeforeS !== undefined && arrays.gapBeforeS !== 0) {
    if (!(arrays.gapBeforeS > 0) || !Number.isFinite(arrays.gapBeforeS)) {
      throw new RangeError(`${id}: gapBeforeS must be a finite time ≥ 0 s, got ${arrays.gapBeforeS}`);
    }
    block.gapBeforeS = arrays.gapBeforeS;
  }
  return block;
}

/** Throw {@link BlockShapeError} unless every channel's length matches the sample count (and gyr comes with acc). */
export function checkBlockShape(b: SampleBlock): void {
  const n = b.tS.length;
  const id = b.info.sensorId;
  if (b.accMS2 === undefined && b.gyrRadS !== undefined) throw new GyroWithoutAccError(id, n);
  if (b.accMS2 && b.accMS2.length !== 3 * n) throw new BlockShapeError(id, 'accMS2', 3 * n, b.accMS2.length);
  if (b.gyrRadS && b.gyrRadS.length !== 3 * n) throw new BlockShapeError(id, 'gyrRadS', 3 * n, b.gyrRadS.length);
  if (b.magUT && b.magUT.length !== 3 * n) throw new BlockShapeError(id, 'magUT', 3 * n, b.magUT.length);
  if (b.quat && b.quat.length !== 4 * n) throw new BlockShapeError(id, 'quat', 4 * n, b.quat.length);
  if (b.saturated && b.saturated.length !== n) throw new BlockShapeError(id, 'saturated', n, b.saturated.length);
}

/** Time from the first to the last sample, s (0 for fewer than two samples). Not n × period. */
export function blockDurationS(b: SampleBlock): number {
  const n = b.tS.length;
  return n < 2 ? 0 : b.tS[n - 1]! - b.tS[0]!;
}
