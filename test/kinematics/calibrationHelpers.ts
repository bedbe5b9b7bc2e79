/** Simulator set-ups shared by the calibration tests (composed from src/sim, not edited there). */
import * as quat from '../../src/math/quat';
import { Body } from '../../src/sim/body';
import { AxisSequenceOrientation } from '../../src/sim/pose';
import { kneeFlexionScenario, uprightOrientation, type KneeScenarioParams } from '../../src/sim/scenarios';
import type { Scenario } from '../../src/sim/simulate';
import { SinusoidTrajectory, SumTrajectory } from '../../src/sim/trajectory';

export const DEG = Math.PI / 180;

/**
 * Knee scenario whose thigh also swings (hip flexion, abduction, rotation as sinusoids), so
 * that both sensors rotate about varied directions and both hinge axes are observable. The
 * knee flexes 5°…95° sinusoidally. `uprightKnee: false` puts the knee axis (thigh −z) vertical.
 */
export function swingingKneeScenario(p: KneeScenarioParams & { hipAmplitudeDeg?: number; kneeAmplitudeDeg?: number; verticalAxis?: boolean; durationS?: number } = {}): Scenario {
  const base = kneeFlexionScenario(p);
  const hipA = (p.hipAmplitudeDeg ?? 25) * DEG;
  const kneeA = (p.kneeAmplitudeDeg ?? 45) * DEG;
  const orient = p.verticalAxis
    ? new AxisSequenceOrientation({
        // segment z (the knee axis) stays near vertical: small tilts, large rotation about z.
        axes: [[0, 0, 1], [1, 0, 0]],
        angles: [new SinusoidTrajectory({ amplitude: hipA, frequencyHz: 0.23 }), new SinusoidTrajectory({ amplitude: 3 * DEG, frequencyHz: 0.31 })],
        base: quat.create(),
      })
    : new AxisSequenceOrientation({
        axes: [[0, 0, 1], [1, 0, 0], [0, 1, 0]],
        angles: [
          new SinusoidTrajectory({ amplitude: hipA, frequencyHz: 0.23 }),
          new SinusoidTrajectory({ amplitude: 0.6 * hipA, frequencyHz: 0.37, phaseRad: 1 }),
          new SinusoidTrajectory({ amplitude: 0.6 * hipA, frequencyHz: 0.29, phaseRad: 2 }),
        ],
        base: uprightOrientation(p.facingDeg ?? 0),
      });
  const knee = new SumTrajectory([
    new SinusoidTrajectory({ amplitude: kneeA, frequencyHz: 0.5, offset: kneeA + 5 * DEG }),
  ]);
  const body = new Body([
    { name: 'thigh', orientation: orient, position: [0, 0, 0.9] },
    { name: 'shank', parent: 'thigh', jointName: 'knee', jointPositionM: [0, -0.42, 0], joint: { type: 'hinge', axis: [0, 0, -1], angle: knee, dofNames: ['flexion'] } },
  ]);
  return { ...base, body, reps: [], durationS: p.durationS ?? 30 };
}

/** Knee axis in each sensor's frame: j_S = q_seg,S* · (0, 0, −1) · q_seg,S. */
export function trueKneeAxes(sc: Scenario): [Float64Array, Float64Array] {
  const a = [0, 0, -1];
  return [quat.rotateInverse(new Float64Array(3), sc.sensors[0]!.orientation!, a), quat.rotateInverse(new Float64Array(3), sc.sensors[1]!.orientation!, a)];
}

export function axisErrDeg(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = (a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!) / Math.hypot(a[0]!, a[1]!, a[2]!) / Math.hypot(b[0]!, b[1]!, b[2]!);
  return Math.acos(Math.min(1, Math.abs(d))) / DEG;
}
