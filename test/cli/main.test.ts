import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run';
import type { InfoJson } from '../../src/cli/infoReport';


const HEADER = 't,ax,ay,az,gx,gy,gz';

function rows(n: number, rateHz: number, row: (i: number, t: number) => string = (_i, t) => `${t},0,0,9.81,0,0,0.1`): string {
  return Array.from({ length: n }, (_, i) => row(i, i / rateHz)).join('\n') + '\n';
}

let dir: string;
let session: string;
let clean: string;
let broken: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinemetry-cli-'));
  session = join(dir, 'session');
  await mkdir(session);
  // thigh: 100 Hz, samples 200–209 dropped, one NaN gyro value (250), one mis-stamped time (300).
  await writeFile(
    join(session, 'thigh.csv'),
    `# placement: thigh\n# side: left\n# rate_hz: 100\n# subject: S07\n${HEADER}\n` +
      rows(400, 100, (i, t) => {
        if (i >= 200 && i < 210) return '# dropped';
        const time = i === 300 ? 2.9 : t;
        return `${time},0,0,9.81,${i === 250 ? 'NaN' : 0},0,0.1`;
      }).replace(/# dropped\n/g, ''),
  );
  await writeFile(
    join(session, 'shank.csv'),
    `# device: Test IMU\nt[ms],ax[g],ay[g],az[g],gx[deg/s],gy[deg/s],gz[deg/s],mx,my,mz\n` +
      rows(300, 100, (i, t) => `${t * 1000},0,0,1,${i % 10 === 0 ? 2000 : 5},0,0,20,0,-40`),
  );
  clean = join(dir, 'clean.csv');
  await writeFile(clean, `# rate_hz: 50\n${HEADER}\n${rows(100, 50)}`);
  broken = join(dir, 'broken.csv');
  await writeFile(broken, `${HEADER}\n${rows(5, 50)}0.1,0,0,9.81,0,zero,0\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('kinemetry CLI frame', () => {
  it('prints global help, command help and the version', async () => {
    const g = await run('--help');
    expect(g.code).toBe(0);
    expect(g.stdout).toMatch(/Usage: kinemetry <command>/);
    expect(g.stdout).toMatch(/\n {2}info +/);
    const h = await run('info', '-h');
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/Usage: kinemetry info/);
    expect(h.stdout).toMatch(/--acc-range/);
    expect(h.stdout).toMatch(/-o, --out FILE/);
    expect((await run('help', 'info')).stdout).toBe(h.stdout);
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await run('--version')).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('exits 2 with one line and a --help hint on bad usage', async () => {
    const cases: [string[], RegExp][] = [
      [[], /Usage: kinemetry/],
      [['frobnicate'], /^kinemetry: unknown command 'frobnicate'/],
      [['info'], /^kinemetry info: no recording given/],
      [['info', '--bogus', clean], /^kinemetry info: unknown option '--bogus'/],
      [['info', '--acc-range', '16 furlong', clean], /^kinemetry info: --acc-range: unknown acceleration unit 'furlong'/],
      [['info', '--format', 'xyz', clean], /^kinemetry info: unknown recording format 'xyz'/],
      [['info', '--sensor', 'elbow', session], /^kinemetry info: no sensor 'elbow' .*\(sensors: shank, thigh\)/],
      [['info', join(dir, 'missing.csv')], /^kinemetry info: no such file or directory: .*missing\.csv/],
    ];
    for (const [argv, re] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(re);
      if (argv.length > 0) {
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(2);
        expect(lines[1]).toMatch(/^Try 'kinemetry( info)? --help'\.$/);
      }
    }
  });

  it('exits 1 with file:line on bad data, a stack trace only with --debug', async () => {
    const r = await run('info', broken);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${broken}:7: column gy: "zero" is not a number\n`);
    const d = await run('info', '--debug', broken);
    expect(d.code).toBe(1);
    expect(d.stderr.split('\n')[0]).toBe(`${broken}:7: column gy: "zero" is not a number`);
    expect(d.stderr).toMatch(/\n\s+at /);
  });

  it('summarises a clean file as OK', async () => {
    const r = await run('info', clean);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('clean — OK');
    expect(r.stdout).toMatch(/samples {5}100\n/);
    expect(r.stdout).toMatch(/rate {8}50 Hz nominal, 50 Hz measured/);
    expect(r.stdout).toMatch(/time {8}0 s → 1\.98 s \(1\.98 s\)/);
    expect(r.stdout).toMatch(/gaps {8}none/);
    expect(r.stdout).toMatch(/problems {4}none/);
  });

  it('lists both sensors of a session, with gaps and problems located by line', async () => {
    const r = await run('info', session);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out.indexOf('shank — OK')).toBeGreaterThanOrEqual(0);
    expect(out.indexOf('thigh — 2 problems: 1 NaN, 1 non-monotonic time')).toBeGreaterThan(out.indexOf('shank —'));
    expect(out).toMatch(/channels {4}time \[ms → s\], acc \[g → m\/s\^2\], gyr \[deg\/s → rad\/s\], mag \[uT\]/);
    // Header on line 5, so sample i is on line 6 + i; samples 200–209 were dropped, so the
    // first sample after the gap (index 200) is on line 206.
    expect(out).toMatch(/gaps {8}1 \(0\.1 s missing, ~10 dropped samples\)/);
    expect(out).toMatch(/after 1\.99 s \(before line 206\): 0\.1 s missing, ~10 samples/);
    expect(out).toMatch(/line 246, t = 2\.5 s: gyr is NaN/);
    expect(out).toMatch(/line 296, t = 2\.9 s: time goes back/);
    expect(out).toMatch(/metadata {4}placement thigh; left side; subject: S07/);
    expect(out).toMatch(/2 sensors: 1 OK, 1 with problems/);
  });

  it('prints a stable JSON object with --json, to a file with -o', async () => {
    const outFile = join(dir, 'info.json');
    const r = await run('info', session, '--json', '-o', outFile, '--gyr-range', '2000deg/s');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const j = JSON.parse(await readFile(outFile, 'utf8')) as InfoJson;
    expect(j.kinemetry).toMatch(/^\d+\.\d+\.\d+/);
    expect(j.sensors.map((s) => s.sensorId)).toEqual(['shank', 'thigh']);
    const [shank, thigh] = j.sensors as [InfoJson['sensors'][number], InfoJson['sensors'][number]];
    expect(Object.keys(thigh)).toEqual([
      'sensorId', 'file', 'format', 'placement', 'side', 'device', 'extra', 'samples', 'nominalRateHz', 'measuredRateHz',
      'startS', 'endS', 'durationS', 'channels', 'gaps', 'saturation', 'problems', 'ok', 'verdict',
    ]);
    expect(thigh).toMatchObject({
      file: join(session, 'thigh.csv'),
      format: 'canonical',
      placement: 'thigh',
      side: 'left',
      device: null,
      extra: { subject: 'S07' },
      samples: 390,
      nominalRateHz: 100,
      ok: false,
      gaps: { count: 1, missingSamples: 10 },
      problems: { count: 2, byKind: { nan: 1, 'non-monotonic-time': 1, 'duplicate-time': 0 } },
    });
    expect(thigh.measuredRateHz).toBeCloseTo(100, 6);
    expect(thigh.gaps.totalS).toBeCloseTo(0.1, 9);
    expect(thigh.gaps.first).toHaveLength(1);
    expect(thigh.gaps.first[0]).toMatchObject({ index: 200, line: 206, missingSamples: 10 });
    expect(thigh.gaps.first[0]!.startS).toBeCloseTo(1.99, 12);
    expect(thigh.problems.first.map((p) => [p.kind, p.line, p.channel])).toEqual([
      ['nan', 246, 'gyr'],
      ['non-monotonic-time', 296, 'tS'],
    ]);
    expect(shank).toMatchObject({
      device: 'Test IMU',
      nominalRateHz: null,
      samples: 300,
      ok: true,
      saturation: { checked: { acc: false, gyr: true, mag: false }, gyr: 30, acc: 0 },
      verdict: 'OK, 30 saturated samples',
    });
    expect(shank.channels.map((c) => [c.channel, c.unit, c.internalUnit])).toEqual([
      ['tS', 'ms', 's'],
      ['acc', 'g', 'm/s^2'],
      ['gyr', 'deg/s', 'rad/s'],
      ['mag', 'uT', 'uT'],
    ]);
  });

  it('picks one sensor with --sensor and accepts several paths', async () => {
    const r = await run('info', '--json', '--sensor', 'thigh', session);
    expect((JSON.parse(r.stdout) as InfoJson).sensors.map((s) => s.sensorId)).toEqual(['thigh']);
    const two = await run('info', '--json', clean, join(session, 'shank.csv'));
    expect((JSON.parse(two.stdout) as InfoJson).sensors.map((s) => s.sensorId)).toEqual(['clean', 'shank']);
  });

  it('runs as a script under tsx when it is the entry module', async () => {
    const root = new URL('../..', import.meta.url).pathname;
    const exec = promisify(execFile);
    const r = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'info', '--json', clean], { cwd: root });
    expect((JSON.parse(r.stdout) as InfoJson).sensors[0]!.sensorId).toBe('clean');
    const bad = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'info', broken], { cwd: root }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad).toMatchObject({ code: 1, stderr: `${broken}:7: column gy: "zero" is not a number\n` });
  });

  it('stops quietly when the reader of stdout goes away (| head), no EPIPE crash', async () => {
    const root = new URL('../..', import.meta.url).pathname;
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'orient', 'fixtures/free-motion'], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first chunk, then close the pipe like `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
