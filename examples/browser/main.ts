/**
 * Browser example: a live sensor over Web Bluetooth (Polar Verity Sense or Movesense) through
 * the rxjs pipeline — fromSensor → fuseOrientation → dominantRotation → segmentReps — showing
 * the live angle and each repetition; and a "Replay demo" that runs the same pipeline on the
 * bundled Movesense capture through a FakeTransport (no hardware needed).
 *
 * Built and served by `npm run example:browser` (scripts/example-browser.mjs). In an app,
 * import from 'kinemetry' and 'kinemetry/ble' instead of '../../src/index' and '../../src/ble'.
 *
 * Query parameters (used by the real-browser test, test/browser/run.mjs):
 *   ?timeoutMs=N  wait for a command's answer (default 5000 ms).
 */
import { Subject, takeUntil } from 'rxjs';
import { dominantRotation, fuseOrientation, segmentReps } from '../../src/index';
import { FakeTransport, MovesenseDriver, PolarPmdDriver, browserTransport, fromSensor, parseBleCapture } from '../../src/ble';
import type { SensorEvent } from '../../src/index';
import type { BleDeviceLike, BleDriver, BleGattServerLike, BleTransport, BluetoothLike, FromSensorOptions } from '../../src/ble';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const statusEl = $<HTMLDivElement>('status');
const angleEl = $<HTMLSpanElement>('angle');
const repsEl = $<HTMLDivElement>('reps');
const eventsEl = $<HTMLOListElement>('events');
const connectBtn = $<HTMLButtonElement>('connect');
const replayBtn = $<HTMLButtonElement>('replay');
const stopBtn = $<HTMLButtonElement>('stop');
const driverSel = $<HTMLSelectElement>('driver');
const checkSettingsBox = $<HTMLInputElement>('check-settings');

const params = new URLSearchParams(location.search);
const responseTimeoutMs = Number(params.get('timeoutMs')) > 0 ? Number(params.get('timeoutMs')) : undefined;

/** Everything the page showed, for tests (window.kinemetryExample). */
const trace = { statuses: [] as string[], events: [] as string[], reps: 0, state: 'idle' };
(window as unknown as { kinemetryExample: typeof trace }).kinemetryExample = trace;

type State = 'idle' | 'busy' | 'connected' | 'streaming' | 'done' | 'error';
function setStatus(state: State, text: string): void {
  statusEl.textContent = text;
  statusEl.dataset.state = state;
  trace.state = state;
  trace.statuses.push(text);
}
function logEvent(text: string): void {
  trace.events.push(text);
  const li = document.createElement('li');
  li.textContent = text;
  eventsEl.append(li);
  eventsEl.scrollTop = eventsEl.scrollHeight;
}
function setRunning(running: boolean): void {
  connectBtn.disabled = running;
  replayBtn.disabled = running;
  stopBtn.disabled = !running;
}

/** Stops the running stream: completes the chain (the segmenter flushes) and stops the sensor. */
let stopRunning: (() => void) | undefined;

function makeDriver(kind: string): BleDriver {
  return kind === 'movesense'
    ? new MovesenseDriver({ sensorId: 'shank', placement: 'shank', resources: ['IMU6'], rateHz: 52 })
    : new PolarPmdDriver({ sensorId: 'shank', placement: 'shank', checkSettings: checkSettingsBox.checked });
}

/** The device, with `gatt.connect()` reported on the page (the driver starts after it). */
function watchConnect(device: BleDeviceLike): BleDeviceLike {
  const gatt = device.gatt!;
  const label = device.name ?? device.id;
  const watched: BleGattServerLike = {
    get connected() {
      return gatt.connected;
    },
    async connect() {
      const server = await gatt.connect();
      setStatus('connected', `connected to ${label} — starting the sensor…`);
      return server;
    },
    disconnect: () => gatt.disconnect(),
    getPrimaryService: (uuid) => gatt.getPrimaryService(uuid),
  };
  return {
    id: device.id,
    name: device.name,
    gatt: watched,
    addEventListener: (type, listener) => device.addEventListener(type, listener),
    removeEventListener: (type, listener) => device.removeEventListener(type, listener),
  };
}

