/**
 * The pipeline's labelExercise operator (with an injected classifier, so no tfjs) and the
 * report's per-set exercise column.
 */
import { firstValueFrom, from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { LabelExerciseError, labelExercise } from '../../src/pipeline/labelExercise';
import type { InertialBlock, SampleBlock } from '../../src/samples/block';
import { renderReportHtml } from '../../src/report/html';
import { sampleReport } from '../report/sampleReport';

/** `seconds` of a still sensor at `rateHz`, cut into blocks of `blockS` s; `gapAtS` adds a gap before the block starting there. */
function blocks(seconds: number, rateHz: number, blockS: number, sensorId = 'a', gapAtS?: number): InertialBlock[] {
  const out: InertialBlock[] = [];
  const per = Math.round(blockS * rateHz);
  for (let i0 = 0; i0 < seconds * rateHz; i0 += per) {
    const n = Math.min(per, seconds * rateHz - i0);
    const tS = Float64Array.from({ length: n }, (_, k) => (i0 + k) / rateHz);
    const acc = new Float64Array(3 * n), gyr = new Float64Array(3 * n);
    for (let k = 0; k < n; k++) acc[3 * k + 2] = 9.81;
    const gap = gapAtS !== undefined && Math.abs(i0 / rateHz - gapAtS) < 1e-9 ? { gapBeforeS: 1 } : {};
    out.push({ info: { sensorId }, tS, accMS2: acc, gyrRadS: gyr, ...gap });
  }
  return out;
}

describe('labelExercise', () => {
  it('labels every everyS seconds over at most contextS of the sensor, first after minContextS', async () => {
    const seen: [number, number][] = [];
    const classify = (b: InertialBlock) => {
      seen.push([b.tS[0]!, b.tS[b.tS.length - 1]!]);
      return { exercise: 'e6', confidence: 0.9 };
    };
    const src: SampleBlock[] = [...blocks(40, 25, 0.5), ...blocks(40, 25, 0.5, 'other')];
    const ev = await firstValueFrom(from(src).pipe(labelExercise(classify, { contextS: 12, everyS: 4, minContextS: 8 }), toArray()));
    // Labels at 8, 12, …, 36 s of sensor a only.
    expect(ev.map((e) => e.endS)).toEqual([8, 12, 16, 20, 24, 28, 32, 36]);
    for (const e of ev) {
      expect(e).toMatchObject({ type: 'exercise', sensorId: 'a', exercise: 'e6', confidence: 0.9 });
      expect(e.endS - e.startS).toBeLessThanOrEqual(12 + 1e-9);
    }
    expect(ev[0]!.startS).toBe(0);
    expect(ev.at(-1)!.startS).toBeCloseTo(24, 9);
    expect(seen).toHaveLength(ev.length);
  });

  it('a gap restarts the context: no label spans lost data', async () => {
    const classify = { classify: () => ({ exercise: null, confidence: 0 }) };
    const ev = await firstValueFrom(from(blocks(30, 25, 1, 'a', 15)).pipe(labelExercise(classify, { contextS: 10, everyS: 5, minContextS: 5 }), toArray()));
    for (const e of ev) expect(e.startS >= 15 || e.endS < 15).toBe(true);
    expect(ev.some((e) => e.startS >= 15)).toBe(true);
    expect(ev.every((e) => e.exercise === null)).toBe(true);
  });

  it('bad options are a typed error; a classifier error reaches the subscriber', async () => {
    expect(() => labelExercise(() => ({ exercise: null, confidence: 0 }), { contextS: 4, minContextS: 8 })).toThrow(LabelExerciseError);
    expect(() => labelExercise(() => ({ exercise: null, confidence: 0 }), { everyS: 0 })).toThrow(LabelExerciseError);
    const boom = () => { throw new Error('model broke'); };
    await expect(firstValueFrom(from(blocks(20, 25, 1)).pipe(labelExercise(boom), toArray()))).rejects.toThrow('model broke');
  });
});

describe('report: per-set exercise column', () => {
  it('is shown only when the report has set exercises, with the confidence; an unlabelled set shows —', () => {
    const base = sampleReport();
    expect(renderReportHtml(base)).not.toContain('exercise (confidence)');
    const sets = base.session.sets;
    expect(sets.length).toBeGreaterThan(1);
    const html = renderReportHtml({ ...base, setExercises: [{ set: sets[0]!.set, exercise: 'e6-elbow-flexion', confidence: 0.934 }] });
    expect(html).toContain('<th>exercise (confidence)</th>');
    expect(html).toContain('<td>e6-elbow-flexion (0.93)</td>');
    const session = html.slice(html.indexOf('exercise (confidence)'));
    expect(session.match(/<td>—<\/td>/g)!.length).toBeGreaterThanOrEqual(sets.length - 1);
  });
});
