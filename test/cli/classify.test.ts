import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run';

const UCI = 'fixtures/uci-pt/s1-e6-u2-test-first2sets.csv';
const UCI_TXT = 'fixtures/uci-pt/s1-e1-u2-test-first20s.txt';
const UCI_TXT_FLAGS = ['--rate', '25', '--columns', 't=time index,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z'];

describe('kinemetry classify', () => {
  it('--json: dominant exercise, confidence and segments of the shipped model', async () => {
    const r = await run('classify', UCI, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.exercise).toBe('e6-elbow-flexion');
    expect(j.confidence).toBeGreaterThan(0.5);
    expect(j.segments.length).toBeGreaterThan(0);
    for (const s of j.segments) expect(Object.keys(s)).toEqual(['startS', 'endS', 'exercise', 'confidence']);
    expect(j.segments[0].startS).toBeLessThan(j.segments.at(-1).endS);
  });
  it('text summary for a raw UCI file read through --columns', async () => {
    const r = await run('classify', UCI_TXT, ...UCI_TXT_FLAGS);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fixtures\/uci-pt\/s1-e1-u2-test-first20s\.txt: e1-seated-leg-raise \(confidence \d\.\d\d\)/);
  });
  it('a missing model directory is a data error (exit 1)', async () => {
    const r = await run('classify', UCI, '--model', 'no/such/model');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--model no\/such\/model/);
  });
  it('no recording is a usage error', async () => {
    const r = await run('classify');
    expect(r.code).toBe(2);
  });
});

describe('kinemetry analyze: sets labelled by the recogniser when no exercise is given', () => {
  // The e6 fixture without its '# exercise:' line, so nothing names the exercise.
  const UNNAMED = join(mkdtempSync(join(tmpdir(), 'kinemetry-classify-')), 's1-e6-unnamed.csv');
  writeFileSync(UNNAMED, readFileSync(UCI, 'utf8').split('\n').filter((l) => !l.startsWith('# exercise:')).join('\n'));
  it('a recording that names its exercise is not relabelled', async () => {
    const j = JSON.parse((await run('analyze', UCI, '--json')).stdout);
    expect(j.exercise).toMatch(/elbow flexion/);
    expect(j.setExercises).toBeUndefined();
  });
  it('--json carries setExercises (one per set, the shipped model says e6) and a note', async () => {
    const r = await run('analyze', UNNAMED, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.exercise).toBeUndefined();
    expect(j.session.sets.length).toBeGreaterThan(0);
    expect(j.setExercises).toHaveLength(j.session.sets.length);
    for (const s of j.setExercises) {
      expect(s.exercise).toBe('e6-elbow-flexion');
      expect(s.confidence).toBeGreaterThan(0.5);
    }
    expect(j.notes.some((n: string) => /sets labelled by the recogniser/.test(n))).toBe(true);
  });
  it('the text table gets an exercise column; --no-classify leaves it out', async () => {
    const on = await run('analyze', UNNAMED);
    expect(on.code).toBe(0);
    expect(on.stdout).toMatch(/\bexercise\b/);
    expect(on.stdout).toMatch(/e6-elbow-flexion \d\.\d\d/);
    const off = await run('analyze', UNNAMED, '--no-classify', '--json');
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout).setExercises).toBeUndefined();
  });
  it('a bad --model is a data error naming it', async () => {
    const r = await run('analyze', UNNAMED, '--model', 'no/such/model');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--model no\/such\/model/);
  });
});
