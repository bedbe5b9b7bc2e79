/**
 * Random and mutated bytes into every decoder: nothing escapes the driver boundary, no
 * decoder throws internally (no `driver-bug` problems), and every block produced is
 * well-formed with finite values and increasing times.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { BleDriver } from '../../../src/io/ble/driver';
import { BlePacketError } from '../../../src/io/ble/errors';
import { GenericProfileDriver } from '../../../src/io/ble/genericProfile';
import { METAWEAR_NOTIFY, MetaWearDriver } from '../../../src/io/ble/metawear';
import { MOVESENSE_GSP, MovesenseDriver } from '../../../src/io/ble/movesense';
import { PolarPmdDriver } from '../../../src/io/ble/polarPmd';
import { PMD_CONTROL, PMD_DATA } from '../../../src/io/ble/polarPmdProtocol';
import { NORDIC_UART, arduinoNano33Profile, nordicUartProfile } from '../../../src/io/ble/profilePresets';
import { THINGY_QUATERNION, THINGY_RAW, Thingy52Driver } from '../../../src/io/ble/thingy52';
import { WITMOTION_NOTIFY, WitMotionDriver } from '../../../src/io/ble/witmotion';
import type { SampleBlock } from '../../../src/samples/block';

const SVC = '19b10000-e8f2-537e-4f6c-d104768a1214';
const CHR = '19b10001-e8f2-537e-4f6c-d104768a1214';

interface Subject {
  readonly name: string;
  readonly make: () => BleDriver;
  readonly characteristics: readonly string[];
  /** Packets shaped like the protocol's, so that fuzzing reaches past the length checks. */
  readonly shaped: fc.Arbitrary<Uint8Array>;
  /** What every block of this subject must be, beyond well-formed (null: fine). */
  readonly expectBlock?: (b: SampleBlock) => string | null;
}

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const cat = (...parts: fc.Arbitrary<Uint8Array | number[]>[]) =>
  fc.tuple(...parts).map((ps) => Uint8Array.from(ps.flatMap((p) => [...p])));

const u64At = (k: number) => {
  const v = 700_000_000_000_000_000n + BigInt(k) * 100_000_000n;
  return Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
};

// Timestamps on a coarse grid, so that ACC and GYRO frames meet and pair; exact-size delta blocks, mostly.
const polarShaped = cat(
  fc.constantFrom([2], [5], [6]),
  fc.oneof(fc.integer({ min: 0, max: 40 }).map(u64At), bytes(8, 8)),
  fc.constantFrom([0x80], [0x80], [0x80], [0x00], [0x01], [0x02], [0x81]),
  bytes(6, 6),
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: 33 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: -1, max: 1 })), { maxLength: 3 })
    .chain((blocks) =>
      blocks.length === 0
        ? fc.constant(new Uint8Array(0))
        : cat(...blocks.map(([w, n, off]) => cat(fc.constant([w, n]), bytes(Math.max(0, Math.ceil((3 * w * n) / 8) + (off === 0 ? 0 : off)), Math.max(0, Math.ceil((3 * w * n) / 8) + (off === 0 ? 0 : off)))))),
    ),
);

const subjects: Subject[] = [
  {
    name: 'polar-pmd',
    make: () => new PolarPmdDriver({ mag: { sampleRateHz: 50, resolutionBits: 16, range: 50 }, factors: { acc: 0.00024, gyro: 0.06, mag: 0.001 } }),
    characteristics: [PMD_DATA, PMD_DATA, PMD_CONTROL],
    shaped: polarShaped,
  },
  {
    // H10: no gyroscope, so ACC frames become accelerometer-only blocks (GYRO frames: unsupported).
    name: 'polar-pmd (H10, acc only)',
    make: () => new PolarPmdDriver({ gyro: false, factors: { acc: 0.00024 } }),
    characteristics: [PMD_DATA, PMD_DATA, PMD_CONTROL],
    shaped: polarShaped,
    expectBlock: (b) => (b.gyrRadS !== undefined ? 'gyroscope in an H10 block' : b.accMS2 === undefined ? 'H10 block without acc' : null),
  },
  {
    name: 'movesense IMU9',
    make: () => new MovesenseDriver(),
    characteristics: [MOVESENSE_GSP.notify],
    shaped: cat(fc.constantFrom([2], [1]), fc.constantFrom([0x63], [0x64], [1]), bytes(4, 4), fc.integer({ min: 0, max: 4 }).chain((k) => bytes(36 * k, 36 * k))),
  },
  {
    name: 'movesense Acc+Gyro+Magn',
    make: () => new MovesenseDriver({ resources: ['Acc', 'Gyro', 'Magn'], rateHz: 52 }),
    characteristics: [MOVESENSE_GSP.notify],
    shaped: cat(fc.constant([2]), fc.constantFrom([0x63], [0x64], [0x65]), bytes(4, 4), fc.integer({ min: 0, max: 8 }).chain((k) => bytes(12 * k, 12 * k))),
  },
  {
    name: 'witmotion',
    make: () => new WitMotionDriver({ rateHz: 50 }),
    characteristics: [WITMOTION_NOTIFY],
    shaped: fc
      .array(fc.oneof(cat(fc.constantFrom([0x55, 0x61], [0x55, 0x71]), bytes(18, 18)), bytes(0, 5)), { maxLength: 4 })
      .chain((parts) => {
        const all = parts.flatMap((p) => [...p]);
        return fc.integer({ min: 0, max: all.length }).map((cut) => Uint8Array.from(all.slice(cut)));
      }),
  },
  {
    name: 'metawear',
    make: () => new MetaWearDriver(),
    characteristics: [METAWEAR_NOTIFY],
    shaped: cat(fc.constantFrom([0x03, 0x04], [0x13, 0x05], [0x03, 0x1c], [0x13, 0x07], [0x03, 0x80]), fc.constantFrom(6, 18, 5).chain((n) => bytes(n, n))),
  },
  {
    name: 'thingy52',
    make: () => new Thingy52Driver({ quaternion: true }),
    characteristics: [THINGY_RAW, THINGY_QUATERNION, CHR],
    shaped: fc.constantFrom(16, 18).chain((n) => bytes(n, n)),
  },
  {
    name: 'generic nordic-uart <I6f',
    make: () => new GenericProfileDriver(nordicUartProfile({ rateHz: 100 })),
    characteristics: [NORDIC_UART.tx],
    shaped: fc.integer({ min: 1, max: 4 }).chain((k) => bytes(28 * k, 28 * k)),
  },
  {
    name: 'generic arduino <9f',
    make: () => new GenericProfileDriver(arduinoNano33Profile({ service: SVC, characteristic: CHR, rateHz: 50, magnetometer: true })),
    characteristics: [CHR],
    shaped: bytes(36, 36),
  },
  {
    name: 'generic <H6h with a u16 counter',
    make: () =>
      new GenericProfileDriver({
        name: 'counter',
        service: SVC,
        notify: CHR,
        layout: '<H6h',
        rateHz: 100,
        fields: [
          { role: 'time', unit: 'ms' },
          ...(['accX', 'accY', 'accZ'] as const).map((role) => ({ role, unit: 'mg' })),
          ...(['gyrX', 'gyrY', 'gyrZ'] as const).map((role) => ({ role, unit: 'mdps', scale: 70 })),
        ],
      }),
    characteristics: [CHR],
    shaped: fc.integer({ min: 1, max: 3 }).chain((k) => bytes(14 * k, 14 * k)),
  },
];

