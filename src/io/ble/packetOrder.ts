/**
 * Where a packet sits in its stream, read from its bytes before decoding: what the reorder
 * buffer sorts by. Only sensors that number or timestamp their frames have an order; for the
 * others (and for command answers) the function returns null and the packet passes straight
 * through.
 */
import { MOVESENSE_FIRST_REF, MOVESENSE_RESP } from './movesense';
import type { MovesenseResource } from './movesense';
import { PMD_DATA, PMD_MEASUREMENT, decodePmdSamples, parsePmdFrameHeader } from './polarPmdProtocol';
import { canonicalUuid } from './uuid';

export interface PacketOrder {
  /** Which stream of the device the packet belongs to (each has its own sequence). */
  readonly stream: string;
  /** Increasing along the stream: a frame counter or the sensor timestamp of the frame. */
  readonly key: number;
  /** Samples the packet carries (for the accounting of duplicates, which are never decoded). */
  readonly samples: number;
}

export type PacketOrderFn = (value: DataView, characteristicUuid: string) => PacketOrder | null;

const MOVESENSE_VECTORS: Readonly<Record<MovesenseResource, number>> = { IMU6: 2, IMU9: 3, Acc: 1, Gyro: 1, Magn: 1 };

/**
 * Movesense GSP data packets: `[2, ref, u32 ms of the first sample, float32 vectors…]`, one
 * sequence per subscription reference. `resources` as given to the driver (same order: the
 * references are assigned from {@link MOVESENSE_FIRST_REF} in that order, repeats removed).
 */
export function movesensePacketOrder(resources: readonly MovesenseResource[] = ['IMU9']): PacketOrderFn {
  const byRef = new Map<number, MovesenseResource>();
  [...new Set(resources)].forEach((r, i) => byRef.set(MOVESENSE_FIRST_REF + i, r));
  return (value) => {
    if (value.byteLength < 6 || value.getUint8(0) !== MOVESENSE_RESP.DATA) return null;
    const resource = byRef.get(value.getUint8(1));
    if (!resource) return null;
    const sampleBytes = 12 * MOVESENSE_VECTORS[resource];
    const payload = value.byteLength - 6;
    // Malformed packets pass through: the driver reports them.
    if (payload < sampleBytes || payload % sampleBytes !== 0) return null;
    return { stream: resource, key: value.getUint32(2, true), samples: payload / sampleBytes };
  };
}

const PMD_STREAMS: Readonly<Record<number, 'acc' | 'gyro' | 'mag'>> = { [PMD_MEASUREMENT.ACC]: 'acc', [PMD_MEASUREMENT.GYRO]: 'gyro', [PMD_MEASUREMENT.MAG]: 'mag' };

/**
 * Polar PMD data frames on the data characteristic: `[type, u64 ns of the LAST sample, frame
 * type, samples…]`, one sequence per measurement type. The sample count of a compressed frame
 * depends on the stream's resolution (as started: 16 bits unless configured otherwise). The
 * key is the timestamp in ns as a double: exact ordering, ~0.1 µs granularity.
 */
export function polarPmdPacketOrder(resolutionBits: Partial<Record<'acc' | 'gyro' | 'mag', number>> = {}): PacketOrderFn {
  const data = canonicalUuid(PMD_DATA);
  return (value, characteristicUuid) => {
    if (canonicalUuid(characteristicUuid) !== data) return null;
    const header = parsePmdFrameHeader(value);
    const stream = header ? PMD_STREAMS[header.measurementType] : undefined;
    if (!header || !stream) return null;
    // Counting needs the samples decoded; the scale does not matter here. Frames that do not decode pass through.
    const d = decodePmdSamples(value, header, { resolutionBits: resolutionBits[stream] ?? 16, factor: 1 });
    return d.ok ? { stream, key: Number(header.timestampNs), samples: d.n } : null;
  };
}
