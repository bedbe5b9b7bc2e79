import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingFormatError } from '../../src/io/errors';
import { detectFormat } from '../../src/io/formats';
import { MetaBaseStreamParser, metaMotionFormat, parseMetaBaseFileName } from '../../src/io/metamotion';
import type { StreamChunk } from '../../src/io/metamotion';
import { MetaMotionMerger } from '../../src/io/metamotionMerge';
import { readSession } from '../../src/io/node/session';
import { concatBlocks } from '../../src/samples/block';
import type { SampleBlock } from '../../src/samples/block';
import { DEG_TO_RAD, STANDARD_GRAVITY_MS2 } from '../../src/samples/units';
import { BlockValidator } from '../../src/samples/validate';

const E0 = 1682935200000;
const ACC_HEADER = 'epoch (ms),time (01:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)';
const GYR_HEADER = 'epoch (ms),time (01:00),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)';
const STEM = 'MetaWear_2023-05-01T10.00.00.000_C5A1B2C3D4E5';
const ACC_NAME = `${STEM}_Accelerometer_1.4.4.csv`;
const GYR_NAME = `${STEM}_Gyroscope_1.4.4.csv`;

/** Known signals, t in s since E0. */
const accG = (t: number) => [0.5 * Math.sin(2 * Math.PI * t), 0.25 * t, 1];
const gyrDps = (t: number) => [10 + 40 * t, 50 * Math.sin(2 * Math.PI * t), -30];

function stream(header: string, epochs: number[], values: (t: number) => number[]): string {
  const rows = epochs.map((e) => {
    const t = (e - E0) / 1000;
    const clock = new Date(e).toISOString().replace('Z', '').replace(/:/g, '.');
    return [e, clock, (t - (epochs[0]! - E0) / 1000).toFixed(3), ...values(t).map((v) => v.toFixed(4))].join(',');
  });
  return `${header}\n${rows.join('\n')}\n`;
}

/** Accelerometer 100 Hz for 3 s from E0; gyroscope 50 Hz from E0 + 35 ms, with samples 60–64 lost. */
const accEpochs = Array.from({ length: 300 }, (_, i) => E0 + 10 * i);
const gyrEpochs = Array.from({ length: 140 }, (_, j) => E0 + 35 + 20 * j).filter((_, j) => j < 60 || j > 64);
const ACC = stream(ACC_HEADER, accEpochs, accG);
const GYR = stream(GYR_HEADER, gyrEpochs, gyrDps);

