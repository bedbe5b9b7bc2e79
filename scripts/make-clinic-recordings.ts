/**
 * Writes the clinic page's derived bundled recordings (examples/clinic/public/recordings) from
 * the simulated fixtures, deterministically (no randomness): `node --import tsx
 * scripts/make-clinic-recordings.ts`. test/clinic/recordings.test.ts regenerates them in
 * memory and fails if the committed files differ.
 *
 * shoulder-abduction-left-warnings.csv — fixtures/shoulder-abduction/upperArm.csv 0–29.9 s
 * (reps 0–3, 150° each) with three injected faults the page must warn about:
 *  - signal lost: no samples in [GAP_FROM_S, GAP_TO_S) (a 2 s BLE dropout);
 *  - magnetic disturbance: a field of MAG_EXTRA_UT (sensor frame, like a phone or tool moving
 *    with the arm) added in [MAG_FROM_S, MAG_TO_S);
 *  - sensor slipped: from SLIP_AT_S the sensor turns SLIP_DEG about the abduction axis on the
 *    arm within SLIP_DURATION_S (smooth ramp; the gyro sees the turn, every vector is rotated
 *    into the slipped frame), then 4 s of still neutral pose (the fixture's still first 2 s, twice, slipped)
 *    so the rest angle reads ≈ SLIP_DEG away from zero.
 * Reps 0–3 keep their truth (fixtures/shoulder-abduction/truth/reps.csv).
 * Also the two-sensor knee recording (kneeTwoSensorRecording).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(root, 'examples/clinic/public/recordings');

export const WARNINGS_FAULTS = {
  GAP_FROM_S: 14.5, GAP_TO_S: 16.5,
  MAG_FROM_S: 23, MAG_TO_S: 27, MAG_EXTRA_UT: [30, -20, 35] as const,
  SLIP_AT_S: 29.5, SLIP_DURATION_S: 0.3, SLIP_DEG: 15, END_OF_REPS_S: 29.9, STILL_S: 2, STILL_REPEATS: 2,
};

interface Csv { header: string[]; rows: number[][] }

function readCsv(path: string): Csv {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const k = lines.findIndex((l) => !l.startsWith('#'));
  return { header: lines.slice(0, k + 1), rows: lines.slice(k + 1).map((l) => l.split(',').map(Number)) };
}

// Same resolution as the fixtures (scripts/fixture-sessions.ts DIGITS): t, acc ×3, gyr ×3, mag ×3.
const DIGITS = [6, 4, 4, 4, 5, 5, 5, 3, 3, 3];
function formatRow(r: readonly number[]): string {
  return r.map((x, i) => String(Number(x.toFixed(DIGITS[i] ?? 6)))).join(',');
}

/** Rodrigues: v rotated by angle θ about unit axis a. */
function rotate(v: readonly number[], a: readonly number[], thetaRad: number): number[] {
  const c = Math.cos(thetaRad), s = Math.sin(thetaRad);
  const d = a[0]! * v[0]! + a[1]! * v[1]! + a[2]! * v[2]!;
  const x = [a[1]! * v[2]! - a[2]! * v[1]!, a[2]! * v[0]! - a[0]! * v[2]!, a[0]! * v[1]! - a[1]! * v[0]!];
  return [0, 1, 2].map((i) => v[i]! * c + x[i]! * s + a[i]! * d * (1 - c));
}

/** Mean gyro direction over rising phases (sign-consistent): the abduction axis in the sensor frame. */
function motionAxis(rows: number[][], fromS: number, toS: number): number[] {
  const sum = [0, 0, 0];
  for (const r of rows) if (r[0]! >= fromS && r[0]! < toS) for (let k = 0; k < 3; k++) sum[k]! += r[4 + k]!;
  const n = Math.hypot(sum[0]!, sum[1]!, sum[2]!);
  return sum.map((x) => x / n);
}

export function warningsRecording(): string {
  const f = WARNINGS_FAULTS;
  const src = readCsv(join(root, 'fixtures/shoulder-abduction/upperArm.csv'));
  const axis = motionAxis(src.rows, 2, 4); // rep 0 rising: rotation about the abduction axis only
  // A sensor turned by +θ about the axis sees every vector turned by −θ, and its gyro adds θ′·axis.
  const slipRad = (f.SLIP_DEG * Math.PI) / 180;
  const slip = (r: number[]): number[] => {
    const u = Math.min(1, Math.max(0, (r[0]! - f.SLIP_AT_S) / f.SLIP_DURATION_S));
    const theta = slipRad * (u * u * (3 - 2 * u)); // smoothstep
    const rate = u > 0 && u < 1 ? (slipRad * 6 * u * (1 - u)) / f.SLIP_DURATION_S : 0;
    const out = r.slice();
    for (const k of [1, 4, 7]) out.splice(k, 3, ...rotate(r.slice(k, k + 3), axis, -theta));
    for (let k = 0; k < 3; k++) out[4 + k] = out[4 + k]! + rate * axis[k]!;
    return out;
  };
  const rows: number[][] = [];
  for (const r of src.rows) {
    const t = r[0]!;
    if (t >= f.END_OF_REPS_S) break;
    if (t >= f.GAP_FROM_S && t < f.GAP_TO_S) continue;
    let o = r.slice();
    if (t >= f.MAG_FROM_S && t < f.MAG_TO_S) for (let k = 0; k < 3; k++) o[7 + k] = o[7 + k]! + f.MAG_EXTRA_UT[k]!;
    if (t >= f.SLIP_AT_S) o = slip(o);
    rows.push(o);
  }
  const dt = 0.01;
  const still = src.rows.filter((r) => r[0]! < f.STILL_S - 1e-9);
  let t = rows[rows.length - 1]![0]! + dt;
  for (let k = 0; k < f.STILL_REPEATS; k++) for (const r of still) { const o = r.slice(); o[0] = t; rows.push(slip(o)); t += dt; }
  const header = src.header.map((h) => (h.startsWith('# device:') ? `${h}\n# derived: scripts/make-clinic-recordings.ts (gap ${f.GAP_FROM_S}–${f.GAP_TO_S} s, magnetic disturbance ${f.MAG_FROM_S}–${f.MAG_TO_S} s, sensor slipped ${f.SLIP_DEG}° at ${f.SLIP_AT_S} s)` : h));
  return `${header.join('\n')}\n${rows.map(formatRow).join('\n')}\n`;
}

/**
 * knee-flexion-right-{thigh,shank}.csv — the two sensors of fixtures/knee-flexion (standing knee
 * curls, 10 reps to ≈ 90°, truth in fixtures/knee-flexion/truth), unchanged, for the page's
 * two-sensor knee preset with the functional calibration (the shank's 35 dropped samples included).
 */
export function kneeTwoSensorRecording(): Record<string, string> {
  const read = (s: string): string => readFileSync(join(root, 'fixtures/knee-flexion', `${s}.csv`), 'utf8');
  return { 'knee-flexion-right-thigh.csv': read('thigh'), 'knee-flexion-right-shank.csv': read('shank') };
}

export function clinicRecordings(): Record<string, string> {
  return { 'shoulder-abduction-left-warnings.csv': warningsRecording(), ...kneeTwoSensorRecording() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [name, text] of Object.entries(clinicRecordings())) {
    writeFileSync(join(OUT_DIR, name), text);
    process.stdout.write(`examples/clinic/public/recordings/${name} (${text.length} bytes)\n`);
  }
}
