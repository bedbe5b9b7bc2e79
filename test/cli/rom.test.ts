import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { run } from './run';

interface RomJson {
  motion: string;
  side: string;
  used: number;
  calibration: { quality: string };
  summary: { maxDeg: number; minDeg: number; rangeDeg: number; normalDeg: number; percentOfNormal: number; maxUncertaintyDeg: number; timeAtEndRangeS: number };
}

async function truthMax(file: string, col: string): Promise<number> {
  const lines = (await readFile(file, 'utf8')).trim().split('\n');
  const k = lines[0]!.split(',').indexOf(col);
  return Math.max(...lines.slice(1).map((l) => Number(l.split(',')[k])));
}

describe('kinemetry rom', () => {
  it('shoulder abduction from one sensor matches the simulated elevation', async () => {
    const r = await run('rom', 'fixtures/shoulder-abduction', '--motion', 'shoulder-abduction', '--side', 'left', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as RomJson;
    const ref = await truthMax('fixtures/shoulder-abduction/truth/angles.csv', 'shoulder_elevation_deg');
    expect(ref).toBeGreaterThan(140);
    expect(Math.abs(j.summary.maxDeg - ref)).toBeLessThan(5);
    expect(Math.abs(j.summary.minDeg)).toBeLessThan(5);
    expect(j.summary.normalDeg).toBe(180);
    expect(j.summary.percentOfNormal).toBeCloseTo((100 * j.summary.maxDeg) / 180, 6);
    expect(j.summary.timeAtEndRangeS).toBeGreaterThan(0);
    expect(j.calibration.quality).toBe('good');
  });

  it('prints a readable summary', async () => {
    const r = await run('rom', 'fixtures/shoulder-abduction', '--motion', 'shoulder-abduction', '--side', 'left');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^max +1[45]\d\.\d ± \d+\.\d° at \d+\.\d\d s$/m);
    expect(r.stdout).toMatch(/AAOS normal 180°, \d+ ± \d+% of normal/);
  });

  it('knee flexion from the shank sensor of a session', async () => {
    const r = await run('rom', 'fixtures/knee-flexion', '--sensor', 'shank', '--motion', 'knee-flexion', '--calibrate', 'static:0.2-1.8', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as RomJson;
    const ref = await truthMax('fixtures/knee-flexion/truth/angles.csv', 'knee_flexion_deg');
    expect(Math.abs(j.summary.maxDeg - ref)).toBeLessThan(5);
    expect(j.summary.normalDeg).toBe(135);
  });

  it('errors: several sensors without --sensor, an unknown sensor, an unknown motion, a moving "still" period', async () => {
    expect((await run('rom', 'fixtures/knee-flexion', '--motion', 'knee-flexion')).code).toBe(2);
    const missing = await run('rom', 'fixtures/knee-flexion', '--sensor', 'foot', '--motion', 'knee-flexion');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no sensor 'foot'/);
    expect((await run('rom', 'fixtures/shoulder-abduction', '--motion', 'elbow-flexion')).code).toBe(2);
    const moving = await run('rom', 'fixtures/shoulder-abduction', '--motion', 'shoulder-abduction', '--side', 'left', '--calibrate', 'static:10-20');
    expect(moving.code).toBe(1);
    expect(moving.stderr).toMatch(/calibration failed: .*not still/);
    const h = await run('rom', '--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/--mount identity/);
  });
});