function split(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

async function collect(it: AsyncIterable<SampleBlock>): Promise<SampleBlock[]> {
  const out: SampleBlock[] = [];
  for await (const b of it) out.push(b);
  return out;
}

function checkMerged(blocks: SampleBlock[]): void {
  const b = concatBlocks(blocks).block;
  // 4 accelerometer samples before the gyroscope starts, 12 inside its 120 ms gap and 18 after
  // it ends are dropped: 300 − 34 = 266.
  expect(b.tS.length).toBe(266);
  expect(b.tS[0]).toBe(0.04);
  expect(b.tS[b.tS.length - 1]).toBe(2.81);
  const gapAt = blocks.findIndex((x) => x.gapBeforeS !== undefined);
  expect(blocks[gapAt]!.gapBeforeS).toBeCloseTo(0.12, 12);
  expect(blocks[gapAt]!.tS[0]).toBe(1.34);
  expect(blocks.filter((x) => x.gapBeforeS !== undefined)).toHaveLength(1);
  let maxSineErr = 0;
  for (let i = 0; i < b.tS.length; i++) {
    const t = b.tS[i]!;
    // The accelerometer is the clock: its values are the file's, converted from g.
    const a = accG(t).map((v) => Number(v.toFixed(4)) * STANDARD_GRAVITY_MS2);
    for (let c = 0; c < 3; c++) expect(b.accMS2![3 * i + c]).toBeCloseTo(a[c]!, 12);
    // The gyroscope is interpolated linearly: exact for a linear signal (to the file's 4 decimals)…
    expect(b.gyrRadS![3 * i] / DEG_TO_RAD).toBeCloseTo(10 + 40 * t, 3);
    expect(b.gyrRadS![3 * i + 2] / DEG_TO_RAD).toBeCloseTo(-30, 12);
    // …and within the linear-interpolation bound h²/8·max|f''| = 0.02²/8·50·(2π)² ≈ 0.099 deg/s for the sine.
    const err = Math.abs(b.gyrRadS![3 * i + 1] / DEG_TO_RAD - 50 * Math.sin(2 * Math.PI * t));
    maxSineErr = Math.max(maxSineErr, err);
  }
  expect(maxSineErr).toBeLessThan(0.1);
  expect(maxSineErr).toBeGreaterThan(0.01);
  // The merged stream is the accelerometer's 100 Hz, and validation sees the marked gap.
  const v = new BlockValidator();
  for (const x of blocks) v.push(x);
  const r = v.report();
  expect(r.measuredRateHz).toBeCloseTo(100, 6);
  expect(r.gapCount).toBe(1);
  expect(r.ok).toBe(true);
}

describe('MetaBase stream files', () => {
  it('parses file names', () => {
    expect(parseMetaBaseFileName(`dir/${ACC_NAME}`)).toEqual({ key: `${STEM}_1.4.4`, kind: 'acc', device: 'MetaWear', mac: 'C5:A1:B2:C3:D4:E5', firmware: '1.4.4' });
    expect(parseMetaBaseFileName(GYR_NAME).key).toBe(parseMetaBaseFileName(ACC_NAME).key);
    expect(parseMetaBaseFileName('LeftShank_2024-01-01T00.00.00.000_D1D2D3D4D5D6_Magnetometer.csv')).toMatchObject({ kind: 'mag', device: 'LeftShank' });
    expect(parseMetaBaseFileName(`${STEM}_Pressure_1.4.4.csv`).kind).toBe('other');
    expect(parseMetaBaseFileName('Gyroscope.csv')).toEqual({ key: '', kind: 'gyr' });
    expect(parseMetaBaseFileName('walk.csv').kind).toBeUndefined();
  });

  it('is detected by content, in both header spellings', () => {
    expect(detectFormat(ACC, ACC_NAME)).toBe(metaMotionFormat);
    expect(detectFormat('epoc (ms),timestamp (-0700),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)\n1,2,3,4,5,6\n')).toBe(metaMotionFormat);
    expect(detectFormat('t,ax,ay,az,gx,gy,gz\n')).not.toBe(metaMotionFormat);
    // A lone stream file cannot become blocks; its parser says how to read it.
    expect(() => metaMotionFormat.createParser({ file: ACC_NAME }).push(ACC)).toThrow(/one file per sensor stream; read the directory/);
  });

  it('reads a stream in any chunking: epoch ms as time, units from the column labels', () => {
    const whole = new MetaBaseStreamParser({ file: ACC_NAME, blockSize: 64 });
    const ref = [...whole.push(ACC), ...whole.finish()];
    expect(whole.header).toMatchObject({ kind: 'acc', width: 3, epochColumn: 'epoch (ms)', line: 1 });
    expect(whole.header!.unit.name).toBe('g');
    expect(whole.firstEpochMs).toBe(E0);
    expect(whole.lineOfSample(10)).toBe(12);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 100 }), (size, blockSize) => {
        const p = new MetaBaseStreamParser({ file: ACC_NAME, blockSize });
        const chunks: StreamChunk[] = [];
        for (const part of split(ACC, size)) chunks.push(...p.push(new TextEncoder().encode(part)));
        chunks.push(...p.finish());
        const cat = (f: (c: StreamChunk) => Float64Array) => Float64Array.from(chunks.flatMap((c) => Array.from(f(c))));
        expect(cat((c) => c.epochMs)).toEqual(Float64Array.from(ref.flatMap((c) => Array.from(c.epochMs))));
        expect(cat((c) => c.values)).toEqual(Float64Array.from(ref.flatMap((c) => Array.from(c.values))));
        expect(chunks.every((c, k) => c.start === k * blockSize)).toBe(true);
      }),
      { numRuns: 50 },
    );
    const mag = new MetaBaseStreamParser({ file: 'b_Magnetometer.csv' });
    const m = [...mag.push('epoch (ms),time (01:00),elapsed (s),x-axis (T),y-axis (T),z-axis (T)\n5,x,0,0.00002,-0.0000415,0.000001\n'), ...mag.finish()];
    expect(Array.from(m[0]!.values).map((v) => Number(v.toFixed(9)))).toEqual([20, -41.5, 1]);
  });

  it('names file, line and column of a bad row', () => {
    const bad = (text: string, name = ACC_NAME) => () => {
      const p = new MetaBaseStreamParser({ file: name });
      p.push(text);
      p.finish();
    };
    expect(bad(`${ACC_HEADER}\n1,a,0,1,2\n`)).toThrow(new RegExp(`^${ACC_NAME}:2: expected 6 comma-separated fields, found 5$`));
    expect(bad(`${ACC_HEADER}\n1,a,0,1,two,3\n`)).toThrow(/:2: column y-axis \(g\): "two" is not a number/);
    expect(bad(`${ACC_HEADER}\nnow,a,0,1,2,3\n`)).toThrow(/:2: column epoch \(ms\): "now" is not a time in ms/);
    expect(bad('')).toThrow(/:1: empty file/);
    expect(bad(`${ACC_HEADER}\n`)).toThrow(/:1: no data rows/);
    expect(bad(`${GYR_HEADER}\n1,a,0,1,2,3\n`)).toThrow(/the file name says accelerometer|unit 'deg\/s' is not one of an accelerometer/);
    expect(bad('epoch (ms),time (01:00),elapsed (s),x-axis (furlong),y-axis (furlong),z-axis (furlong)\n', 'x.csv')).toThrow(/unit 'furlong' is not one of an accelerometer, gyroscope or magnetometer/);
  });
});

