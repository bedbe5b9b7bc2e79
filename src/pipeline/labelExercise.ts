/**
 * Live exercise labels: every `everyS` seconds of one sensor's samples, an injected classifier
 * (e.g. `exerciseClassifier(model)` from kinemetry/ml) labels the last `contextS` seconds.
 * The classifier is passed in, not imported, so the pipeline never loads tfjs.
 * A gap (`gapBeforeS`) restarts the context: a label never spans lost data.
 */
import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { concatBlocks, isInertial } from '../samples/block';
import type { InertialBlock, SampleBlock } from '../samples/block';

/** What a classifier says about a stretch of samples: `exercise` null when it saw only idle. */
export interface ExerciseGuess {
  readonly exercise: string | null;
  readonly confidence: number;
}

/** A classifier over one sensor's accelerometer + gyroscope block: a function or an object with `classify`. */
export type ExerciseClassifier = ((block: InertialBlock) => ExerciseGuess) | { classify(block: InertialBlock): ExerciseGuess };

export interface ExerciseLabelEvent extends ExerciseGuess {
  readonly type: 'exercise';
  readonly sensorId: string;
  /** The span classified, s (session time). */
  readonly startS: number;
  readonly endS: number;
}

export interface LabelExerciseOptions {
  /** The sensor to label; default the first inertial sensor seen. */
  sensorId?: string;
  /** Seconds of samples each label looks at. Default 24. */
  contextS?: number;
  /** Seconds between labels. Default 4. */
  everyS?: number;
  /** Shortest context worth labelling, s (the first label waits for it). Default 8. */
  minContextS?: number;
}

export class LabelExerciseError extends RangeError {
  override name = 'LabelExerciseError';
}

/** Blocks in, one `exercise` event every `everyS` s of the labelled sensor's data; other sensors are ignored. */
export function labelExercise(classifier: ExerciseClassifier, options: LabelExerciseOptions = {}): OperatorFunction<SampleBlock, ExerciseLabelEvent> {
  const contextS = options.contextS ?? 24, everyS = options.everyS ?? 4, minS = options.minContextS ?? Math.min(8, contextS);
  if (!(contextS > 0) || !(everyS > 0) || !(minS > 0) || minS > contextS) throw new LabelExerciseError(`labelExercise: need 0 < minContextS ≤ contextS and everyS > 0, got contextS ${contextS}, everyS ${everyS}, minContextS ${minS}`);
  const classify = typeof classifier === 'function' ? classifier : (b: InertialBlock) => classifier.classify(b);
  return (source) =>
    new Observable<ExerciseLabelEvent>((subscriber) => {
      let sensorId = options.sensorId;
      let kept: InertialBlock[] = [];
      let nextS = NaN;
      const label = (endS: number) => {
        const { block } = concatBlocks(kept);
        const t = block.tS;
        // The context is [endS − contextS, endS]: a block that straddles endS is cut there, so a
        // label never looks at samples after its own time.
        let i0 = 0, i1 = t.length;
        while (i0 < t.length - 1 && t[i0]! < endS - contextS) i0++;
        while (i1 > i0 + 1 && t[i1 - 1]! > endS + 1e-9) i1--;
        const ctx = i0 === 0 && i1 === t.length ? block : sliceBlock(block, i0, i1);
        const g = classify(ctx);
        subscriber.next({ type: 'exercise', sensorId: sensorId!, startS: ctx.tS[0]!, endS: ctx.tS[ctx.tS.length - 1]!, exercise: g.exercise, confidence: g.confidence });
        // Drop blocks wholly before the next context.
        while (kept.length > 1 && kept[0]!.tS[kept[0]!.tS.length - 1]! < endS + everyS - contextS) kept.shift();
      };
      return source.subscribe({
        next(b) {
          if (!isInertial(b) || b.tS.length === 0) return;
          sensorId ??= b.info.sensorId;
          if (b.info.sensorId !== sensorId) return;
          if (b.gapBeforeS) { kept = []; nextS = NaN; }
          kept.push(b);
          const first = kept[0]!.tS[0]!, last = b.tS[b.tS.length - 1]!;
          if (Number.isNaN(nextS)) nextS = first + minS;
          while (last >= nextS) {
            try {
              label(nextS);
            } catch (e) {
              subscriber.error(e);
              return;
            }
            nextS += everyS;
          }
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}

/** Samples [i0, i1) of an inertial block, acc + gyro only (copies: the classifier may keep them). */
function sliceBlock(b: InertialBlock, i0: number, i1: number): InertialBlock {
  return { info: b.info, tS: b.tS.slice(i0, i1), accMS2: b.accMS2.slice(3 * i0, 3 * i1), gyrRadS: b.gyrRadS.slice(3 * i0, 3 * i1) };
}
