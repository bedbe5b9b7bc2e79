/**
 * The simulated sessions bundled in fixtures/, defined once: scripts/make-fixtures.ts writes
 * them and test/fixtures.test.ts checks the committed files still match this code.
 */
import { canonicalCsvText } from '../src/io/canonicalCsvWriter';
import type { InertialBlock } from '../src/samples/block';
import {
  ERROR_PRESETS,
  freeMotionScenario,
  kneeFlexionScenario,
  kneeSwingScenario,
  shoulderAbductionScenario,
  simulate,
  type Scenario,
  type SimulationResult,
} from '../src/sim/index';
import { HIP_ABDUCTION_WINDOW_S, HIP_FLEXION_WINDOW_S, elbowAcceptance, hipAcceptance } from '../test/kinematics/acceptanceScenarios';

/** Printed decimals per channel: each is ≥ 10× finer than the consumer preset's quantisation step. */
const DIGITS = { tS: 6, accMS2: 4, gyrRadS: 5, magUT: 3, quat: 7, angleDeg: 4 } as const;
const RAD_TO_DEG = 180 / Math.PI;

export interface FixtureSession {
  readonly name: string;
  readonly description: string;
  /** The scenario parameters, written to truth/scenario.json for the record. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly rateHz: number;
  readonly seed: number;
  readonly result: SimulationResult;
  /** Write truth/<sensor>-orientation.csv. Default true (off where the file size matters more). */
  readonly orientationTruth?: boolean;
}

function round(x: number, digits: number): number {
  // toFixed then Number gives the shortest decimal for that resolution (no 0.30000000000000004 tails).
  return Number(x.toFixed(digits));
}

function roundInPlace(a: Float64Array | undefined, digits: number): void {
  if (!a) return;
  for (let i = 0; i < a.length; i++) a[i] = round(a[i]!, digits);
}

function roundedCopy(b: InertialBlock): InertialBlock {
  const copy: InertialBlock = {
    ...b,
    tS: b.tS.slice(),
    accMS2: b.accMS2.slice(),
    gyrRadS: b.gyrRadS.slice(),
    ...(b.magUT ? { magUT: b.magUT.slice() } : {}),
    ...(b.quat ? { quat: b.quat.slice() } : {}),
  };
  roundInPlace(copy.tS, DIGITS.tS);
  roundInPlace(copy.accMS2, DIGITS.accMS2);
  roundInPlace(copy.gyrRadS, DIGITS.gyrRadS);
  roundInPlace(copy.magUT, DIGITS.magUT);
  roundInPlace(copy.quat, DIGITS.quat);
  return copy;
}

function run(name: string, scenario: Scenario, params: Record<string, unknown>, rateHz: number, seed: number, orientationTruth = true): FixtureSession {
  return { name, description: scenario.description ?? name, params, rateHz, seed, result: simulate(scenario, { rateHz, seed }), orientationTruth };
}

export function buildFixtureSessions(): FixtureSession[] {
  const rateHz = 100;
  // Knee: the standard home exercise, two sensors, realistic noise, mount wobble, small
  // tempo/amplitude variation, and a shank sensor that drops a few BLE packets.
  const kneeParams = {
    posture: 'standing',
    side: 'right',
    reps: 10,
    amplitudeDeg: 90,
    riseS: 1.2,
    holdS: 2,
    restS: 0.8,
    amplitudeVariation: 0.05,
    tempoVariation: 0.05,
    noise: 'consumer',
    softTissue: true,
    mountErrorDeg: 5,
    seed: 7,
  } as const;
  const knee = kneeFlexionScenario(kneeParams);
  const shankDrops = { probability: 0.002, burstMeanSamples: 4 };
  const kneeWithDrops: Scenario = {
    ...knee,
    sensors: knee.sensors.map((s) => (s.id === 'shank' ? { ...s, errors: { ...ERROR_PRESETS.consumer, drops: shankDrops } } : s)),
  };

  // Shoulder: single-sensor ROM, one partial rep (index 5) that must be reported as partial.
  const shoulderParams = {
    side: 'left',
    reps: 8,
    amplitudeDeg: 150,
    riseS: 2,
    holdS: 2,
    restS: 1,
    partialReps: [5],
    partialFraction: 0.5,
    noise: 'consumer',
    seed: 11,
  } as const;

  // Free motion: arbitrary 3-D rotation and translation of one 9-axis sensor, for fusion.
  const freeParams = { durationS: 40, staticLeadS: 3, rotationAmplitudeDeg: 70, translationAmplitudeM: 0.2, noise: 'consumer', seed: 3 } as const;

  // Knee with the whole leg swinging (thigh moving too), so `angles --calibrate functional`
  // can find the knee axis in both sensors. 6-axis sensors and no orientation truth keep it small.
  const swingParams = { side: 'right', durationS: 20, leadInS: 2, hipAmplitudeDeg: 25, kneeAmplitudeDeg: 45, facingDeg: 120, noise: 'consumer', softTissue: true, mountErrorDeg: 10, magnetometer: false, seed: 5 } as const;

  // 2-DoF and ball joints for `angles --calibrate functional` (the issue-5 acceptance scenarios,
  // shortened, at 50 Hz, 6-axis, no orientation truth: small files). Both segments move.
  const elbowParams = { scenario: 'elbowAcceptance (test/kinematics/acceptanceScenarios.ts)', noise: true, seed: 3, mountErrorDeg: 15, durationS: 30, rateHz: 50 } as const;
  const elbow: Scenario = { ...elbowAcceptance({ noise: true, seed: 3 }), durationS: elbowParams.durationS, description: 'right elbow: 2 s still neutral pose (arm hanging), then the upper arm sways ±25° while the elbow flexes 10…110° and the forearm pronates ±60°' };
  const hipParams = {
    scenario: 'hipAcceptance (test/kinematics/acceptanceScenarios.ts)', noise: true, seed: 3, mountErrorDeg: 15, durationS: 32, rateHz: 50,
    flexionWindowS: HIP_FLEXION_WINDOW_S, abductionWindowS: HIP_ABDUCTION_WINDOW_S,
  } as const;
  const hip: Scenario = { ...hipAcceptance({ noise: true, seed: 3 }), durationS: hipParams.durationS, description: 'right hip: 2 s still neutral pose, pelvis sways ±12°; calibration movements flexion 0→50° twice (3–11 s), abduction 0→35° twice (12–20 s); then free 3-DoF motion' };

  return [
    run('elbow-2dof', elbow, elbowParams, 50, 3, false),
    run('hip-ball', hip, hipParams, 50, 3, false),
    run('knee-swing', kneeSwingScenario(swingParams), swingParams, rateHz, 5, false),
    run('knee-flexion', kneeWithDrops, { ...kneeParams, shankDrops }, rateHz, 7),
    run('shoulder-abduction', shoulderAbductionScenario(shoulderParams), shoulderParams, rateHz, 11),
    run('free-motion', freeMotionScenario(freeParams), freeParams, rateHz, 3),
  ];
}

