import type { SampleBlock, SensorInfo } from '../../src/samples/block';
import { blockFromArrays } from '../../src/samples/construct';

export interface MakeOptions {
  info?: Partial<SensorInfo>;
  /** Defaults to i / rateHz. */
  tS?: ArrayLike<number>;
  mag?: boolean;
  quat?: boolean;
  saturated?: boolean;
  gapBeforeS?: number;
}

/** A block of n samples at `rateHz` with acc = (0, 0, 9.81) + small ramp, gyr = small ramp. */
export function makeBlock(n: number, rateHz: number, opts: MakeOptions = {}): SampleBlock {
  const tS = opts.tS ? Float64Array.from(opts.tS) : Float64Array.from({ length: n }, (_, i) => i / rateHz);
  const len = tS.length;
  const acc = new Float64Array(3 * len);
  const gyr = new Float64Array(3 * len);
  for (let i = 0; i < len; i++) {
    acc[3 * i] = 0.01 * i;
    acc[3 * i + 2] = 9.81;
    gyr[3 * i + 1] = 0.001 * i;
  }
  const quat = new Float64Array(4 * len);
  for (let i = 0; i < len; i++) quat[4 * i] = 1;
  return blockFromArrays(
    { sensorId: 'thigh', ...opts.info },
    {
      tS,
      accMS2: acc,
      gyrRadS: gyr,
      ...(opts.mag ? { magUT: new Float64Array(3 * len).fill(20) } : {}),
      ...(opts.quat ? { quat } : {}),
      ...(opts.saturated ? { saturated: new Uint8Array(len) } : {}),
      ...(opts.gapBeforeS !== undefined ? { gapBeforeS: opts.gapBeforeS } : {}),
    },
  );
}

/** Times 0, 1/rate, … with the samples at the given indices removed (a gap). */
export function timesWithout(n: number, rateHz: number, drop: (i: number) => boolean): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (!drop(i)) out.push(i / rateHz);
  return Float64Array.from(out);
}
