/**
 * Where blocks come from: a bundled recording (replay) or a live Bluetooth sensor. Both give an
 * Observable of blocks with orientation (`fuseOrientation`), consumed by the same RomMeter.
 */
import { concatMap, defer, from, map, mergeMap, of, tap, timer } from 'rxjs';
import type { Observable, OperatorFunction } from 'rxjs';
import { MovesenseDriver, PolarPmdDriver, browserTransport, fromRecording, fromSensor, fuseOrientation } from '../../../src/index';
import type { BluetoothLike, SampleBlock, SensorEvent, Vqf } from '../../../src/index';

/** The orientation filter's magnetic-disturbance flag right after each fused block (blocks are paced later, when the filter has moved on). */
const magFlags = new WeakMap<SampleBlock, boolean>();
export function magDisturbedAt(b: SampleBlock): boolean | undefined {
  return magFlags.get(b);
}

/** fuseOrientation, noting each block's magnetic-disturbance flag as it is fused. */
function fuse(): OperatorFunction<SampleBlock, SampleBlock> {
  return (src) => defer(() => {
    const filters = new Map<string, Vqf>();
    return src.pipe(
      fuseOrientation({ onFilter: (id, f) => { filters.set(id, f); } }),
      tap((b) => { const f = filters.get(b.info.sensorId); if (f && b.magUT) magFlags.set(b, f.flags.magDisturbed); }),
    );
  });
}

/** Longest step between samples that is not a gap, s (as the CLI's 0.25 s). */
const GAP_S = 0.25;

/**
 * Mark time jumps in a recording as gaps (`gapBeforeS`), as the live BLE path does, so the
 * orientation filter restarts its time step there instead of integrating across the hole.
 */
export function markGaps(): OperatorFunction<SampleBlock, SampleBlock> {
  const lastS = new Map<string, number>();
  return map((b: SampleBlock): SampleBlock => {
    const n = b.tS.length;
    if (n === 0) return b;
    const prev = lastS.get(b.info.sensorId);
    lastS.set(b.info.sensorId, b.tS[n - 1]!);
    const gapS = prev === undefined ? 0 : b.tS[0]! - prev;
    return gapS > GAP_S && !b.gapBeforeS ? { ...b, gapBeforeS: gapS } : b;
  });
}

export interface RecordingEntry {
  readonly file: string;
  readonly label: string;
  readonly preset: string;
  readonly side: 'left' | 'right';
  readonly source: string;
}

export async function listRecordings(): Promise<RecordingEntry[]> {
  const r = await fetch('recordings/index.json');
  if (!r.ok) throw new Error(`recordings/index.json: HTTP ${r.status}`);
  return (await r.json()) as RecordingEntry[];
}

/** Release each block when its first sample is due at `speed` × real time (`Infinity` = as fast as possible). */
function pace(speed: number) {
  let wall0 = NaN, t0 = NaN;
  return concatMap((b: SampleBlock): Observable<SampleBlock> => {
    if (!Number.isFinite(speed) || b.tS.length === 0) return of(b);
    const now = performance.now();
    if (Number.isNaN(wall0)) { wall0 = now; t0 = b.tS[0]!; }
    const wait = wall0 + ((b.tS[0]! - t0) / speed) * 1000 - now;
    return wait > 1 ? timer(wait).pipe(map(() => b)) : of(b);
  });
}

/** A bundled recording, parsed in 10-sample blocks as a sensor would send them, fused, paced. */
export function replayRecording(entry: RecordingEntry, speed: number): Observable<SampleBlock> {
  return defer(() => from(fetch(`recordings/${entry.file}`).then(async (r) => {
    if (!r.ok) throw new Error(`recordings/${entry.file}: HTTP ${r.status}`);
    return new File([await r.blob()], entry.file);
  }))).pipe(
    mergeMap((file) => fromRecording(file, { blockSize: 10 })),
    markGaps(),
    fuse(),
    pace(speed),
  );
}

export type DriverName = 'movesense' | 'polar';

/** A live sensor over Web Bluetooth (call from a click handler), same stages as replay. */
export function liveSensor(driver: DriverName, sensorId: string, onEvent: (e: Exclude<SensorEvent, { type: 'block' }>) => void): Observable<SampleBlock> {
  const nav = navigator as Navigator & { bluetooth?: BluetoothLike };
  const transport = browserTransport(nav.bluetooth);
  const d = driver === 'polar' ? new PolarPmdDriver({ sensorId }) : new MovesenseDriver({ sensorId, resources: ['IMU6'], rateHz: 104 });
  return fromSensor(transport, d, { reconnect: { initialDelayS: 0.5, maxDelayS: 5, maxAttempts: 10 }, onEvent }).pipe(fuse());
}
