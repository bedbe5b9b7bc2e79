/**
 * `scoreRepsLive` (named apart from the batch `scoreReps` it wraps, which the root also
 * exports): the quality of each rep as it completes — metrics, 0–100 score, flags, template
 * match — from the batch stage over a bounded window of the signal. The window keeps the last
 * `windowS` of samples and at most `historyReps` recent reps, so consistency is judged against
 * the recent reps and memory and time per rep stay bounded however long the session. Passes
 * every event through and adds a `scored` event after each `rep`.
 */
import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { scoreReps as scoreRepsBatch } from '../quality/score';
import type { ScoreOptions } from '../quality/score';
import type { RepTemplate } from '../quality/template';
import type { MovementSignal, Rep } from '../reps/rep';
import { PipelineParamError } from './errors';
import type { RepStreamEvent } from './signal';

export interface LiveScoreOptions extends Omit<ScoreOptions, 'template'> {
  /** Signal kept for scoring, s: reps that started earlier are no longer compared with. Default 300. */
  windowS?: number;
  /** Reps (the new one included) scored together, for consistency and session-relative ROM. Default 10. */
  historyReps?: number;
}

export function scoreRepsLive(template?: RepTemplate, options: LiveScoreOptions = {}): OperatorFunction<RepStreamEvent, RepStreamEvent> {
  const { windowS = 300, historyReps = 10, ...scoreOptions } = options;
  if (!(windowS > 0)) throw new PipelineParamError('windowS', windowS, 'a window > 0 s');
  if (!(historyReps >= 1) || !Number.isInteger(historyReps)) throw new PipelineParamError('historyReps', historyReps, 'an integer ≥ 1');
  const opts: ScoreOptions = template ? { ...scoreOptions, template } : scoreOptions;
  return (source) =>
    new Observable<RepStreamEvent>((subscriber) => {
      let t: number[] = [];
      let a: number[] = [];
      let head = 0;
      let reps: Rep[] = [];
      let name = '';
      const trim = (nowS: number): void => {
        while (head < t.length && t[head]! < nowS - windowS) head++;
        if (head > 4096 && head * 2 > t.length) {
          t = t.slice(head);
          a = a.slice(head);
          head = 0;
        }
        reps = reps.filter((r) => r.startS >= nowS - windowS);
      };
      return source.subscribe({
        next(e) {
          subscriber.next(e);
          if (e.type === 'angles') {
            name = e.chunk.name;
            for (let i = 0; i < e.chunk.tS.length; i++) {
              t.push(e.chunk.tS[i]!);
              a.push(e.chunk.angleDeg[i]!);
            }
            if (t.length > head) trim(t[t.length - 1]!);
          } else if (e.type === 'rep') {
            reps.push(e.rep);
            if (reps.length > historyReps) reps = reps.slice(-historyReps);
            // The signal from a little before the oldest rep compared with.
            const fromS = Math.min(...reps.map((r) => r.startS)) - 5;
            let i0 = head;
            while (i0 < t.length && t[i0]! < fromS) i0++;
            const tS = Float64Array.from(t.slice(i0));
            const angleDeg = Float64Array.from(a.slice(i0));
            const gapAfterS: number[] = [];
            for (let i = 1; i < angleDeg.length; i++) if (Number.isNaN(angleDeg[i]!) && !Number.isNaN(angleDeg[i - 1]!)) gapAfterS.push(tS[i - 1]!);
            const signal: MovementSignal = { tS, angleDeg, name, ...(gapAfterS.length > 0 ? { gapAfterS } : {}) };
            const inWindow = reps.filter((r) => tS.length > 0 && r.startS >= tS[0]!);
            if (!inWindow.includes(e.rep)) return;
            const scored = scoreRepsBatch(signal, inWindow, opts);
            subscriber.next({ type: 'scored', scored: scored[scored.length - 1]! });
          }
        },
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
