import { describe, expect, it } from 'vitest';
import { estimateOrientationOffline } from '../../src/fusion/offline';
import { kneeFlexionScenario } from '../../src/sim/scenarios';
import { simulate } from '../../src/sim/simulate';
import { jointAnglesOverRecording } from '../../src/kinematics/jointAngleStage';
import { romSummary } from '../../src/kinematics/romSummary';

const DEG = Math.PI / 180;

/**
 * Consumer-grade sensor errors, orientation from offline VQF, KNOWN mounts (no calibration step):
 * checks that the angle stage adds nothing to the fusion error. 6D (mag-free) works here only
 * because both sensors start in the same straight-leg pose with near-identical mounts, so their
 * arbitrary 6D headings agree; in general a heading alignment stage is needed.
 */
describe('JointAngleStage with consumer-grade sensor errors (VQF, known mounts)', () => {
  for (const magEnabled of [true, false]) {
    for (const side of ['right', 'left'] as const) {
      it(`${side} knee, ${magEnabled ? '9D' : '6D'}: flexion RMSE ≤ 2°, ROM error ≤ 2°`, () => {
        const sc = kneeFlexionScenario({ side, reps: 4, noise: 'consumer', mountErrorDeg: 10, seed: 4 });
        const r = simulate(sc, { rateHz: 100 });
        const b0 = r.blocks['thigh']!;
        const b1 = r.blocks['shank']!;
        expect(b0.length).toBe(1);
        expect(b1.length).toBe(1);
        const q0 = estimateOrientationOffline(b0[0]!, { magEnabled });
        const q1 = estimateOrientationOffline(b1[0]!, { magEnabled });
        const res = jointAnglesOverRecording(q0, q1, {
          joint: 'knee',
          side,
          proximal: { qSegSensor: sc.sensors[0]!.orientation! },
          distal: { qSegSensor: sc.sensors[1]!.orientation! },
        });
        const truth = r.truth.joints['knee']!.anglesRad['flexion']!;
        expect(res.anglesRad.length).toBe(3 * truth.length);
        let se = 0;
        for (let i = 0; i < truth.length; i++) se += (res.anglesRad[3 * i]! - truth[i]!) ** 2;
        expect(Math.sqrt(se / truth.length) / DEG).toBeLessThan(2);
        const flexDeg = Float64Array.from({ length: truth.length }, (_, i) => res.anglesRad[3 * i]! / DEG);
        const truthDeg = Float64Array.from(truth, (v) => v / DEG);
        const s = romSummary(r.truth.tS, flexDeg);
        const t = romSummary(r.truth.tS, truthDeg);
        expect(Math.abs(s.rangeDeg - t.rangeDeg)).toBeLessThan(2);
        expect(Math.abs(s.maxDeg - t.maxDeg)).toBeLessThan(2);
      });
    }
  }
});
