/**
 * The browser's Web Bluetooth as a {@link BleTransport}. The `navigator.bluetooth` object is
 * passed in (nothing is read from globals at import time, so this module loads anywhere).
 */
import { BleUnavailableError } from './errors';
import type { BleDeviceLike, BleRequestOptions, BleTransport, BluetoothLike } from './transport';

/** Wrap `navigator.bluetooth`. Throws {@link BleUnavailableError} when it is absent (Firefox, Safari, insecure context). */
export function browserTransport(bluetooth: BluetoothLike | undefined | null): BleTransport {
  if (!bluetooth || typeof bluetooth.requestDevice !== 'function') {
    throw new BleUnavailableError(
      'Web Bluetooth is not available here (needs Chromium-based browser, a secure context (https or localhost) and a user gesture)',
    );
  }
  return {
    kind: 'browser',
    async requestDevice(options: BleRequestOptions): Promise<BleDeviceLike> {
      if (bluetooth.getAvailability && !(await bluetooth.getAvailability())) {
        throw new BleUnavailableError('no Bluetooth adapter is available (or Bluetooth is switched off)');
      }
      return bluetooth.requestDevice(options);
    },
  };
}
