/**
 * The Levenberg–Marquardt step: solve (A + λ·diag A) x = b for a small n×n normal matrix A
 * (row-major), by Gaussian elimination with partial pivoting. The calibration fits (hinge axes,
 * 2-DoF axes, joint centre) take this step on each iteration. 1e-9 keeps a zero diagonal damped.
 * Returns false when the system is singular (the caller stops iterating).
 */
export function solveDamped(a: ArrayLike<number>, b: ArrayLike<number>, n: number, lambdaDamping: number, out: Float64Array): boolean {
  const w = n + 1;
  const m = new Float64Array(n * w);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < n; k++) m[w * r + k] = a[n * r + k]! + (r === k ? lambdaDamping * (a[n * r + r]! + 1e-9) : 0);
    m[w * r + n] = b[r]!;
  }
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[w * r + c]!) > Math.abs(m[w * p + c]!)) p = r;
    if (Math.abs(m[w * p + c]!) < 1e-300) return false;
    if (p !== c) for (let k = 0; k < w; k++) { const t = m[w * c + k]!; m[w * c + k] = m[w * p + k]!; m[w * p + k] = t; }
    for (let r = c + 1; r < n; r++) {
      const f = m[w * r + c]! / m[w * c + c]!;
      for (let k = c; k < w; k++) m[w * r + k] -= f * m[w * c + k]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = m[w * r + n]!;
    for (let k = r + 1; k < n; k++) s -= m[w * r + k]! * out[k]!;
    out[r] = s / m[w * r + r]!;
  }
  return true;
}