/** fromSensor → fuseOrientation → dominantRotation → segmentReps, drawn on the page. */
function runPipeline(transport: BleTransport, driver: BleDriver, options: FromSensorOptions, label: string, onComplete?: () => void): () => void {
  const stopper = new Subject<void>();
  let reps = 0;
  let nextAngleLogS = 0;
  trace.reps = 0;
  eventsEl.replaceChildren();
  repsEl.textContent = '0';
  angleEl.textContent = '–';
  const onEvent = (e: Exclude<SensorEvent, { type: 'block' }>): void => {
    if (e.type === 'connected') {
      setStatus('streaming', `connected: streaming from ${label}${e.attempt > 0 ? ` (reconnected, attempt ${e.attempt})` : ''}`);
      logEvent(`${e.tS.toFixed(2)} s  connected${e.attempt > 0 ? ' again' : ''}`);
    } else if (e.type === 'disconnected') logEvent(`${e.tS.toFixed(2)} s  link lost after ${e.samplesSoFar} samples`);
    else if (e.type === 'reconnecting') {
      const why = e.error === undefined ? '' : ` after ${(e.error as Error)?.name ?? 'Error'}: ${(e.error as Error)?.message ?? String(e.error)}`;
      logEvent(`${e.tS.toFixed(2)} s  reconnecting in ${e.delayS} s (attempt ${e.attempt})${why}`);
    }
    else if (e.type === 'gap') logEvent(`${e.beforeS.toFixed(2)} s  gap of ${e.gapS.toFixed(2)} s marked`);
    else if (e.type === 'problem') logEvent(`problem: ${e.problem.kind}`);
  };
  fromSensor(transport, driver, { ...options, onEvent })
    .pipe(takeUntil(stopper), fuseOrientation(), dominantRotation({ sensorId: driver.info.sensorId }), segmentReps())
    .subscribe({
      next: (e) => {
        if (e.type === 'angles') {
          const n = e.chunk.tS.length;
          const last = e.chunk.angleDeg[n - 1];
          if (n > 0 && last !== undefined && Number.isFinite(last)) {
            angleEl.textContent = last.toFixed(0);
            const t = e.chunk.tS[n - 1]!;
            if (t >= nextAngleLogS) {
              nextAngleLogS = t + 1;
              trace.events.push(`${t.toFixed(2)} s  angle ${last.toFixed(0)}°`);
            }
          }
        } else if (e.type === 'rep' && !e.rep.partial) {
          reps++;
          trace.reps = reps;
          repsEl.textContent = String(reps);
          logEvent(`${e.rep.endS.toFixed(2)} s  REP ${reps}: ROM ${e.rep.romDeg.toFixed(0)}°, ${(e.rep.endS - e.rep.startS).toFixed(1)} s`);
        }
      },
      error: (err: unknown) => {
        logEvent(`stopped: ${(err as Error)?.name ?? 'Error'}`);
        setStatus('error', `error: ${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`);
        setRunning(false);
      },
      complete: () => {
        setRunning(false);
        onComplete?.();
      },
    });
  return () => stopper.next();
}

connectBtn.addEventListener('click', async () => {
  setRunning(true);
  const driver = makeDriver(driverSel.value);
  try {
    const transport = browserTransport((navigator as unknown as { bluetooth?: BluetoothLike }).bluetooth);
    setStatus('busy', 'choose the sensor…');
    // Requested here, inside the click (Web Bluetooth needs the user gesture).
    const device = watchConnect(await transport.requestDevice(driver.requestOptions));
    setStatus('busy', `connecting to ${device.name ?? device.id}…`);
    stopRunning = runPipeline(transport, driver, { device, ...(responseTimeoutMs ? { responseTimeoutMs } : {}) }, device.name ?? device.id);
  } catch (err) {
    setStatus('error', `error: ${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`);
    setRunning(false);
  }
});

replayBtn.addEventListener('click', async () => {
  setRunning(true);
  try {
    setStatus('busy', 'loading the demo capture…');
    const text = await (await fetch('./movesense-knee.txt')).text();
    const fake = new FakeTransport(parseBleCapture(text, 'movesense-knee.txt'));
    const driver = makeDriver('movesense');
    const stop = runPipeline(fake, driver, { nowS: () => fake.nowS(), reconnect: { initialDelayS: 0.05, maxDelayS: 1, maxAttempts: 5 } }, 'the demo capture (Movesense, 5 knee flexions)', () =>
      setStatus('done', `replay done: ${trace.reps} reps`),
    );
    stopRunning = stop;
    // The fake replays as fast as the pipeline consumes; when it has replayed everything, stop.
    await fake.whenDone();
    await new Promise((r) => setTimeout(r, 20));
    if (stopRunning === stop) stopRunning = undefined;
    stop();
  } catch (err) {
    setStatus('error', `error: ${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`);
    setRunning(false);
  }
});

stopBtn.addEventListener('click', () => {
  const stop = stopRunning;
  stopRunning = undefined;
  stop?.();
  setRunning(false);
  setStatus('idle', 'stopped');
});
