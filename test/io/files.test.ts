import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingFormatError, SessionError, UnknownFormatError } from '../../src/io/errors';
import { readRecording } from '../../src/io/node/recordingFile';
import { readSession } from '../../src/io/node/session';
import { writeRecording } from '../../src/io/node/writeRecording';
import { concatBlocks, createBlock } from '../../src/samples/block';
import type { SampleBlock, SensorInfo } from '../../src/samples/block';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinemetry-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ramp(info: SensorInfo, n: number, t0: number, rateHz: number): SampleBlock {
  const b = createBlock(info, n, { mag: true });
  for (let i = 0; i < n; i++) {
    b.tS[i] = t0 + i / rateHz;
    b.accMS2.set([Math.sin(i) * 3.3, Math.cos(i) / 7, 9.81 + i * 1e-9], 3 * i);
    b.gyrRadS.set([i / 3, -i / 11, Math.PI * i], 3 * i);
    b.magUT!.set([20 + i / 13, -5, 42.125], 3 * i);
  }
  return b;
}

async function collect(it: AsyncIterable<SampleBlock>): Promise<SampleBlock[]> {
  const out: SampleBlock[] = [];
  for await (const b of it) out.push(b);
  return out;
}

describe('Node recording files', () => {
  it('writes incrementally and streams back the same values in bounded blocks', async () => {
    const info: SensorInfo = { sensorId: 'thigh', placement: 'thigh', side: 'right', rateHz: 52 };
    async function* live() {
      for (let k = 0; k < 5; k++) yield ramp(info, 700, k * 700 / 52, 52);
    }
    const path = join(dir, 'thigh.csv');
    expect(await writeRecording(path, live())).toEqual({ samples: 3500 });

    const file = readRecording(path, { blockSize: 1000, chunkBytes: 4096 });
    const blocks = await collect(file);
    expect(blocks.map((b) => b.tS.length)).toEqual([1000, 1000, 1000, 500]);
    expect(blocks[0]!.info).toEqual(info);
    expect(file.format?.name).toBe('canonical');
    const got = concatBlocks(blocks).block;
    const want = concatBlocks(await collect(live())).block;
    expect(got.tS).toEqual(want.tS);
    expect(got.accMS2).toEqual(want.accMS2);
    expect(got.gyrRadS).toEqual(want.gyrRadS);
    expect(got.magUT).toEqual(want.magUT);
    // Header rows: 4 metadata lines + header, so sample i is on line 6 + i.
    expect(file.lineOfSample(0)).toBe(6);
    expect(file.lineOfSample(3499)).toBe(3505);
    expect((await readFile(path, 'utf8')).split('\n').length).toBe(3506);
    // Iterating again re-reads the file.
    expect((await collect(file)).length).toBe(4);
  });

  it('reads only the header when asked', async () => {
    const path = join(dir, 'header.csv');
    await writeFile(path, `# device: X\nt[ms],ax[g],ay[g],az[g],gx,gy,gz\n0,0,0,1,0,0,0\n`);
    const h = await readRecording(path).readHeader();
    expect(h.sensors[0]!.info).toEqual({ sensorId: 'header', device: 'X' });
    expect(h.line).toBe(2);
    expect(h.sensors[0]!.channels.map((c) => `${c.channel}:${c.unit.name}`)).toEqual(['tS:ms', 'acc:g', 'gyr:rad/s']);
  });

  it('reports format errors with the file path and line', async () => {
    const path = join(dir, 'broken.csv');
    await writeFile(path, `t,ax,ay,az,gx,gy,gz\n${'0,0,0,0,0,0,0\n'.repeat(3000)}1,2,3\n`);
    const err = await collect(readRecording(path, { chunkBytes: 1000 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordingFormatError);
    expect((err as RecordingFormatError).message).toMatch(new RegExp(`^${path.replace(/[.\\]/g, '\\$&')}:3002: expected 7 fields`));
    expect(() => readRecording(path, { format: 'nope' })).toThrow(UnknownFormatError);
    await expect(collect(readRecording(join(dir, 'missing.csv')))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  describe('sessions', () => {
    let sessionDir: string;
    beforeAll(async () => {
      sessionDir = join(dir, 'session');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(sessionDir);
      await writeRecording(join(sessionDir, 'thigh.csv'), [ramp({ sensorId: 'thigh' }, 30, 0, 100)]);
      // The file's own `# sensor:` wins over its name.
      await writeRecording(join(sessionDir, 'b.csv'), [ramp({ sensorId: 'shank' }, 20, 0.005, 100), ramp({ sensorId: 'shank' }, 20, 0.205, 100)]);
      await writeFile(join(sessionDir, 'notes.md'), 'not a recording');
    });

    it('lists one recording per sensor, sorted by file name, and ignores other files', async () => {
      const s = await readSession(sessionDir);
      expect(s.recordings.map((r) => r.sensorId)).toEqual(['shank', 'thigh']);
      expect(s.sensor('thigh')?.file.path).toBe(join(sessionDir, 'thigh.csv'));
      expect(s.sensor('nope')).toBeUndefined();
      const shank = await collect(s.sensor('shank')!.file);
      expect(shank.reduce((n, b) => n + b.tS.length, 0)).toBe(40);
    });

    it('interleaves the sensors by time', async () => {
      const s = await readSession(sessionDir, { blockSize: 10 });
      const order = (await collect(s.blocks())).map((b) => `${b.info.sensorId}@${b.tS[0]!.toFixed(3)}`);
      expect(order).toEqual([
        'thigh@0.000', 'shank@0.005', 'thigh@0.100', 'shank@0.105', 'thigh@0.200', 'shank@0.205', 'shank@0.305',
      ]);
    });

    it('treats a single file as a one-sensor session', async () => {
      const s = await readSession(join(sessionDir, 'thigh.csv'));
      expect(s.recordings.map((r) => r.sensorId)).toEqual(['thigh']);
    });

    it('refuses duplicate sensors and empty directories', async () => {
      const dup = join(dir, 'dup');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(dup);
      await writeRecording(join(dup, 'a.csv'), [ramp({ sensorId: 'x' }, 2, 0, 10)]);
      await writeRecording(join(dup, 'b.csv'), [ramp({ sensorId: 'x' }, 2, 0, 10)]);
      await expect(readSession(dup)).rejects.toThrow(/sensor 'x' is recorded in both a.csv and b.csv/);
      const empty = join(dir, 'empty');
      await mkdir(empty);
      await expect(readSession(empty)).rejects.toBeInstanceOf(SessionError);
    });
  });
});
