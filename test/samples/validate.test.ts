import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAT_ACC, SAT_GYR, SAT_MAG, concatBlocks, sliceBlock, type SampleBlock } from '../../src/samples/block';
import { blockFromArrays } from '../../src/samples/construct';
import { BlockShapeError, SampleParameterError, SensorMismatchError } from '../../src/samples/errors';
import { STANDARD_GRAVITY_MS2 } from '../../src/samples/units';
import { BlockValidator, REFERENCE_INTERVALS, validateBlock } from '../../src/samples/validate';
import { makeBlock, timesWithout } from './helpers';

describe('validateBlock: clean data', () => {
  it('reports a clean 100 Hz block as ok, with its rate and span', () => {
    const r = validateBlock(makeBlock(500, 100, { mag: true, quat: true }));
    expect(r.ok).toBe(true);
    expect(r.sensorId).toBe('thigh');
    expect(r.samples).toBe(500);
    expect(r.startS).toBe(0);
    expect(r.endS).toBeCloseTo(4.99, 12);
    expect(r.durationS).toBeCloseTo(4.99, 12);
    expect(r.measuredRateHz).toBeCloseTo(100, 9);
    expect(r.medianIntervalS).toBeCloseTo(0.01, 12);
    expect(r.gaps).toEqual([]);
    expect(r.gapCount).toBe(0);
    expect(r.missingSamples).toBe(0);
    expect(r.problems).toEqual([]);
    expect(r.saturatedSamples).toEqual({ acc: 0, gyr: 0, mag: 0 });
    expect(r.nominalRateHz).toBeUndefined();
  });

  it('judges gaps against the declared rate when given, else the measured one (not info.rateHz)', () => {
    const declared = validateBlock(makeBlock(10, 100), { nominalRateHz: 104 });
    expect(declared.nominalRateHz).toBe(104);
    expect(declared.gapPeriodS).toBe(1 / 104);
    // A header claiming 200 Hz over 100 Hz data must not turn every interval into a gap.
    const r = validateBlock(makeBlock(10, 100, { info: { rateHz: 200 } }));
    expect(r.nominalRateHz).toBeUndefined();
    expect(r.gapPeriodS).toBeCloseTo(0.01, 12);
    expect(r.gapCount).toBe(0);
  });

  it('reports an empty block without NaN', () => {
    const r = validateBlock(makeBlock(0, 100));
    expect(r.samples).toBe(0);
    expect([r.startS, r.endS, r.durationS, r.measuredRateHz, r.medianIntervalS]).toEqual([0, 0, 0, 0, 0]);
    expect(r.ok).toBe(true);
  });
});

