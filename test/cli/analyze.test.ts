import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run';

const UCI = 'fixtures/uci-pt/s1-e6-u2-test-first2sets.csv';
const UCI_TXT = 'fixtures/uci-pt/s1-e1-u2-test-first20s.txt';
const UCI_TXT_FLAGS = ['--rate', '25', '--columns', 't=time index,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z'];

interface AnalyzeJson {
  count: number;
  partialCount: number;
  reps: { startS: number; endS: number; romDeg: number; partial: boolean; set: number; flags: string[] }[];
  signal: { name: string; tS: number[]; angleDeg: (number | null)[]; sourceSamples: number };
  session: { sets: { count: number }[] };
  recording: { source: string; sensors: { name: string }[] };
  rom?: { maxDeg: number; normalDeg?: number };
  notes: string[];
}

/** What `analyze` is run on per fixture (extra flags where the format needs them). */
const TARGETS: readonly { path: string; args?: readonly string[] }[] = [
  { path: 'fixtures/knee-flexion' },
  { path: 'fixtures/knee-swing' },
  { path: 'fixtures/elbow-2dof' },
  { path: 'fixtures/hip-ball' },
  { path: 'fixtures/shoulder-abduction' },
  { path: 'fixtures/free-motion' },
  { path: UCI },
  { path: UCI_TXT, args: UCI_TXT_FLAGS },
  { path: 'fixtures/xsens/MT_00B4A1C2_walk-000.txt' },
  { path: 'fixtures/broad/01_undisturbed_slow_rotation_A_slice.mat' },
];

function htmlReferences(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href|xlink:href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]!);
}

function truthReps(session: string): { startS: number; endS: number; partial: boolean }[] {
  const [, ...rows] = readFileSync(join('fixtures', session, 'truth', 'reps.csv'), 'utf8').trim().split('\n');
  return rows.map((l) => l.split(',').map(Number)).map((c) => ({ startS: c[2]!, endS: c[5]!, partial: c[7] === 1 }));
}

