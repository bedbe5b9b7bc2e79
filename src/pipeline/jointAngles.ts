/**
 * Joint angles live, from two sensors' orientations (blocks with `quat`, e.g. after
 * `fuseOrientation`), synchronised onto one clock as they stream: each distal sample gets the
 * proximal orientation SLERPed to its time from the two proximal samples around it — the
 * streaming equivalent of `alignBlocks` onto the distal sensor's times. Never across a gap
 * (`gapBeforeS`, or a proximal interval > `gapFactor` × its period) and never extrapolated:
 * there the angle is NaN. A distal sample waits until proximal data has passed its time, at
 * most `maxWaitS`; after that (proximal sensor silent) it is emitted as NaN, so memory stays
 * bounded and no distal sample is dropped. Then {@link JointAngleStage} (calibration applied,
 * angles unwrapped, clinical signs).
 */
import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { Side } from '../kinematics/body';
import { JointAngleStage } from '../kinematics/jointAngleStage';
import type { SensorCalibration } from '../kinematics/jointAngleStage';
import { jointDef } from '../kinematics/joints';
import type { JointName } from '../kinematics/joints';
import * as quat from '../math/quat';
import type { SampleBlock } from '../samples/block';
import { PipelineParamError } from './errors';
import type { AngleChunk } from './signal';

export interface JointSpec {
  joint: JointName;
  /** Default 'right'. */
  side?: Side;
  /** Sensor id on the proximal segment (e.g. `thigh`) and on the distal one (e.g. `shank`). */
  proximal: string;
  distal: string;
}

export interface JointCalibration {
  proximal: SensorCalibration;
  distal: SensorCalibration;
}

export interface JointAnglesOptions {
  /** Which angle (0, 1, 2 in the joint's DoF order) is the chunk's `angleDeg`. Default 0 (e.g. knee flexion). */
  dof?: 0 | 1 | 2;
  /** A proximal interval longer than gapFactor × its nominal period is a gap. Default 1.5. */
  gapFactor?: number;
  /** Longest a distal sample waits for proximal data, s (session time of the distal stream). Default 1. */
  maxWaitS?: number;
}

/** An {@link AngleChunk} with all three angles. */
export interface JointAngleChunk extends AngleChunk {
  /** The three clinical angles per sample, deg, interleaved (3n), in the joint's DoF order. */
  readonly allDeg: Float64Array;
  readonly dofNames: readonly [string, string, string];
}

const DEG = 180 / Math.PI;

