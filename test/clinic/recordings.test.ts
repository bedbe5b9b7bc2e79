// The clinic page's derived recordings are exactly what scripts/make-clinic-recordings.ts writes
// (rerun it after changing a fixture or the script), and the faults sit where the script says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUT_DIR, WARNINGS_FAULTS, clinicRecordings } from '../../scripts/make-clinic-recordings';

describe('clinic bundled recordings', () => {
  const files = clinicRecordings();
  it.each(Object.keys(files))('%s is up to date', (name) => {
    expect(readFileSync(join(OUT_DIR, name), 'utf8')).toBe(files[name]);
  });
  it('the warnings recording has its gap, its disturbance and its slip', () => {
    const rows = files['shoulder-abduction-left-warnings.csv']!.split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(',').map(Number));
    const f = WARNINGS_FAULTS;
    let maxStepS = 0, at = 0;
    for (let i = 1; i < rows.length; i++) if (rows[i]![0]! - rows[i - 1]![0]! > maxStepS) { maxStepS = rows[i]![0]! - rows[i - 1]![0]!; at = rows[i - 1]![0]!; }
    expect(maxStepS).toBeCloseTo(f.GAP_TO_S - f.GAP_FROM_S + 0.01, 6);
    expect(at).toBeCloseTo(f.GAP_FROM_S - 0.01, 6);
    const magNorm = (r: number[]): number => Math.hypot(r[7]!, r[8]!, r[9]!);
    const inside = rows.filter((r) => r[0]! >= f.MAG_FROM_S && r[0]! < f.MAG_TO_S).map(magNorm);
    const before = rows.filter((r) => r[0]! < f.GAP_FROM_S).map(magNorm);
    const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;
    expect(Math.abs(mean(inside) - mean(before)) / mean(before)).toBeGreaterThan(0.1); // over VQF's magNormTh (10 %)
    // Still tail after the slip: gravity turned by SLIP_DEG from the neutral pose's.
    const g0 = rows.filter((r) => r[0]! < 1);
    const g1 = rows.slice(-100);
    const avg = (rs: number[][]): number[] => [1, 2, 3].map((k) => mean(rs.map((r) => r[k]!)));
    const a = avg(g0), b = avg(g1);
    const cos = (a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!) / (Math.hypot(...a) * Math.hypot(...b));
    expect(Math.acos(cos) * 180 / Math.PI).toBeCloseTo(f.SLIP_DEG, 0);
  });
});
