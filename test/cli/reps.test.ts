import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTemplateReps } from '../../src/cli/analysis';
import { JointDataError } from '../../src/cli/errors';
import { run } from './run';

const UCI = 'fixtures/uci-pt/s1-e6-u2-test-first2sets.csv';

interface RepRow {
  startS: number;
  endS: number;
  romDeg: number;
  durationS: number;
  holdS: number;
  label?: string;
  score: number;
  flags: string[];
  set: number;
  partial: boolean;
}
interface RepsJson {
  count: number;
  partialCount: number;
  signal: string;
  reps: RepRow[];
  notes: string[];
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kinemetry-reps-'));
}

function file(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** A still sensor (flat, no rotation) as a canonical CSV. */
function stillRecording(dir: string, name: string, seconds = 10, rateHz = 50): string {
  const lines = ['# rate_hz: 50', 't,ax,ay,az,gx,gy,gz'];
  for (let i = 0; i < seconds * rateHz; i++) lines.push(`${i / rateHz},0.01,-0.02,9.81,0.001,-0.001,0.0005`);
  return file(dir, name, `${lines.join('\n')}\n`);
}

describe('kinemetry reps', () => {
  it('--json: the contract fields for every rep of the bundled UCI PT slice (10 + 10 elbow flexions)', async () => {
    const r = await run('reps', UCI, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as RepsJson;
    expect(j.count).toBe(20);
    expect(j.reps.length).toBe(20);
    expect(j.signal).toBe('dominant rotation (sensor u2)');
    for (const rep of j.reps) {
      for (const k of ['startS', 'endS', 'romDeg', 'durationS', 'holdS', 'score'] as const) expect(typeof rep[k], k).toBe('number');
      expect(Array.isArray(rep.flags)).toBe(true);
      expect(rep).not.toHaveProperty('label'); // no template
      expect(rep.endS).toBeGreaterThan(rep.startS);
      expect(rep.durationS).toBeCloseTo(rep.endS - rep.startS, 6);
      expect(rep.romDeg).toBeGreaterThan(60);
      expect(rep.score).toBeGreaterThanOrEqual(0);
      expect(rep.score).toBeLessThanOrEqual(100);
    }
    expect(j.reps.filter((x) => x.set === 0).length).toBe(10);
    expect(j.reps.filter((x) => x.set === 1).length).toBe(10);
    // Set 1 holds 5 s at the top, set 2 is the "too fast" set.
    expect(j.reps.slice(0, 10).every((x) => x.holdS > 1.5)).toBe(true);
    expect(j.reps.slice(10).every((x) => x.durationS < j.reps[0]!.durationS)).toBe(true);
  });

  it('prints one line per rep', async () => {
    const r = await run('reps', UCI);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/20 reps in 2 sets$/);
    expect(lines[1]).toMatch(/^ *# +set +start s +end s +ROM ° +dur s +hold s +score +flags$/);
    expect(lines.length).toBe(22);
  });

  it('template mode: labels from the closest template rep and a score against the correct ones', async () => {
    const dir = tmp();
    const csv = file(dir, 'template.csv', 'startS,endS,label\n1.6,9.8,correct\n10.5,17.8,correct\n101.1,104.5,too-fast\n');
    const r = await run('reps', UCI, '--template', UCI, '--template-reps', csv, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as RepsJson & { template: { reps: unknown[] } };
    expect(j.template.reps.length).toBe(3);
    expect(j.reps.slice(0, 10).map((x) => x.label)).toEqual(Array(10).fill('correct'));
    expect(j.reps.slice(10).map((x) => x.label)).toEqual(Array(10).fill('too-fast'));
    expect(Math.min(...j.reps.slice(0, 10).map((x) => x.score))).toBeGreaterThan(80);
    expect(Math.max(...j.reps.slice(10).map((x) => x.score))).toBeLessThan(50);
  });

  it('template errors: no reps, bad header, missing half, another sensor, reps outside the recording', async () => {
    const dir = tmp();
    const empty = await run('reps', UCI, '--template', UCI, '--template-reps', file(dir, 'e.csv', 'startS,endS,label\n'));
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/e\.csv: the template has no reps/);
    expect(empty.stderr.trim().split('\n').length).toBe(1);
    const header = await run('reps', UCI, '--template', UCI, '--template-reps', file(dir, 'h.csv', 'start,end,label\n1,2,correct\n'));
    expect(header.code).toBe(1);
    expect(header.stderr).toMatch(/h\.csv:1: the header needs columns startS,endS,label \(missing startS, endS/);
    const bad = await run('reps', UCI, '--template', UCI, '--template-reps', file(dir, 'b.csv', 'startS,endS,label\n5,3,correct\n'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/b\.csv:2: endS \(3\) must be after startS \(5\)/);
    const half = await run('reps', UCI, '--template', UCI);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--template and --template-reps go together/);
    const ok = file(dir, 'ok.csv', 'startS,endS,label\n1.6,9.8,correct\n');
    const other = await run('reps', 'fixtures/knee-flexion', '--sensor', 'shank', '--template', UCI, '--template-reps', ok);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/template .*: no sensor 'shank' \(sensors: u2\): the template must be recorded with the session's sensor/);
    const joint = await run('reps', 'fixtures/knee-flexion', '--joint', 'knee', '--proximal', 'thigh', '--distal', 'shank', '--calibrate', 'static:0.2-1.8', '--template', UCI, '--template-reps', ok);
    expect(joint.code).toBe(1);
    expect(joint.stderr).toMatch(/no sensor 'thigh'/);
    const outside = await run('reps', UCI, '--template', UCI, '--template-reps', file(dir, 'o.csv', 'startS,endS,label\n150,160,correct\n'));
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/template rep 1 \(150–160 s\) lies outside the template recording/);
    const noCorrect = await run('reps', UCI, '--template', UCI, '--template-reps', file(dir, 'n.csv', 'startS,endS,label\n1.6,9.8,too-fast\n'));
    expect(noCorrect.code).toBe(1);
    expect(noCorrect.stderr).toMatch(/template has no 'correct' rep/);
  });

  it('no movement: 0 reps and a note, exit 0; options that need --joint are usage errors', async () => {
    const dir = tmp();
    const still = stillRecording(dir, 'still.csv');
    const r = await run('reps', still, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as RepsJson;
    expect(j.count).toBe(0);
    expect(j.reps).toEqual([]);
    expect(j.notes.join(' ')).toMatch(/no repetitions found/);
    const text = await run('reps', still);
    expect(text.stdout).toMatch(/0 reps in 0 sets/);
    expect(text.stdout).toMatch(/note: no repetitions found/);
    expect((await run('reps', still, '--side', 'left')).code).toBe(2);
    expect((await run('reps', 'fixtures/knee-flexion', '--joint', 'knee', '--proximal', 'thigh')).code).toBe(2);
    expect((await run('reps')).code).toBe(2);
    expect((await run('reps', '--help')).stdout).toMatch(/--template-reps CSV/);
  });
});

describe('parseTemplateReps', () => {
  it('reads comma, semicolon or tab tables with the columns in any order, comments and quotes', () => {
    expect(parseTemplateReps('# made by hand\nlabel;startS;endS\n"correct";1;2.5\n\ntoo-fast;3;4\n', 't.csv')).toEqual([
      { startS: 1, endS: 2.5, label: 'correct' },
      { startS: 3, endS: 4, label: 'too-fast' },
    ]);
    expect(parseTemplateReps('startS\tendS\tlabel\tnote\n1\t2\tcorrect\tgood\n', 't.tsv')).toEqual([{ startS: 1, endS: 2, label: 'correct' }]);
    expect(() => parseTemplateReps('', 'x.csv')).toThrow(JointDataError);
    expect(() => parseTemplateReps('startS,endS,label\n1,abc,correct\n', 'x.csv')).toThrow(/x\.csv:2: startS and endS must be numbers/);
    expect(() => parseTemplateReps('startS,endS,label\n1,2,\n', 'x.csv')).toThrow(/x\.csv:2: the rep has no label/);
  });
});