export function jointAngles(joint: JointSpec, calibration: JointCalibration, options: JointAnglesOptions = {}): OperatorFunction<SampleBlock, JointAngleChunk> {
  const def = jointDef(joint.joint);
  const dof = options.dof ?? 0;
  const gapFactor = options.gapFactor ?? 1.5;
  const maxWaitS = options.maxWaitS ?? 1;
  if (!(gapFactor >= 1)) throw new PipelineParamError('gapFactor', gapFactor, 'a factor ≥ 1');
  if (!(maxWaitS >= 0)) throw new PipelineParamError('maxWaitS', maxWaitS, 'a wait ≥ 0 s');
  const dofNames = [def.dofs[0].name, def.dofs[1].name, def.dofs[2].name] as const;
  const name = `${joint.joint} ${def.dofs[dof].name}`;
  return (source) =>
    new Observable<JointAngleChunk>((subscriber) => {
      const stage = new JointAngleStage({ joint: joint.joint, side: joint.side ?? 'right', proximal: calibration.proximal, distal: calibration.distal });
      // Proximal samples (time, quat, break-before) and pending distal ones, in typed buffers with a
      // read head: appends reuse the buffers (grown by doubling), so no JS array grows per sample.
      const prox = new SampleQueue(true), dist = new SampleQueue(false);
      let pHead = 0;
      let pMaxGapS = Infinity;
      const qp = quat.create(), qa = quat.create(), qb = quat.create(), qd = quat.create();
      const out = new Float64Array(3);
      // Scratch for one output chunk; the chunk's own arrays are copies of its used part.
      let outT = new Float64Array(64), outAll = new Float64Array(3 * 64);

      const proximalAt = (t: number): boolean => {
        const pT = prox.t, pLen = prox.length;
        // Advance to the last proximal sample at or before t.
        while (pHead + 1 < pLen && pT[pHead + 1]! <= t) pHead++;
        const t0 = pT[pHead]!;
        if (t0 === t) {
          quat.readAt(qp, prox.q, pHead);
          return true;
        }
        if (!(t0 < t) || pHead + 1 >= pLen) return false;
        const t1 = pT[pHead + 1]!;
        if (prox.brk![pHead + 1] || t1 - t0 > pMaxGapS) return false;
        quat.readAt(qa, prox.q, pHead);
        quat.readAt(qb, prox.q, pHead + 1);
        quat.slerp(qp, qa, qb, (t - t0) / (t1 - t0));
        return true;
      };

      const drain = (final: boolean): void => {
        const dT = dist.t, dLen = dist.length;
        const pending = dLen - dist.head;
        if (pending > outT.length) {
          const cap = Math.max(pending, 2 * outT.length);
          outT = new Float64Array(cap);
          outAll = new Float64Array(3 * cap);
        }
        let k = 0;
        const lastD = dLen > 0 ? dT[dLen - 1]! : -Infinity;
        const pLast = prox.length > 0 ? prox.t[prox.length - 1]! : -Infinity;
        while (dist.head < dLen) {
          const t = dT[dist.head]!;
          const covered = prox.length > 0 && pLast >= t;
          if (!covered && !final && lastD - t < maxWaitS) break;
          let ok = covered && prox.t[0]! <= t && proximalAt(t);
          if (ok) {
            quat.readAt(qd, dist.q, dist.head);
            stage.update(qp, qd, out);
            ok = Number.isFinite(out[0]!);
          }
          outT[k] = t;
          if (ok) {
            outAll[3 * k] = out[0]! * DEG;
            outAll[3 * k + 1] = out[1]! * DEG;
            outAll[3 * k + 2] = out[2]! * DEG;
          } else outAll.fill(NaN, 3 * k, 3 * k + 3);
          k++;
          dist.head++;
        }
        // Keep one proximal sample before the next distal time (for interpolation).
        if (pHead > 4096 && pHead * 2 > prox.length) {
          prox.dropBefore(pHead);
          pHead = 0;
        }
        if (dist.head > 4096 && dist.head * 2 > dist.length) dist.dropBefore(dist.head);
        if (k === 0) return;
        const allDeg = outAll.slice(0, 3 * k);
        const angleDeg = new Float64Array(k);
        for (let i = 0; i < k; i++) angleDeg[i] = allDeg[3 * i + dof]!;
        subscriber.next({ name, tS: outT.slice(0, k), angleDeg, sensorIds: [joint.proximal, joint.distal], allDeg, dofNames });
      };

      return source.subscribe({
        next(b) {
          const id = b.info.sensorId;
          if (id !== joint.proximal && id !== joint.distal) return;
          if (!b.quat) return;
          const n = b.tS.length;
          if (id === joint.proximal) {
            const rate = b.info.rateHz;
            if (rate !== undefined && rate > 0) pMaxGapS = gapFactor / rate;
            for (let i = 0; i < n; i++) {
              const t = b.tS[i]!;
              if (prox.length > 0 && !(t > prox.t[prox.length - 1]!)) continue; // not increasing: cannot interpolate over it
              prox.push(t, b.quat, i, i === 0 && (b.gapBeforeS ?? 0) > 0);
            }
          } else {
            for (let i = 0; i < n; i++) dist.push(b.tS[i]!, b.quat, i, false);
          }
          drain(false);
        },
        error: (e) => subscriber.error(e),
        complete() {
          drain(true);
          subscriber.complete();
        },
      });
    });
}

/** Samples (time, quaternion, optional break-before flag) in typed buffers: append at the end, consume from `head`. */
class SampleQueue {
  t = new Float64Array(256);
  q = new Float64Array(4 * 256);
  brk: Uint8Array | undefined;
  length = 0;
  head = 0;
  constructor(withBreaks: boolean) {
    if (withBreaks) this.brk = new Uint8Array(256);
  }
  push(tS: number, quats: Float64Array, i: number, brk: boolean): void {
    if (this.length === this.t.length) this.grow();
    const n = this.length;
    this.t[n] = tS;
    this.q[4 * n] = quats[4 * i]!;
    this.q[4 * n + 1] = quats[4 * i + 1]!;
    this.q[4 * n + 2] = quats[4 * i + 2]!;
    this.q[4 * n + 3] = quats[4 * i + 3]!;
    if (this.brk) this.brk[n] = brk ? 1 : 0;
    this.length = n + 1;
  }
  /** Forgets samples before index `i` (moves the rest to the front); `head` moves with them. */
  dropBefore(i: number): void {
    this.t.copyWithin(0, i, this.length);
    this.q.copyWithin(0, 4 * i, 4 * this.length);
    this.brk?.copyWithin(0, i, this.length);
    this.length -= i;
    this.head = Math.max(0, this.head - i);
  }
  private grow(): void {
    const cap = 2 * this.t.length;
    const t = new Float64Array(cap), q = new Float64Array(4 * cap);
    t.set(this.t);
    q.set(this.q);
    this.t = t;
    this.q = q;
    if (this.brk) {
      const b = new Uint8Array(cap);
      b.set(this.brk);
      this.brk = b;
    }
  }
}
