/**
 * BROAD — Berlin Robust Orientation Estimation Assessment Dataset (Laidig, Caruso, Cereatti,
 * Seel, Data 6(7):72, 2021; CC BY 4.0): one 9-axis IMU on an optical-marker body, 285.714 Hz,
 * stored as MATLAB v5 files. This reads a trial (browser-safe, from bytes) and computes the
 * benchmark's error metric, so that fusion filters can be scored as the paper scores them.
 *
 * The optical reference orientation is ground truth, not sensor output, so it is returned
 * beside the IMU block (`truthQuat`), never in the block's `quat` channel.
 */
import type { InertialBlock, SensorInfo } from '../samples/block';
import { RAD_TO_DEG } from '../samples/units';
import { sensorIdFromFileName } from './canonicalCsv';
import { describeMatVariables, readMat } from './mat';
import type { MatFile } from './mat';
import { MatFormatError } from './matError';
import { matImu, matSamples } from './matImu';

/** Variable names of a BROAD trial beyond the IMU ones (see {@link MAT_IMU_VARIABLES}). */
export const BROAD_VARIABLES = {
  truthQuat: 'opt_quat',
  posM: 'opt_pos',
  movement: 'movement',
  info: 'info',
} as const;

/** The benchmark's nominal rate, Hz (2000/7; each file states it in `sampling_rate`). */
export const BROAD_RATE_HZ = 2000 / 7;

export interface BroadTrial {
  /** Trial name, e.g. `01_undisturbed_slow_rotation_A` (from the file's `info` text, else the file stem). */
  readonly name: string;
  readonly rateHz: number;
  /** All samples of the IMU in one block, t = index / rate, with magnetometer. */
  readonly block: InertialBlock & { readonly magUT: Float64Array };
  /** Optical reference orientation q_GS [w,x,y,z] (global frame ENU), 4n; NaN rows where tracking was lost. */
  readonly truthQuat: Float64Array;
  /** 1 where the body moves (the samples the metric uses), else 0; length n. */
  readonly movement: Uint8Array;
  /** Marker-body position, m, xyz interleaved, 3n (when the file has `opt_pos`). */
  readonly posM?: Float64Array;
  /** The file's own description (`info`), when present. */
  readonly description?: string;
}

export interface ReadBroadOptions {
  /** Sensor id of the block. Default: the file stem, else `imu`. */
  readonly sensorId?: string;
}

/** Device and trial named in a BROAD `info` text (`IMU: …`, `Trial: …` lines), when present. */
export function broadSensorInfo(mat: MatFile): { device?: string; trial?: string } {
  const text = mat.get(BROAD_VARIABLES.info)?.text;
  const out: { device?: string; trial?: string } = {};
  if (text === undefined) return out;
  const device = /^IMU:\s*(.+?)\s*$/m.exec(text)?.[1];
  const trial = /^Trial:\s*(.+?)\s*$/m.exec(text)?.[1];
  if (device) out.device = device;
  if (trial) out.trial = trial;
  return out;
}

/**
 * Read one BROAD trial from the bytes of its .mat file. `file` names it in errors and gives
 * the default sensor id. Throws MatFormatError (a RecordingFormatError) when the file is not
 * a MAT-file or lacks a BROAD variable.
 */
export function readBroadTrial(bytes: Uint8Array, file?: string, options: ReadBroadOptions = {}): BroadTrial {
  const mat = readMat(bytes, file);
  const imu = matImu(mat, file);
  if (!imu.magUT) throw new MatFormatError(`not a BROAD trial: no 'imu_mag' (variables: ${describeMatVariables(mat)})`, file);
  const need = (name: string) => {
    const a = mat.get(name);
    if (!a) throw new MatFormatError(`not a BROAD trial: no '${name}' (variables: ${describeMatVariables(mat)})`, file);
    return a;
  };
  const truth = matSamples(mat, need(BROAD_VARIABLES.truthQuat), 4, file);
  const mov = matSamples(mat, need(BROAD_VARIABLES.movement), 1, file);
  const posVar = mat.get(BROAD_VARIABLES.posM);
  const pos = posVar ? matSamples(mat, posVar, 3, file) : undefined;
  for (const [name, x] of [
    [BROAD_VARIABLES.truthQuat, truth],
    [BROAD_VARIABLES.movement, mov],
    [BROAD_VARIABLES.posM, pos],
  ] as const) {
    if (x && x.n !== imu.n) throw new MatFormatError(`'${name}' has ${x.n} samples but the IMU has ${imu.n}`, file);
  }
  const movement = new Uint8Array(imu.n);
  for (let i = 0; i < imu.n; i++) {
    const v = mov.values[i]!;
    if (Number.isNaN(v)) throw new MatFormatError(`'${BROAD_VARIABLES.movement}' is NaN at sample ${i}`, file);
    movement[i] = v !== 0 ? 1 : 0;
  }

  const { device, trial } = broadSensorInfo(mat);
  const stem = file !== undefined ? sensorIdFromFileName(file) : undefined;
  const name = trial ?? stem ?? 'broad';
  const info: { -readonly [K in keyof SensorInfo]: SensorInfo[K] } = {
    sensorId: options.sensorId ?? stem ?? 'imu',
    rateHz: imu.rateHz,
    extra: { dataset: 'BROAD', trial: name },
  };
  if (device) info.device = device;
  const tS = new Float64Array(imu.n);
  for (let i = 0; i < imu.n; i++) tS[i] = i / imu.rateHz;
  const block = { info, tS, accMS2: imu.accMS2, gyrRadS: imu.gyrRadS, magUT: imu.magUT };
  const out: { -readonly [K in keyof BroadTrial]: BroadTrial[K] } = {
    name,
    rateHz: imu.rateHz,
    block,
    truthQuat: truth.values,
    movement,
  };
  if (pos) out.posM = pos.values;
  const description = mat.get(BROAD_VARIABLES.info)?.text;
  if (description !== undefined) out.description = description;
  return out;
}

