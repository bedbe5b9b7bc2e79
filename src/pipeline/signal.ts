/**
 * The 1-D movement signal as it streams: chunks of (time, angle) samples, and the rep stream
 * built on it. `segmentReps` passes the chunks through (later operators such as `scoreReps`
 * need the signal) and adds rep events; filter on `type` to keep what you need.
 */
import type { ScoredRep } from '../quality/types';
import type { Rep } from '../reps/rep';

/** A run of movement-signal samples. NaN angles are missing samples (gaps). */
export interface AngleChunk {
  /** What the angle is, e.g. 'dominant rotation (sensor shank)', 'knee flexion' (as the batch signals name it). */
  readonly name: string;
  /** s since session start, increasing across chunks of one stream. */
  readonly tS: Float64Array;
  readonly angleDeg: Float64Array;
  /** Source sensor(s). */
  readonly sensorIds: readonly string[];
}

export interface AnglesEvent {
  readonly type: 'angles';
  readonly chunk: AngleChunk;
}
/** A rep, emitted once, when it is complete (`rep.latencyS` after its end). */
export interface RepEvent {
  readonly type: 'rep';
  readonly rep: Rep;
}
/** The quality of a rep just completed (see `scoreReps`). */
export interface ScoredRepEvent {
  readonly type: 'scored';
  readonly scored: ScoredRep;
}

export type RepStreamEvent = AnglesEvent | RepEvent | ScoredRepEvent;

/** Accumulates samples into a chunk (plain arrays while filling; typed arrays out). */
export class ChunkBuilder {
  private t: number[] = [];
  private a: number[] = [];
  constructor(
    readonly name: string,
    readonly sensorIds: readonly string[],
  ) {}
  push(tS: number, angleDeg: number): void {
    this.t.push(tS);
    this.a.push(angleDeg);
  }
  get length(): number {
    return this.t.length;
  }
  /** The chunk so far (null when empty), and start a new one. */
  take(): AngleChunk | null {
    if (this.t.length === 0) return null;
    const chunk: AngleChunk = { name: this.name, tS: Float64Array.from(this.t), angleDeg: Float64Array.from(this.a), sensorIds: this.sensorIds };
    this.t = [];
    this.a = [];
    return chunk;
  }
}
