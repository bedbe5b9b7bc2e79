/**
 * `kinemetry orient` on temporary recordings written from the simulator. The command is not
 * registered in the CLI table yet, so its `run` is called directly with a parsed context.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext, CommonOptions } from '../../src/cli/command';
import { UsageError } from '../../src/cli/command';
import { ORIENT_HEADER, orientCommand } from '../../src/cli/orient';
import { canonicalCsvText } from '../../src/io/canonicalCsvWriter';
import { kneeFlexionScenario, simulate } from '../../src/sim/index';
import type { SimulationResult } from '../../src/sim/index';
import { errorParts } from './madgwickMahonyHelpers';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function orient(positionals: string[], values: Record<string, string | boolean> = {}, common: Partial<CommonOptions> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const ctx: CommandContext = {
    io: { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } },
    common: { out: undefined, json: false, format: undefined, sensor: undefined, columns: undefined, rateHz: undefined, debug: false, ...common },
    values,
    positionals,
  };
  const code = await orientCommand.run(ctx);
  return { code, stdout, stderr };
}

function parse(csv: string): { header: string; rows: number[][] } {
  const lines = csv.trimEnd().split('\n');
  return { header: lines[0]!, rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

let dir: string;
let session: string;
let thighFile: string;
let sim: SimulationResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinemetry-orient-'));
  session = join(dir, 'session');
  await mkdir(session);
  // Standing knee flexion, facing 30° east of north: the thigh stays still, the shank swings.
  sim = simulate(kneeFlexionScenario({ reps: 2, facingDeg: 30 }), { rateHz: 50 });
  thighFile = join(session, 'thigh.csv');
  await writeFile(thighFile, canonicalCsvText(sim.blocks.thigh!));
  await writeFile(join(session, 'shank.csv'), canonicalCsvText(sim.blocks.shank!));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Largest error of the CSV rows against the simulated truth of `sensor`. */
function worst(rows: number[][], sensor: string, part: 'totalDeg' | 'inclinationDeg'): number {
  const truth = sim.truth.sensors[sensor]!.quat;
  let m = 0;
  rows.forEach((r, i) => {
    m = Math.max(m, errorParts(r.slice(1), truth.subarray(4 * i, 4 * i + 4))[part]);
  });
  return m;
}

describe('kinemetry orient', () => {
  it.each(['madgwick', 'mahony', 'vqf'])('--filter %s: one row per sample, unit quaternions in ENU', async (filter) => {
    const r = await orient([thighFile], { filter });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const { header, rows } = parse(r.stdout);
    expect(header).toBe(ORIENT_HEADER);
    const n = sim.blocks.thigh!.reduce((s, b) => s + b.tS.length, 0);
    expect(rows).toHaveLength(n);
    expect(rows[0]![0]).toBe(0);
    expect(rows[1]![0]).toBe(0.02);
    for (const row of rows) {
      expect(row).toHaveLength(5);
      expect(Math.hypot(row[1]!, row[2]!, row[3]!, row[4]!)).toBeCloseTo(1, 7);
    }
    // A still thigh, ideal sensor: the orientation including heading is right.
    expect(worst(rows, 'thigh', 'totalDeg')).toBeLessThan(0.5);
  });

  it('the default filter is vqf; --no-mag gives the inclination only', async () => {
    const byDefault = await orient([thighFile]);
    expect(byDefault.stdout).toBe((await orient([thighFile], { filter: 'vqf' })).stdout);
    const r = await orient([session], { filter: 'madgwick', 'no-mag': true }, { sensor: 'thigh' });
    const { rows } = parse(r.stdout);
    expect(worst(rows, 'thigh', 'inclinationDeg')).toBeLessThan(0.5);
    // The heading is not ENU without the magnetometer (the subject faces 30°).
    expect(worst(rows, 'thigh', 'totalDeg')).toBeGreaterThan(10);
  });

  it('--offline runs vqf forward–backward; it refuses the other filters', async () => {
    const r = await orient([thighFile], { offline: true });
    expect(r.code).toBe(0);
    const { rows } = parse(r.stdout);
    expect(rows).toHaveLength(sim.blocks.thigh!.reduce((s, b) => s + b.tS.length, 0));
    expect(worst(rows, 'thigh', 'totalDeg')).toBeLessThan(0.5);
    await expect(orient([thighFile], { offline: true, filter: 'mahony' })).rejects.toThrow(/--offline .* vqf/);
  });

  it('a session with several sensors needs --sensor', async () => {
    await expect(orient([session])).rejects.toThrow(new UsageError(`${session} has 2 sensors (shank, thigh): pick one with --sensor`));
    await expect(orient([session], {}, { sensor: 'hip' })).rejects.toThrow(/no sensor 'hip' .*\(sensors: shank, thigh\)/);
    const r = await orient([session], { filter: 'mahony' }, { sensor: 'thigh' });
    expect(r.stdout).toBe((await orient([thighFile], { filter: 'mahony' })).stdout);
  });

  it('writes to a file with -o', async () => {
    const out = join(dir, 'thigh-orient.csv');
    const r = await orient([thighFile], { filter: 'madgwick' }, { out });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await readFile(out, 'utf8')).toBe((await orient([thighFile], { filter: 'madgwick' })).stdout);
  });

  it('usage errors', async () => {
    await expect(orient([])).rejects.toThrow(UsageError);
    await expect(orient([thighFile, thighFile])).rejects.toThrow(/one recording at a time/);
    await expect(orient([thighFile], { filter: 'kalman' })).rejects.toThrow(/unknown filter 'kalman' \(filters: vqf, madgwick, mahony\)/);
    await expect(orient([thighFile], {}, { json: true })).rejects.toThrow(/--json/);
    const quatOnly = join(dir, 'quat-only.csv');
    await writeFile(quatOnly, 't,qw,qx,qy,qz\n0,1,0,0,0\n0.01,1,0,0,0\n');
    await expect(orient([quatOnly])).rejects.toThrow(/has no accelerometer: orient needs both/);
  });

  it('describes itself for the help', () => {
    expect(orientCommand.name).toBe('orient');
    expect(orientCommand.usage).toMatch(/^orient /);
    expect(orientCommand.optionsHelp.map(([flag]) => flag)).toEqual(['--filter NAME', '--no-mag', '--offline']);
    expect(Object.keys(orientCommand.options)).toEqual(['filter', 'no-mag', 'offline']);
  });
});
