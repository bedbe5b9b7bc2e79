/**
 * An 8-hour simulated live stream through the full pipeline, in bounded memory:
 *
 *   node --import tsx --expose-gc test/pipeline/longRun.ts [hours=8]
 *
 * Thigh + shank at 100 Hz in blocks of 25 samples (what BLE notifications give), a one-minute
 * simulated knee-exercise session (src/sim, consumer noise, mag) repeated back to back with
 * times shifted, a 2 s link loss every 10 minutes (gapBeforeS), through
 * fuseOrientation → record (in-memory sink that keeps only a running byte count) →
 * jointAngles + dominantRotation → segmentReps → scoreRepsLive. Samples the heap (after gc)
 * every 10 simulated minutes and prints it hourly, and the peak; memory must not grow with the session length.
 * The measured version (a real file recorder, RSS too, figures into bench/RESULTS.md) is bench/longRun.ts: `npm run bench:longrun`.
 */
import { Observable, Subject, connectable, merge, tap } from 'rxjs';
import { quat, sim } from '../../src/index';
import type { SampleBlock } from '../../src/samples/block';
import { CanonicalCsvSink, dominantRotation, fuseOrientation, jointAngles, record, scoreRepsLive, segmentReps } from '../../src/pipeline/index';

const hours = Number(process.argv[2] ?? 8);
const gc = (globalThis as { gc?: () => void }).gc;
const scenario = sim.kneeFlexionScenario({ reps: 8, amplitudeDeg: 85, restS: 2, noise: 'consumer' });
const one = sim.simulate(scenario, { rateHz: 100, seed: 5, durationS: 60, blockSize: 25 });
const mount = (id: string) => scenario.sensors.find((s) => s.id === id)!.orientation ?? quat.create();

/** Blocks of `hours`, generated lazily: the session repeated, times shifted, a gap every 10 min. */
function source(): Observable<SampleBlock> {
  return new Observable<SampleBlock>((sub) => {
    const periods = Math.ceil((hours * 3600) / 60);
    const th = one.blocks.thigh!, sh = one.blocks.shank!;
    for (let p = 0; p < periods && !sub.closed; p++) {
      const offsetS = p * 60.01;
      for (let i = 0; i < Math.max(th.length, sh.length); i++) {
        for (const b of [th[i], sh[i]]) {
          if (!b) continue;
          const tS = new Float64Array(b.tS.length);
          for (let k = 0; k < tS.length; k++) tS[k] = b.tS[k]! + offsetS;
          const gap = p % 10 === 9 && i === 0 ? 2 : (b.gapBeforeS ?? 0);
          // A 2 s link loss every 10 minutes: drop 2 s of samples, mark the gap.
          if (p % 10 === 9 && tS[0]! - offsetS < 2) continue;
          sub.next({ ...b, tS, ...(gap > 0 ? { gapBeforeS: gap } : {}) });
        }
      }
    }
    sub.complete();
  });
}

let bytes = 0, samples = 0, reps = 0, autoReps = 0, scored = 0, peakHeap = 0, nextReportS = 600;
const heap = () => {
  gc?.();
  const h = process.memoryUsage().heapUsed;
  peakHeap = Math.max(peakHeap, h);
  return h;
};
const t0 = Date.now();
const fused = source().pipe(
  tap((b) => {
    samples += b.tS.length;
    if (b.info.sensorId === 'shank' && b.tS[0]! >= nextReportS) {
      const h = heap(); // every 10 simulated minutes
      if (nextReportS % 3600 === 0) console.log(`${(nextReportS / 3600).toFixed(0)} h: heap ${(h / 2 ** 20).toFixed(1)} MiB, ${samples} samples, ${reps} reps, ${(bytes / 2 ** 20).toFixed(0)} MiB recorded, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      nextReportS += 600;
    }
  }),
  fuseOrientation(),
  record(new CanonicalCsvSink((p) => void (bytes += p.text.length))),
);
// One run of the source for both branches (subscribe both, then connect).
const shared = connectable(fused, { connector: () => new Subject<SampleBlock>(), resetOnDisconnect: false });
const knee = shared.pipe(jointAngles({ joint: 'knee', proximal: 'thigh', distal: 'shank' }, { proximal: { qSegSensor: mount('thigh') }, distal: { qSegSensor: mount('shank') } }), segmentReps(), scoreRepsLive());
const auto = shared.pipe(dominantRotation({ sensorId: 'shank' }), segmentReps(), tap((e) => e.type === 'rep' && !e.rep.partial && autoReps++));
const h0 = heap();
merge(knee, auto).subscribe({
  next: (e) => {
    if (e.type === 'rep' && !e.rep.partial) reps++;
    if (e.type === 'scored') scored++;
  },
  complete: () => {
    console.log(`${hours} h simulated (${samples} samples, 2 sensors at 100 Hz) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${reps} reps (knee angle: ${reps - autoReps}, automatic signal: ${autoReps}; ${Math.ceil((hours * 60))} × ${scenario.reps?.length ?? '?'} performed), ${scored} scored, ${(bytes / 2 ** 20).toFixed(0)} MiB of CSV recorded`);
    console.log(`heap at start ${(h0 / 2 ** 20).toFixed(1)} MiB, peak ${(peakHeap / 2 ** 20).toFixed(1)} MiB${gc ? '' : ' (run with --expose-gc for exact figures)'}`);
  },
});
shared.connect();
