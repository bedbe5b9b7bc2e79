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
      // Proximal samples (time, quat, break-before) and pending distal ones, as growing arrays with a head.
      let pT: number[] = [], pQ: number[] = [], pBreak: boolean[] = [], pHead = 0;
      let dT: number[] = [], dQ: number[] = [], dHead = 0;
      let pMaxGapS = Infinity;
      const qp = quat.create(), qa = quat.create(), qb = quat.create(), qd = quat.create();
      const out = new Float64Array(3);

      const proximalAt = (t: number): boolean => {
        // Advance to the last proximal sample at or before t.
        while (pHead + 1 < pT.length && pT[pHead + 1]! <= t) pHead++;
        const t0 = pT[pHead]!;
        if (t0 === t) {
          quat.readAt(qp, pQ, pHead);
          return true;
        }
        if (!(t0 < t) || pHead + 1 >= pT.length) return false;
        const t1 = pT[pHead + 1]!;
        if (pBreak[pHead + 1] || t1 - t0 > pMaxGapS) return false;
        quat.readAt(qa, pQ, pHead);
        quat.readAt(qb, pQ, pHead + 1);
        quat.slerp(qp, qa, qb, (t - t0) / (t1 - t0));
        return true;
      };

      const drain = (final: boolean): void => {
        const ts: number[] = [], all: number[] = [];
        const lastD = dT.length > 0 ? dT[dT.length - 1]! : -Infinity;
        while (dHead < dT.length) {
          const t = dT[dHead]!;
          const covered = pT.length > 0 && pT[pT.length - 1]! >= t;
          if (!covered && !final && lastD - t < maxWaitS) break;
          let ok = covered && pT[0]! <= t && proximalAt(t);
          if (ok) {
            quat.readAt(qd, dQ, dHead);
            stage.update(qp, qd, out);
            ok = Number.isFinite(out[0]!);
          }
          ts.push(t);
          if (ok) all.push(out[0]! * DEG, out[1]! * DEG, out[2]! * DEG);
          else all.push(NaN, NaN, NaN);
          dHead++;
        }
        // Keep one proximal sample before the next distal time (for interpolation).
        if (pHead > 4096 && pHead * 2 > pT.length) {
          pT = pT.slice(pHead);
          pQ = pQ.slice(4 * pHead);
          pBreak = pBreak.slice(pHead);
          pHead = 0;
        }
        if (dHead > 4096 && dHead * 2 > dT.length) {
          dT = dT.slice(dHead);
          dQ = dQ.slice(4 * dHead);
          dHead = 0;
        }
        if (ts.length === 0) return;
        const allDeg = Float64Array.from(all);
        const angleDeg = new Float64Array(ts.length);
        for (let i = 0; i < ts.length; i++) angleDeg[i] = allDeg[3 * i + dof]!;
        subscriber.next({ name, tS: Float64Array.from(ts), angleDeg, sensorIds: [joint.proximal, joint.distal], allDeg, dofNames });
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
              if (pT.length > 0 && !(t > pT[pT.length - 1]!)) continue; // not increasing: cannot interpolate over it
              pT.push(t);
              pBreak.push(i === 0 && (b.gapBeforeS ?? 0) > 0);
              for (let k = 0; k < 4; k++) pQ.push(b.quat[4 * i + k]!);
            }
          } else {
            for (let i = 0; i < n; i++) {
              dT.push(b.tS[i]!);
              for (let k = 0; k < 4; k++) dQ.push(b.quat[4 * i + k]!);
            }
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
