/**
 * Writes examples/captures/movesense-knee.txt (run `node --import tsx examples/captures/makeKneeCapture.ts`):
 * a Movesense IMU6 stream at 52 Hz from a shank sensor during 5 simulated knee flexions
 * (src/sim, consumer-grade errors), framed exactly as the device sends it (2 samples per
 * notification, ms sensor clock), with one link loss in the rest after the first rep: the device is out of
 * reach for 1.2 s, then the host reconnects and subscribes again (as `CaptureRecorder` would
 * record it). The protocol bytes are exact; the motion is synthetic.
 */
import { writeFileSync } from 'node:fs';
import { formatBleCapture } from '../../src/io/ble/capture';
import type { BleCaptureEvent } from '../../src/io/ble/capture';
import { MOVESENSE_GSP, movesenseHello, movesenseSubscribe } from '../../src/io/ble/movesense';
import { concatBlocks } from '../../src/samples/block';
import * as sim from '../../src/sim/index';

const RATE_HZ = 52;
const PER_PACKET = 2;
const DEG = 180 / Math.PI;

export function kneeCaptureText(): string {
  const { blocks } = sim.simulate(sim.kneeFlexionScenario({ reps: 5, amplitudeDeg: 80, restS: 2.5, noise: 'consumer' }), { rateHz: RATE_HZ, seed: 11 });
  const shank = concatBlocks(blocks.shank!).block;
  const { service, write, notify } = MOVESENSE_GSP;
  const events: BleCaptureEvent[] = [];
  const ev = (tS: number, op: 'write' | 'notify', bytes: ArrayLike<number>, characteristic: string = notify) =>
    events.push({ tS, op, characteristic, bytes: Uint8Array.from(bytes) });
  const start = (tS: number) => {
    ev(tS, 'write', movesenseHello(), write);
    ev(tS + 0.01, 'write', movesenseSubscribe(0x63, `/Meas/IMU6/${RATE_HZ}`), write);
    ev(tS + 0.04, 'notify', [1, 0x63, 200, 0]);
  };
  const n = shank.tS.length - (shank.tS.length % PER_PACKET);
  // Link lost for 1.2 s in the rest after the first rep (2.5 s rests between reps).
  const lostFrom = Math.round(7.6 * RATE_HZ), lostTo = Math.round(8.8 * RATE_HZ);
  start(0);
  let down = false;
  for (let i = 0; i < n; i += PER_PACKET) {
    const tS = 0.1 + (i + PER_PACKET - 1) / RATE_HZ; // arrival: after its last sample
    if (i >= lostFrom && i < lostTo) {
      if (!down) events.push({ tS, op: 'disconnect' });
      down = true;
      continue;
    }
    if (down) {
      start(tS - 0.05);
      down = false;
    }
    const bytes = new Uint8Array(2 + 4 + 24 * PER_PACKET);
    const v = new DataView(bytes.buffer);
    bytes[0] = 2;
    bytes[1] = 0x63;
    v.setUint32(2, 1_000_000 + Math.round((i * 1000) / RATE_HZ), true);
    for (let j = 0; j < PER_PACKET; j++) {
      for (let c = 0; c < 3; c++) {
        v.setFloat32(6 + 4 * (3 * j + c), shank.accMS2[3 * (i + j) + c]!, true);
        v.setFloat32(6 + 12 * PER_PACKET + 4 * (3 * j + c), shank.gyrRadS[3 * (i + j) + c]! * DEG, true);
      }
    }
    ev(tS, 'notify', bytes);
  }
  return (
    '# Movesense IMU6/52 on the shank, 5 simulated knee flexions, link lost for 1.2 s after rep 1 (examples/captures/makeKneeCapture.ts)\n' +
    formatBleCapture({ deviceName: 'Movesense 214530000777', services: [{ uuid: service, characteristics: [write, notify] }], events })
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('./movesense-knee.txt', import.meta.url), kneeCaptureText());
}