describe('validateBlock: bad values', () => {
  it('reports NaN and Inf per channel with index, time and channel', () => {
    const b = makeBlock(20, 100, { mag: true, quat: true });
    b.accMS2![3 * 5 + 1] = NaN;
    b.gyrRadS![3 * 7 + 2] = -Infinity;
    b.magUT![3 * 8] = Infinity;
    b.quat![4 * 9 + 3] = NaN;
    // NaN and Inf in the same sample of one channel: one 'nan' problem.
    b.accMS2![3 * 12] = NaN;
    b.accMS2![3 * 12 + 1] = Infinity;
    const r = validateBlock(b);
    expect(r.ok).toBe(false);
    expect(r.problemCounts).toEqual({ nan: 3, infinite: 2, 'non-monotonic-time': 0, 'duplicate-time': 0, 'non-unit-quaternion': 0 });
    expect(r.problems.map((p) => [p.kind, p.channel, p.index])).toEqual([
      ['nan', 'acc', 5],
      ['infinite', 'gyr', 7],
      ['infinite', 'mag', 8],
      ['nan', 'quat', 9],
      ['nan', 'acc', 12],
    ]);
    expect(r.problems[0]!.tS).toBeCloseTo(0.05, 15);
    expect(r.problems[0]!.sensorId).toBe('thigh');
    expect(r.problems[0]!.message).toMatch(/thigh sample 5 \(t = 0\.05 s\): acc is NaN/);
  });

  it('a NaN time is one problem, timed at the previous valid sample, and not also a gap', () => {
    const b = makeBlock(10, 100);
    b.tS[4] = NaN;
    b.tS[7] = Infinity;
    const r = validateBlock(b);
    expect(r.problemCounts.nan).toBe(1);
    expect(r.problemCounts.infinite).toBe(1);
    expect(r.problems[0]).toMatchObject({ kind: 'nan', channel: 'tS', index: 4 });
    expect(r.problems[0]!.tS).toBeCloseTo(0.03, 15);
    expect(r.problems[1]).toMatchObject({ kind: 'infinite', channel: 'tS', index: 7 });
    expect(r.problems[1]!.tS).toBeCloseTo(0.06, 15);
    expect(r.gaps).toEqual([]);
    expect(r.endS).toBeCloseTo(0.09, 15);
  });

  it('a NaN first time is reported at t = 0 (nothing earlier is known)', () => {
    const b = makeBlock(5, 100);
    b.tS[0] = NaN;
    const r = validateBlock(b);
    expect(r.problems[0]).toMatchObject({ kind: 'nan', index: 0, tS: 0 });
    expect(r.startS).toBeCloseTo(0.01, 15);
  });

  it('reports duplicate and backwards times; a mis-stamped sample is one problem, not also a gap', () => {
    const t = Float64Array.from({ length: 12 }, (_, i) => i / 100);
    t[3] = t[2]!; // duplicate in place of 0.03
    t[6] = 0.045; // 0.06 stamped as 0.045: backwards from 0.05
    const r = validateBlock(makeBlock(0, 100, { tS: t }));
    expect(r.problemCounts['duplicate-time']).toBe(1);
    expect(r.problemCounts['non-monotonic-time']).toBe(1);
    expect(r.problems.map((p) => [p.kind, p.index])).toEqual([
      ['duplicate-time', 3],
      ['non-monotonic-time', 6],
    ]);
    expect(r.problems[1]!.tS).toBe(0.045);
    expect(r.problems[1]!.message).toContain('goes back 0.005 s');
    expect(r.gaps).toEqual([]);
    expect(r.medianIntervalS).toBeCloseTo(0.01, 12);
  });

  it('still finds a real gap next to a duplicate time', () => {
    // 0.02, 0.02 (dup), then 0.05: two samples' worth of time for the dup, one missing.
    const t = Float64Array.from([0, 0.01, 0.02, 0.02, 0.05, 0.06]);
    const r = validateBlock(makeBlock(0, 100, { tS: t }), { nominalRateHz: 100 });
    expect(r.gaps.map((g) => [g.index, g.missingSamples])).toEqual([[4, 1]]);
    expect(r.gaps[0]!.lengthS).toBeCloseTo(0.01, 12);
  });

  it('a clock reset is one non-monotonic problem, not one per later sample', () => {
    const t = Float64Array.from({ length: 40 }, (_, i) => (i < 20 ? i : i - 20) / 100);
    const r = validateBlock(makeBlock(0, 100, { tS: t }));
    expect(r.problemCounts['non-monotonic-time']).toBe(1);
    expect(r.problems[0]!.index).toBe(20);
    expect(r.startS).toBe(0);
    expect(r.endS).toBeCloseTo(0.19, 15);
  });

  it('flags non-unit quaternions beyond 1e-3 only', () => {
    const b = makeBlock(6, 100, { quat: true });
    b.quat![4 * 2] = 1.0009; // within tolerance
    b.quat![4 * 3] = 1.002;
    b.quat![4 * 4] = 0.5;
    const r = validateBlock(b);
    expect(r.problemCounts['non-unit-quaternion']).toBe(2);
    expect(r.problems.map((p) => p.index)).toEqual([3, 4]);
    expect(r.problems[0]!.message).toContain('norm 1.002');
  });

  it('caps the problem list but keeps exact counts', () => {
    const b = makeBlock(300, 100);
    for (let i = 0; i < 300; i++) b.accMS2![3 * i] = NaN;
    const r = validateBlock(b, { maxProblems: 7 });
    expect(r.problems).toHaveLength(7);
    expect(r.problemCounts.nan).toBe(300);
    expect(validateBlock(b, { maxProblems: 0 }).problems).toEqual([]);
  });
});