describe('kinemetry analyze', () => {
  it('TARGETS cover every recording in fixtures/', () => {
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) {
          if (e !== 'truth') walk(p);
        } else if (e !== 'README.md') files.push(relative('.', p));
      }
    };
    walk('fixtures');
    for (const f of files) expect(TARGETS.some((t) => f === t.path || f.startsWith(`${t.path}/`)), f).toBe(true);
  });

  for (const t of TARGETS) {
    it(`works on ${t.path}: JSON with count and reps, and a self-contained HTML report`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kinemetry-analyze-'));
      const out = join(dir, 'report.html');
      const r = await run('analyze', t.path, ...(t.args ?? []), '--json', '--report', out);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout) as AnalyzeJson;
      expect(Number.isInteger(j.count)).toBe(true);
      expect(j.count).toBe(j.reps.filter((x) => !x.partial).length);
      expect(j.signal.tS.length).toBe(j.signal.angleDeg.length);
      expect(j.signal.tS.length).toBeLessThanOrEqual(3600);
      for (const rep of j.reps) {
        expect(Number.isFinite(rep.startS) && Number.isFinite(rep.endS)).toBe(true);
        expect(rep.endS).toBeGreaterThan(rep.startS);
      }
      if (j.reps.length === 0) expect(j.notes.join(' ')).toMatch(/no repetitions found/);
      const html = readFileSync(out, 'utf8');
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain('<svg');
      expect(htmlReferences(html)).toEqual([]);
      expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?https?:/i);
      expect(html).not.toMatch(/<script|<link\b|NaN|undefined/);
    });
  }

  it('the README main job: the UCI PT slice gives 10 + 10 reps and a summary table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kinemetry-analyze-'));
    const out = join(dir, 'report.html');
    const r = await run('analyze', UCI, '--report', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fixtures\/uci-pt\/s1-e6-u2-test-first2sets\.csv — elbow flexion/);
    expect(r.stdout).toMatch(/^reps +20 in 2 sets$/m);
    expect(r.stdout).toMatch(/^set +reps +partial +time s +rest s +ROM ° +duration s +hold s +score +flags$/m);
    expect(r.stdout).toMatch(/^ +1 +10 +0 +[\d.]+–[\d.]+ +— +\d+\.\d ± \d+\.\d/m);
    expect(r.stdout).toMatch(/^ +2 +10 +0 /m);
    expect(r.stdout).toMatch(/^all +20 +0 /m);
    expect(r.stdout).toMatch(/^tempo +out [\d.]+ s, hold [\d.]+ s, return [\d.]+ s/m);
    expect(r.stdout).toMatch(/^trends +ROM /m);
    expect(r.stdout).toContain(`report   ${out}`);
    expect(readFileSync(out, 'utf8')).toContain('Elbow flexion');
  });

  it('the UCI slice without a template: two steady sets score high against their own set; only the quicker second set is too fast', async () => {
    const j = JSON.parse((await run('analyze', UCI, '--json')).stdout) as { reps: Array<{ set: number; score: number; flags: string[] }> };
    expect(j.reps).toHaveLength(20);
    const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1]!;
    for (const set of [0, 1]) expect(median(j.reps.filter((r) => r.set === set).map((r) => r.score))).toBeGreaterThan(65);
    expect(j.reps.filter((r) => r.flags.includes('inconsistent')).length).toBeLessThanOrEqual(2);
    expect(j.reps.filter((r) => r.set === 0).some((r) => r.flags.includes('too-fast'))).toBe(false);
    expect(j.reps.filter((r) => r.set === 1).filter((r) => r.flags.includes('too-fast')).length).toBeGreaterThanOrEqual(8);
  });

  it('--plan / --plan-reps: pacing and the plan in the text, the JSON and the HTML report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kinemetry-plan-'));
    const out = join(dir, 'report.html');
    const text = await run('analyze', UCI, '--plan', '10x3', '--report', out);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^plan +10 × 3 = 30 reps planned; 20 done in 2 sets \(67 %\); pacing on plan$/m);
    expect(text.stdout).toMatch(/^note +2 set\(s\) against 3 planned$/m);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<dt>plan</dt><dd>10 × 3 = 30 reps planned; 20 done in 2 sets (67 %)</dd>');
    expect(html).toContain('<dt>pacing</dt><dd>on plan</dd>');
    const over = JSON.parse((await run('analyze', UCI, '--plan-reps', '8', '--json')).stdout) as { session: { pacing: string; plan: object; notes: string[] } };
    expect(over.session.pacing).toBe('over');
    expect(over.session.plan).toEqual({ totalReps: 8 });
    expect(over.session.notes.join(' ')).toMatch(/far more than planned/);
    const reps = JSON.parse((await run('reps', UCI, '--plan', '20x4', '--json')).stdout) as { plan: object; pacing: string; count: number };
    expect(reps.plan).toEqual({ totalReps: 80, repsPerSet: 20, sets: 4 });
    expect(reps.pacing).toBe('under');
    expect((await run('reps', UCI, '--plan-reps', '20')).stdout).toMatch(/^plan: 20 reps planned; 20 done in 2 sets \(100 %\); pacing ok$/m);
    for (const bad of [['--plan', '10x'], ['--plan', '0x3'], ['--plan-reps', '-4'], ['--plan', '10x3', '--plan-reps', '30']]) {
      const r = await run('analyze', UCI, ...bad);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--plan/);
    }
  });

  it('simulated sessions: counts match the truth (knee 10; shoulder 7 + 1 partial)', async () => {
    const knee = JSON.parse((await run('analyze', 'fixtures/knee-flexion', '--json')).stdout) as AnalyzeJson;
    expect(knee.count).toBe(truthReps('knee-flexion').length);
    expect(knee.notes.join(' ')).toMatch(/analysed 'shank', the one that moves most/);
    const sh = JSON.parse((await run('analyze', 'fixtures/shoulder-abduction', '--json')).stdout) as AnalyzeJson;
    const truth = truthReps('shoulder-abduction');
    expect(sh.count).toBe(truth.filter((x) => !x.partial).length);
    expect(sh.partialCount).toBe(1);
    expect(sh.reps.findIndex((x) => x.partial)).toBe(truth.findIndex((x) => x.partial));
    for (const [i, rep] of sh.reps.entries()) {
      expect(Math.abs(rep.startS - truth[i]!.startS)).toBeLessThan(0.5);
      expect(Math.abs(rep.endS - truth[i]!.endS)).toBeLessThan(0.5);
    }
  });

  it('multi-axis motion (free-motion) is not passed off as an exercise: a note, and every rep flagged multi-axis', async () => {
    const free = JSON.parse((await run('analyze', 'fixtures/free-motion', '--json')).stdout) as AnalyzeJson;
    expect(free.notes.join(' ')).toMatch(/no dominant rotation axis .* unreliable/);
    expect(free.reps.length).toBeGreaterThan(0);
    for (const rep of free.reps) expect(rep.flags).toContain('multi-axis');
    // A real single-axis exercise is not flagged.
    const uci = JSON.parse((await run('analyze', UCI, '--json')).stdout) as AnalyzeJson;
    expect(uci.notes.join(' ')).not.toMatch(/no dominant rotation axis/);
    for (const rep of uci.reps) expect(rep.flags).not.toContain('multi-axis');
  });

  it('joint mode: knee flexion from thigh + shank, with the ROM summary against the AAOS norm', async () => {
    const r = await run('analyze', 'fixtures/knee-flexion', '--joint', 'knee', '--proximal', 'thigh', '--distal', 'shank', '--calibrate', 'static:0.2-1.8', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as AnalyzeJson;
    expect(j.signal.name).toBe('knee flexion');
    expect(j.count).toBe(10);
    expect(j.recording.sensors.map((s) => s.name).sort()).toEqual(['shank', 'thigh']);
    expect(j.rom!.normalDeg).toBe(135);
    expect(j.rom!.maxDeg).toBeGreaterThan(85);
    const text = await run('analyze', 'fixtures/knee-flexion', '--joint', 'knee', '--proximal', 'thigh', '--distal', 'shank', '--calibrate', 'static:0.2-1.8');
    expect(text.stdout).toMatch(/^ROM +.*% of AAOS normal 135°$/m);
  });

  it('errors are one clear line: unreadable format, unknown sensor, bad usage', async () => {
    const raw = await run('analyze', UCI_TXT);
    expect(raw.code).toBe(1);
    expect(raw.stderr).toMatch(/^fixtures\/uci-pt\/s1-e1-u2-test-first20s\.txt:1: unknown column 'time index'/);
    expect(raw.stderr.trim().split('\n').length).toBe(1);
    const sensor = await run('analyze', 'fixtures/knee-flexion', '--sensor', 'foot');
    expect(sensor.code).toBe(1);
    expect(sensor.stderr).toMatch(/no sensor 'foot' \(sensors: shank, thigh\)/);
    expect((await run('analyze', 'fixtures/knee-flexion', '--sensor', 'shank', '--joint', 'knee', '--proximal', 'thigh', '--distal', 'shank')).code).toBe(2);
    expect((await run('analyze', 'fixtures/no-such-dir')).code).toBe(2);
    expect((await run('analyze', UCI, UCI)).code).toBe(2);
    const help = await run('analyze', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--report FILE/);
  });
});
