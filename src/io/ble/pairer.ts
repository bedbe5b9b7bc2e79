/**
 * Accelerometer and gyroscope arrive as separate streams on some devices (Polar ACC/GYRO
 * frames, MetaWear modules, Movesense Acc + Gyro subscriptions), but a block holds both or
 * neither. The pairer queues each stream and releases matched pairs; a sample that can have
 * no partner (its partner was lost) is counted as unpaired, never silently shifted onto the
 * wrong partner.
 */
import { createBlock } from '../../samples/block';
import type { BlockBuilder, SensorInfo } from '../../samples/block';

export interface PairerOptions {
  /**
   * `time`: pair samples whose times differ by at most half a period (sensor-clock streams);
   * `order`: pair the k-th of each stream (host-timed streams at one configured rate).
   */
  by: 'time' | 'order';
  /** Common sample period, s (for `time`). */
  periodS?: number;
  /** Samples held per stream while the other is silent. Default 4096; older ones are given up as unpaired. */
  maxQueue?: number;
}

export interface Pairs {
  /** Pair times (mean of the two sample times; for `order`, the accelerometer's). */
  readonly tS: Float64Array;
  readonly accXYZ: Float64Array;
  readonly gyrXYZ: Float64Array;
}

class Queue {
  t: number[] = [];
  xyz: number[] = [];
  head = 0;
  get length(): number {
    return this.t.length - this.head;
  }
  push(tS: ArrayLike<number>, xyz: ArrayLike<number>): void {
    for (let i = 0; i < tS.length; i++) {
      this.t.push(tS[i]!);
      this.xyz.push(xyz[3 * i]!, xyz[3 * i + 1]!, xyz[3 * i + 2]!);
    }
  }
  drop(k: number): void {
    this.head += k;
    if (this.head > 1024 && this.head * 2 > this.t.length) {
      this.t = this.t.slice(this.head);
      this.xyz = this.xyz.slice(3 * this.head);
      this.head = 0;
    }
  }
  clear(): void {
    this.t = [];
    this.xyz = [];
    this.head = 0;
  }
}

export class InertialPairer {
  private readonly acc = new Queue();
  private readonly gyr = new Queue();
  private readonly maxQueue: number;
  /** Samples given up since the last {@link takeUnpaired}. */
  private unpaired = 0;

  constructor(private readonly options: PairerOptions) {
    this.maxQueue = options.maxQueue ?? 4096;
    if (options.by === 'time' && !(options.periodS! > 0)) throw new RangeError('InertialPairer: time pairing needs periodS > 0');
  }

  pushAcc(tS: ArrayLike<number>, xyz: ArrayLike<number>): void {
    this.acc.push(tS, xyz);
    this.trim(this.acc);
  }

  pushGyr(tS: ArrayLike<number>, xyz: ArrayLike<number>): void {
    this.gyr.push(tS, xyz);
    this.trim(this.gyr);
  }

  /** Unpaired samples counted since the last call (and resets the count). */
  takeUnpaired(): number {
    const k = this.unpaired;
    this.unpaired = 0;
    return k;
  }

  reset(): void {
    this.acc.clear();
    this.gyr.clear();
    this.unpaired = 0;
  }

  /**
   * The pairs available now, or null. Stops before a pair more than `maxStepS` after the
   * previous one, so that a block never hides a gap inside it; the rest stays queued.
   */
  take(maxStepS = Infinity): Pairs | null {
    const tol = 0.5 * (this.options.periodS ?? 0);
    const t: number[] = [];
    const a: number[] = [];
    const g: number[] = [];
    const A = this.acc;
    const G = this.gyr;
    while (A.length > 0 && G.length > 0) {
      const ta = A.t[A.head]!;
      const tg = G.t[G.head]!;
      if (this.options.by === 'time' && Math.abs(ta - tg) > tol) {
        // The older head's partner never came (lost) — give it up rather than mis-pair.
        (ta < tg ? A : G).drop(1);
        this.unpaired++;
        continue;
      }
      const tPair = this.options.by === 'time' ? 0.5 * (ta + tg) : ta;
      if (t.length > 0 && tPair - t[t.length - 1]! > maxStepS) break;
      t.push(tPair);
      const ia = 3 * A.head;
      const ig = 3 * G.head;
      a.push(A.xyz[ia]!, A.xyz[ia + 1]!, A.xyz[ia + 2]!);
      g.push(G.xyz[ig]!, G.xyz[ig + 1]!, G.xyz[ig + 2]!);
      A.drop(1);
      G.drop(1);
    }
    if (t.length === 0) return null;
    return { tS: Float64Array.from(t), accXYZ: Float64Array.from(a), gyrXYZ: Float64Array.from(g) };
  }

  private trim(q: Queue): void {
    const over = q.length - this.maxQueue;
    if (over > 0) {
      q.drop(over);
      this.unpaired += over;
    }
  }
}

/**
 * A block from pairs, with `gapBeforeS` set when the first pair comes more than 1.5 periods
 * after `lastTS` (the previous block's last time; NaN for the first block).
 */
export function pairsToBlock(info: SensorInfo, pairs: Pairs, lastTS: number, periodS: number): BlockBuilder {
  const b: BlockBuilder = createBlock(info, pairs.tS.length);
  b.tS.set(pairs.tS);
  b.accMS2!.set(pairs.accXYZ);
  b.gyrRadS!.set(pairs.gyrXYZ);
  const gapS = pairs.tS[0]! - lastTS - periodS;
  if (gapS > 0.5 * periodS) b.gapBeforeS = gapS;
  return b;
}