describe('validateBlock: gaps', () => {
  // 100 Hz, samples 50…59 dropped: 0.49 → 0.60.
  const t = timesWithout(200, 100, (i) => i >= 50 && i < 60);

  it.each([
    ['measured period', {}],
    ['declared period', { nominalRateHz: 100 }],
  ])('finds a gap of known length (%s)', (_, opts) => {
    const r = validateBlock(makeBlock(0, 100, { tS: t }), opts);
    expect(r.gaps).toHaveLength(1);
    const g = r.gaps[0]!;
    expect(g.index).toBe(50);
    expect(g.startS).toBeCloseTo(0.49, 14);
    expect(g.lengthS).toBeCloseTo(0.1, 12);
    expect(g.missingSamples).toBe(10);
    expect(g.declared).toBe(false);
    expect(g.sensorId).toBe('thigh');
    expect(r.missingSamples).toBe(10);
    expect(r.gapCount).toBe(1);
    expect(r.gapTotalS).toBeCloseTo(0.1, 12);
    expect(r.ok).toBe(true); // gaps are reported, not failures
  });

  it('respects gapFactor: 1.5 periods is not a gap at 1.6, is one at 1.4', () => {
    const tt = Float64Array.from([0, 0.01, 0.02, 0.035, 0.045, 0.055]);
    expect(validateBlock(makeBlock(0, 100, { tS: tt }), { nominalRateHz: 100, gapFactor: 1.6 }).gapCount).toBe(0);
    const r = validateBlock(makeBlock(0, 100, { tS: tt }), { nominalRateHz: 100, gapFactor: 1.4 });
    expect(r.gapCount).toBe(1);
    expect(r.gaps[0]!.missingSamples).toBe(1); // at least one
  });

  it('finds a gap between pushed blocks', () => {
    const whole = makeBlock(0, 100, { tS: t });
    const v = new BlockValidator().push(sliceBlock(whole, 0, 50)).push(sliceBlock(whole, 50));
    const r = v.report();
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]!.index).toBe(50);
    expect(r.gaps[0]!.startS).toBeCloseTo(0.49, 14);
    expect(r.gaps[0]!.lengthS).toBeCloseTo(0.1, 12);
    expect(r.gaps[0]!.missingSamples).toBe(10);
  });

  it("uses a block's gapBeforeS when the times do not show the gap", () => {
    const whole = makeBlock(100, 100);
    const second = { ...sliceBlock(whole, 40), gapBeforeS: 0.05 };
    const r = new BlockValidator({ nominalRateHz: 100 }).push(sliceBlock(whole, 0, 40)).push(second).report();
    expect(r.gaps).toEqual([{ sensorId: 'thigh', index: 40, startS: 0.39, lengthS: 0.05, missingSamples: 5, declared: true }]);
  });

  it('does not count a declared gap twice when the times show it too', () => {
    const whole = makeBlock(0, 100, { tS: t });
    const second = { ...sliceBlock(whole, 50), gapBeforeS: 0.1 };
    const r = new BlockValidator().push(sliceBlock(whole, 0, 50)).push(second).report();
    expect(r.gapCount).toBe(1);
    expect(r.gaps[0]!.lengthS).toBeCloseTo(0.1, 12);
    expect(r.gaps[0]!.missingSamples).toBe(10);
    expect(r.gaps[0]!.declared).toBe(true);
  });

  it('places a declared gap before the first sample one period before it', () => {
    const b = makeBlock(0, 100, { tS: [1, 1.01, 1.02], gapBeforeS: 0.2 });
    const r = validateBlock(b, { nominalRateHz: 100 });
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]!.index).toBe(0);
    expect(r.gaps[0]!.startS).toBeCloseTo(0.79, 14);
    expect(r.gaps[0]!.missingSamples).toBe(20);
  });

  it('carries a declared gap of an empty block to the next sample', () => {
    const whole = makeBlock(20, 100);
    const r = new BlockValidator({ nominalRateHz: 100 })
      .push(sliceBlock(whole, 0, 10))
      .push({ ...sliceBlock(whole, 10, 10), gapBeforeS: 0.03 })
      .push(sliceBlock(whole, 10))
      .report();
    expect(r.gaps.map((g) => [g.index, g.missingSamples])).toEqual([[10, 3]]);
  });

  it('judges early intervals provisionally and settles them once the reference is known', () => {
    const tt = timesWithout(REFERENCE_INTERVALS + 100, 100, (i) => i === 5 || i === 6);
    const whole = makeBlock(0, 100, { tS: tt });
    const v = new BlockValidator().push(sliceBlock(whole, 0, 20));
    const early = v.report();
    expect(early.gaps.map((g) => [g.index, g.missingSamples])).toEqual([[5, 2]]);
    v.push(sliceBlock(whole, 20));
    const late = v.report();
    expect(late.gaps.map((g) => [g.index, g.missingSamples])).toEqual([[5, 2]]);
    expect(late).toEqual(validateBlock(whole));
  });

  it('caps the gap list but keeps exact totals', () => {
    const tt = timesWithout(1000, 100, (i) => i % 10 === 5);
    const r = validateBlock(makeBlock(0, 100, { tS: tt }), { nominalRateHz: 100, maxProblems: 3 });
    expect(r.gaps).toHaveLength(3);
    expect(r.gapCount).toBe(100);
    expect(r.missingSamples).toBe(100);
    expect(r.gapTotalS).toBeCloseTo(1, 10);
  });
});