/** Why a block is not well-formed, or null. (Plain checks: `expect` per value is slow.) */
function blockFault(b: SampleBlock): string | null {
  const n = b.tS.length;
  if (n === 0) return 'empty';
  if (b.accMS2 === undefined && b.gyrRadS !== undefined) return 'gyr without acc';
  for (const [name, a, w] of [
    ['acc', b.accMS2, 3],
    ['gyr', b.gyrRadS, 3],
    ['mag', b.magUT, 3],
    ['quat', b.quat, 4],
  ] as const) {
    if (!a) continue;
    if (a.length !== w * n) return `${name} length`;
    for (const v of a) if (!Number.isFinite(v)) return `${name} not finite`;
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(b.tS[i]!)) return 'tS not finite';
    if (i > 0 && !(b.tS[i]! > b.tS[i - 1]!)) return 'tS not increasing';
  }
  if (b.gapBeforeS !== undefined && !(b.gapBeforeS > 0)) return 'gapBeforeS';
  return null;
}

/** Blocks produced, per subject (to see that the shaped inputs reach the decoders). */
export const produced = new Map<string, number>();

function run(s: Subject, packets: readonly { data: Uint8Array; ch: number; dtS: number }[]): void {
  const d = s.make();
  let t = 0;
  for (const p of packets) {
    t += p.dtS;
    const view = new DataView(p.data.buffer, p.data.byteOffset, p.data.byteLength);
    let r;
    try {
      r = d.decode(view, t, s.characteristics[p.ch % s.characteristics.length]!);
    } catch (err) {
      throw new Error(`${s.name}: decode threw ${String(err)}`);
    }
    for (const problem of r.problems) {
      if (problem.driver !== d.driverName) throw new Error(`${s.name}: problem names driver ${problem.driver}`);
      if (problem instanceof BlePacketError && problem.kind === 'driver-bug') throw new Error(problem.message);
    }
    if (r.block) {
      const fault = blockFault(r.block) ?? s.expectBlock?.(r.block) ?? null;
      if (fault) throw new Error(`${s.name}: block ${fault}`);
      produced.set(s.name, (produced.get(s.name) ?? 0) + 1);
    }
  }
}

const packetsOf = (data: fc.Arbitrary<Uint8Array>) =>
  fc.array(fc.record({ data, ch: fc.nat(5), dtS: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })) }), { minLength: 1, maxLength: 25 });

describe('BLE decoders under random bytes', () => {
  afterAll(() => {
    // Shaped inputs must reach sample decoding for every driver, or the fuzz proves little.
    for (const s of subjects) expect(produced.get(s.name) ?? 0, s.name).toBeGreaterThan(20);
  });
  for (const s of subjects) {
    it(`${s.name}: random bytes never escape, every sample is finite`, () => {
      fc.assert(fc.property(packetsOf(bytes(0, 64)), (packets) => run(s, packets)), { numRuns: 150 });
    });
    it(`${s.name}: protocol-shaped garbage never escapes, every sample is finite`, () => {
      fc.assert(fc.property(packetsOf(s.shaped), (packets) => run(s, packets)), { numRuns: 200 });
    });
  }
});
