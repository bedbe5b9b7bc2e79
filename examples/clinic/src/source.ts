/**
 * Where blocks come from: a bundled recording (replay) or a live Bluetooth sensor. Both give an
 * Observable of blocks with orientation (`fuseOrientation`), consumed by the same RomMeter.
 */
import { concatMap, defer, forkJoin, from, map, merge, mergeMap, of, tap, timer, toArray } from 'rxjs';
import type { Observable, OperatorFunction } from 'rxjs';
import { fuseOrientation } from '../../../src/index';
import { MovesenseDriver, PolarPmdDriver, browserTransport, fromSensor } from '../../../src/ble';
import { fromRecording } from '../../../src/formats';
import type { SampleBlock, SensorEvent, Vqf } from '../../../src/index';
import type { BleDeviceLike, BleDriver, BluetoothLike } from '../../../src/ble';
import { inTimeOrder } from './timeOrder';

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
  /** One sensor's recording, or (two-sensor presets) the files of all sensors, same clock. */
  readonly file: string;
  readonly files?: readonly string[];
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

/**
 * Recordings (one per sensor, same clock) → blocks of 10 samples as sensors would send them,
 * all sensors interleaved in time order, gaps marked, orientation fused.
 */
export function recordingBlocks(files: readonly File[]): Observable<SampleBlock> {
  return forkJoin(files.map((f) => fromRecording(f, { blockSize: 10 }).pipe(toArray()))).pipe(
    mergeMap((perFile) => from(perFile.flat().sort((x, y) => (x.tS[0] ?? 0) - (y.tS[0] ?? 0)))),
    markGaps(),
    fuse(),
  );
}

/** A bundled recording (all its files), fused and paced. */
export function replayRecording(entry: RecordingEntry, speed: number): Observable<SampleBlock> {
  const names = entry.files ?? [entry.file];
  return defer(() => from(Promise.all(names.map(async (name) => {
    const r = await fetch(`recordings/${name}`);
    if (!r.ok) throw new Error(`recordings/${name}: HTTP ${r.status}`);
    return new File([await r.blob()], name);
  })))).pipe(
    mergeMap((files) => recordingBlocks(files)),
    pace(speed),
  );
}

export type DriverName = 'movesense' | 'polar';

function driverFor(driver: DriverName, sensorId: string): BleDriver {
  return driver === 'polar' ? new PolarPmdDriver({ sensorId }) : new MovesenseDriver({ sensorId, resources: ['IMU6'], rateHz: 104 });
}

function transport() {
  const nav = navigator as Navigator & { bluetooth?: BluetoothLike };
  return browserTransport(nav.bluetooth);
}

const RECONNECT = { initialDelayS: 0.5, maxDelayS: 5, maxAttempts: 10 };

/** A live sensor over Web Bluetooth (call from a click handler), same stages as replay. */
export function liveSensor(driver: DriverName, sensorId: string, onEvent: (e: Exclude<SensorEvent, { type: 'block' }>) => void): Observable<SampleBlock> {
  return fromSensor(transport(), driverFor(driver, sensorId), { reconnect: RECONNECT, onEvent }).pipe(fuse());
}

/** One sensor of several, chosen by the therapist (`chooseSensor`) before streaming starts. */
export interface ChosenSensor {
  readonly sensorId: string;
  readonly driver: DriverName;
  readonly device: BleDeviceLike;
}

/** Open the browser's Bluetooth chooser for one sensor (call from a click handler: each chooser needs its own user gesture). */
export function chooseSensor(driver: DriverName): Promise<BleDeviceLike> {
  return transport().requestDevice(driverFor(driver, 'chooser').requestOptions);
}

/**
 * Several chosen sensors streaming at once, on one session clock (each stream maps its
 * sensor's times onto it with the drift estimated online), merged and fused: the same blocks,
 * by `sensorId`, in time order across sensors (`inTimeOrder`), as a multi-file replay. Unsubscribing stops and disconnects every sensor.
 */
export function liveSensors(sensors: readonly ChosenSensor[], onEvent: (sensorId: string, e: Exclude<SensorEvent, { type: 'block' }>) => void): Observable<SampleBlock> {
  return defer(() => {
    const t0Ms = performance.now();
    const nowS = (): number => (performance.now() - t0Ms) / 1000;
    const t = transport();
    return merge(...sensors.map((s) => fromSensor(t, driverFor(s.driver, s.sensorId), { device: s.device, nowS, reconnect: RECONNECT, onEvent: (e) => onEvent(s.sensorId, e) })));
  }).pipe(inTimeOrder(sensors.map((s) => s.sensorId)), fuse());
}