describe('validateBlock: saturation', () => {
  it('counts threshold hits and mask bits, each sample once per channel', () => {
    const range = 16 * STANDARD_GRAVITY_MS2;
    const b = makeBlock(50, 100, { mag: true, saturated: true });
    b.accMS2![3 * 3] = range; // at full scale
    b.accMS2![3 * 4 + 2] = -range * 0.9995; // within 0.1 % of it
    b.accMS2![3 * 5 + 1] = range * 0.99; // below the threshold
    b.saturated![4] = SAT_ACC; // same sample as a threshold hit: counted once
    b.saturated![6] = SAT_ACC | SAT_GYR;
    b.saturated![7] = SAT_MAG;
    b.gyrRadS![3 * 8] = 2000 * (Math.PI / 180);
    b.magUT![3 * 9] = 4900;
    const r = validateBlock(b, { accRangeMS2: range, gyrRangeRadS: 2000 * (Math.PI / 180), magRangeUT: 4900 });
    expect(r.saturatedSamples).toEqual({ acc: 3, gyr: 2, mag: 2 });
    // Without ranges only the mask counts.
    expect(validateBlock(b).saturatedSamples).toEqual({ acc: 2, gyr: 1, mag: 1 });
    expect(r.ok).toBe(true);
  });
});

describe('BlockValidator: bounded memory over long recordings', () => {
  it('one hour at 100 Hz in 1 s blocks: exact rate, constant-size lists', () => {
    const v = new BlockValidator({ maxProblems: 10 });
    const n = 100;
    const acc = new Float64Array(3 * n).fill(1);
    const gyr = new Float64Array(3 * n);
    for (let s = 0; s < 3600; s++) {
      const tS = Float64Array.from({ length: n }, (_, i) => s + i / 100);
      if (s % 600 === 599) acc[0] = NaN;
      else acc[0] = 1;
      v.push({ info: { sensorId: 'wrist' }, tS, accMS2: acc, gyrRadS: gyr });
    }
    const r = v.report();
    expect(r.samples).toBe(360000);
    expect(r.medianIntervalS).toBeCloseTo(0.01, 12);
    expect(r.problemCounts.nan).toBe(6);
    expect(r.gapCount).toBe(0);
  });

  it('histogram median stays within 0.2 % of the exact median for jittered intervals', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const n = 20000;
    const tS = new Float64Array(n);
    const d = new Float64Array(n - 1);
    for (let i = 1; i < n; i++) {
      d[i - 1] = 0.0192 * (0.7 + 0.6 * rand()) + (rand() < 0.02 ? 0.5 : 0);
      tS[i] = tS[i - 1]! + d[i - 1]!;
    }
    const exact = d.slice().sort()[(n - 1) >> 1]!;
    // Either neighbour in the sorted order is the median's other half for even counts.
    const r = validateBlock(makeBlock(0, 52, { tS }));
    expect(Math.abs(r.medianIntervalS - exact) / exact).toBeLessThan(0.002);
  });

  it('follows a rate change after the reference intervals', () => {
    const tS: number[] = [];
    for (let i = 0; i < 300; i++) tS.push(i / 100);
    for (let i = 1; i <= 1000; i++) tS.push(2.99 + i / 50);
    const r = validateBlock(makeBlock(0, 100, { tS }));
    expect(r.measuredRateHz).toBeCloseTo(50, 9);
    // Judged against the first period, every 50 Hz interval is a 1-sample gap.
    expect(r.gapCount).toBe(1000);
  });
});

