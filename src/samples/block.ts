/**
 * The one data type every stage shares: a run of consecutive samples of one sensor, stored
 * struct-of-arrays in SI units. A BLE notification decodes to one block, a file reader
 * yields blocks, the simulator produces them, a stage consumes one and fills caller-provided
 * output arrays.
 */

/** Per-sample saturation bits in {@link SampleBlock.saturated}. */
export const SAT_ACC = 1;
export const SAT_GYR = 2;
export const SAT_MAG = 4;

/** What is known about the sensor that produced a block. All fields optional except the id. */
export interface SensorInfo {
  /** Stable name within a session, e.g. `thigh`, `shank`, or a device address. */
  readonly sensorId: string;
  /** Body placement, e.g. `thigh`, `upper-arm`. */
  readonly placement?: string;
  readonly side?: 'left' | 'right';
  /** Nominal output data rate in Hz, as configured or declared by the source. */
  readonly rateHz?: number;
  /** Device model / firmware string. */
  readonly device?: string;
  /** Anything else the source carried (`# key: value` lines, sidecar JSON, …). */
  readonly extra?: Readonly<Record<string, string>>;
}

export interface SampleBlock {
  readonly info: SensorInfo;
  /** Sample times in s since session start, strictly increasing within a valid block. Length n. */
  readonly tS: Float64Array;
  /**
   * Specific force in the sensor frame, m/s², interleaved xyz, length 3n. At rest ≈ +9.81 along
   * "up". Absent only for orientation-only sources (e.g. OpenSim .sto); see {@link InertialBlock}
   * and, for accelerometer-only sensors (Polar H10), {@link AccelBlock}.
   */
  readonly accMS2?: Float64Array;
  /**
   * Angular velocity in the sensor frame, rad/s, interleaved xyz, length 3n. Absent for
   * orientation-only sources and accelerometer-only sensors; never present without `accMS2`.
   */
  readonly gyrRadS?: Float64Array;
  /** Magnetic field in the sensor frame, µT, interleaved xyz, length 3n (9-axis sensors only). */
  readonly magUT?: Float64Array;
  /** Orientation q_GS, [w,x,y,z] interleaved, length 4n (sensors with on-board fusion, or fusion output). */
  readonly quat?: Float64Array;
  /**
   * Time in s missing before the first sample of this block (dropped packets, reconnects),
   * beyond one nominal sample period. 0 or absent: contiguous with the previous block.
   */
  readonly gapBeforeS?: number;
  /** Per-sample bitmask of {@link SAT_ACC} | {@link SAT_GYR} | {@link SAT_MAG}; absent when nothing saturated. */
  readonly saturated?: Uint8Array;
}

/** A block from an inertial sensor: accelerometer and gyroscope present (what fusion needs). */
export type InertialBlock = SampleBlock & { readonly accMS2: Float64Array; readonly gyrRadS: Float64Array };

/**
 * A block with an accelerometer, with or without a gyroscope. Accelerometer-only sensors
 * (Polar H10) produce these: recordable, validatable, resamplable, but not fusable.
 */
export type AccelBlock = SampleBlock & { readonly accMS2: Float64Array };

/** A block carrying orientations (on-board fusion, fusion output, or an orientation file). */
export type OrientationBlock = SampleBlock & { readonly quat: Float64Array };

/**
 * Why a block without gyroscope but with accelerometer cannot be fused; carried by the
 * {@link MissingChannelError} so that a user of a chest strap learns what to do instead.
 */
export const ACC_ONLY_HINT =
  'it is an accelerometer-only sensor (such as the Polar H10): orientation fusion needs a gyroscope; ' +
  'use a sensor with a gyroscope, or an accelerometer-only measure such as inclination from gravity';

/** Thrown when a stage needs a channel the block does not have. */
export class MissingChannelError extends Error {
  override readonly name = 'MissingChannelError';
  constructor(
    readonly sensorId: string,
    readonly channel: 'acc' | 'gyr' | 'mag' | 'quat',
    readonly stage: string,
    /** What the missing channel means for this sensor and what to do instead, when known. */
    readonly hint?: string,
  ) {
    super(`${stage}: sensor '${sensorId}' has no ${channel} channel${hint ? ` — ${hint}` : ''}`);
  }
}

export function isInertial(b: SampleBlock): b is InertialBlock {
  return b.accMS2 !== undefined && b.gyrRadS !== undefined;
}

/** Has an accelerometer (gyroscope or not). */
export function isAccel(b: SampleBlock): b is AccelBlock {
  return b.accMS2 !== undefined;
}

/** An accelerometer and no gyroscope (e.g. Polar H10). */
export function isAccelOnly(b: SampleBlock): b is AccelBlock {
  return b.accMS2 !== undefined && b.gyrRadS === undefined;
}

/**
 * `b` as an {@link InertialBlock}, or a {@link MissingChannelError} naming the stage that
 * needed it; for an accelerometer-only block the error carries {@link ACC_ONLY_HINT}.
 */
export function requireInertial(b: SampleBlock, stage: string): InertialBlock {
  if (!b.accMS2) throw new MissingChannelError(b.info.sensorId, 'acc', stage);
  if (!b.gyrRadS) throw new MissingChannelError(b.info.sensorId, 'gyr', stage, ACC_ONLY_HINT);
  return b as InertialBlock;
}

/** `b` as an {@link AccelBlock}, or a {@link MissingChannelError}. */
export function requireAccel(b: SampleBlock, stage: string): AccelBlock {
  if (!b.accMS2) throw new MissingChannelError(b.info.sensorId, 'acc', stage);
  return b as AccelBlock;
}