function csv(header: readonly string[], rows: number, cell: (row: number, col: number) => number): string {
  let s = header.join(',') + '\n';
  for (let r = 0; r < rows; r++) {
    const cells = new Array<string>(header.length);
    for (let c = 0; c < header.length; c++) cells[c] = String(cell(r, c));
    s += cells.join(',') + '\n';
  }
  return s;
}

/** File path (relative to the session directory) → contents. */
export function fixtureFiles(session: FixtureSession): Record<string, string> {
  const { result } = session;
  const files: Record<string, string> = {};
  for (const [sensorId, blocks] of Object.entries(result.blocks)) {
    files[`${sensorId}.csv`] = canonicalCsvText(blocks.map(roundedCopy));
  }
  const truth = result.truth;
  const n = truth.tS.length;

  // Joint angles, deg, one column per joint DoF.
  const angleCols: { name: string; data: Float64Array }[] = [];
  for (const joint of Object.values(truth.joints)) {
    for (const dof of joint.dofNames) angleCols.push({ name: `${joint.name}_${dof}_deg`, data: joint.anglesRad[dof]! });
  }
  if (angleCols.length > 0) {
    files['truth/angles.csv'] = csv(['t', ...angleCols.map((c) => c.name)], n, (r, c) =>
      c === 0 ? round(truth.tS[r]!, DIGITS.tS) : round(angleCols[c - 1]!.data[r]! * RAD_TO_DEG, DIGITS.angleDeg),
    );
  }

  // True sensor orientations q_GS (ENU), at each sensor's true sampling times.
  for (const [sensorId, s] of Object.entries(session.orientationTruth === false ? {} : truth.sensors)) {
    files[`truth/${sensorId}-orientation.csv`] = csv(['t', 'qw', 'qx', 'qy', 'qz'], s.tS.length, (r, c) =>
      c === 0 ? round(s.tS[r]!, DIGITS.tS) : round(s.quat[4 * r + c - 1]!, DIGITS.quat),
    );
  }

  if (truth.reps.length > 0) {
    files['truth/reps.csv'] = csv(
      ['index', 'set', 'startS', 'peakS', 'holdEndS', 'endS', 'amplitudeDeg', 'partial'],
      truth.reps.length,
      (r, c) => {
        const rep = truth.reps[r]!;
        const v = [rep.index, rep.set, rep.startS, rep.peakS, rep.holdEndS, rep.endS, rep.amplitudeRad * RAD_TO_DEG, rep.partial ? 1 : 0][c]!;
        return c >= 2 && c <= 6 ? round(v, DIGITS.angleDeg) : v;
      },
    );
  }

  const drawn: Record<string, unknown> = {};
  for (const [sensorId, s] of Object.entries(truth.sensors)) {
    const emitted = s.emitted.reduce((a, b) => a + b, 0);
    drawn[sensorId] = { segment: s.segment, samples: s.tS.length, emitted, dropped: s.tS.length - emitted };
  }
  files['truth/scenario.json'] =
    JSON.stringify(
      {
        name: session.name,
        description: session.description,
        generator: 'scripts/make-fixtures.ts (npm run fixtures)',
        rateHz: session.rateHz,
        simulationSeed: session.seed,
        durationS: truth.durationS,
        gravityMS2: truth.gravityMS2,
        frames: 'global ENU (z up); q_GS maps sensor to global coordinates; segment frames ISB (x anterior, y superior, z right)',
        params: session.params,
        sensors: drawn,
      },
      null,
      2,
    ) + '\n';
  return files;
}