describe('BlockValidator: input errors and reset', () => {
  it('throws on mixed sensors, bad shapes and bad options', () => {
    const v = new BlockValidator().push(makeBlock(3, 100));
    expect(() => v.push(makeBlock(3, 100, { info: { sensorId: 'shank' } }))).toThrow(SensorMismatchError);
    const bad = { ...makeBlock(3, 100), accMS2: new Float64Array(8) };
    expect(() => new BlockValidator().push(bad)).toThrow(BlockShapeError);
    expect(() => new BlockValidator({ gapFactor: 0 })).toThrow(SampleParameterError);
    expect(() => new BlockValidator({ nominalRateHz: -1 })).toThrow(SampleParameterError);
    expect(() => new BlockValidator({ maxProblems: 1.5 })).toThrow(SampleParameterError);
    expect(() => new BlockValidator().push({ ...makeBlock(3, 100), gapBeforeS: -1 })).toThrow(SampleParameterError);
  });

  it('reset forgets everything', () => {
    const b = makeBlock(30, 100);
    b.accMS2![0] = NaN;
    const v = new BlockValidator().push(b);
    v.reset();
    const clean = makeBlock(30, 100, { info: { sensorId: 'shank' } });
    expect(v.push(clean).report()).toEqual(validateBlock(clean));
  });
});

// ---- streaming = concatenated, over random recordings and random splits ----

