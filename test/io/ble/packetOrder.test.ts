import { describe, expect, it } from 'vitest';
import { movesensePacketOrder, polarPmdPacketOrder } from '../../../src/io/ble/packetOrder';
import { PMD_CONTROL, PMD_DATA } from '../../../src/io/ble/polarPmdProtocol';
import { MOVESENSE_GSP } from '../../../src/io/ble/movesense';
import { f32, i16, packDeltas, u32, u64, view } from './bytes';

describe('packet order functions', () => {
  it('Movesense: stream by reference, key = the u32 ms stamp, samples from the length; others pass through', () => {
    const order = movesensePacketOrder(['IMU6', 'Magn']);
    const imu6 = view([2, 0x63, ...u32(123456), ...f32(...new Array(6 * 3).fill(1))]);
    const magn = view([2, 0x64, ...u32(99), ...f32(...new Array(3 * 2).fill(1))]);
    expect(order(imu6, MOVESENSE_GSP.notify)).toEqual({ stream: 'IMU6', key: 123456, samples: 3 });
    expect(order(magn, MOVESENSE_GSP.notify)).toEqual({ stream: 'Magn', key: 99, samples: 2 });
    expect(order(view([1, 0x63, 200, 0]), MOVESENSE_GSP.notify)).toBeNull(); // a command answer
    expect(order(view([2, 0x65, ...u32(1), ...f32(1, 2, 3)]), MOVESENSE_GSP.notify)).toBeNull(); // not subscribed
    expect(order(view([2, 0x63, ...u32(1), 0, 0, 0]), MOVESENSE_GSP.notify)).toBeNull(); // malformed: the driver reports it
  });

  it('Polar PMD: stream by measurement, key = the ns stamp, samples counted in compressed and raw frames', () => {
    const order = polarPmdPacketOrder();
    const ts = 700_000_000_000_000_000n;
    const ref = [...i16(10), ...i16(-20), ...i16(1000)];
    const gyro = view([5, ...u64(ts), 0x80, ...ref, 4, 2, ...packDeltas(4, [[1, -1, 0], [2, 0, -2]])]);
    const acc = view([2, ...u64(ts + 19_230_769n), 0x01, ...i16(1), ...i16(2), ...i16(3), ...i16(4), ...i16(5), ...i16(6)]);
    expect(order(gyro, PMD_DATA)).toEqual({ stream: 'gyro', key: Number(ts), samples: 3 });
    const a = order(acc, PMD_DATA)!;
    expect(a).toMatchObject({ stream: 'acc', samples: 2 });
    expect(a.key).toBeGreaterThan(Number(ts));
    expect(order(gyro, PMD_CONTROL)).toBeNull();
    expect(order(view([2, 1, 2]), PMD_DATA)).toBeNull();
  });
});
