/** Shared helpers for the pipeline tests: Movesense captures with reconnects, and waiting. */
import { MOVESENSE_GSP, movesenseSubscribe } from '../../src/io/ble/movesense';
import { CaptureBuilder } from '../io/ble/captureBuilder';
import { f32, u32 } from '../io/ble/bytes';

export const RATE_HZ = 52;
export const PER_PACKET = 2;

/** One IMU9 packet (2 samples) of global index k: sensor clock in ms, a slow rotation about z. */
export function imu9Packet(k: number): number[] {
  const vals: number[] = [];
  const t = (j: number) => (PER_PACKET * k + j) / RATE_HZ;
  for (let j = 0; j < PER_PACKET; j++) vals.push(0.3 * Math.sin(t(j)), 0.1, 9.81);
  for (let j = 0; j < PER_PACKET; j++) vals.push(0, 0, 30 * Math.cos(t(j)));
  for (let j = 0; j < PER_PACKET; j++) vals.push(20, -3, 42);
  return [2, 0x63, ...u32(5000 + Math.round((PER_PACKET * k * 1000) / RATE_HZ)), ...f32(...vals)];
}

/**
 * A Movesense IMU9/52 session recorded with reconnects: each segment is the start sequence
 * (HELLO, subscribe), its ack, then `packets` packets; between segments the link drops and
 * `skipPackets` packets' worth of time passes (sensor and host clocks both advance).
 */
export function movesenseSegments(segments: { packets: number; skipPackets?: number }[]): { builder: CaptureBuilder; samples: number } {
  const { service, write, notify } = MOVESENSE_GSP;
  const c = new CaptureBuilder('Movesense 203030000123').service(service, write, notify);
  let k = 0;
  let samples = 0;
  segments.forEach((s, i) => {
    k += s.skipPackets ?? 0;
    c.at(Math.max(c.tS, 0.05 + (k * PER_PACKET) / RATE_HZ));
    c.write(write, [0, 1]).write(write, [...movesenseSubscribe(0x63, `/Meas/IMU9/${RATE_HZ}`)]);
    c.notify(notify, [1, 0x63, 200, 0], 0.01);
    for (let p = 0; p < s.packets; p++, k++) c.at(Math.max(c.tS, 0.1 + (k * PER_PACKET) / RATE_HZ)).notify(notify, imu9Packet(k));
    samples += s.packets * PER_PACKET;
    if (i + 1 < segments.length) c.disconnect(0.01);
  });
  return { builder: c, samples };
}

/** Wait (real time) until `cond()` holds; throws after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('until: timed out');
    await new Promise((r) => setTimeout(r, 1));
  }
}

/**
 * A Movesense IMU9/52 session delivered in the given order: each entry is a packet's global
 * index (as in {@link imu9Packet}: its sensor stamp) or `'disconnect'` (the link drops; the
 * next entry is preceded by the start sequence again). Omitted indices are lost packets,
 * repeated ones duplicates, out-of-place ones reordered. A packet arrives when it is due or
 * just after the one before it, whichever is later (the host clock never goes back);
 * `hostPerSensorS` ≠ 1 makes the sensor's clock drift against the host's.
 */
export function movesenseDeliveries(plan: readonly (number | 'disconnect')[], hostPerSensorS = 1): CaptureBuilder {
  const { service, write, notify } = MOVESENSE_GSP;
  const c = new CaptureBuilder('Movesense 203030000123').service(service, write, notify);
  let starting = true;
  for (const entry of plan) {
    if (entry === 'disconnect') {
      c.disconnect(0.01);
      starting = true;
      continue;
    }
    if (starting) {
      c.at(Math.max(c.tS, 0.05 + (entry * PER_PACKET) / RATE_HZ));
      c.write(write, [0, 1]).write(write, [...movesenseSubscribe(0x63, `/Meas/IMU9/${RATE_HZ}`)]);
      c.notify(notify, [1, 0x63, 200, 0], 0.01);
      starting = false;
    }
    c.at(Math.max(c.tS + 0.001, 0.1 + ((entry * PER_PACKET) / RATE_HZ) * hostPerSensorS)).notify(notify, imu9Packet(entry));
  }
  return c;
}

/** Packet indices from..to−1. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
