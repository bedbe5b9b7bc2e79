import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refineRepWindow } from '../../src/quality/window';
import { simSession } from './helpers';

const DEG = Math.PI / 180;

describe('refineRepWindow', () => {
  const { signal, reps } = simSession({ reps: 3, startS: 2, amplitudeRad: 50 * DEG, riseS: 1.5, holdS: 2, restS: 1 }, { rateHz: 50, noiseDeg: 0.2 });

  it('only ever widens a window, by at most maxExtendS per side, and leaves a window at rest alone', () => {
    const r = reps[1]!;
    fc.assert(
      fc.property(fc.double({ min: -0.8, max: 1.2, noNaN: true }), fc.double({ min: -0.8, max: 1.2, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), (ds, de, ext) => {
        const a = r.startS + ds, b = r.endS - de;
        const w = refineRepWindow(signal, a, b, 1, { maxExtendS: ext });
        expect(w.startS).toBeLessThanOrEqual(a + 1e-9);
        expect(w.endS).toBeGreaterThanOrEqual(b - 1e-9);
        expect(a - w.startS).toBeLessThanOrEqual(ext + 0.02 + 1e-9);
        expect(w.endS - b).toBeLessThanOrEqual(ext + 0.02 + 1e-9);
        // Never reaches into the neighbouring reps.
        expect(w.startS).toBeGreaterThan(reps[0]!.holdEndS);
        expect(w.endS).toBeLessThan(reps[2]!.peakS);
      }),
      { numRuns: 60 },
    );
    const atRest = refineRepWindow(signal, r.startS - 0.3, r.endS + 0.3, 1);
    expect(atRest).toEqual({ startS: r.startS - 0.3, endS: r.endS + 0.3 });
  });

  it('a window cut mid-rise and mid-return is extended back to rest', () => {
    const r = reps[1]!;
    const w = refineRepWindow(signal, r.startS + 0.9, r.endS - 0.9, 1);
    expect(Math.abs(w.startS - r.startS)).toBeLessThan(0.4);
    expect(Math.abs(w.endS - r.endS)).toBeLessThan(0.4);
  });
});
