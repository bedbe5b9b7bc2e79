/**
 * The `mat` recording format: chunk parser, format detection, the Node file layer and
 * `kinemetry info` on the bundled BROAD slice.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { RecordingFormatError } from '../../src/io/errors';
import { detectFormat, getFormat, isRecordingFileName } from '../../src/io/formats';
import { MatFormatError } from '../../src/io/matError';
import { MatChunkParser, matFormat } from '../../src/io/matFormat';
import { writeMat } from '../../src/io/matWriter';
import type { MatWriteVariable } from '../../src/io/matWriter';
import { readRecording } from '../../src/io/node/recordingFile';
import { readSession } from '../../src/io/node/session';
import { concatBlocks } from '../../src/samples/block';
import type { SampleBlock } from '../../src/samples/block';

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'broad');
const SLICE = join(DIR, '01_undisturbed_slow_rotation_A_slice.mat');
const BYTES = new Uint8Array(readFileSync(SLICE));
const N = 2857;

function parse(chunks: (Uint8Array | string)[], options: ConstructorParameters<typeof MatChunkParser>[0] = {}): { blocks: SampleBlock[]; parser: MatChunkParser } {
  const parser = new MatChunkParser({ file: 'x.mat', ...options });
  const blocks: SampleBlock[] = [];
  for (const c of chunks) blocks.push(...parser.push(c));
  blocks.push(...parser.finish());
  return { blocks, parser };
}

function imuFile(extra: MatWriteVariable[] = [], rate = true): Uint8Array {
  const vars: MatWriteVariable[] = [
    { name: 'imu_acc', className: 'double', dims: [4, 3], data: [1, 2, 3, 4, 0, 0, 0, 0, 9.8, 9.8, 9.8, 9.8] },
    { name: 'imu_gyr', className: 'double', dims: [4, 3], data: [0.1, 0.2, 0.3, 0.4, 0, 0, 0, 0, 0, 0, 0, 0] },
    ...extra,
  ];
  if (rate) vars.push({ name: 'sampling_rate', className: 'double', dims: [1, 1], data: [50] });
  return writeMat(vars);
}

describe('mat format registration and detection', () => {
  it('is in the format table, detected from the MAT-file header text, and scanned as .mat', () => {
    expect(getFormat('mat')).toBe(matFormat);
    expect(detectFormat(new TextDecoder().decode(BYTES.subarray(0, 65536)), SLICE)).toBe(matFormat);
    expect(detectFormat('t,ax,ay,az,gx,gy,gz\n0,0,0,0,0,0,0\n').name).toBe('canonical');
    expect(matFormat.sniff('MATLAB 7.3 MAT-file, Platform: GLNXA64')).toBe(true); // claimed, so its parser can refuse it clearly
    expect(isRecordingFileName('trial.MAT')).toBe(true);
  });
});

describe('MatChunkParser', () => {
  const whole = parse([BYTES], { blockSize: 1000 });

  it('emits the IMU of the slice in bounded blocks with t = index / rate', () => {
    const { blocks, parser } = whole;
    expect(blocks.map((b) => b.tS.length)).toEqual([1000, 1000, 857]);
    expect(parser.samples).toBe(N);
    expect(parser.lineOfSample(0)).toBeUndefined();
    const b = concatBlocks(blocks).block;
    expect(b.tS[0]).toBe(0);
    expect(b.tS[N - 1]).toBe((N - 1) / 285.7142857142857);
    expect(Array.from(b.accMS2!.subarray(0, 3))).toEqual([-0.24992141817190655, -0.3347158520077809, 9.847701982684061]);
    expect(Array.from(b.magUT!.subarray(3 * N - 3))).toEqual([1.723753207538799, 17.180107464332103, -41.16810641834328]);
    expect(b.quat).toBeUndefined();
    const h = parser.header!;
    expect(h.line).toBe(0);
    expect(h.sensors).toHaveLength(1);
    expect(h.sensors[0]!.info).toMatchObject({ sensorId: 'x', rateHz: 285.7142857142857, device: 'myon aktos-t (myon AG, Switzerland)' });
    expect(h.sensors[0]!.channels.map((c) => [c.channel, c.unit.name, c.columns[0]])).toEqual([
      ['tS', 's', 'index/sampling_rate'],
      ['acc', 'm/s^2', 'imu_acc(:,1)'],
      ['gyr', 'rad/s', 'imu_gyr(:,1)'],
      ['mag', 'uT', 'imu_mag(:,1)'],
    ]);
  });

  it('gives the same blocks whatever the chunking', () => {
    const ref = concatBlocks(whole.blocks).block;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: BYTES.length }), { maxLength: 6 }), (cuts) => {
        const at = [0, ...[...new Set(cuts)].sort((a, b) => a - b), BYTES.length];
        const chunks = at.slice(1).map((e, i) => BYTES.subarray(at[i]!, e));
        const b = concatBlocks(parse(chunks, { blockSize: 1000 }).blocks).block;
        expect(b.accMS2).toEqual(ref.accMS2);
        expect(b.gyrRadS).toEqual(ref.gyrRadS);
        expect(b.magUT).toEqual(ref.magUT);
        expect(b.tS).toEqual(ref.tS);
      }),
      { numRuns: 15 },
    );
  });

  it('refuses text chunks, and non-MAT input as soon as the header has arrived', () => {
    expect(() => parse(['MATLAB 5.0 MAT-file'])).toThrow(MatFormatError);
    const p = new MatChunkParser({ file: 'x.mat' });
    expect(() => p.push(new TextEncoder().encode('t,ax,ay,az,gx,gy,gz\n'.repeat(8)))).toThrow("x.mat: byte 0: not a MAT-file: no 'MATLAB 5.0 MAT-file' header");
    expect(() => parse([])).toThrow('x.mat: empty file');
  });

  it('lists the variables found when the file has no IMU variables', () => {
    const other = writeMat([
      { name: 'accel', className: 'double', dims: [2, 3], data: [0, 0, 0, 0, 0, 0] },
      { name: 'label', className: 'char', text: 'walk' },
    ]);
    const err = (() => {
      try {
        parse([other]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(RecordingFormatError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^x\.mat: no IMU variables: expected imu_acc \(N×3, m\/s²\) and imu_gyr \(N×3, rad\/s\)/);
    expect(msg).toContain('found accel (2×3 double), label (1×4 char)');
    expect(msg).toContain('variable map');
  });

  it('takes the rate from the options when the file has none, and refuses bad shapes', () => {
    expect(() => parse([imuFile([], false)])).toThrow("no 'sampling_rate' variable and no rate given");
    const b = concatBlocks(parse([imuFile([], false)], { rateHz: 10 }).blocks).block;
    expect(Array.from(b.tS)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(Array.from(b.accMS2!)).toEqual([1, 0, 9.8, 2, 0, 9.8, 3, 0, 9.8, 4, 0, 9.8]);
    expect(b.magUT).toBeUndefined();
    const badMag = imuFile([{ name: 'imu_mag', className: 'double', dims: [4, 2], data: [0, 0, 0, 0, 0, 0, 0, 0] }]);
    expect(() => parse([badMag])).toThrow(/'imu_mag' is 4×2 double, expected N×3 real numbers/);
    const shortGyr = writeMat([
      { name: 'imu_acc', className: 'double', dims: [2, 3], data: [0, 0, 0, 0, 0, 0] },
      { name: 'imu_gyr', className: 'double', dims: [1, 3], data: [0, 0, 0] },
      { name: 'sampling_rate', className: 'double', dims: [1, 1], data: [0] },
    ]);
    expect(() => parse([shortGyr])).toThrow("'imu_gyr' has 1 samples but 'imu_acc' has 2");
  });

  it('reads 3×N variables (one column per sample) too', () => {
    const t = writeMat([
      { name: 'imu_acc', className: 'single', dims: [3, 4], data: [1, 0, 9.5, 2, 0, 9.5, 3, 0, 9.5, 4, 0, 9.5] },
      { name: 'imu_gyr', className: 'double', dims: [3, 4], data: new Array(12).fill(0) },
      { name: 'sampling_rate', className: 'uint8', dims: [1, 1], data: [100] },
    ]);
    const b = concatBlocks(parse([t]).blocks).block;
    expect(Array.from(b.accMS2!)).toEqual([1, 0, 9.5, 2, 0, 9.5, 3, 0, 9.5, 4, 0, 9.5]);
    expect(b.tS[3]).toBe(0.03);
  });

  it('never throws anything but RecordingFormatError on random or damaged input', () => {
    const small = imuFile();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat()).map(([pos, x, cut]) => {
            const b = small.slice(0, 128 + (cut % (small.length - 127)));
            b[pos % b.length]! ^= x;
            return b;
          }),
        ),
        fc.integer({ min: 1, max: 100 }),
        (bytes, size) => {
          const chunks: Uint8Array[] = [];
          for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
          try {
            parse(chunks);
          } catch (e) {
            if (!(e instanceof RecordingFormatError)) throw e;
            expect(e.message).not.toContain('\n');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('mat files through the Node layer and the CLI', () => {
  let dir: string;
  let truncated: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinemetry-mat-'));
    truncated = join(dir, 'cut.mat');
    await writeFile(truncated, BYTES.subarray(0, 5000));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('readRecording streams the file in small chunks and detects the format', async () => {
    const file = readRecording(SLICE, { chunkBytes: 4096, blockSize: 512 });
    const blocks: SampleBlock[] = [];
    for await (const b of file) blocks.push(b);
    expect(file.format).toBe(matFormat);
    expect(blocks.reduce((s, b) => s + b.tS.length, 0)).toBe(N);
    expect(Math.max(...blocks.map((b) => b.tS.length))).toBe(512);
    expect((await file.readHeader()).sensors[0]!.info.sensorId).toBe('01_undisturbed_slow_rotation_A_slice');
  });

  it('readSession picks up .mat files in a directory', async () => {
    const s = await readSession(DIR);
    expect(s.recordings.map((r) => r.sensorId)).toEqual(['01_undisturbed_slow_rotation_A_slice']);
  });

  async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
    return { code, stdout, stderr };
  }

  it('kinemetry info reads the BROAD slice', async () => {
    const r = await run('info', '--json', SLICE);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { sensors: { format: string; samples: number; nominalRateHz: number; durationS: number; device: string }[] };
    expect(json.sensors[0]).toMatchObject({ format: 'mat', samples: N, nominalRateHz: 285.7142857142857, device: 'myon aktos-t (myon AG, Switzerland)' });
    expect(json.sensors[0]!.durationS).toBeCloseTo((N - 1) / 285.7142857142857, 9);
  });

  it('kinemetry info on a truncated .mat: exit 1, one line naming file and byte', async () => {
    const r = await run('info', truncated);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${truncated}: byte 128: data element: miCOMPRESSED element of 12004 bytes, but only 4864 bytes follow (file truncated?)\n`);
  });
});
