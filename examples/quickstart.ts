/**
 * Quick start: simulate a knee exercise, check the recording, and read a joint angle from
 * the true segment orientations. Run: `node --import tsx examples/quickstart.ts`.
 * In an app, import from 'kinemetry', 'kinemetry/offline' and 'kinemetry/sim' instead of '../src/index', '../src/offline' and '../src/sim/index'.
 */
import { concatBlocks, quat } from '../src/index';
import { validateBlock } from '../src/offline';
import * as sim from '../src/sim/index';

export function quickstart(): { reps: number; gaps: number; peakKneeDeg: number } {
  // 3 knee flexions to 90° with 2 s holds, thigh + shank sensors with consumer-grade errors.
  const scenario = sim.kneeFlexionScenario({ reps: 3, amplitudeDeg: 90, noise: 'consumer' });
  const { blocks, truth } = sim.simulate(scenario, { rateHz: 100, seed: 1 });

  // What a reader or a BLE driver would hand you: SampleBlocks in SI units.
  const shank = concatBlocks(blocks.shank!).block;
  const report = validateBlock(shank, { nominalRateHz: 100 });

  // Knee angle = rotation between the thigh and shank frames (a hinge, so one angle).
  const thighQ = truth.segments.thigh!.quat;
  const shankQ = truth.segments.shank!.quat;
  const a = quat.create();
  const b = quat.create();
  let peakRad = 0;
  for (let i = 0; i < truth.tS.length; i++) {
    quat.readAt(a, thighQ, i);
    quat.readAt(b, shankQ, i);
    peakRad = Math.max(peakRad, quat.distanceRad(a, b));
  }
  return { reps: truth.reps.length, gaps: report.gapCount, peakKneeDeg: (peakRad * 180) / Math.PI };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = quickstart();
  console.log(`${r.reps} reps, ${r.gaps} gaps, peak knee flexion ${r.peakKneeDeg.toFixed(1)}°`);
}
