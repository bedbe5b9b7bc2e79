/**
 * The UCI Physical Therapy Exercises dataset as the evaluation scripts read it: 25 Hz,
 * ';'-separated Xsens MTx exports whose time is a 1-based sample index (sample i at i / 25 s).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDelimited } from '../../src/io/delimited';
import type { InertialBlock, SampleBlock } from '../../src/samples/block';

export const UCI_RATE_HZ = 25;
export const UCI_COLUMNS = 't=time index,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z';
export const UCI_EXERCISES = [1, 2, 3, 4, 5, 6, 7, 8] as const;

/** The unit that moves most: u2, except exercise 2 (trunk bend), where it is u4. */
export function uciMovingUnit(exercise: number): string {
  return exercise === 2 ? 'u4' : 'u2';
}

/** The dataset directory: the first non-flag argument, else ../shared/datasets/uci-pt; exits 2 when missing. */
export function uciDatasetDir(args: readonly string[], script: string): string {
  const dir = resolve(args.find((a) => !a.startsWith('--')) ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'uci-pt'));
  if (!existsSync(dir)) {
    process.stderr.write(`${script}: no directory ${dir}\n`);
    process.exit(2);
  }
  return dir;
}

/** One unit's file as a single inertial block (the files have no gaps: a gap is an error here). */
export function readUciUnit(file: string): InertialBlock {
  const blocks: SampleBlock[] = parseDelimited(readFileSync(file, 'utf8'), { columns: UCI_COLUMNS, rateHz: UCI_RATE_HZ, file });
  let n = 0;
  for (const b of blocks) n += b.tS.length;
  const tS = new Float64Array(n), accMS2 = new Float64Array(3 * n), gyrRadS = new Float64Array(3 * n);
  let k = 0;
  for (const b of blocks) {
    if (!b.accMS2 || !b.gyrRadS) throw new Error(`${file}: block without accelerometer/gyroscope`);
    if (b.gapBeforeS !== undefined && b.gapBeforeS > 0 && k > 0) throw new Error(`${file}: gap of ${b.gapBeforeS} s in the recording`);
    tS.set(b.tS, k);
    accMS2.set(b.accMS2, 3 * k);
    gyrRadS.set(b.gyrRadS, 3 * k);
    k += b.tS.length;
  }
  return { info: { ...blocks[0]!.info, rateHz: UCI_RATE_HZ }, tS, accMS2, gyrRadS };
}
