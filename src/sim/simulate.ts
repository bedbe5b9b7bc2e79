/**
 * Top level of the simulator: run a scenario (body + sensors + field) for a duration and
 * return what the sensors would have sent — {@link SampleBlock}s with every configured error —
 * together with the exact ground truth. The same seed gives bit-identical output.
 *
 * Times are s since session start. Truth lives on two kinds of time grid:
 * - the session grid `truth.tS` = k / rateHz (true time): segment poses and joint angles;
 * - each sensor's own true sampling instants `truth.sensors[id].tS` (differs from the session
 *   grid only with a sensor rate override, clock drift or sampling jitter): its orientation
 *   and error-free signals, including samples that were dropped from the output.
 *
 * Dropped samples are absent from the blocks; the block after a dropout starts a new block
 * with `gapBeforeS` = (dropped samples) / rateHz. Blocks are also split every `blockSize`
 * samples if asked (like BLE notifications).
 */
import * as quat from '../math/quat';
import * as vec3 from '../math/vec3';
import { SAT_ACC, SAT_GYR, SAT_MAG, type InertialBlock, type SensorInfo } from '../samples/block';
import { assembleBlocks } from './output';
import { Body } from './body';
import type { JointSpec } from './body';
import { dropMask, sampleCount, sampleTimes } from './clock';
import {
  applyChannelErrors,
  checkClock,
  checkDrops,
  realizeChannelErrors,
  resolveErrors,
  type ErrorPresetName,
  type RealizedChannelErrors,
  type SensorErrorParams,
  type DropParams,
} from './errors';
import { GRAVITY_MS2, ImuModel, createImuTruthSample, type ImuTruthSample, type SensorSpec } from './imu';
import { MagneticField, type MagneticFieldParams } from './magnetic';
import { Rng } from './random';
import type { RepTruth } from './reps';
import { SimInputError, requireNonNegative, requirePositive } from './sim-error';
import { buildSoftTissue, type SoftTissueMotion, type WobbleEvent } from './soft-tissue';

export interface Scenario {
  readonly name?: string;
  readonly description?: string;
  readonly body: Body;
  readonly sensors: readonly SensorSpec[];
  /** Ground-truth repetitions of the exercise, if any. */
  readonly reps?: readonly RepTruth[];
  readonly magneticField?: MagneticFieldParams;
  /** Gravity magnitude, m/s². Default {@link GRAVITY_MS2} = 9.81. */
  readonly gravityMS2?: number;
  /** Suggested session length, s (used when the options give none). */
  readonly durationS?: number;
}

export interface SimulateOptions {
  /** Session length, s. Default: the scenario's `durationS`. */
  durationS?: number;
  /** Sampling rate, Hz (sensors may override). Default 100. */
  rateHz?: number;
  /** Seed of every random error (safe integer). Default 1. */
  seed?: number;
  /** Split output into blocks of at most this many samples. Default: one block per contiguous run. */
  blockSize?: number;
  /** Replace every sensor's error model (e.g. `'ideal'` to switch all errors off). */
  errors?: SensorErrorParams | ErrorPresetName;
}

export interface SegmentTruth {
  /** q_{G,seg} on the session grid, 4n. */
  readonly quat: Float64Array;
  /** Origin position in G, m, 3n. */
  readonly posM: Float64Array;
}

export interface JointTruth {
  readonly name: string;
  readonly type: JointSpec['type'];
  readonly parent: string;
  readonly child: string;
  /** DoF names in joint order (e.g. ['flexion'] or ISB ['planeOfElevation', 'elevation', 'axialRotation']). */
  readonly dofNames: readonly string[];
  /** Each DoF's angle on the session grid, rad, keyed by DoF name. */
  readonly anglesRad: Readonly<Record<string, Float64Array>>;
  /** Relative orientation q_{parent,child} = q_{G,parent}* ⊗ q_{G,child} on the session grid, 4n. */
  readonly relativeQuat: Float64Array;
}

