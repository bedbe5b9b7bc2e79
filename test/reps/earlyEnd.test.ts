/**
 * The early rep event (RepCore EARLY): a rep is emitted as soon as the lead-compensated signal
 * has stopped near rest, with its end placed as precisely as the slow path's, and without
 * changing which reps there are (the state machine still completes each rep its own way).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countRepsOffline } from '../../src/reps/offline';
import type { Rep } from '../../src/reps/rep';
import { RepSegmenter } from '../../src/reps/segmenter';
import type { RepSegmenterParams } from '../../src/reps/segmenterParams';
import type { RepSequenceParams } from '../../src/sim/reps';
import { simSignal, type SimSignalOptions } from './helpers';

const DEG = Math.PI / 180;

function stream(tS: ArrayLike<number>, angleDeg: ArrayLike<number>, params: Partial<RepSegmenterParams> = {}): Rep[] {
  const seg = new RepSegmenter(params);
  const out = [...seg.pushBlock(tS, angleDeg)];
  const last = seg.finish();
  if (last) out.push(last);
  return out;
}

/** No early event: the confirmation never comes (every rep takes the slow path). */
const SLOW_ONLY: Partial<RepSegmenterParams> = { confirmS: 1e9 };

const base: RepSequenceParams = { reps: 6, sets: 2, startS: 2, amplitudeRad: 70 * DEG, riseS: 1.5, holdS: 3, restS: 1, setRestS: 12 };
const CASES: [string, RepSequenceParams, SimSignalOptions][] = [
  ['clean', base, {}],
  ['noise 0.5°, drift, tempo and amplitude variation', { ...base, holdS: 5, amplitudeVariation: 0.1, tempoVariation: 0.1, seed: 3 }, { noiseDeg: 0.5, driftDegS: 0.1 }],
  ['fast small reps at 25 Hz', { ...base, riseS: 0.6, amplitudeRad: 30 * DEG }, { noiseDeg: 0.3, rateHz: 25 }],
];

describe('early rep event', () => {
  for (const [name, p, o] of CASES) {
    it(`${name}: every rep ends at rest and is emitted ~0.1 s after its end; ends as close to the truth as the slow path's`, () => {
      const { signal, seq } = simSignal(p, o);
      const live = stream(signal.tS, signal.angleDeg);
      const slow = stream(signal.tS, signal.angleDeg, SLOW_ONLY);
      expect(live).toHaveLength(seq.reps.length);
      const errS: number[] = [], slowErrS: number[] = [], latS: number[] = [], afterTruthS: number[] = [];
      live.forEach((r, i) => {
        const truth = seq.reps[i]!;
        expect(r.endedBy, `rep ${i}`).toBe('rest');
        expect(r.emittedS).toBeCloseTo(r.endS + r.latencyS, 9);
        expect(r.latencyS, `rep ${i}`).toBeLessThan(0.3);
        // The slow path waits ≥ 0.25 s after its end (smoothing delay + settleS).
        expect(slow[i]!.latencyS, `rep ${i} slow`).toBeGreaterThan(0.25);
        expect(Math.abs(r.endS - truth.endS), `rep ${i} end ${r.endS} vs ${truth.endS}`).toBeLessThan(0.2);
        errS.push(Math.abs(r.endS - truth.endS));
        slowErrS.push(Math.abs(slow[i]!.endS - truth.endS));
        latS.push(r.latencyS);
        afterTruthS.push(r.emittedS! - truth.endS);
      });
      const median = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1]!;
      const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
      expect(median(latS)).toBeLessThanOrEqual(0.15);
      expect(median(afterTruthS)).toBeLessThanOrEqual(0.15);
      // End error vs the simulator's truth, on average within 0.05 s of the slow path's (both sit
      // ~0.1 s before the true end: the minimum-jerk return creeps its last 1 % for 0.1 × its
      // duration, and "back at rest" is within 1 % of the ROM).
      expect(mean(errS)).toBeLessThan(mean(slowErrS) + 0.05);
    });
  }

  it('changes nothing but the end and the emission: same reps, sets, partials, starts, peaks and ROM as without it (any sequence)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 8, max: 150, noNaN: true }),
        fc.constantFrom(1, -1),
        fc.double({ min: 0.4, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 6, noNaN: true }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        fc.constantFrom(25, 50, 100),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (reps, ampDeg, sign, riseS, holdS, restS, rateHz, noiseDeg) => {
          const p = { reps, sets: 2, setRestS: 8, startS: 1, amplitudeRad: sign * ampDeg * DEG, riseS, holdS, restS, partialReps: [1], partialFraction: 0.4 };
          const { signal } = simSignal(p, { rateHz, noiseDeg });
          const live = stream(signal.tS, signal.angleDeg);
          const slow = stream(signal.tS, signal.angleDeg, SLOW_ONLY);
          const key = (r: Rep) => [r.index, r.set, r.partial, r.startS, r.peakS, r.holdEndS, r.romDeg, r.direction];
          expect(live.map(key)).toEqual(slow.map(key));
          for (let i = 0; i < live.length; i++) expect(live[i]!.emittedS!).toBeLessThanOrEqual(slow[i]!.emittedS!);
          // Offline: the same count either way, and no emission time.
          const off = countRepsOffline(signal);
          expect(off.count).toBe(countRepsOffline(signal, SLOW_ONLY).count);
          expect(off.reps.every((r) => r.emittedS === undefined)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a recording that ends right after a rep was reported early: finish() does not report it again', () => {
    const { signal, seq } = simSignal({ ...base, reps: 3, sets: 1 }, { noiseDeg: 0.2 });
    const cut = signal.tS.findIndex((t) => t > seq.reps[2]!.endS + 0.2);
    const seg = new RepSegmenter();
    const live = [...seg.pushBlock(signal.tS.subarray(0, cut), signal.angleDeg.subarray(0, cut))];
    expect(live).toHaveLength(3);
    expect(live[2]!.endedBy).toBe('rest');
    expect(seg.finish()).toBeUndefined();
    expect(seg.state.phase).toBe('rest');
    // Without the early event the last rep comes from finish().
    const slow = new RepSegmenter(SLOW_ONLY);
    expect(slow.pushBlock(signal.tS.subarray(0, cut), signal.angleDeg.subarray(0, cut))).toHaveLength(2);
    expect(slow.finish()?.endedBy).toBe('end');
  });

  it('bad confirmation parameters are rejected', () => {
    expect(() => new RepSegmenter({ confirmS: 0 })).toThrow(RangeError);
    expect(() => new RepSegmenter({ confirmBandFraction: 1.5 })).toThrow(RangeError);
  });
});
