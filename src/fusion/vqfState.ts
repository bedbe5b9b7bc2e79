/**
 * State of the VQF-class filter: everything that changes per sample, as plain data. The
 * filter works on a live copy whose arrays are `Float64Array`s ({@link VqfLiveState});
 * {@link VqfState} is the same shape with `number[]`, serialisable with JSON and restorable
 * with `Vqf.setState` (after a reconnect, or to resume a recording in pieces).
 */
import { createBiasState, type BiasStateOf } from './biasEstimator';
import { createMagDistState, type MagDistStateOf } from './magDisturbance';
import { createRestState, type RestStateOf } from './restDetector';
import { lowPassStateLength } from './vqfLowPass';

export interface VqfStateOf<A> {
  /** Strapdown integration of the bias-corrected gyroscope: sensor → almost-inertial frame. */
  gyrQuat: A;
  /** Inclination correction: almost-inertial → 6D earth frame (z up, heading arbitrary). */
  accQuat: A;
  /** Heading offset, rad, about z: 6D earth frame → East-North-Up. */
  deltaRad: number;
  /** Low-passed specific force in the almost-inertial frame, m/s², and its filter memories. */
  lastAccLp: A;
  accLpState: A;
  /** Lower bound of the heading gain for fast start-up (1, ½, ⅓, …; 0 when done). */
  kMagInit: number;
  /** Last heading disagreement of the magnetometer, rad, and the gain it was applied with. */
  lastMagDisAngleRad: number;
  lastMagGain: number;
  /** Last bias-corrected angular rate, rad/s (for latency compensation and accelerometer alignment). */
  lastGyrRadS: A;
  /** Time step of the last gyroscope integration, s (0 before the first). */
  lastGyrDtS: number;
  /** A magnetometer sample has been fused since start/reset (output is 9D). */
  magUsed: boolean;
  /** Magnetometer samples still to skip before the next fused one (see `magDecimation`). */
  magSkip: number;
  /** The last accelerometer sample was refused (non-finite, zero or saturated). */
  accRejected: boolean;
  bias: BiasStateOf<A>;
  rest: RestStateOf<A>;
  magDist: MagDistStateOf<A>;
  /**
   * Sampling: coefficient periods (s, 0 = unknown) and smoothed measured periods per sensor
   * [gyr, acc, mag]; samples seen per sensor; time since the last acc and mag sample in
   * `update` calls (s); time of the last block sample (s, valid when `blockStarted`).
   */
  coeffTsS: A;
  avgTsS: A;
  samplesSeen: A;
  pendingAccS: number;
  pendingMagS: number;
  lastBlockTS: number;
  blockStarted: boolean;
  /** Counts behind `inputReport`: [badGyr, badAcc, badMag, badDt, saturated, gaps]. */
  report: A;
}

export type VqfState = VqfStateOf<number[]>;
export type VqfLiveState = VqfStateOf<Float64Array>;

export function createVqfLiveState(): VqfLiveState {
  return {
    gyrQuat: Float64Array.of(1, 0, 0, 0),
    accQuat: Float64Array.of(1, 0, 0, 0),
    deltaRad: 0,
    lastAccLp: new Float64Array(3),
    accLpState: new Float64Array(lowPassStateLength(3)),
    kMagInit: 1,
    lastMagDisAngleRad: 0,
    lastMagGain: 0,
    lastGyrRadS: new Float64Array(3),
    lastGyrDtS: 0,
    magUsed: false,
    magSkip: 0,
    accRejected: false,
    bias: createBiasState(),
    rest: createRestState(),
    magDist: createMagDistState(),
    coeffTsS: new Float64Array(3),
    avgTsS: new Float64Array(3),
    samplesSeen: new Float64Array(3),
    pendingAccS: 0,
    pendingMagS: 0,
    lastBlockTS: 0,
    blockStarted: false,
    report: new Float64Array(6),
  };
}

/** Thrown by `setState` for a state of the wrong shape or with non-finite numbers. */
export class VqfStateError extends TypeError {
  override readonly name = 'VqfStateError';
  constructor(path: string, problem: string) {
    super(`VQF state ${path}: ${problem}`);
  }
}

/** Deep copy of the live state as plain data (`number[]`). */
export function toPlainState(live: VqfLiveState): VqfState {
  return plainCopy(live) as VqfState;
}

function plainCopy(v: unknown): unknown {
  if (v instanceof Float64Array) return Array.from(v);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plainCopy(x);
    return out;
  }
  return v;
}

/**
 * Copy plain `state` into `live` after checking that it has exactly the live shape (same keys,
 * array lengths and types) and only finite numbers.
 * Nothing is changed when a check fails.
 */
export function loadPlainState(live: VqfLiveState, state: VqfState): void {
  check(live, state, 'state');
  assign(live, state);
}

function check(live: unknown, plain: unknown, path: string): void {
  if (live instanceof Float64Array) {
    if (!Array.isArray(plain) && !(plain instanceof Float64Array)) throw new VqfStateError(path, 'must be an array');
    const arr = plain as ArrayLike<unknown>;
    if (arr.length !== live.length) throw new VqfStateError(path, `must have length ${live.length}, got ${arr.length}`);
    for (let i = 0; i < arr.length; i++) {
      if (typeof arr[i] !== 'number' || !Number.isFinite(arr[i] as number)) throw new VqfStateError(`${path}[${i}]`, `must be a finite number, got ${String(arr[i])}`);
    }
    return;
  }
  if (typeof live === 'object' && live !== null) {
    if (typeof plain !== 'object' || plain === null) throw new VqfStateError(path, 'must be an object');
    for (const k of Object.keys(live)) {
      if (!(k in plain)) throw new VqfStateError(`${path}.${k}`, 'is missing');
      check((live as Record<string, unknown>)[k], (plain as Record<string, unknown>)[k], `${path}.${k}`);
    }
    return;
  }
  const v = plain;
  if (typeof live === 'boolean') {
    if (typeof v !== 'boolean') throw new VqfStateError(path, `must be a boolean, got ${String(v)}`);
    return;
  }
  if (typeof v !== 'number') throw new VqfStateError(path, `must be a number, got ${String(v)}`);
  if (!Number.isFinite(v)) throw new VqfStateError(path, `must be finite, got ${v}`);
}

function assign(live: Record<string, unknown> | VqfLiveState, plain: unknown): void {
  const l = live as Record<string, unknown>;
  const p = plain as Record<string, unknown>;
  for (const k of Object.keys(l)) {
    const cur = l[k];
    if (cur instanceof Float64Array) cur.set(p[k] as ArrayLike<number>);
    else if (typeof cur === 'object' && cur !== null) assign(cur as Record<string, unknown>, p[k]);
    else l[k] = p[k];
  }
}