export interface SensorTruth {
  readonly sensorId: string;
  readonly segment: string;
  readonly rateHz: number;
  /** True sampling instants (all samples, dropped ones included), s. Length n. */
  readonly tS: Float64Array;
  /** Timestamps the sensor wrote (what the blocks carry for emitted samples), s. */
  readonly reportedTS: Float64Array;
  /** 1 where the sample reached the output, 0 where it was dropped. */
  readonly emitted: Uint8Array;
  /** q_GS, 4n. */
  readonly quat: Float64Array;
  /** Error-free signals in the sensor frame, 3n. */
  readonly gyrRadS: Float64Array;
  readonly accMS2: Float64Array;
  readonly magUT: Float64Array;
  /** Mount point in G, m, 3n. */
  readonly posM: Float64Array;
  /** Total bias (constant + random walk) added at each sample, 3n per channel. */
  readonly gyrBiasRadS: Float64Array;
  readonly accBiasMS2: Float64Array;
  readonly magBiasUT: Float64Array;
  /** The error parameters this sensor actually got (random parts drawn). */
  readonly errors: { readonly gyr: RealizedChannelErrors; readonly acc: RealizedChannelErrors; readonly mag: RealizedChannelErrors };
  /** Soft-tissue excitation events (empty without wobble). */
  readonly wobbleEvents: readonly WobbleEvent[];
}

export interface SimulationTruth {
  readonly durationS: number;
  readonly rateHz: number;
  readonly gravityMS2: number;
  /** Session grid, s. */
  readonly tS: Float64Array;
  readonly segments: Readonly<Record<string, SegmentTruth>>;
  readonly joints: Readonly<Record<string, JointTruth>>;
  readonly sensors: Readonly<Record<string, SensorTruth>>;
  /** Repetitions that end within the session. */
  readonly reps: readonly RepTruth[];
}

export interface SimulationResult {
  /** Output blocks per sensor id, in time order. */
  readonly blocks: Readonly<Record<string, InertialBlock[]>>;
  readonly truth: SimulationTruth;
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const dur = options.durationS ?? scenario.durationS;
  if (dur === undefined) throw new SimInputError('durationS is required: neither the options nor the scenario give one');
  const durationS = requireNonNegative('durationS', dur);
  const rateHz = requirePositive('rateHz', options.rateHz ?? 100);
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new SimInputError(`seed must be a safe integer, got ${seed}`);
  const blockSize = options.blockSize ?? Infinity;
  if (!(blockSize >= 1) || (Number.isFinite(blockSize) && !Number.isInteger(blockSize))) {
    throw new SimInputError(`blockSize must be an integer ≥ 1, got ${blockSize}`);
  }
  const gravityMS2 = requirePositive('gravityMS2', scenario.gravityMS2 ?? GRAVITY_MS2);
  const body = scenario.body;
  if (!(body instanceof Body)) throw new SimInputError('scenario.body must be a Body');
  const field = new MagneticField(scenario.magneticField);
  const ids = new Set<string>();
  for (const s of scenario.sensors) {
    if (ids.has(s.id)) throw new SimInputError(`duplicate sensor id '${s.id}'`);
    ids.add(s.id);
  }

  // Sensors sampling exactly on the session grid share its forward-kinematics pass.
  const sensors = scenario.sensors.map((spec) => prepareSensor(body, spec, field, gravityMS2, durationS, rateHz, seed, options.errors));
  const session = sessionTruth(body, durationS, rateHz, sensors.filter((c) => c.onSessionGrid));
  const sample = createImuTruthSample();
  for (const c of sensors) if (!c.onSessionGrid) for (let k = 0; k < c.n; k++) storeSample(c, k, c.model.evaluate(c.trueTS[k]!, sample));

  const truth: SimulationTruth = {
    durationS,
    rateHz,
    gravityMS2,
    ...session,
    sensors: {},
    reps: (scenario.reps ?? []).filter((r) => r.endS <= durationS),
  };
  const blocks: Record<string, InertialBlock[]> = {};
  for (const c of sensors) {
    const { sensorTruth, sensorBlocks } = finishSensor(c, seed, blockSize);
    (truth.sensors as Record<string, SensorTruth>)[c.spec.id] = sensorTruth;
    blocks[c.spec.id] = sensorBlocks;
  }
  return { blocks, truth };
}

