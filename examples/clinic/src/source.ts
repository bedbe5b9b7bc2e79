/**
 * Where blocks come from: a bundled recording (replay) or a live Bluetooth sensor. Both give an
 * Observable of blocks with orientation (`fuseOrientation`), consumed by the same RomMeter.
 */
import { concatMap, defer, from, map, mergeMap, of, timer } from 'rxjs';
import type { Observable } from 'rxjs';
import { fuseOrientation } from '../../../src/index';
import { MovesenseDriver, PolarPmdDriver, browserTransport, fromSensor } from '../../../src/ble';
import { fromRecording } from '../../../src/formats';
import type { SampleBlock, SensorEvent } from '../../../src/index';
import type { BluetoothLike } from '../../../src/ble';

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
    fuseOrientation(),
    pace(speed),
  );
}

export type DriverName = 'movesense' | 'polar';

/** A live sensor over Web Bluetooth (call from a click handler), same stages as replay. */
export function liveSensor(driver: DriverName, sensorId: string, onEvent: (e: Exclude<SensorEvent, { type: 'block' }>) => void): Observable<SampleBlock> {
  const nav = navigator as Navigator & { bluetooth?: BluetoothLike };
  const transport = browserTransport(nav.bluetooth);
  const d = driver === 'polar' ? new PolarPmdDriver({ sensorId }) : new MovesenseDriver({ sensorId, resources: ['IMU6'], rateHz: 104 });
  return fromSensor(transport, d, { reconnect: { initialDelayS: 0.5, maxDelayS: 5, maxAttempts: 10 }, onEvent }).pipe(fuseOrientation());
}
