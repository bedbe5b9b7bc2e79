import { describe, expect, it } from 'vitest';
import { allRepMetrics, compensationDeg, repMetrics } from '../../src/quality/metrics';
import { QualityInputError } from '../../src/quality/errors';
import { simSession } from './helpers';

const DEG = Math.PI / 180;
const LDLJ_MIN_JERK = -Math.log(720 / 1.875 ** 2);

describe('repMetrics against simulator truth', () => {
  const cases = [
    { what: 'clean, 100 Hz', rateHz: 100, noiseDeg: 0 },
    { what: 'clean, 25 Hz', rateHz: 25, noiseDeg: 0 },
    { what: 'noisy (0.3° white), 100 Hz', rateHz: 100, noiseDeg: 0.3 },
  ];
  for (const c of cases) {
    it(`${c.what}: ROM within 1°, phases within 0.1–0.2 s, velocities and smoothness as analytic`, () => {
      const { signal, seq, reps } = simSession(
        { reps: 6, startS: 1, amplitudeRad: 60 * DEG, riseS: 1.5, holdS: 3, restS: 1, amplitudeVariation: 0.1, tempoVariation: 0.15, seed: 3 },
        { rateHz: c.rateHz, noiseDeg: c.noiseDeg },
      );
      const m = allRepMetrics(signal, reps);
      seq.reps.forEach((truth, i) => {
        const x = m[i]!;
        const rom = truth.amplitudeRad / DEG;
        const riseS = truth.peakS - truth.startS;
        expect(Math.abs(x.romDeg - rom)).toBeLessThan(1);
        expect(Math.abs(x.peakDeg - rom)).toBeLessThan(1);
        // The end of a minimum-jerk move is slow: the hold starts once speed < 3 % of peak, ≈ 0.07 s early.
        const phaseTolS = c.noiseDeg > 0 ? 0.15 : 0.1;
        expect(Math.abs(x.concentricS - riseS)).toBeLessThan(phaseTolS);
        expect(x.timeToPeakS).toBe(x.concentricS);
        expect(Math.abs(x.eccentricS - (truth.endS - truth.holdEndS))).toBeLessThan(phaseTolS);
        expect(Math.abs(x.holdS - (truth.holdEndS - truth.peakS))).toBeLessThan(0.2);
        expect(x.durationS).toBeCloseTo(truth.endS - truth.startS, 9);
        // Minimum jerk: peak speed 1.875·ROM/T, mean speed ROM/T.
        expect(x.peakVelocityDegS / ((1.875 * rom) / riseS)).toBeGreaterThan(0.95);
        expect(x.peakVelocityDegS / ((1.875 * rom) / riseS)).toBeLessThan(c.noiseDeg > 0 ? 1.1 : 1.05);
        expect(x.meanVelocityDegS / (rom / riseS)).toBeGreaterThan(0.95);
        expect(x.meanVelocityDegS / (rom / riseS)).toBeLessThan(1.12);
        expect(Math.abs(x.sparc - -1.4)).toBeLessThan(c.noiseDeg > 0 ? 0.3 : 0.1);
        // LDLJ (third derivative) is known to be noise-sensitive; only checked on clean data.
        if (c.noiseDeg === 0) expect(Math.abs(x.logDimensionlessJerk - LDLJ_MIN_JERK)).toBeLessThan(0.6);
        expect(x.consistency).toBeGreaterThan(20);
        expect(x.consistency).toBeLessThanOrEqual(100);
        expect(x.compensationDeg).toBeNaN();
      });
    });
  }

  it('a downward rep: positive ROM, negative peak', () => {
    const { signal, reps } = simSession({ reps: 2, startS: 1, restRad: 10 * DEG, amplitudeRad: -40 * DEG, riseS: 1, holdS: 1, restS: 1 });
    const m = repMetrics(signal, reps[0]!);
    expect(m.romDeg).toBeCloseTo(40, 0);
    expect(m.peakDeg).toBeCloseTo(-30, 0);
    // Direction found from the data when the rep does not say.
    const { direction: _d, ...noDir } = reps[1]!;
    expect(repMetrics(signal, noDir).romDeg).toBeCloseTo(40, 0);
  });

  it('loose boundaries (0.5 s of rest either side) keep ROM and hold; durations follow the window', () => {
    const { signal, reps, seq } = simSession({ reps: 2, startS: 2, amplitudeRad: 50 * DEG, riseS: 1.2, holdS: 2, restS: 2 });
    const r = reps[0]!;
    const m = repMetrics(signal, { startS: r.startS - 0.5, endS: r.endS + 0.5 });
    expect(Math.abs(m.romDeg - 50)).toBeLessThan(0.5);
    expect(Math.abs(m.holdS - (seq.reps[0]!.holdEndS - seq.reps[0]!.peakS))).toBeLessThan(0.2);
    expect(Math.abs(m.concentricS - (1.2 + 0.5))).toBeLessThan(0.1);
  });

  it('consistency: equal reps ≈ 100, a partial rep is the outlier', () => {
    const { signal, reps } = simSession({ reps: 6, startS: 1, amplitudeRad: 60 * DEG, riseS: 1.5, holdS: 2, restS: 1, partialReps: [4] });
    const m = allRepMetrics(signal, reps);
    for (const i of [0, 1, 2, 3, 5]) expect(m[i]!.consistency).toBeGreaterThan(99);
    expect(m[4]!.consistency).toBeLessThan(15);
    // Without a reference consistency is not defined.
    expect(repMetrics(signal, reps[0]!).consistency).toBeNaN();
  });

  it('compensation: range of the second signal during the rep', () => {
    const { signal, reps } = simSession({ reps: 2, startS: 1, amplitudeRad: 60 * DEG, riseS: 1.5, holdS: 2, restS: 1 });
    const trunk = { tS: signal.tS, angleDeg: signal.tS.map((t) => 4 * Math.sin(2 * Math.PI * 0.3 * t)), name: 'trunk lean' };
    const r = reps[0]!;
    const m = repMetrics(signal, r, { compensation: trunk });
    expect(m.compensationDeg).toBeCloseTo(compensationDeg(trunk, r.startS, r.endS), 12);
    expect(m.compensationDeg).toBeGreaterThan(7);
    expect(m.compensationDeg).toBeLessThanOrEqual(8);
  });

  it('a gap inside the rep: ROM and phases still measured, smoothness NaN', () => {
    const { signal, reps } = simSession({ reps: 1, startS: 1, amplitudeRad: 60 * DEG, riseS: 1.5, holdS: 2, restS: 1 });
    const a = Float64Array.from(signal.angleDeg);
    for (let i = 300; i < 320; i++) a[i] = NaN; // inside the hold (t = 3.0–3.2 s)
    const m = repMetrics({ ...signal, angleDeg: a }, reps[0]!);
    expect(m.romDeg).toBeCloseTo(60, 0);
    expect(m.sparc).toBeNaN();
    expect(m.logDimensionlessJerk).toBeNaN();
    expect(Number.isFinite(m.peakVelocityDegS)).toBe(true);
  });

  it('a rep outside the signal or shorter than two samples is a QualityInputError', () => {
    const { signal } = simSession({ reps: 1, startS: 1, amplitudeRad: 60 * DEG, riseS: 1.5 });
    expect(() => repMetrics(signal, { startS: 100, endS: 105 })).toThrow(QualityInputError);
    expect(() => repMetrics(signal, { startS: 2, endS: 2 })).toThrow(/not a time interval/);
    expect(() => repMetrics({ ...signal, tS: new Float64Array([0]), angleDeg: new Float64Array([0]) }, { startS: 0, endS: 1 })).toThrow(/at least 2/);
  });
});
