import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingFormatError, RecordingWriteError, SessionError } from '../../src/io/errors';
import { readSession, readSessions } from '../../src/io/node/session';
import { writeBidsDataset, writeBidsMotion } from '../../src/io/node/writeBids';
import { writeRecording, writeRecordingDirectory } from '../../src/io/node/writeRecording';
import { bidsLayoutOfBlock } from '../../src/io/bidsWriter';
import { concatBlocks, createBlock } from '../../src/samples/block';
import type { SampleBlock, SensorInfo } from '../../src/samples/block';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinemetry-session-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ramp(info: SensorInfo, n: number, t0: number, rateHz: number, channels: { mag?: boolean; quat?: boolean; inertial?: boolean } = {}): SampleBlock {
  const b = createBlock(info, n, { inertial: channels.inertial ?? true, mag: channels.mag ?? false, quat: channels.quat ?? false });
  for (let i = 0; i < n; i++) {
    b.tS[i] = t0 + i / rateHz;
    b.accMS2?.set([Math.sin(i) * 3.3, Math.cos(i) / 7, 9.81 + i * 1e-9], 3 * i);
    b.gyrRadS?.set([i / 3, -i / 11, Math.PI * i], 3 * i);
    b.magUT?.set([20 + i / 13, -5, 42.125], 3 * i);
    b.quat?.set([Math.cos(i / 10), Math.sin(i / 10), 0, 0], 4 * i);
  }
  return b;
}

async function collect(it: AsyncIterable<SampleBlock>): Promise<SampleBlock[]> {
  const out: SampleBlock[] = [];
  for await (const b of it) out.push(b);
  return out;
}

const CHANNELS_2 = [
  'name\tcomponent\ttype\ttracked_point\tunits',
  ...['x', 'y', 'z'].map((c) => `lf_acc_${c}\t${c}\tACCEL\tLeftFoot\tm/s^2`),
  ...['x', 'y', 'z'].map((c) => `lf_gyr_${c}\t${c}\tGYRO\tLeftFoot\trad/s`),
  ...['x', 'y', 'z'].map((c) => `rf_acc_${c}\t${c}\tACCEL\tRightFoot\tm/s^2`),
  ...['x', 'y', 'z'].map((c) => `rf_gyr_${c}\t${c}\tGYRO\tRightFoot\trad/s`),
].join('\n');
const ROWS_2 = Array.from({ length: 20 }, (_, i) => Array.from({ length: 12 }, (_, k) => (i === 3 && k === 4 ? 'n/a' : i + k / 100)).join('\t')).join('\n');

