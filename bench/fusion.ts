/**
 * Orientation fusion speed: ns per `update` of the VQF-class filter, 6D and 9D, on realistic
 * data — 60 s of simulated free 3-D motion from a consumer-grade IMU at 285.7 Hz (BROAD's
 * rate), gyroscope, accelerometer and magnetometer, replayed in a loop. Also one offline
 * (forward–backward passes + zero-phase inclination smoother) estimate of that minute. Madgwick/Mahony vs npm `ahrs` live
 * with those filters.
 */
import type { BenchCase } from './harness';
// Data generation (not measured) from the sources; the measured API from the built package.
import { freeMotionScenario, simulate } from '../src/sim';
import lib from './lib';

const { estimateOrientationOffline, Vqf, VQF_TUNED } = lib;

const RATE_HZ = 2000 / 7;

function data() {
  const sim = simulate(freeMotionScenario({ durationS: 60, noise: 'consumer', rotationAmplitudeDeg: 90, maxFrequencyHz: 1.5 }), { rateHz: RATE_HZ });
  return sim.blocks['imu']![0]!;
}

export function fusionCases(): BenchCase[] {
  const block = data();
  const n = block.tS.length;
  const gyr = block.gyrRadS, acc = block.accMS2, mag = block.magUT!;
  // Each call copies its sample into three reused arrays, as a live decoder does, and hands
  // them over: the filter never allocates. (51 k per-sample views made beforehand cost
  // 10-20 % more per call in cache misses on the view objects, not in the filter.)
  const g = new Float64Array(3), a = new Float64Array(3), m = new Float64Array(3);
  const load = (i: number, withMag: boolean): void => {
    const k = 3 * (i % n);
    for (let j = 0; j < 3; j++) {
      g[j] = gyr[k + j]!;
      a[j] = acc[k + j]!;
      if (withMag) m[j] = mag[k + j]!;
    }
  };
  const dt = 1 / RATE_HZ;
  const vqf6 = new Vqf({ magEnabled: false }, { rateHz: RATE_HZ });
  const vqf9 = new Vqf({}, { rateHz: RATE_HZ });
  // VQF_TUNED adds the sample-instant alignment (one small rotation per accelerometer and
  // magnetometer sample).
  const vqf6t = new Vqf({ ...VQF_TUNED, magEnabled: false }, { rateHz: RATE_HZ });
  const vqf9t = new Vqf(VQF_TUNED, { rateHz: RATE_HZ });
  const out = new Float64Array(4 * n);
  return [
    {
      name: 'VQF 6D update (gyr + acc, 285.7 Hz, simulated consumer IMU)',
      iterations: 20_000,
      ours: (i) => {
        load(i, false);
        vqf6.update(g, a, null, dt);
      },
    },
    {
      name: 'VQF 9D update (gyr + acc + mag)',
      iterations: 20_000,
      ours: (i) => {
        load(i, true);
        vqf9.update(g, a, m, dt);
      },
    },
    {
      name: 'VQF 6D update, VQF_TUNED (sample-instant alignment)',
      iterations: 20_000,
      ours: (i) => {
        load(i, false);
        vqf6t.update(g, a, null, dt);
      },
    },
    {
      name: 'VQF 9D update, VQF_TUNED (sample-instant alignment)',
      iterations: 20_000,
      ours: (i) => {
        load(i, true);
        vqf9t.update(g, a, m, dt);
      },
    },
    {
      name: `fusion: VQF 9D updateBlock, whole ${n}-sample block`,
      iterations: 1,
      ours: () => {
        vqf9.reset();
        vqf9.updateBlock(block, out);
      },
    },
    {
      name: `fusion: VQF offline 9D (passes + zero-phase smoother), whole ${n}-sample block`,
      iterations: 1,
      ours: () => {
        estimateOrientationOffline(block, {}, out);
      },
    },
  ];
}
