/** The rotation-centre fit recovers the radius of a synthetic rotation about a fixed joint. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newRigidFit, rigidFit } from '../../src/ml/rigid';
import { SAMPLE_CHANNELS } from '../../src/ml/windows';
import type { Resampled } from '../../src/ml/windows';

const G = 9.81;

/**
 * A sensor `radiusM` from a hinge turning about the sensor's z axis, θ(t) = A·sin(2πft):
 * linear acc (−rθ'², rθ'', 0), gravity carried round with the segment (up starts along y,
 * tilted by `tiltRad` towards z so it is not in the rotation plane only).
 */
function hinge(radiusM: number, ampRad: number, freqHz: number, tiltRad: number, rateHz = 25, seconds = 4): Resampled {
  const n = Math.round(seconds * rateHz);
  const x = new Float32Array(n * SAMPLE_CHANNELS);
  const w = 2 * Math.PI * freqHz;
  const c = Math.cos(tiltRad), s = Math.sin(tiltRad);
  for (let i = 0; i < n; i++) {
    const t = i / rateHz;
    const th = ampRad * Math.sin(w * t), thd = ampRad * w * Math.cos(w * t), thdd = -ampRad * w * w * Math.sin(w * t);
    const o = i * SAMPLE_CHANNELS;
    x[o] = (-radiusM * thd * thd) / G + c * Math.sin(th);
    x[o + 1] = (radiusM * thdd) / G + c * Math.cos(th);
    x[o + 2] = s;
    x[o + 5] = thd / 2;
    x[o + 6] = Math.abs(thd) / 2;
  }
  return { t0S: 0, rateHz, n, x };
}

describe('rigidFit', () => {
  it('recovers the radius of a hinge rotation (0.1–0.8 m) within 5 %, with a small residual', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 0.8, noNaN: true }), fc.double({ min: 0.6, max: 1.4, noNaN: true }), fc.double({ min: 0.3, max: 0.6, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true }), (r, amp, f, tilt) => {
        const fit = rigidFit(hinge(r, amp, f, tilt), 0, 100, newRigidFit());
        expect(Math.abs(fit.radiusM - r) / r).toBeLessThan(0.05);
        expect(fit.residualG).toBeLessThan(0.03);
        expect(Math.abs(fit.dir[0]!)).toBeGreaterThan(0.99); // the centre lies along x
      }),
      { numRuns: 40, seed: 3 },
    );
  });
  it('gives radius ≈ 0 when nothing turns (the ridge), and handles a too-short span', () => {
    const still = hinge(0.4, 0, 0.5, 0.2);
    const fit = rigidFit(still, 0, 100, newRigidFit());
    expect(fit.radiusM).toBeLessThan(1e-6);
    expect(fit.residualG).toBeLessThan(1e-6);
    expect(rigidFit(still, 0, 2, newRigidFit()).radiusM).toBe(0);
  });
});
