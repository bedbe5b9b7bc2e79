import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run';
import { createProgress, progressLine, PROGRESS_MIN_BYTES } from '../../src/cli/progress';
import { planOutput } from '../../src/cli/convert';
import type { InfoJson } from '../../src/cli/infoReport';
import { readSession } from '../../src/io/node/session';
import { concatBlocks } from '../../src/samples/block';
import type { SampleBlock } from '../../src/samples/block';


async function blocksOf(path: string, sensor?: string): Promise<SampleBlock> {
  const s = await readSession(path);
  const rec = sensor ? s.sensor(sensor)! : s.recordings[0]!;
  const out: SampleBlock[] = [];
  for await (const b of rec.blocks()) out.push(b);
  return concatBlocks(out).block;
}

let dir: string;
let session: string;
let thigh: string;
let pelvis: string;
let bidsFile: string;
const THIGH = '# sensor: thigh\n# placement: thigh\n# side: left\n# rate_hz: 100\n# subject: S07\nt[s],ax[m/s^2],ay[m/s^2],az[m/s^2],gx[rad/s],gy[rad/s],gz[rad/s]\n' +
  Array.from({ length: 50 }, (_, i) => `${i / 100},${Math.sin(i)},0.5,9.81,${i / 7},-0,1e-7`).join('\n') + '\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinemetry-convert-'));
  session = join(dir, 'session');
  await mkdir(session);
  thigh = join(session, 'thigh.csv');
  await writeFile(thigh, THIGH);
  await writeFile(join(session, 'shank.csv'), `# rate_hz: 100\nt,ax,ay,az,gx,gy,gz\n${Array.from({ length: 40 }, (_, i) => `${0.005 + i / 100},0,0,9.81,0,0,${i}`).join('\n')}\n`);
  pelvis = join(dir, 'pelvis.csv');
  await writeFile(pelvis, `# rate_hz: 60\nt,qw,qx,qy,qz\n${Array.from({ length: 30 }, (_, i) => `${i / 60},${Math.cos(i / 20)},0,${Math.sin(i / 20)},0`).join('\n')}\n`);
  const bids = join(dir, 'bids');
  await mkdir(bids);
  bidsFile = join(bids, 'sub-01_task-walk_tracksys-imu_motion.tsv');
  const ch = ['name\tcomponent\ttype\ttracked_point\tunits'];
  for (const p of ['lf', 'rf']) for (const [t, u] of [['ACCEL', 'g'], ['GYRO', 'deg/s']]) for (const c of ['x', 'y', 'z']) ch.push(`${p}_${t}_${c}\t${c}\t${t}\t${p}\t${u}`);
  await writeFile(join(bids, 'sub-01_task-walk_tracksys-imu_channels.tsv'), ch.join('\n'));
  await writeFile(join(bids, 'sub-01_task-walk_tracksys-imu_motion.json'), '{"SamplingFrequency": 50, "TaskName": "walk", "TrackingSystemName": "IMU"}');
  await writeFile(bidsFile, Array.from({ length: 25 }, (_, i) => Array.from({ length: 12 }, (_, k) => (i === 5 && k === 7 ? 'n/a' : (i * k) / 8)).join('\t')).join('\n') + '\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('kinemetry convert', () => {
  it('is listed in the help', async () => {
    expect((await run('--help')).stdout).toMatch(/\n {2}convert +convert recordings/);
    const h = await run('convert', '--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/NAME_motion\.tsv/);
    expect(h.stdout).toMatch(/--subject LABEL/);
  });

  it('canonical CSV to stdout is the same text (values and metadata exact)', async () => {
    const r = await run('convert', thigh);
    expect(r).toEqual({ code: 0, stdout: THIGH, stderr: '' });
  });

  it('a session directory to a BIDS dataset and back: same sensors, metadata and values', async () => {
    const out = join(dir, 'ds');
    const r = await run('convert', session, '--to', 'bids', '-o', out, '--subject', 'P01', '--task', 'squat');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(7);
    expect(r.stdout).toMatch(/wrote .*sub-P01_task-squat_tracksys-thigh_motion\.tsv/);
    const back = await readSession(out);
    expect(back.recordings.map((x) => x.sensorId)).toEqual(['shank', 'thigh']);
    expect(back.sensor('thigh')!.info).toEqual({ sensorId: 'thigh', placement: 'thigh', side: 'left', rateHz: 100, extra: { subject: 'S07' } });
    const a = await blocksOf(thigh);
    const b = await blocksOf(out, 'thigh');
    expect(b.tS).toEqual(a.tS);
    expect(b.accMS2).toEqual(a.accMS2);
    expect(b.gyrRadS).toEqual(a.gyrRadS);
    // And back to canonical CSV: the original text.
    const csv = join(dir, 'thigh-again.csv');
    expect((await run('convert', out, '--sensor', 'thigh', '-o', csv)).code).toBe(0);
    expect(await readFile(csv, 'utf8')).toBe(THIGH);
  });

  it('a multi-sensor BIDS file: one sensor to CSV, all to a directory, all to one tracking system', async () => {
    const many = await run('convert', bidsFile, '-o', join(dir, 'x.csv'));
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/^kinemetry convert: the input has 2 sensors \(lf, rf\): pick one with --sensor NAME, or give a directory as -o/);
    const one = await run('convert', bidsFile, '--sensor', 'rf', '-o', join(dir, 'rf.csv'));
    expect(one).toMatchObject({ code: 0, stderr: '' });
    expect(one.stdout).toBe(`wrote ${join(dir, 'rf.csv')} (rf: 25 samples)\n`);
    const rf = await blocksOf(join(dir, 'rf.csv'));
    expect(rf.info.rateHz).toBe(50);
    expect(rf.tS[24]).toBe(24 / 50);
    expect(rf.accMS2![3 * 5 + 1]).toBeNaN();
    const dirOut = join(dir, 'split');
    expect((await run('convert', bidsFile, '-o', dirOut)).code).toBe(0);
    expect((await readdir(dirOut)).sort()).toEqual(['lf.csv', 'rf.csv']);
    const tsv = join(dir, 'again', 'sub-02_task-walk_tracksys-imu_motion.tsv');
    await mkdir(join(dir, 'again'));
    const j = await run('convert', bidsFile, '-o', tsv, '--json');
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ format: 'bids', files: [{ path: tsv }, {}, {}] });
    const json = JSON.parse(await readFile(tsv.replace('_motion.tsv', '_motion.json'), 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({ TaskName: 'walk', TrackingSystemName: 'imu', SamplingFrequency: 50, TrackedPointsCount: 2 });
    const back = await blocksOf(tsv, 'rf');
    const orig = await blocksOf(bidsFile, 'rf');
    expect(back.tS).toEqual(orig.tS);
    expect(back.gyrRadS).toEqual(orig.gyrRadS);
  });

  it('orientation data to OpenSim .sto and back', async () => {
    const sto = join(dir, 'pelvis.sto');
    const r = await run('convert', pelvis, '-o', sto);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const text = await readFile(sto, 'utf8');
    expect(text).toMatch(/^DataRate=60\nDataType=Quaternion\n/);
    const a = await blocksOf(pelvis);
    const b = await blocksOf(sto);
    expect(b.tS).toEqual(a.tS);
    expect(b.quat).toEqual(a.quat);
    expect(b.info.sensorId).toBe('pelvis');
    const back = join(dir, 'pelvis-again.csv');
    expect((await run('convert', sto, '-o', back)).code).toBe(0);
    expect((await blocksOf(back)).quat).toEqual(a.quat);
    const inertial = await run('convert', thigh, '-o', join(dir, 'thigh.sto'));
    expect(inertial.code).toBe(2);
    expect(inertial.stderr).toMatch(/an \.sto file holds orientations, and thigh has no quaternion channel/);
  });

  it('exits 1 with one line when the data do not fit or cannot be read, and leaves no partial output', async () => {
    const tsv = join(dir, 'clocks', 'sub-1_task-x_motion.tsv');
    await mkdir(join(dir, 'clocks'));
    const r = await run('convert', session, '-o', tsv);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/sensors 'shank' and 'thigh' do not share one clock/);
    expect(await readdir(join(dir, 'clocks'))).toEqual([]);
    const broken = join(dir, 'broken.csv');
    await writeFile(broken, 't,ax,ay,az,gx,gy,gz\n0,0,0,0,0,0,0\n0.01,0,0,0,x,0,0\n');
    const out = join(dir, 'broken-out.csv');
    const b = await run('convert', broken, '-o', out);
    expect(b).toEqual({ code: 1, stdout: '', stderr: `${broken}:3: column gx: "x" is not a number\n` });
    await expect(readFile(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('exits 2 on bad usage', async () => {
    const cases: [string[], RegExp][] = [
      [['convert'], /no recording given/],
      [['convert', thigh, '--to', 'xml', '-o', join(dir, 'a')], /--to must be one of canonical, bids, sto/],
      [['convert', thigh, '-o', join(dir, 'a.json')], /cannot tell the output format from '\.json'/],
      [['convert', thigh, '-o', join(dir, 'a.csv'), '--subject', '01'], /--subject, --task, --session and --run are for BIDS output/],
      [['convert', thigh, '--to', 'bids'], /BIDS output is several files/],
      [['convert', thigh, '-o', join(dir, 'd_motion.tsv'), '--subject', 'a-b'], /--subject must be a BIDS label/],
      [['convert', thigh, '-o', thigh], /is also an input; not overwriting it/],
      [['convert', session, '--sensor', 'elbow', '-o', join(dir, 'e.csv')], /no sensor 'elbow' .*\(sensors: shank, thigh\)/],
      [['convert', join(dir, 'missing.csv'), '-o', join(dir, 'm.csv')], /no such file or directory/],
    ];
    for (const [argv, re] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(2);
    }
  });

  it('plans the output from -o and --to', async () => {
    expect(await planOutput(undefined, undefined)).toEqual({ target: 'canonical', kind: 'stdout' });
    expect(await planOutput('-', 'sto')).toEqual({ target: 'sto', kind: 'stdout' });
    expect(await planOutput('out/x.CSV', undefined)).toEqual({ target: 'canonical', kind: 'file' });
    expect(await planOutput('x_motion.tsv', undefined)).toEqual({ target: 'bids', kind: 'file' });
    expect(await planOutput('ds', 'bids')).toEqual({ target: 'bids', kind: 'directory' });
    expect(await planOutput(dir, undefined)).toEqual({ target: 'canonical', kind: 'directory' });
    await expect(planOutput('x.sto', 'bids')).rejects.toThrow(/is an \.sto file, but --to bids/);
  });
});

describe('progress bar', () => {
  it('draws on a terminal for large inputs only, throttled, and erases itself', () => {
    let text = '';
    let now = 0;
    const tty = { write: (s: string) => (text += s), isTTY: true, columns: 60 };
    const io = { stdout: { write: () => true }, stderr: tty };
    const p = createProgress(io, 100e6, 'reading', () => now);
    p.add(25e6);
    now = 50;
    p.add(25e6); // within 100 ms: not redrawn
    now = 200;
    p.add(25e6);
    p.done();
    p.done();
    const frames = text.split('\r').filter((f) => f !== '');
    expect(frames).toHaveLength(3);
    expect(frames[0]).toBe(progressLine('reading', 25e6, 100e6, 60));
    expect(frames[0]).toMatch(/^reading \[#+-+\]  25 %  25\.0 \/ 100\.0 MB$/);
    expect(frames[1]).toMatch(/ 75 % {2}75\.0 \/ 100\.0 MB$/);
    expect(frames[2]).toBe('\x1b[K');
    expect(frames[0]!.length).toBeLessThanOrEqual(60);

    let quiet = '';
    createProgress({ stdout: tty, stderr: { write: (s: string) => (quiet += s) } }, 100e6, 'x').add(1e6);
    expect(quiet).toBe('');
    const before = text;
    createProgress(io, PROGRESS_MIN_BYTES - 1, 'x').add(1);
    expect(text).toBe(before);
  });

  it('info and convert stay silent on a non-terminal stderr', async () => {
    const r = await run('info', '--json', session);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as InfoJson).sensors).toHaveLength(2);
  });
});