type Step = 'normal' | 'gap' | 'dup' | 'back' | 'nan' | 'inf';
const stepArb = fc.oneof(
  { arbitrary: fc.constant<Step>('normal'), weight: 40 },
  { arbitrary: fc.constant<Step>('gap'), weight: 2 },
  { arbitrary: fc.constant<Step>('dup'), weight: 1 },
  { arbitrary: fc.constant<Step>('back'), weight: 1 },
  { arbitrary: fc.constant<Step>('nan'), weight: 1 },
  { arbitrary: fc.constant<Step>('inf'), weight: 1 },
);
const valueArb = fc.oneof(
  { arbitrary: fc.double({ min: -200, max: 200, noNaN: true }), weight: 30 },
  { arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 156.9, -156.9), weight: 1 },
);
const sampleArb = fc.record({
  step: stepArb,
  jitter: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
  gapPeriods: fc.integer({ min: 2, max: 40 }),
  acc: valueArb,
  gyr: valueArb,
  mag: valueArb,
  qScale: fc.oneof({ arbitrary: fc.constant(1), weight: 20 }, { arbitrary: fc.double({ min: 0.5, max: 1.5, noNaN: true }), weight: 1 }),
  sat: fc.oneof({ arbitrary: fc.constant(0), weight: 20 }, { arbitrary: fc.integer({ min: 0, max: 7 }), weight: 1 }),
});

type SampleSpec = typeof sampleArb extends fc.Arbitrary<infer T> ? T : never;

function recording(samples: SampleSpec[], withOptional: boolean): SampleBlock {
  const n = samples.length;
  const tS = new Float64Array(n);
  const acc = new Float64Array(3 * n);
  const gyr = new Float64Array(3 * n);
  const mag = new Float64Array(3 * n);
  const quat = new Float64Array(4 * n);
  const sat = new Uint8Array(n);
  const P = 1 / 52;
  let t = 3;
  samples.forEach((s, i) => {
    if (s.step === 'normal') t += P * (1 + s.jitter);
    else if (s.step === 'gap') t += P * s.gapPeriods;
    else if (s.step === 'back') t -= P * (0.5 + s.jitter);
    tS[i] = s.step === 'nan' ? NaN : s.step === 'inf' ? Infinity : t;
    acc.set([s.acc, 1, 9.81], 3 * i);
    gyr.set([0.1, s.gyr, 0], 3 * i);
    mag.set([20, -5, s.mag], 3 * i);
    quat.set([s.qScale * 0.6, 0, 0.8 * s.qScale, 0], 4 * i);
    sat[i] = s.sat;
  });
  return blockFromArrays(
    { sensorId: 'shank' },
    withOptional ? { tS, accMS2: acc, gyrRadS: gyr, magUT: mag, quat, saturated: sat } : { tS, accMS2: acc, gyrRadS: gyr },
  );
}

describe('BlockValidator: streaming equals one concatenated block', () => {
  it('for any split of any recording (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(sampleArb, { minLength: 0, maxLength: 700, size: 'max' }),
        fc.uniqueArray(fc.integer({ min: 0, max: 700 }), { maxLength: 25 }),
        fc.boolean(),
        fc.record({
          nominalRateHz: fc.option(fc.constantFrom(52, 50), { nil: undefined }),
          gapFactor: fc.option(fc.double({ min: 1.1, max: 3, noNaN: true }), { nil: undefined }),
          maxProblems: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
          accRangeMS2: fc.option(fc.constant(156.9), { nil: undefined }),
        }),
        (samples, cuts, withOptional, rawOpts) => {
          const opts = Object.fromEntries(Object.entries(rawOpts).filter(([, v]) => v !== undefined));
          const whole = recording(samples, withOptional);
          const n = samples.length;
          const bounds = [0, ...cuts.filter((c) => c <= n).sort((a, b) => a - b), n];
          const pieces: SampleBlock[] = [];
          for (let k = 0; k + 1 < bounds.length; k++) pieces.push(sliceBlock(whole, bounds[k]!, bounds[k + 1]!));
          const v = new BlockValidator(opts);
          for (const p of pieces) v.push(p);
          const streamed = v.report();
          const joined = validateBlock(concatBlocks(pieces).block, opts);
          expect(streamed).toEqual(joined);
          // And the counts are those of the recording itself.
          expect(joined.samples).toBe(n);
          expect(joined.problemCounts.nan + joined.problemCounts.infinite).toBeGreaterThanOrEqual(
            samples.filter((s) => s.step === 'nan' || s.step === 'inf').length,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