/** `b` as an {@link OrientationBlock}, or a {@link MissingChannelError}. */
export function requireOrientation(b: SampleBlock, stage: string): OrientationBlock {
  if (!b.quat) throw new MissingChannelError(b.info.sensorId, 'quat', stage);
  return b as OrientationBlock;
}

export interface BlockChannels {
  /** Accelerometer and gyroscope. Default true; false makes an orientation/magnetometer-only block. */
  inertial?: boolean;
  /** With `inertial`: false makes an accelerometer-only block (no `gyrRadS`). Default true. */
  gyr?: boolean;
  mag?: boolean;
  quat?: boolean;
  saturated?: boolean;
}

/** Number of samples in a block. */
export function blockLength(b: SampleBlock): number {
  return b.tS.length;
}

/** The mutable shape of a block while a reader or stage fills it in. */
export type BlockBuilder = {
  info: SensorInfo;
  tS: Float64Array;
  accMS2?: Float64Array;
  gyrRadS?: Float64Array;
  magUT?: Float64Array;
  quat?: Float64Array;
  gapBeforeS?: number;
  saturated?: Uint8Array;
};

/**
 * Allocate a zero-filled block of `n` samples with the requested channels: acc + gyr unless
 * `inertial: false` (neither) or `gyr: false` (acc only).
 */
export function createBlock(info: SensorInfo, n: number, channels: BlockChannels & { inertial?: true; gyr: false }): AccelBlock;
export function createBlock(info: SensorInfo, n: number, channels?: BlockChannels & { inertial?: true; gyr?: true }): InertialBlock;
export function createBlock(info: SensorInfo, n: number, channels: BlockChannels): SampleBlock;
export function createBlock(info: SensorInfo, n: number, channels: BlockChannels = {}): SampleBlock {
  const block: BlockBuilder = { info, tS: new Float64Array(n) };
  if (channels.inertial !== false) {
    block.accMS2 = new Float64Array(3 * n);
    if (channels.gyr !== false) block.gyrRadS = new Float64Array(3 * n);
  }
  if (channels.mag) block.magUT = new Float64Array(3 * n);
  if (channels.quat) block.quat = new Float64Array(4 * n);
  if (channels.saturated) block.saturated = new Uint8Array(n);
  return block;
}

/**
 * Samples [start, end) of a block as a new block sharing the same memory (typed-array
 * views; no copy). The gap flag stays with the first sample only.
 */
export function sliceBlock<B extends SampleBlock>(b: B, start: number, end?: number): B;
export function sliceBlock(b: SampleBlock, start: number, end: number = blockLength(b)): SampleBlock {
  const n = blockLength(b);
  const s = Math.max(0, Math.min(n, start));
  const e = Math.max(s, Math.min(n, end));
  const out: BlockBuilder = { info: b.info, tS: b.tS.subarray(s, e) };
  if (b.accMS2) out.accMS2 = b.accMS2.subarray(3 * s, 3 * e);
  if (b.gyrRadS) out.gyrRadS = b.gyrRadS.subarray(3 * s, 3 * e);
  if (b.magUT) out.magUT = b.magUT.subarray(3 * s, 3 * e);
  if (b.quat) out.quat = b.quat.subarray(4 * s, 4 * e);
  if (b.saturated) out.saturated = b.saturated.subarray(s, e);
  if (s === 0 && b.gapBeforeS) out.gapBeforeS = b.gapBeforeS;
  return out;
}

/**
 * Join blocks of one sensor into one (copying). Optional channels (acc, gyr, mag, quat) survive only when every
 * block has them — a channel present in some blocks only would otherwise invent values. So
 * accelerometer-only blocks join to an accelerometer-only block, and acc + gyr blocks mixed
 * with acc-only ones keep the accelerometer only.
 * Gaps between blocks are not representable inside one block, so they are returned
 * separately as `{ atIndex, gapS }` so that callers can keep them marked.
 */
export function concatBlocks<B extends SampleBlock>(blocks: readonly B[]): {
  block: B;
  gaps: { atIndex: number; gapS: number }[];
} {
  if (blocks.length === 0) throw new RangeError('concatBlocks: no blocks');
  const first = blocks[0]!;
  let n = 0;
  let hasAcc = true;
  let hasGyr = true;
  let hasMag = true;
  let hasQuat = true;
  let hasSat = false;
  for (const b of blocks) {
    n += blockLength(b);
    hasAcc &&= b.accMS2 !== undefined;
    hasGyr &&= b.gyrRadS !== undefined;
    hasMag &&= b.magUT !== undefined;
    hasQuat &&= b.quat !== undefined;
    hasSat ||= b.saturated !== undefined;
  }
  const out: BlockBuilder = createBlock(first.info, n, { inertial: hasAcc, gyr: hasGyr, mag: hasMag, quat: hasQuat, saturated: hasSat });
  const gaps: { atIndex: number; gapS: number }[] = [];
  let k = 0;
  for (const b of blocks) {
    const m = blockLength(b);
    if (b.gapBeforeS && b.gapBeforeS > 0) gaps.push({ atIndex: k, gapS: b.gapBeforeS });
    out.tS.set(b.tS, k);
    if (hasAcc) out.accMS2!.set(b.accMS2!, 3 * k);
    if (hasAcc && hasGyr) out.gyrRadS!.set(b.gyrRadS!, 3 * k);
    if (hasMag) out.magUT!.set(b.magUT!, 3 * k);
    if (hasQuat) out.quat!.set(b.quat!, 4 * k);
    if (b.saturated) out.saturated!.set(b.saturated, k);
    k += m;
  }
  if (gaps.length > 0 && gaps[0]!.atIndex === 0) out.gapBeforeS = gaps[0]!.gapS;
  return { block: out as B, gaps };
}
