/** Searches over sorted arrays (times are strictly increasing everywhere in kinemetry). */

/** First index i with a[i] ≥ x in an increasing array (binary search); a.length when none. */
export function indexAtOrAfter(a: ArrayLike<number>, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
