/**
 * Node's Bluetooth via the optional `webbluetooth` package, which implements the same
 * `navigator.bluetooth` API. Only reachable from `kinemetry/node`: the package is loaded on
 * first use (it fails on hosts without a Bluetooth stack, and most users never need it).
 */
import { BleUnavailableError } from './errors';
import type { BleDeviceLike, BleRequestOptions, BleTransport, BluetoothLike } from './transport';

export interface NodeTransportOptions {
  /** Seconds to scan before giving up (webbluetooth's default is 10). */
  scanTimeS?: number;
  /**
   * Pick a device as it is found (Node has no chooser): return true to take it. Default: the
   * first device matching the driver's filters.
   */
  chooseDevice?: (device: { readonly id: string; readonly name?: string | undefined }) => boolean;
  /** Adapter index for hosts with several. */
  adapterIndex?: number;
}

interface WebBluetoothModule {
  Bluetooth: new (options: Record<string, unknown>) => BluetoothLike;
}

// A variable specifier keeps bundlers and the type checker from resolving the optional package.
const PACKAGE = 'webbluetooth';

async function loadWebBluetooth(): Promise<WebBluetoothModule> {
  let mod: unknown;
  try {
    mod = await import(/* @vite-ignore */ PACKAGE);
  } catch (err) {
    throw new BleUnavailableError(
      `Bluetooth in Node needs the optional package '${PACKAGE}' (npm install ${PACKAGE}); it could not be loaded: ${(err as Error)?.message ?? err}`,
      err,
    );
  }
  const m = mod as Partial<WebBluetoothModule> & { default?: Partial<WebBluetoothModule> };
  const Bluetooth = m.Bluetooth ?? m.default?.Bluetooth;
  if (typeof Bluetooth !== 'function') throw new BleUnavailableError(`'${PACKAGE}' loaded but exports no Bluetooth class`);
  return { Bluetooth };
}

/**
 * A {@link BleTransport} over `webbluetooth`. The package is imported on the first
 * `requestDevice`; a missing package, a failing native binding or a host without an adapter
 * all become {@link BleUnavailableError}.
 */
export function nodeTransport(options: NodeTransportOptions = {}): BleTransport {
  let bluetooth: Promise<BluetoothLike> | undefined;
  const open = async (): Promise<BluetoothLike> => {
    const { Bluetooth } = await loadWebBluetooth();
    const init: Record<string, unknown> = {};
    if (options.scanTimeS !== undefined) init.scanTime = options.scanTimeS;
    if (options.adapterIndex !== undefined) init.adapterIndex = options.adapterIndex;
    if (options.chooseDevice) init.deviceFound = (device: { id: string; name?: string }) => options.chooseDevice!(device);
    let instance: BluetoothLike;
    try {
      instance = new Bluetooth(init);
    } catch (err) {
      throw new BleUnavailableError(`'${PACKAGE}' could not start: ${(err as Error)?.message ?? err}`, err);
    }
    let available = true;
    try {
      if (instance.getAvailability) available = await instance.getAvailability();
    } catch (err) {
      throw new BleUnavailableError(`no Bluetooth adapter: ${(err as Error)?.message ?? err}`, err);
    }
    if (!available) throw new BleUnavailableError('no Bluetooth adapter is available (or Bluetooth is switched off)');
    return instance;
  };
  return {
    kind: 'node',
    async requestDevice(request: BleRequestOptions): Promise<BleDeviceLike> {
      bluetooth ??= open();
      let instance: BluetoothLike;
      try {
        instance = await bluetooth;
      } catch (err) {
        bluetooth = undefined; // let a later call retry (adapter plugged in, package installed)
        throw err;
      }
      return instance.requestDevice(request);
    },
  };
}
