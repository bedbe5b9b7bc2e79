/**
 * Writes the capture files in this directory (run `npx tsx test/io/ble/captures/makeCaptures.ts`).
 * They stand in for recordings of real devices: the protocol framing is exact, the motion
 * synthetic, and the faults are placed where the tests expect them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatBleCapture } from '../../../../src/io/ble/capture';
import type { BleCaptureEvent } from '../../../../src/io/ble/capture';
import { MOVESENSE_GSP } from '../../../../src/io/ble/movesense';

const dir = new URL('.', import.meta.url).pathname;

function f32(...vs: number[]): number[] {
  const b = new Uint8Array(4 * vs.length);
  vs.forEach((v, i) => new DataView(b.buffer).setFloat32(4 * i, v, true));
  return [...b];
}
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const utf8 = (s: string) => [...new TextEncoder().encode(s)];

/**
 * Movesense IMU9 at 52 Hz, 2 samples per packet, 40 packets (80 samples) with: packets 10
 * and 11 lost, packet 20 delivered twice, packets 30 and 31 swapped, and a disconnect at the end.
 */
function movesenseImu9(): string {
  const { write, notify, service } = MOVESENSE_GSP;
  const events: BleCaptureEvent[] = [];
  const ev = (tS: number, op: 'write' | 'notify', bytes: number[], characteristic: string = notify) => events.push({ tS, op, characteristic, bytes: Uint8Array.from(bytes) });
  ev(0.05, 'write', [0, 1], write);
  ev(0.06, 'write', [1, 0x63, ...utf8('/Meas/IMU9/52')], write);
  ev(0.09, 'notify', [1, 0x63, 200, 0]);
  const packet = (i: number) => {
    const vec = (k: number, f: (t: number) => number[]) => f((2 * i + k) / 52);
    const acc = [0, 1].flatMap((k) => vec(k, (t) => [0.3 * Math.sin(2 * Math.PI * t), 0.1, 9.81]));
    const gyr = [0, 1].flatMap((k) => vec(k, (t) => [0, 0, 40 * Math.cos(2 * Math.PI * t)]));
    const mag = [0, 1].flatMap(() => [20, -3, 42]);
    return [2, 0x63, ...u32(123456 + Math.round((2 * i * 1000) / 52)), ...f32(...acc, ...gyr, ...mag)];
  };
  const order: number[] = [];
  for (let i = 0; i < 40; i++) {
    if (i === 10 || i === 11) continue;
    if (i === 30) order.push(31, 30);
    else if (i !== 31) order.push(i);
    if (i === 20) order.push(20);
  }
  let t = 0.1;
  for (const i of order) ev((t += 2 / 52), 'notify', packet(i));
  events.push({ tS: t + 0.5, op: 'disconnect' });
  return (
    '# Movesense IMU9/52: packets 10–11 lost, 20 duplicated, 30/31 swapped, then a disconnect (see makeCaptures.ts)\n' +
    formatBleCapture({ deviceName: 'Movesense 203030000123', services: [{ uuid: service, characteristics: [write, notify] }], events })
  );
}

writeFileSync(join(dir, 'movesense-imu9-faults.txt'), movesenseImu9());