/** Per-sensor setup and error-free truth arrays, filled sample by sample. */
interface SensorRun {
  readonly spec: SensorSpec;
  readonly rateHz: number;
  readonly errors: SensorErrorParams;
  readonly drops: Required<DropParams>;
  readonly model: ImuModel;
  readonly soft: SoftTissueMotion | null;
  readonly trueTS: Float64Array;
  readonly reportedTS: Float64Array;
  readonly onSessionGrid: boolean;
  readonly n: number;
  readonly q: Float64Array;
  readonly gyr: Float64Array;
  readonly acc: Float64Array;
  readonly mag: Float64Array;
  readonly pos: Float64Array;
}

function sensorRng(seed: number, id: string, what: string): Rng {
  return new Rng(seed, 'sensor', id, what);
}

function prepareSensor(
  body: Body,
  spec: SensorSpec,
  field: MagneticField,
  gravityMS2: number,
  durationS: number,
  sessionRateHz: number,
  seed: number,
  errorsOverride: SensorErrorParams | ErrorPresetName | undefined,
): SensorRun {
  const id = spec.id;
  if (typeof id !== 'string' || id === '') throw new SimInputError('sensor id must be a non-empty string');
  const rateHz = requirePositive(`sensor '${id}' rateHz`, spec.rateHz ?? sessionRateHz);
  const errors = resolveErrors(errorsOverride ?? spec.errors);
  const clock = checkClock(errors.clock);
  const drops = checkDrops(errors.drops);
  const { trueTS, reportedTS } = sampleTimes(durationS, rateHz, clock, sensorRng(seed, id, 'clock'));
  const n = trueTS.length;
  // Same instants as the session grid, bit for bit (the usual case: no drift, jitter or own rate).
  let onSessionGrid = n === sampleCount(durationS, sessionRateHz);
  for (let k = 0; onSessionGrid && k < n; k++) onSessionGrid = trueTS[k] === k / sessionRateHz;
  const segIndex = body.segmentIndex(spec.segment);
  const soft = spec.softTissue
    ? buildSoftTissue(spec.softTissue === true ? {} : spec.softTissue, body, segIndex, spec.positionM ?? [0, 0, 0], trueTS, sensorRng(seed, id, 'wobble'))
    : null;
  return {
    spec,
    rateHz,
    errors,
    drops,
    model: new ImuModel(body, spec, { field, gravityMS2 }, soft),
    soft,
    trueTS,
    reportedTS,
    onSessionGrid,
    n,
    q: new Float64Array(4 * n),
    gyr: new Float64Array(3 * n),
    acc: new Float64Array(3 * n),
    mag: new Float64Array(3 * n),
    pos: new Float64Array(3 * n),
  };
}

function storeSample(c: SensorRun, k: number, s: ImuTruthSample): void {
  quat.writeAt(c.q, k, s.q);
  vec3.writeAt(c.gyr, k, s.gyrRadS);
  vec3.writeAt(c.acc, k, s.accMS2);
  vec3.writeAt(c.mag, k, s.magUT);
  vec3.writeAt(c.pos, k, s.posM);
}

/** Segment poses and joint angles on the session grid (plus the truth of grid-aligned sensors). */
function sessionTruth(body: Body, durationS: number, rateHz: number, gridSensors: readonly SensorRun[]) {
  const n = sampleCount(durationS, rateHz);
  const tS = new Float64Array(n);
  const segArrays = body.segments.map(() => ({ quat: new Float64Array(4 * n), posM: new Float64Array(3 * n) }));
  const jointArrays = body.joints.map((j) => ({
    angles: j.dofNames.map(() => new Float64Array(n)),
    relativeQuat: new Float64Array(4 * n),
  }));
  const state = body.createState();
  const bodyJoints = body.joints;
  const qp = quat.create();
  const qc = quat.create();
  const sample = createImuTruthSample();
  // Plain loops, no per-sample views or closures: this runs n × segments times.
  for (let k = 0; k < n; k++) {
    const t = k / rateHz;
    tS[k] = t;
    body.evaluate(t, state);
    for (let i = 0; i < segArrays.length; i++) {
      const sq = segArrays[i]!.quat, sp = segArrays[i]!.posM;
      for (let c = 0; c < 4; c++) sq[4 * k + c] = state.q[4 * i + c]!;
      for (let c = 0; c < 3; c++) sp[3 * k + c] = state.posM[3 * i + c]!;
    }
    for (let ji = 0; ji < bodyJoints.length; ji++) {
      const j = bodyJoints[ji]!;
      const arr = jointArrays[ji]!;
      for (let d = 0; d < arr.angles.length; d++) arr.angles[d]![k] = state.dofRad[j.dofOffset + d]!;
      quat.readAt(qp, state.q, j.parentIndex);
      quat.readAt(qc, state.q, j.childIndex);
      quat.writeAt(arr.relativeQuat, k, quat.relative(qc, qp, qc));
    }
    for (let si = 0; si < gridSensors.length; si++) {
      const c = gridSensors[si]!;
      storeSample(c, k, c.model.evaluateFromState(t, state, sample));
    }
  }
  const segments: Record<string, SegmentTruth> = {};
  body.segments.forEach((s, i) => (segments[s.name] = segArrays[i]!));
  const joints: Record<string, JointTruth> = {};
  body.joints.forEach((j, ji) => {
    const anglesRad: Record<string, Float64Array> = {};
    j.dofNames.forEach((d, di) => {
      if (d in anglesRad) throw new SimInputError(`joint '${j.name}': duplicate DoF name '${d}'`);
      anglesRad[d] = jointArrays[ji]!.angles[di]!;
    });
    joints[j.name] = {
      name: j.name,
      type: j.type,
      parent: body.segments[j.parentIndex]!.name,
      child: body.segments[j.childIndex]!.name,
      dofNames: j.dofNames,
      anglesRad,
      relativeQuat: jointArrays[ji]!.relativeQuat,
    };
  });
  return { tS, segments, joints };
}

