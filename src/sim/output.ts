/**
 * Turning a simulated sensor's full sample run into the {@link SampleBlock}s a consumer would
 * receive: dropped samples are left out, the block after a dropout carries `gapBeforeS`
 * (= dropped samples / rateHz), and long runs are cut every `blockSize` samples.
 */
import { createBlock, type InertialBlock, type SensorInfo } from '../samples/block';

/** Cut the emitted samples into blocks at dropouts and every `blockSize` samples. */
export function assembleBlocks(
  info: SensorInfo,
  rateHz: number,
  blockSize: number,
  emitted: Uint8Array,
  tS: Float64Array,
  gyr: Float64Array,
  acc: Float64Array,
  mag: Float64Array | null,
  q: Float64Array | null,
  saturated: Uint8Array,
): InertialBlock[] {
  const out: InertialBlock[] = [];
  const n = emitted.length;
  let k = 0;
  let missing = 0;
  while (k < n) {
    if (!emitted[k]) {
      missing++;
      k++;
      continue;
    }
    let e = k;
    let anySat = false;
    while (e < n && emitted[e] && e - k < blockSize) {
      if (saturated[e]) anySat = true;
      e++;
    }
    const m = e - k;
    const b = createBlock(info, m, { mag: mag !== null, quat: q !== null, saturated: anySat });
    b.tS.set(tS.subarray(k, e));
    b.gyrRadS.set(gyr.subarray(3 * k, 3 * e));
    b.accMS2.set(acc.subarray(3 * k, 3 * e));
    if (mag) b.magUT!.set(mag.subarray(3 * k, 3 * e));
    if (q) b.quat!.set(q.subarray(4 * k, 4 * e));
    if (anySat) b.saturated!.set(saturated.subarray(k, e));
    out.push(missing > 0 ? { ...b, gapBeforeS: missing / rateHz } : b);
    missing = 0;
    k = e;
  }
  return out;
}
