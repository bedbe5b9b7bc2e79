/**
 * The phases of one rep found from its own angle curve: rest angle, extreme (end range),
 * the hold at end range, and hence the outward (concentric) and return (eccentric) moves.
 *
 * End range: samples within `holdBandFraction` of the ROM from the extreme, and (to cut off the
 * slow approach of a smooth move) where the speed is below `holdSpeedFraction` of the rep's
 * peak speed. For a minimum-jerk move that ends the rise ≈ 4.5 % of its duration early at the
 * default 3 %, i.e. < 0.07 s for a 1.5 s rise.
 */
export interface PhaseOptions {
  /** End-range band as a fraction of ROM. Default 0.1. */
  holdBandFraction?: number;
  /** Still at end range: speed below this fraction of the rep's peak speed. Default 0.05. */
  holdSpeedFraction?: number;
}

export interface RepPhases {
  /** Indices into the rep window. */
  readonly restIdx: number;
  readonly extremeIdx: number;
  readonly holdStartIdx: number;
  readonly holdEndIdx: number;
  readonly restDeg: number;
  readonly extremeDeg: number;
  readonly romDeg: number;
  readonly direction: 1 | -1;
  readonly peakSpeedDegS: number;
}

/**
 * Phases of the rep window `angle` (smoothed, may hold NaN) with velocity `vel`.
 * `direction` comes from the rep when known; otherwise the larger excursion from the mean of
 * the two window ends sets it. Rest is the lowest point in that direction before end range.
 */
export function repPhases(
  angle: Float64Array,
  vel: Float64Array,
  hint: { direction?: 1 | -1; restDeg?: number },
  options: PhaseOptions = {},
): RepPhases {
  const band = options.holdBandFraction ?? 0.1;
  const still = options.holdSpeedFraction ?? 0.03;
  const n = angle.length;
  let first = 0;
  while (first < n && !Number.isFinite(angle[first]!)) first++;
  let last = n - 1;
  while (last > first && !Number.isFinite(angle[last]!)) last--;
  // Direction (when not given): the larger excursion from the mean of the two window ends.
  let dir: 1 | -1 = hint.direction ?? 1;
  let hi = first, lo = first;
  for (let i = first; i <= last; i++) {
    const a = angle[i]!;
    if (!Number.isFinite(a)) continue;
    if (a > angle[hi]!) hi = i;
    if (a < angle[lo]!) lo = i;
  }
  if (hint.direction === undefined) {
    const restGuess = 0.5 * (angle[first]! + angle[last]!);
    dir = angle[hi]! - restGuess >= restGuess - angle[lo]! ? 1 : -1;
  }
  const extremeIdx = dir > 0 ? hi : lo;
  const extremeDeg = angle[extremeIdx]!;
  // Rest: the lowest point (in the rep's direction) before end range — the starting position; a
  // window cut a little up the slope still measures from the lowest angle it saw, and a return
  // that swings past rest (a hanging forearm) does not inflate the ROM.
  let restIdx = first;
  for (let i = first; i <= extremeIdx; i++) {
    const a = angle[i]!;
    if (Number.isFinite(a) && dir * a < dir * angle[restIdx]!) restIdx = i;
  }
  // A rest level from the segmenter (tracked over the rest before the rep) beats the window's
  // own low when the rest is restless (a hanging limb swinging past it after each return).
  const restDeg = hint.restDeg !== undefined && Number.isFinite(hint.restDeg) ? hint.restDeg : angle[restIdx]!;
  const romDeg = Math.abs(extremeDeg - restDeg);

  let peakSpeed = 0;
  for (let i = first; i <= last; i++) if (Math.abs(vel[i]!) > peakSpeed) peakSpeed = Math.abs(vel[i]!);

  // Contiguous end-range band around the extreme.
  const inBand = (i: number): boolean => Number.isFinite(angle[i]!) && dir * (extremeDeg - angle[i]!) <= band * romDeg;
  let bs = extremeIdx, be = extremeIdx;
  while (bs > first && inBand(bs - 1)) bs--;
  while (be < last && inBand(be + 1)) be++;
  // Within it, the still part: first and last sample below the speed threshold.
  const slow = (i: number): boolean => Math.abs(vel[i]!) <= still * peakSpeed;
  let hs = bs, he = be;
  while (hs < extremeIdx && !slow(hs)) hs++;
  while (he > extremeIdx && !slow(he)) he--;
  if (hs > he) hs = he = extremeIdx;
  return { restIdx, extremeIdx, holdStartIdx: hs, holdEndIdx: he, restDeg, extremeDeg, romDeg, direction: dir, peakSpeedDegS: peakSpeed };
}
