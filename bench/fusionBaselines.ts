/**
 * The baseline orientation filters (Madgwick, Mahony) per sample against the npm package
 * `ahrs` 1.3 (a direct JavaScript port of the original C code) on the same data in the same
 * process: a 9-axis consumer-grade IMU in free 3-D motion, simulated at 100 Hz. `update()`
 * cases time one sample per call; block cases time one 1024-sample block per call (ours
 * through `updateBlock`, the peer through a loop over the same arrays).
 */
import AHRS from 'ahrs';
import type { InertialBlock } from '../src/samples/block';
import type { BenchCase } from './harness';
// Data generation (not measured) from the sources; the measured API from the built package.
import { concatBlocks } from '../src/samples/block';
import { freeMotionScenario, simulate } from '../src/sim/index';
import lib from './lib';

const { MadgwickFilter, MahonyFilter } = lib;

const N = 1024;
const M = N - 1;
const RATE_HZ = 100;
const DT_S = 1 / RATE_HZ;
const BETA = 0.12;
const KP = 0.74;
const KI = 0.0012;

interface Ring {
  readonly block: InertialBlock & { magUT: Float64Array };
  readonly gyr: Float64Array[];
  readonly acc: Float64Array[];
  readonly mag: Float64Array[];
}

function ring(): Ring {
  const sim = simulate(freeMotionScenario({ noise: 'consumer', durationS: N / RATE_HZ + 5, staticLeadS: 0 }), { rateHz: RATE_HZ });
  const all = concatBlocks(sim.blocks.imu!).block;
  const block = { info: all.info, tS: all.tS.slice(0, N), accMS2: all.accMS2.slice(0, 3 * N), gyrRadS: all.gyrRadS.slice(0, 3 * N), magUT: all.magUT!.slice(0, 3 * N) };
  // Per-sample views, made once, so the timed loops do not allocate.
  const view = (a: Float64Array) => Array.from({ length: N }, (_, i) => a.subarray(3 * i, 3 * i + 3));
  return { block, gyr: view(block.gyrRadS), acc: view(block.accMS2), mag: view(block.magUT) };
}

function ahrsBlock(peer: AHRS, r: Ring, withMag: boolean): void {
  const g = r.block.gyrRadS, a = r.block.accMS2, m = r.block.magUT;
  for (let i = 0; i < N; i++) {
    const k = 3 * i;
    if (withMag) peer.update(g[k]!, g[k + 1]!, g[k + 2]!, a[k]!, a[k + 1]!, a[k + 2]!, m[k]!, m[k + 1]!, m[k + 2]!, DT_S);
    else peer.update(g[k]!, g[k + 1]!, g[k + 2]!, a[k]!, a[k + 1]!, a[k + 2]!, undefined, undefined, undefined, DT_S);
  }
}

export function fusionBaselineCases(): BenchCase[] {
  const r = ring();
  const { gyr, acc, mag } = r;
  const out = new Float64Array(4 * N);
  const madgwick6 = new MadgwickFilter({ beta: BETA, useMag: false });
  const madgwick9 = new MadgwickFilter({ beta: BETA });
  const mahony6 = new MahonyFilter({ kp: KP, ki: KI, useMag: false });
  const mahony9 = new MahonyFilter({ kp: KP, ki: KI });
  const peerMadgwick6 = new AHRS({ sampleInterval: 1000 * DT_S, algorithm: 'Madgwick', beta: BETA });
  const peerMadgwick9 = new AHRS({ sampleInterval: 1000 * DT_S, algorithm: 'Madgwick', beta: BETA });
  const peerMahony6 = new AHRS({ sampleInterval: 1000 * DT_S, algorithm: 'Mahony', kp: KP, ki: KI });
  const peerMahony9 = new AHRS({ sampleInterval: 1000 * DT_S, algorithm: 'Mahony', kp: KP, ki: KI });
  const blockMadgwick9 = new MadgwickFilter({ beta: BETA });
  const blockMahony9 = new MahonyFilter({ kp: KP, ki: KI });
  const peerBlockMadgwick9 = new AHRS({ sampleInterval: 1000 * DT_S, algorithm: 'Madgwick', beta: BETA });
  const peerBlockMahony9 = new AHRS({ sampleInterval: 1000 * DT_S, algorithm: 'Mahony', kp: KP, ki: KI });
  // Consecutive blocks need increasing time stamps; the filters only look at differences.
  let t0 = 0;
  const nextBlock = (): InertialBlock => {
    const tS = r.block.tS;
    const shift = tS[N - 1]! - tS[0]! + DT_S;
    for (let i = 0; i < N; i++) tS[i] = tS[i]! + shift;
    t0 += shift;
    return r.block;
  };
  return [
    {
      name: 'madgwick 6D update (per sample)',
      iterations: 200_000,
      ours: (i) => madgwick6.update(gyr[i & M]!, acc[i & M]!, null, DT_S),
      peer: {
        name: 'ahrs Madgwick (IMU)',
        run: (i) => {
          const g = gyr[i & M]!, a = acc[i & M]!;
          peerMadgwick6.update(g[0]!, g[1]!, g[2]!, a[0]!, a[1]!, a[2]!, undefined, undefined, undefined, DT_S);
        },
      },
    },
    {
      name: 'madgwick 9D update (per sample)',
      iterations: 200_000,
      ours: (i) => madgwick9.update(gyr[i & M]!, acc[i & M]!, mag[i & M]!, DT_S),
      peer: {
        name: 'ahrs Madgwick (AHRS)',
        run: (i) => {
          const g = gyr[i & M]!, a = acc[i & M]!, m = mag[i & M]!;
          peerMadgwick9.update(g[0]!, g[1]!, g[2]!, a[0]!, a[1]!, a[2]!, m[0]!, m[1]!, m[2]!, DT_S);
        },
      },
    },
    {
      name: 'mahony 6D update (per sample)',
      iterations: 200_000,
      ours: (i) => mahony6.update(gyr[i & M]!, acc[i & M]!, null, DT_S),
      peer: {
        name: 'ahrs Mahony (IMU)',
        run: (i) => {
          const g = gyr[i & M]!, a = acc[i & M]!;
          peerMahony6.update(g[0]!, g[1]!, g[2]!, a[0]!, a[1]!, a[2]!, undefined, undefined, undefined, DT_S);
        },
      },
    },
    {
      name: 'mahony 9D update (per sample)',
      iterations: 200_000,
      ours: (i) => mahony9.update(gyr[i & M]!, acc[i & M]!, mag[i & M]!, DT_S),
      peer: {
        name: 'ahrs Mahony (AHRS)',
        run: (i) => {
          const g = gyr[i & M]!, a = acc[i & M]!, m = mag[i & M]!;
          peerMahony9.update(g[0]!, g[1]!, g[2]!, a[0]!, a[1]!, a[2]!, m[0]!, m[1]!, m[2]!, DT_S);
        },
      },
    },
    {
      name: `madgwick 9D updateBlock (per ${N}-sample block)`,
      iterations: 200,
      ours: () => blockMadgwick9.updateBlock(nextBlock(), out),
      peer: { name: 'ahrs Madgwick, loop over the block', run: () => ahrsBlock(peerBlockMadgwick9, r, true) },
    },
    {
      name: `mahony 9D updateBlock (per ${N}-sample block)`,
      iterations: 200,
      ours: () => blockMahony9.updateBlock(nextBlock(), out),
      peer: { name: 'ahrs Mahony, loop over the block', run: () => ahrsBlock(peerBlockMahony9, r, true) },
    },
  ];
}