describe('session detection', () => {
  it('a directory of canonical CSVs: one sensor per file, other files and BIDS companions ignored', async () => {
    const d = join(dir, 'canonical');
    await mkdir(d);
    await writeRecording(join(d, 'thigh.csv'), [ramp({ sensorId: 'thigh' }, 30, 0, 100)]);
    await writeRecording(join(d, 'shank.csv'), [ramp({ sensorId: 'shank' }, 30, 0.005, 100, { mag: true })]);
    await writeFile(join(d, 'notes.md'), '# notes');
    await writeFile(join(d, 'README.txt'), 'not an Xsens export');
    await writeFile(join(d, 'sub-01_task-x_events.tsv'), 'onset\tduration\n');
    const s = await readSession(d);
    expect(s.recordings.map((r) => [r.sensorId, r.file.format?.name])).toEqual([
      ['shank', 'canonical'],
      ['thigh', 'canonical'],
    ]);
    expect(s.files).toHaveLength(2);
    expect(s.totalBytes).toBe([...s.fileBytes.values()].reduce((a, b) => a + b, 0));
    expect(s.totalBytes).toBeGreaterThan(1000);
  });

  it('a single BIDS file with two tracked points: companions found, both sensors, one pass for several', async () => {
    const d = join(dir, 'bids-flat');
    await mkdir(d);
    const stem = 'sub-01_task-walk_tracksys-imu';
    await writeFile(join(d, `${stem}_motion.tsv`), ROWS_2);
    await writeFile(join(d, `${stem}_channels.tsv`), CHANNELS_2);
    await writeFile(join(d, `${stem}_motion.json`), JSON.stringify({ SamplingFrequency: 100, TaskName: 'walk', TrackingSystemName: 'IMU' }));
    for (const given of [`${stem}_motion.tsv`, `${stem}_channels.tsv`, `${stem}_motion.json`, '']) {
      const s = await readSession(join(d, given));
      expect(s.recordings.map((r) => r.sensorId), given).toEqual(['LeftFoot', 'RightFoot']);
      expect(s.recordings[0]!.file.path).toBe(join(d, `${stem}_motion.tsv`));
      expect(s.files).toEqual([join(d, `${stem}_motion.tsv`)]);
    }
    const s = await readSession(join(d, `${stem}_motion.tsv`), { blockSize: 8 });
    const right = concatBlocks(await collect(s.sensor('RightFoot')!.blocks())).block;
    expect(right.tS.length).toBe(20);
    expect(right.tS[19]).toBe(19 / 100);
    expect(Array.from(right.accMS2!.subarray(0, 3))).toEqual([0.06, 0.07, 0.08]);
    expect(s.sensor('LeftFoot')!.info.rateHz).toBe(100);
    // Both sensors in one pass: blocks of the one file, interleaved, each sensor complete.
    const both = await collect(s.blocks());
    expect(both.map((b) => b.info.sensorId).slice(0, 4)).toEqual(['LeftFoot', 'RightFoot', 'LeftFoot', 'RightFoot']);
    expect(both.reduce((n, b) => n + b.tS.length, 0)).toBe(40);
    expect((await collect(s.blocks(['RightFoot']))).every((b) => b.info.sensorId === 'RightFoot')).toBe(true);
    expect(s.recordings[0]!.file.lineOfSample(3)).toBe(4);
  });

  it('a BIDS dataset tree: every *_motion.tsv, sidecars inherited from the top, repeated tracked points prefixed', async () => {
    const root = join(dir, 'bids-tree');
    await mkdir(join(root, 'sub-01', 'motion'), { recursive: true });
    await mkdir(join(root, 'sub-02', 'motion'), { recursive: true });
    await mkdir(join(root, 'derivatives', 'x'), { recursive: true });
    await writeFile(join(root, 'dataset_description.json'), '{"Name":"t","BIDSVersion":"1.9.0"}');
    // Top-level sidecar for all subjects; sub-02 overrides the rate.
    await writeFile(join(root, 'task-walk_motion.json'), JSON.stringify({ SamplingFrequency: 50, TaskName: 'walk', TrackingSystemName: 'IMU', ManufacturersModelName: 'M1' }));
    await writeFile(join(root, 'task-walk_channels.tsv'), CHANNELS_2);
    for (const sub of ['01', '02']) {
      await writeFile(join(root, `sub-${sub}`, 'motion', `sub-${sub}_task-walk_tracksys-imu_motion.tsv`), ROWS_2);
    }
    await writeFile(join(root, 'sub-02', 'motion', 'sub-02_task-walk_tracksys-imu_motion.json'), '{"SamplingFrequency": 25}');
    await writeFile(join(root, 'derivatives', 'x', 'sub-01_task-walk_tracksys-imu_motion.tsv'), 'not read');
    const s = await readSession(root);
    expect(s.recordings.map((r) => r.sensorId)).toEqual([
      'sub-01_task-walk_tracksys-imu_LeftFoot',
      'sub-01_task-walk_tracksys-imu_RightFoot',
      'sub-02_task-walk_tracksys-imu_LeftFoot',
      'sub-02_task-walk_tracksys-imu_RightFoot',
    ]);
    const sub2 = s.sensor('sub-02_task-walk_tracksys-imu_LeftFoot')!;
    expect(sub2.info).toMatchObject({ rateHz: 25, device: 'M1' });
    expect(s.sensor('sub-01_task-walk_tracksys-imu_LeftFoot')!.info.rateHz).toBe(50);
    const blocks = await collect(sub2.blocks());
    expect(blocks.every((b) => b.info.sensorId === 'sub-02_task-walk_tracksys-imu_LeftFoot')).toBe(true);
    expect(concatBlocks(blocks).block.tS[2]).toBe(2 / 25);
  });

  it('MetaBase exports next to canonical files, --format overriding detection, several paths as one session', async () => {
    const d = join(dir, 'mixed');
    await mkdir(d);
    await writeRecording(join(d, 'thigh.csv'), [ramp({ sensorId: 'thigh' }, 10, 0, 100)]);
    const acc = 'epoch (ms),time (01:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)\n' + Array.from({ length: 10 }, (_, i) => `${1000 + 10 * i},x,0,0,0,1`).join('\n');
    const gyr = 'epoc (ms),timestamp (+0100),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)\n' + Array.from({ length: 10 }, (_, i) => `${1000 + 10 * i},x,0,1,2,3`).join('\n');
    await writeFile(join(d, 'Shank_2024_D1D2D3D4D5D6_Accelerometer.csv'), acc);
    await writeFile(join(d, 'Shank_2024_D1D2D3D4D5D6_Gyroscope.csv'), gyr);
    const s = await readSession(d);
    expect(s.recordings.map((r) => [r.sensorId, r.file.format?.name])).toEqual([
      ['Shank', 'metamotion'],
      ['thigh', 'canonical'],
    ]);
    const shank = concatBlocks(await collect(s.sensor('Shank')!.blocks())).block;
    expect(shank.tS[0]).toBe(0);
    expect(shank.gyrRadS![2]).toBeCloseTo((3 * Math.PI) / 180, 15);
    // Forcing canonical makes the MetaBase files fail with the canonical reader's message.
    await expect(readSession(d, { format: 'canonical' })).rejects.toThrow(RecordingFormatError);
    // Naming both stream files reads the board once.
    const two = await readSessions([join(d, 'Shank_2024_D1D2D3D4D5D6_Accelerometer.csv'), join(d, 'Shank_2024_D1D2D3D4D5D6_Gyroscope.csv'), join(d, 'thigh.csv')]);
    expect(two.recordings.map((r) => r.sensorId)).toEqual(['Shank', 'thigh']);
  });

  it('orientation-only canonical files, and refusals: duplicates, empty directories, missing companions', async () => {
    const d = join(dir, 'refuse');
    await mkdir(d);
    await writeRecording(join(d, 'pelvis.csv'), [ramp({ sensorId: 'pelvis' }, 5, 0, 60, { inertial: false, quat: true })]);
    expect((await readFile(join(d, 'pelvis.csv'), 'utf8')).split('\n')[1]).toBe('t[s],qw,qx,qy,qz');
    const p = (await readSession(join(d, 'pelvis.csv'))).recordings[0]!;
    expect(p.channels.map((c) => c.channel)).toEqual(['tS', 'quat']);
    const pb = concatBlocks(await collect(p.blocks())).block;
    expect(pb.accMS2).toBeUndefined();
    expect(pb.quat![4]).toBe(Math.cos(0.1));

    await writeRecording(join(d, 'a.csv'), [ramp({ sensorId: 'pelvis' }, 2, 0, 10)]);
    await expect(readSession(d)).rejects.toThrow(/sensor 'pelvis' is recorded in both a\.csv and pelvis\.csv/);
    expect((await readSession(d, { duplicateSensors: 'keep' })).recordings).toHaveLength(2);
    await mkdir(join(d, 'empty'));
    await expect(readSession(join(d, 'empty'))).rejects.toBeInstanceOf(SessionError);
    await writeFile(join(d, 'empty', 'x_motion.tsv'), '1\t2\n');
    await expect(readSession(join(d, 'empty'))).rejects.toThrow(/x_motion\.tsv: its channels file x_channels\.tsv is missing/);
  });
});

