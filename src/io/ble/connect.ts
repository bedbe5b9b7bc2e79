/**
 * One sensor, connected: request the device with the driver's filters, connect, let the
 * driver start it, and route every notification through the driver to callbacks. Reconnect
 * and the rxjs stream are layered on top (src/pipeline); this is the plain callback form.
 */
import type { SampleBlock } from '../../samples/block';
import type { BleDriver } from './driver';
import { BleGattError } from './errors';
import type { BleProblem } from './errors';
import { GattLink } from './gattLink';
import type { BleDeviceLike, BleTransport } from './transport';

export interface ConnectSensorOptions {
  onBlock(block: SampleBlock): void;
  onProblem?(problem: BleProblem): void;
  /** The link dropped (device out of range, switched off, or `stop`). */
  onDisconnect?(): void;
  /**
   * Session clock, s since session start: the arrival time handed to the decoder. Default:
   * `performance.now()` since this call. With a FakeTransport pass `() => fake.nowS()` so
   * decoding sees the recorded arrival times.
   */
  nowS?: () => number;
  /** Wait for a command's answer, ms. */
  responseTimeoutMs?: number;
  /** Use this device instead of requesting one (e.g. one the page already chose). */
  device?: BleDeviceLike;
}

export interface SensorConnection {
  readonly device: BleDeviceLike;
  readonly driver: BleDriver;
  readonly link: GattLink;
  /** Totals since connecting: blocks and samples delivered, problems reported. */
  readonly counts: { readonly blocks: number; readonly samples: number; readonly problems: number };
  readonly connected: boolean;
  /** Stop streaming and disconnect. */
  stop(): Promise<void>;
}

export async function connectSensor(transport: BleTransport, driver: BleDriver, options: ConnectSensorOptions): Promise<SensorConnection> {
  const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const nowS = options.nowS ?? (() => ((typeof performance !== 'undefined' ? performance.now() : Date.now()) - t0) / 1000);
  const device = options.device ?? (await transport.requestDevice(driver.requestOptions));
  if (!device.gatt) throw new BleGattError('gatt', `device '${device.name ?? device.id}' has no GATT server`);
  const counts = { blocks: 0, samples: 0, problems: 0 };
  const report = (p: BleProblem) => {
    counts.problems++;
    options.onProblem?.(p);
  };
  const onDisconnected = () => options.onDisconnect?.();
  device.addEventListener('gattserverdisconnected', onDisconnected);
  const server = await device.gatt.connect();
  const link = new GattLink(
    server,
    (uuid, value) => {
      const r = driver.decode(value, nowS(), uuid);
      for (const p of r.problems) report(p);
      if (r.block) {
        counts.blocks++;
        counts.samples += r.block.tS.length;
        options.onBlock(r.block);
      }
    },
    options.responseTimeoutMs,
  );
  driver.reset();
  try {
    await driver.start(link);
  } catch (err) {
    await link.unsubscribeAll().catch(() => undefined);
    device.removeEventListener('gattserverdisconnected', onDisconnected);
    server.disconnect();
    throw err;
  }
  return {
    device,
    driver,
    link,
    counts,
    get connected() {
      return server.connected;
    },
    async stop() {
      if (server.connected) await driver.stop(link).catch(() => undefined);
      await link.unsubscribeAll().catch(() => undefined);
      server.disconnect();
      device.removeEventListener('gattserverdisconnected', onDisconnected);
    },
  };
}