describe('MetaBase reader never crashes', () => {
  it('on random text and bytes: chunks or a RecordingFormatError with a line', () => {
    const TOKENS = [ACC_HEADER, GYR_HEADER, '\n', '\n', ',', ',', '1682935200000', '0.5', '-1', 'x', 'NaN', '', ' ', '\r\n', 'epoch (ms)', 'x-axis (T)'];
    const text = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(text, fc.uint8Array({ maxLength: 400 })), fc.integer({ min: 1, max: 64 }), (input, size) => {
        const p = new MetaBaseStreamParser({ file: 'f.csv', blockSize: 4 });
        try {
          let n = 0;
          for (let i = 0; i < input.length; i += size) for (const c of p.push(input.slice(i, i + size))) n += c.epochMs.length;
          for (const c of p.finish()) n += c.epochMs.length;
          expect(n).toBe(p.samples);
        } catch (e) {
          if (!(e instanceof RecordingFormatError)) throw e;
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.message).not.toContain('\n');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('merging one board’s streams', () => {
  it('keeps the faster stream’s clock and interpolates the other, never across its gaps', async () => {
    for (const size of [97, 4096]) {
      const merger = new MetaMotionMerger([{ file: GYR_NAME, chunks: split(GYR, size) }, { file: ACC_NAME, chunks: split(ACC, size) }], { sensorId: 'board' }, { blockSize: 50 });
      const plan = await merger.plan();
      expect(plan.clock).toBe('acc');
      expect(plan.originMs).toBe(E0);
      expect(plan.periodMs).toEqual({ acc: 10, gyr: 20 });
      expect(plan.info.extra).toEqual({
        metabase_streams: 'accelerometer 100 Hz [g], gyroscope 50 Hz [deg/s]',
        merge: expect.stringMatching(/^gyroscope interpolated onto the accelerometer timestamps \(linear\); never across a gap longer than 3 of that stream's median intervals/),
        time_origin_epoch_ms: String(E0),
      });
      expect(plan.header.sensors[0]!.channels.map((c) => `${c.channel}:${c.unit.name}`)).toEqual(['tS:ms', 'acc:g', 'gyr:deg/s']);
      const blocks = await collect(merger.blocks());
      expect(blocks.every((b) => b.tS.length <= 50 && b.info === plan.info)).toBe(true);
      checkMerged(blocks);
      expect(merger.stats).toEqual({ emitted: 266, droppedLeading: 4, droppedInGaps: 12, droppedTrailing: 18 });
      // Output sample 0 is accelerometer sample 4, on line 6 of its file; sample 117 is
      // accelerometer sample 121; after the gap, output sample 118 is accelerometer sample 134.
      expect(merger.lineOfSample(0)).toBe(6);
      expect(merger.lineOfSample(117)).toBe(123);
      expect(merger.lineOfSample(118)).toBe(136);
    }
  });

  it('takes the gyroscope as the clock when it is faster, and a quaternion stream alone', async () => {
    const fastGyr = stream(GYR_HEADER, Array.from({ length: 50 }, (_, j) => E0 + 5 * j), gyrDps);
    const m = new MetaMotionMerger([{ file: 'a_Accelerometer.csv', chunks: [ACC] }, { file: 'a_Gyroscope.csv', chunks: [fastGyr] }], { sensorId: 'a' });
    expect((await m.plan()).clock).toBe('gyr');
    const b = concatBlocks(await collect(m.blocks())).block;
    expect(b.tS.length).toBe(50);
    expect(b.tS[1]).toBe(0.005);
    expect(b.accMS2![3 * 1 + 1] / STANDARD_GRAVITY_MS2).toBeCloseTo(0.25 * 0.005, 4);

    const quat = 'epoch (ms),time (01:00),elapsed (s),w (number),x (number),y (number),z (number)\n' + `${E0},a,0,1,0,0,0\n${E0 + 10},a,0.01,0.7071068,0.7071068,0,0\n`;
    const mag = 'epoch (ms),time (01:00),elapsed (s),x-axis (T),y-axis (T),z-axis (T)\n' + `${E0},a,0,0.00002,0,0\n${E0 + 20},a,0.02,0.00004,0,0\n`;
    const q = new MetaMotionMerger([{ file: 'q_Quaternion.csv', chunks: [quat] }, { file: 'q_Magnetometer.csv', chunks: [mag] }], { sensorId: 'q' });
    expect((await q.plan()).clock).toBe('quat');
    const qb = concatBlocks(await collect(q.blocks())).block;
    expect(qb.accMS2).toBeUndefined();
    expect(Array.from(qb.quat!)).toEqual([1, 0, 0, 0, 0.7071068, 0.7071068, 0, 0]);
    expect(qb.magUT![3]).toBeCloseTo(30, 9);
  });

  it('fails clearly: a stream without its partner, time going back, no overlap', async () => {
    const lone = new MetaMotionMerger([{ file: ACC_NAME, chunks: [ACC] }], { sensorId: 'x' });
    await expect(lone.plan()).rejects.toThrow(/accelerometer stream without its gyroscope stream: kinemetry needs both \(a …_Gyroscope_….csv/);
    const back = GYR.replace(`\n${E0 + 35 + 20 * 30},`, `\n${E0 + 10},`);
    const m = new MetaMotionMerger([{ file: ACC_NAME, chunks: [ACC] }, { file: GYR_NAME, chunks: [back] }], { sensorId: 'x' });
    const e = await collect(m.blocks()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RecordingFormatError);
    expect((e as RecordingFormatError).message).toMatch(new RegExp(`^${GYR_NAME}:32: column epoch \\(ms\\): time goes back from ${E0 + 35 + 20 * 29} ms to ${E0 + 10} ms`));
    const late = stream(GYR_HEADER, Array.from({ length: 10 }, (_, j) => E0 + 10_000 + 20 * j), gyrDps);
    await expect(collect(new MetaMotionMerger([{ file: ACC_NAME, chunks: [ACC] }, { file: GYR_NAME, chunks: [late] }], { sensorId: 'x' }).blocks())).rejects.toThrow(
      /do not overlap in time/,
    );
    const two = new MetaMotionMerger([{ file: ACC_NAME, chunks: [ACC] }, { file: 'b_Accelerometer.csv', chunks: [ACC] }], { sensorId: 'x' });
    await expect(two.plan()).rejects.toThrow(/a second accelerometer stream/);
  });
});

describe('MetaMotion exports on disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinemetry-mm-'));
    await mkdir(join(dir, 'export'));
    await writeFile(join(dir, 'export', ACC_NAME), ACC);
    await writeFile(join(dir, 'export', GYR_NAME), GYR);
    await writeFile(join(dir, 'export', `${STEM}_Pressure_1.4.4.csv`), 'epoch (ms),time (01:00),elapsed (s),pressure (Pa)\n1,a,0,101325\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('merges the board’s files of a directory into one sensor, streaming from disk', async () => {
    const s = await readSession(join(dir, 'export'), { chunkBytes: 1000, blockSize: 64 });
    expect(s.recordings.map((r) => r.sensorId)).toEqual(['MetaWear']);
    const rec = s.recordings[0]!;
    expect(rec.file.format?.name).toBe('metamotion');
    expect(rec.file.paths).toEqual([join(dir, 'export', ACC_NAME), join(dir, 'export', GYR_NAME)]);
    expect(rec.file.path).toBe(join(dir, 'export', ACC_NAME));
    expect(rec.info.device).toBe('MbientLab MetaWear C5:A1:B2:C3:D4:E5, firmware 1.4.4');
    expect(rec.info.extra?.merge).toMatch(/gyroscope interpolated onto the accelerometer timestamps/);
    checkMerged(await collect(rec.blocks()));
    expect(rec.file.lineOfSample(0)).toBe(6);
    expect(s.files).toHaveLength(2);
  });

  it('two boards named alike: told apart by MAC address, on one clock (the earliest first sample)', async () => {
    const d = join(dir, 'two');
    await mkdir(d);
    const other = 'MetaWear_2023-05-01T10.00.00.000_D1D2D3D4D5D6';
    const later = (text: string) => text.replace(/^(\d+),/gm, (_, e: string) => `${Number(e) + 500},`);
    await writeFile(join(d, ACC_NAME), ACC);
    await writeFile(join(d, GYR_NAME), GYR);
    await writeFile(join(d, `${other}_Accelerometer_1.4.4.csv`), later(ACC));
    await writeFile(join(d, `${other}_Gyroscope_1.4.4.csv`), later(GYR));
    const s = await readSession(d);
    expect(s.recordings.map((r) => r.sensorId)).toEqual(['MetaWear_C5A1B2C3D4E5', 'MetaWear_D1D2D3D4D5D6']);
    const first = concatBlocks(await collect(s.recordings[0]!.blocks())).block;
    const second = concatBlocks(await collect(s.recordings[1]!.blocks())).block;
    expect(first.tS[0]).toBe(0.04);
    expect(second.tS[0]).toBe(0.54);
    expect(s.recordings[1]!.info.extra?.time_origin_epoch_ms).toBe(String(E0));
  });

  it('finds the partner streams when one file is named', async () => {
    for (const name of [ACC_NAME, GYR_NAME]) {
      const s = await readSession(join(dir, 'export', name));
      expect(s.recordings.map((r) => r.sensorId)).toEqual(['MetaWear']);
      expect(s.recordings[0]!.file.paths).toHaveLength(2);
    }
  });
});
