/**
 * Hot math against gl-matrix, the reference for flat, allocation-free vector math in JS.
 * gl-matrix stores quaternions [x, y, z, w]; each peer gets its own arrays in its own layout,
 * Float64Array for both, so the comparison is of the code, not the storage.
 */
import { quat as glQuat, vec3 as glVec3 } from 'gl-matrix';
import type { BenchCase } from './harness';
import lib from './lib';

const { quat } = lib;

const N = 1024;
/** A ring of random unit quaternions in both layouts, so branch predictors see real data. */
function ring(seed: number): { wxyz: Float64Array[]; xyzw: Float64Array[]; vec: Float64Array[] } {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  const wxyz: Float64Array[] = [];
  const xyzw: Float64Array[] = [];
  const vec: Float64Array[] = [];
  for (let i = 0; i < N; i++) {
    const q = quat.normalize(quat.create(), [rnd(), rnd(), rnd(), rnd()]);
    wxyz.push(q);
    xyzw.push(Float64Array.of(q[1]!, q[2]!, q[3]!, q[0]!));
    vec.push(Float64Array.of(rnd(), rnd(), rnd()));
  }
  return { wxyz, xyzw, vec };
}

export function mathCases(): BenchCase[] {
  const a = ring(1);
  const b = ring(2);
  const outQ = new Float64Array(4);
  const outV = new Float64Array(3);
  const M = N - 1;
  return [
    {
      name: 'quat.multiply',
      iterations: 200_000,
      ours: (i) => void quat.multiply(outQ, a.wxyz[i & M]!, b.wxyz[i & M]!),
      peer: { name: 'gl-matrix quat.multiply', run: (i) => void glQuat.multiply(outQ, a.xyzw[i & M]!, b.xyzw[i & M]!) },
    },
    {
      name: 'quat.rotate (vector by quaternion)',
      iterations: 200_000,
      ours: (i) => void quat.rotate(outV, a.wxyz[i & M]!, a.vec[i & M]!),
      peer: { name: 'gl-matrix vec3.transformQuat', run: (i) => void glVec3.transformQuat(outV, a.vec[i & M]!, a.xyzw[i & M]!) },
    },
    {
      name: 'quat.slerp (t = 0.3)',
      iterations: 200_000,
      ours: (i) => void quat.slerp(outQ, a.wxyz[i & M]!, b.wxyz[i & M]!, 0.3),
      peer: { name: 'gl-matrix quat.slerp', run: (i) => void glQuat.slerp(outQ, a.xyzw[i & M]!, b.xyzw[i & M]!, 0.3) },
    },
    {
      name: 'quat.fromAxisAngle',
      iterations: 200_000,
      ours: (i) => void quat.fromAxisAngle(outQ, a.vec[i & M]!, 0.7),
      // gl-matrix expects a unit axis; ours normalises, so give the peer the same work.
      peer: {
        name: 'gl-matrix normalize + setAxisAngle',
        run: (i) => void glQuat.setAxisAngle(outQ, glVec3.normalize(outV, a.vec[i & M]!), 0.7),
      },
    },
    {
      name: 'quat.integrateRate (strapdown step)',
      iterations: 200_000,
      ours: (i) => void quat.integrateRate(outQ, a.wxyz[i & M]!, a.vec[i & M]!, 0.01),
    },
  ];
}
