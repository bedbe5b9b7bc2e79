/**
 * Several sensors onto one clock: a uniform grid over their common span, each sensor resampled
 * onto it (linear / SLERP, never across a gap, never extrapolated; see ./resample).
 *
 * Clock offsets: `session time = sensor time + timeOffsetsS[sensorId]`. An offset is added to
 * a sensor's own timestamps before anything else, so a sensor whose clock runs 0.2 s behind
 * the session gets +0.2.
 */
import type { SampleBlock } from './block';
import { concatBlocks } from './block';
import { InsufficientSamplesError, NoOverlapError, SampleParameterError } from './errors';
import { medianIntervalOrZero, uniformGrid } from './rate';
import { resampleBlock } from './resample';

export interface AlignOptions {
  /** Common rate, Hz. Default: the highest measured (median-interval) rate among the sensors. */
  rateHz?: number;
  /** First grid time, session s. Default: start of the overlap (the latest first sample). */
  startS?: number;
  /** Last grid time at most, session s. Default: end of the overlap (the earliest last sample). */
  endS?: number;
  /** Per-sensor clock offset, s: session time = sensor time + offset. Default 0 for every sensor. */
  timeOffsetsS?: Readonly<Record<string, number>>;
  /** A source interval longer than gapFactor × that sensor's median interval is a gap. Default 1.5. */
  gapFactor?: number;
}

export interface AlignedSensor {
  readonly sensorId: string;
  /** Resampled block on the common grid (its `tS` is the shared grid array, `info.rateHz` the grid rate). */
  readonly block: SampleBlock;
  /** 1 = usable; 0 = outside this sensor's data, inside one of its gaps, or non-finite (values NaN). */
  readonly valid: Uint8Array;
  readonly validCount: number;
  /** Offset that was applied, s. */
  readonly offsetS: number;
  /** Source rate measured from the median interval, Hz (0 with fewer than two distinct times). */
  readonly sourceRateHz: number;
}

export interface AlignedBlocks {
  /** Common grid, session s. */
  readonly tS: Float64Array;
  readonly rateHz: number;
  /** One entry per sensor, in order of first appearance in the input. */
  readonly sensors: readonly AlignedSensor[];
  readonly bySensorId: Readonly<Record<string, AlignedSensor>>;
  /** 1 where every sensor is valid. */
  readonly allValid: Uint8Array;
  readonly allValidCount: number;
}

interface Source {
  readonly sensorId: string;
  readonly block: SampleBlock;
  /** Indices whose preceding interval is a declared gap between input blocks. */
  readonly breaks: number[];
  readonly offsetS: number;
  readonly periodS: number;
}

/** Blocks of one sensor (in order) become one block; declared gaps between them become breaks. */
function gather(blocks: readonly SampleBlock[], offsets: Readonly<Record<string, number>>): Source[] {
  const groups = new Map<string, SampleBlock[]>();
  for (const b of blocks) {
    const id = b.info.sensorId;
    const g = groups.get(id);
    if (g) g.push(b);
    else groups.set(id, [b]);
  }
  for (const id of Object.keys(offsets)) {
    if (!groups.has(id)) throw new SampleParameterError(`timeOffsetsS['${id}']`, offsets[id], `the offset of a sensor that is present (${[...groups.keys()].join(', ')})`);
    const o = offsets[id]!;
    if (!Number.isFinite(o)) throw new SampleParameterError(`timeOffsetsS['${id}']`, o, 'a finite time in s');
  }
  const out: Source[] = [];
  for (const [sensorId, group] of groups) {
    let block: SampleBlock;
    let breaks: number[] = [];
    if (group.length === 1) block = group[0]!;
    else {
      const joined = concatBlocks(group);
      block = joined.block;
      breaks = joined.gaps.filter((g) => g.atIndex > 0).map((g) => g.atIndex);
    }
    out.push({ sensorId, block, breaks, offsetS: offsets[sensorId] ?? 0, periodS: medianIntervalOrZero(block.tS) });
  }
  return out;
}

/**
 * Resample several sensors onto a common uniform grid. Blocks may be several per sensor (in
 * time order; gaps declared by `gapBeforeS` are kept as breaks). Throws NoOverlapError when the
 * sensors share no time span and none was given, InsufficientSamplesError when no rate can be
 * measured and none was given, TimeOrderError for unordered times.
 */
export function alignBlocks(blocks: readonly SampleBlock[], options: AlignOptions = {}): AlignedBlocks {
  if (blocks.length === 0) throw new SampleParameterError('blocks', '[]', 'at least one block');
  const sources = gather(blocks, options.timeOffsetsS ?? {});

  let rateHz = options.rateHz;
  if (rateHz === undefined) {
    let best = 0;
    for (const s of sources) if (s.periodS > 0) best = Math.max(best, 1 / s.periodS);
    if (best === 0) throw new InsufficientSamplesError('alignBlocks: no sensor has two samples with increasing times to measure a rate from; pass rateHz');
    rateHz = best;
  } else if (!(rateHz > 0) || !Number.isFinite(rateHz)) {
    throw new SampleParameterError('rateHz', rateHz, 'a finite rate > 0 Hz');
  }

  let startS = options.startS;
  let endS = options.endS;
  if (startS === undefined || endS === undefined) {
    let lo = -Infinity, hi = Infinity;
    for (const s of sources) {
      const t = s.block.tS;
      if (t.length === 0) throw new NoOverlapError(`alignBlocks: sensor '${s.sensorId}' has no samples`);
      lo = Math.max(lo, t[0]! + s.offsetS);
      hi = Math.min(hi, t[t.length - 1]! + s.offsetS);
    }
    startS ??= lo;
    endS ??= hi;
    if (!(endS >= startS)) {
      const spans = sources.map((s) => `${s.sensorId} ${s.block.tS[0]! + s.offsetS}…${s.block.tS[s.block.tS.length - 1]! + s.offsetS} s`);
      throw new NoOverlapError(`alignBlocks: sensors do not overlap in session time (${spans.join('; ')})`);
    }
  }
  const tS = uniformGrid(startS, endS, rateHz);
  const m = tS.length;

  const sensors: AlignedSensor[] = [];
  const bySensorId: Record<string, AlignedSensor> = {};
  const allValid = new Uint8Array(m).fill(1);
  for (const s of sources) {
    const r = resampleBlock(s.block, tS, {
      ...(options.gapFactor !== undefined ? { gapFactor: options.gapFactor } : {}),
      ...(s.periodS > 0 ? { periodS: s.periodS } : {}),
      offsetS: s.offsetS,
      breaksBefore: s.breaks,
      info: { ...s.block.info, rateHz },
    });
    const a: AlignedSensor = {
      sensorId: s.sensorId,
      block: r.block,
      valid: r.valid,
      validCount: r.validCount,
      offsetS: s.offsetS,
      sourceRateHz: s.periodS > 0 ? 1 / s.periodS : 0,
    };
    sensors.push(a);
    bySensorId[s.sensorId] = a;
    for (let k = 0; k < m; k++) allValid[k]! &= r.valid[k]!;
  }
  let allValidCount = 0;
  for (let k = 0; k < m; k++) allValidCount += allValid[k]!;
  return { tS, rateHz, sensors, bySensorId, allValid, allValidCount };
}
