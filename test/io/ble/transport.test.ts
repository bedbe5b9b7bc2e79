import { describe, expect, it } from 'vitest';
import { browserTransport } from '../../../src/io/ble/browserTransport';
import { BLE_CAPTURE_MAGIC, formatBleCapture, parseBleCapture } from '../../../src/io/ble/capture';
import { BleUnavailableError } from '../../../src/io/ble/errors';
import { bytesToHex, hexToBytes } from '../../../src/io/ble/hex';
import { nodeTransport } from '../../../src/io/ble/nodeTransport';
import { canonicalUuid } from '../../../src/io/ble/uuid';
import { RecordingFormatError } from '../../../src/io/errors';
import type { BluetoothLike } from '../../../src/io/ble/transport';

describe('UUIDs and hex', () => {
  it('canonicalises 16-bit, 32-bit and 128-bit UUIDs', () => {
    expect(canonicalUuid(0xfdf3)).toBe('0000fdf3-0000-1000-8000-00805f9b34fb');
    expect(canonicalUuid('FDF3')).toBe('0000fdf3-0000-1000-8000-00805f9b34fb');
    expect(canonicalUuid('0x2902')).toBe('00002902-0000-1000-8000-00805f9b34fb');
    expect(canonicalUuid('0000FFE4-0000-1000-8000-00805F9A34FB')).toBe('0000ffe4-0000-1000-8000-00805f9a34fb');
    expect(() => canonicalUuid('heart_rate')).toThrow(RangeError);
  });
  it('converts hex both ways', () => {
    expect([...hexToBytes('02 02:00-01')]).toEqual([2, 2, 0, 1]);
    expect(() => hexToBytes('0')).toThrow(RangeError);
    expect(bytesToHex([0xab, 1, 2], 2)).toBe('ab 01 …');
  });
});

describe('capture files', () => {
  const text = [
    `${BLE_CAPTURE_MAGIC} 1`,
    '# a comment',
    'device Polar Sense B5D3A12F',
    'service fb005c80-02e7-f387-1cad-8acd2d8df0c8 fb005c81-02e7-f387-1cad-8acd2d8df0c8 fb005c82-02e7-f387-1cad-8acd2d8df0c8',
    '0.000 read fb005c81-02e7-f387-1cad-8acd2d8df0c8 0f65',
    '0.010 write fb005c81-02e7-f387-1cad-8acd2d8df0c8 02 02 00 01',
    '0.020 notify FB005C81-02E7-F387-1CAD-8ACD2D8DF0C8 f0 02 02 00 00',
    '5.000 disconnect',
    '',
  ].join('\n');

  it('parses and formats identically', () => {
    const c = parseBleCapture(text);
    expect(c.deviceName).toBe('Polar Sense B5D3A12F');
    expect(c.services[0]!.characteristics.length).toBe(2);
    expect(c.events.map((e) => e.op)).toEqual(['read', 'write', 'notify', 'disconnect']);
    expect(parseBleCapture(formatBleCapture(c))).toEqual(c);
  });

  it('names file and line of what it cannot read', () => {
    const bad = (line: string, re: RegExp) => {
      const t = text.replace('0.010 write', line);
      expect(() => parseBleCapture(t, 'polar.txt')).toThrow(RecordingFormatError);
      expect(() => parseBleCapture(t, 'polar.txt')).toThrow(re);
    };
    bad('0.010 poke', /polar\.txt:6: unknown operation 'poke'/);
    bad('x write', /polar\.txt:6: expected a time/);
    bad('0.010 write nope', /polar\.txt:6: .*not a Bluetooth UUID/);
    bad('9.000 write', /polar\.txt:7: time 0\.02 s is earlier/);
    expect(() => parseBleCapture('hello')).toThrow(/kinemetry-ble-capture 1/);
    expect(() => parseBleCapture(`${BLE_CAPTURE_MAGIC} 2`)).toThrow(/version '2'/);
    expect(() => parseBleCapture(text.replace('0f65', '0f6'))).toThrow(/:5: not hex/);
  });
});

describe('transports', () => {
  it('browserTransport refuses a missing navigator.bluetooth and an adapter-less one', async () => {
    expect(() => browserTransport(undefined)).toThrow(BleUnavailableError);
    const off: BluetoothLike = { requestDevice: () => Promise.reject(new Error('unreachable')), getAvailability: () => Promise.resolve(false) };
    await expect(browserTransport(off).requestDevice({ acceptAllDevices: true })).rejects.toThrow(BleUnavailableError);
  });

  it('nodeTransport loads webbluetooth lazily and says clearly when it is missing', async () => {
    const t = nodeTransport();
    expect(t.kind).toBe('node'); // nothing loaded yet
    const err = await t.requestDevice({ acceptAllDevices: true }).catch((e: unknown) => e);
    // This repository does not install the optional package; with it installed but no adapter the error is the same type.
    expect(err).toBeInstanceOf(BleUnavailableError);
    expect((err as Error).message).toMatch(/webbluetooth|adapter/);
  });
});