/** The inputs of {@link broadErrors} cannot be scored (lengths, NaN estimate, nothing to score). */
export class BroadMetricError extends Error {
  override readonly name = 'BroadMetricError';
}

export interface BroadErrors {
  /** RMSE of the total error angle 2·acos(|w|), deg. */
  readonly totalRmseDeg: number;
  /** RMSE of the heading error 2·atan(|z/w|), deg. */
  readonly headingRmseDeg: number;
  /** RMSE of the inclination error 2·acos(√(w²+z²)), deg (heading-independent; for 6-axis filters). */
  readonly inclinationRmseDeg: number;
  /** Samples scored: moving, with a reference. */
  readonly samplesUsed: number;
  /** Moving samples left out because the optical reference was lost (NaN). */
  readonly samplesWithoutTruth: number;
}

/**
 * Error angles of one estimate against its reference, rad: out = [total, heading, inclination]
 * of q_e = q_est ⊗ q_opt⁻¹ (error in the global frame; heading about global z). Inputs need
 * not be unit length (q_e is normalised), but must be finite and non-zero.
 */
export function broadErrorAnglesRad(out: Float64Array, qEst: ArrayLike<number>, qOpt: ArrayLike<number>): Float64Array {
  return errorAngles(out, qEst, 0, qOpt, 0);
}

function errorAngles(out: Float64Array, e: ArrayLike<number>, ei: number, o: ArrayLike<number>, oi: number): Float64Array {
  const aw = e[ei]!;
  const ax = e[ei + 1]!;
  const ay = e[ei + 2]!;
  const az = e[ei + 3]!;
  // q_opt⁻¹ ∝ conj(q_opt); the scale drops out after normalising q_e.
  const bw = o[oi]!;
  const bx = -o[oi + 1]!;
  const by = -o[oi + 2]!;
  const bz = -o[oi + 3]!;
  const w = aw * bw - ax * bx - ay * by - az * bz;
  const x = aw * bx + ax * bw + ay * bz - az * by;
  const y = aw * by - ax * bz + ay * bw + az * bx;
  const z = aw * bz + ax * by - ay * bx + az * bw;
  const norm = Math.sqrt(w * w + x * x + y * y + z * z);
  const wn = Math.abs(w) / norm;
  const zn = Math.abs(z) / norm;
  out[0] = 2 * Math.acos(Math.min(1, wn));
  out[1] = 2 * Math.atan2(zn, wn); // = 2·atan(|z/w|), defined at w = 0
  out[2] = 2 * Math.acos(Math.min(1, Math.sqrt(wn * wn + zn * zn)));
  return out;
}

/**
 * The BROAD error metric over one trial: per sample q_e = q_est ⊗ q_opt⁻¹, total, heading and
 * inclination error angles, RMSE in degrees over the samples with `movement` set and a
 * reference (no NaN in `truthQuat`). `estQuat` and `truthQuat` are [w,x,y,z] interleaved (4n).
 * Throws BroadMetricError on mismatched lengths, on an estimate that is NaN/zero where it is
 * scored (a diverged filter must not pass silently), or when no sample can be scored.
 */
export function broadErrors(estQuat: ArrayLike<number>, truthQuat: ArrayLike<number>, movement: ArrayLike<number>): BroadErrors {
  const n = movement.length;
  if (estQuat.length !== 4 * n || truthQuat.length !== 4 * n) {
    throw new BroadMetricError(`broadErrors: need 4·${n} quaternion values for ${n} movement flags, got estimate ${estQuat.length}, truth ${truthQuat.length}`);
  }
  const ang = new Float64Array(3);
  let sumT = 0;
  let sumH = 0;
  let sumI = 0;
  let used = 0;
  let noTruth = 0;
  for (let i = 0; i < n; i++) {
    if (!movement[i]) continue;
    const k = 4 * i;
    if (!(Number.isFinite(truthQuat[k]!) && Number.isFinite(truthQuat[k + 1]!) && Number.isFinite(truthQuat[k + 2]!) && Number.isFinite(truthQuat[k + 3]!))) {
      noTruth++;
      continue;
    }
    errorAngles(ang, estQuat, k, truthQuat, k);
    if (Number.isNaN(ang[0]!) || Number.isNaN(ang[1]!) || Number.isNaN(ang[2]!)) {
      const q = [0, 1, 2, 3].map((c) => estQuat[k + c]);
      throw new BroadMetricError(`broadErrors: estimate at sample ${i} is not a usable quaternion [${q.join(', ')}]`);
    }
    sumT += ang[0]! * ang[0]!;
    sumH += ang[1]! * ang[1]!;
    sumI += ang[2]! * ang[2]!;
    used++;
  }
  if (used === 0) {
    throw new BroadMetricError(`broadErrors: no sample to score (${n} samples, ${noTruth} moving ones without a reference)`);
  }
  return {
    totalRmseDeg: Math.sqrt(sumT / used) * RAD_TO_DEG,
    headingRmseDeg: Math.sqrt(sumH / used) * RAD_TO_DEG,
    inclinationRmseDeg: Math.sqrt(sumI / used) * RAD_TO_DEG,
    samplesUsed: used,
    samplesWithoutTruth: noTruth,
  };
}