describe('writing sessions', () => {
  it('a directory of CSVs, in one pass, named after the sensors', async () => {
    const out = join(dir, 'out-csv');
    const blocks = [ramp({ sensorId: 'a/b' }, 4, 0, 10), ramp({ sensorId: 'c' }, 4, 0, 10, { mag: true }), ramp({ sensorId: 'a/b' }, 4, 0.4, 10)];
    const r = await writeRecordingDirectory(out, blocks);
    expect(r.files).toEqual([
      { sensorId: 'a/b', path: join(out, 'a_b.csv'), samples: 8 },
      { sensorId: 'c', path: join(out, 'c.csv'), samples: 4 },
    ]);
    const s = await readSession(out);
    expect(s.recordings.map((x) => x.sensorId)).toEqual(['a/b', 'c']);
    await expect(writeRecordingDirectory(join(dir, 'out-none'), [])).rejects.toThrow(RecordingWriteError);
  });

  it('BIDS: a dataset with one tracking system per source, read back as the same sensors and values', async () => {
    const src = join(dir, 'to-bids');
    await mkdir(src);
    const thigh: SensorInfo = { sensorId: 'thigh', placement: 'thigh', side: 'left', rateHz: 100, device: 'DOT', extra: { subject: 'S01' } };
    await writeRecording(join(src, 'thigh.csv'), [ramp(thigh, 50, 0, 100, { mag: true })]);
    await writeRecording(join(src, 'shank.csv'), [ramp({ sensorId: 'shank' }, 40, 0.003, 100)]);
    const session = await readSession(src);
    const out = join(dir, 'bids-out');
    const r = await writeBidsDataset(out, session, { subject: 'P07', task: 'squat' });
    expect(r.files.map((f) => f.slice(out.length + 1))).toEqual([
      'dataset_description.json',
      'sub-P07/motion/sub-P07_task-squat_tracksys-shank_motion.tsv',
      'sub-P07/motion/sub-P07_task-squat_tracksys-shank_channels.tsv',
      'sub-P07/motion/sub-P07_task-squat_tracksys-shank_motion.json',
      'sub-P07/motion/sub-P07_task-squat_tracksys-thigh_motion.tsv',
      'sub-P07/motion/sub-P07_task-squat_tracksys-thigh_channels.tsv',
      'sub-P07/motion/sub-P07_task-squat_tracksys-thigh_motion.json',
    ]);
    const back = await readSession(out);
    expect(back.recordings.map((x) => x.sensorId)).toEqual(['shank', 'thigh']);
    expect(back.sensor('thigh')!.info).toEqual(thigh);
    const got = concatBlocks(await collect(back.sensor('thigh')!.blocks())).block;
    const want = ramp(thigh, 50, 0, 100, { mag: true });
    expect(got.tS).toEqual(want.tS);
    expect(got.accMS2).toEqual(want.accMS2);
    expect(got.magUT).toEqual(want.magUT);
    const json = JSON.parse(await readFile(join(out, 'sub-P07/motion/sub-P07_task-squat_tracksys-thigh_motion.json'), 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({ TaskName: 'squat', TrackingSystemName: 'DOT', SamplingFrequency: 100 });
    // Not overwriting dataset files; labels checked.
    await expect(writeBidsDataset(out, session, { subject: 'P07', task: 'squat' })).rejects.toThrow(/exists already/);
    await expect(writeBidsDataset(out, session, { subject: 'P-07', task: 'squat' })).rejects.toThrow(/letters and digits/);
  });

  it('BIDS: one tracking system for sensors on different clocks fails and leaves no files', async () => {
    const out = join(dir, 'clock');
    await mkdir(out);
    const a = ramp({ sensorId: 'a' }, 5, 0, 100);
    const b = ramp({ sensorId: 'b' }, 5, 0.005, 100);
    const path = join(out, 'sub-1_task-x_motion.tsv');
    await expect(writeBidsMotion(path, [bidsLayoutOfBlock(a), bidsLayoutOfBlock(b)], [a, b], { taskName: 'x', trackingSystemName: 'y' })).rejects.toThrow(/do not share one clock/);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(out)).toEqual([]);
    const sameClock = { ...a, info: { sensorId: 'b' } };
    const ok = await writeBidsMotion(path, [bidsLayoutOfBlock(a), bidsLayoutOfBlock(sameClock)], [a, sameClock], { taskName: 'x', trackingSystemName: 'y' });
    expect(ok.rows).toBe(5);
    expect((await readdir(out)).sort()).toEqual(['sub-1_task-x_channels.tsv', 'sub-1_task-x_motion.json', 'sub-1_task-x_motion.tsv']);
  });
});