/** Apply the error model and dropouts to a sensor's truth and cut the output blocks. */
function finishSensor(c: SensorRun, seed: number, blockSize: number): { sensorTruth: SensorTruth; sensorBlocks: InertialBlock[] } {
  const { spec, n, trueTS } = c;
  const id = spec.id;
  const rng = (what: string): Rng => sensorRng(seed, id, what);
  // Errors go onto copies of the truth over all samples; drops come after, so random-walk
  // biases keep evolving through a dropout.
  const paramsRng = rng('params');
  const realized = {
    gyr: realizeChannelErrors(`sensor '${id}' gyr`, c.errors.gyr, paramsRng),
    acc: realizeChannelErrors(`sensor '${id}' acc`, c.errors.acc, paramsRng),
    mag: realizeChannelErrors(`sensor '${id}' mag`, c.errors.mag, paramsRng),
  };
  const saturated = new Uint8Array(n);
  const gyrOut = Float64Array.from(c.gyr);
  const accOut = Float64Array.from(c.acc);
  const magOut = Float64Array.from(c.mag);
  const gyrBias = new Float64Array(3 * n);
  const accBias = new Float64Array(3 * n);
  const magBias = new Float64Array(3 * n);
  applyChannelErrors(gyrOut, trueTS, realized.gyr, rng('gyr-noise'), rng('gyr-walk'), saturated, SAT_GYR, gyrBias);
  applyChannelErrors(accOut, trueTS, realized.acc, rng('acc-noise'), rng('acc-walk'), saturated, SAT_ACC, accBias);
  const hasMag = spec.magnetometer ?? true;
  if (hasMag) applyChannelErrors(magOut, trueTS, realized.mag, rng('mag-noise'), rng('mag-walk'), saturated, SAT_MAG, magBias);
  const emitted = dropMask(n, c.drops, rng('drops'));

  const info: SensorInfo = {
    sensorId: id,
    placement: spec.placement ?? spec.segment,
    ...(spec.side ? { side: spec.side } : {}),
    rateHz: c.rateHz,
    device: 'kinemetry-sim',
  };
  const sensorBlocks = assembleBlocks(info, c.rateHz, blockSize, emitted, c.reportedTS, gyrOut, accOut, hasMag ? magOut : null, spec.outputQuat ? c.q : null, saturated);
  const sensorTruth: SensorTruth = {
    sensorId: id,
    segment: spec.segment,
    rateHz: c.rateHz,
    tS: trueTS,
    reportedTS: c.reportedTS,
    emitted,
    quat: c.q,
    gyrRadS: c.gyr,
    accMS2: c.acc,
    magUT: c.mag,
    posM: c.pos,
    gyrBiasRadS: gyrBias,
    accBiasMS2: accBias,
    magBiasUT: magBias,
    errors: realized,
    wobbleEvents: c.soft ? c.soft.events : [],
  };
  return { sensorTruth, sensorBlocks };
}
