/**
 * Ready-made {@link GenericProfile}s: the Nordic UART Service (a byte pipe many DIY boards
 * use) and the common Arduino Nano 33 BLE sketch layout (float32 structs on one notify
 * characteristic, values straight from Arduino_LSM9DS1: g, deg/s, µT).
 */
import type { GenericField, GenericProfile } from './genericProfile';

export const NORDIC_UART = {
  service: '6e400001-b5a3-f393-e0a9-e50e24dcca9e',
  /** Host → device (write). */
  rx: '6e400002-b5a3-f393-e0a9-e50e24dcca9e',
  /** Device → host (notify). */
  tx: '6e400003-b5a3-f393-e0a9-e50e24dcca9e',
} as const;

const ACC_G: GenericField[] = [
  { role: 'accX', unit: 'g' },
  { role: 'accY', unit: 'g' },
  { role: 'accZ', unit: 'g' },
];
const GYR_DPS: GenericField[] = [
  { role: 'gyrX', unit: 'deg/s' },
  { role: 'gyrY', unit: 'deg/s' },
  { role: 'gyrZ', unit: 'deg/s' },
];
const MAG_UT: GenericField[] = [
  { role: 'magX', unit: 'uT' },
  { role: 'magY', unit: 'uT' },
  { role: 'magZ', unit: 'uT' },
];

export interface NordicUartProfileOptions {
  rateHz: number;
  /** Default `<I6f`: u32 ms timestamp, acc xyz in g, gyro xyz in deg/s. */
  layout?: string;
  /** Fields for a custom layout (required when `layout` is given). */
  fields?: readonly GenericField[];
  /** Bytes written to RX after subscribing (hex or bytes). */
  start?: string | Uint8Array;
  stop?: string | Uint8Array;
  namePrefix?: string;
  name?: string;
}

/** Records on the Nordic UART TX characteristic; commands go to RX. */
export function nordicUartProfile(options: NordicUartProfileOptions): GenericProfile {
  if (options.layout !== undefined && options.fields === undefined) throw new RangeError('nordicUartProfile: a custom layout needs its fields');
  const p: GenericProfile = {
    name: options.name ?? 'nordic-uart',
    service: NORDIC_UART.service,
    notify: NORDIC_UART.tx,
    write: NORDIC_UART.rx,
    layout: options.layout ?? '<I6f',
    fields: options.fields ?? [{ role: 'time', unit: 'ms' }, ...ACC_G, ...GYR_DPS],
    rateHz: options.rateHz,
    device: 'Nordic UART',
  };
  return {
    ...p,
    ...(options.start !== undefined ? { start: options.start } : {}),
    ...(options.stop !== undefined ? { stop: options.stop } : {}),
    ...(options.namePrefix !== undefined ? { namePrefix: options.namePrefix } : {}),
  };
}

export interface ArduinoNano33ProfileOptions {
  /** The sketch's own service and characteristic UUIDs (no standard exists). */
  service: string;
  characteristic: string;
  /** The sketch's send rate, Hz. */
  rateHz: number;
  /** The sketch sends magnetometer floats too (`<9f`). Default false (`<6f`). */
  magnetometer?: boolean;
  /** The sketch prefixes each record with `millis()` as u32 (`<I6f` / `<I9f`). Default false. */
  millis?: boolean;
  namePrefix?: string;
}

/** Arduino Nano 33 BLE (Sense): float32 acc (g), gyro (deg/s) [, mag (µT)] per record. */
export function arduinoNano33Profile(options: ArduinoNano33ProfileOptions): GenericProfile {
  const floats = options.magnetometer ? 9 : 6;
  const fields: GenericField[] = [...ACC_G, ...GYR_DPS, ...(options.magnetometer ? MAG_UT : [])];
  const p: GenericProfile = {
    name: 'arduino-nano33',
    service: options.service,
    notify: options.characteristic,
    layout: options.millis ? `<I${floats}f` : `<${floats}f`,
    fields: options.millis ? [{ role: 'time', unit: 'ms' }, ...fields] : fields,
    rateHz: options.rateHz,
    device: 'Arduino Nano 33 BLE',
  };
  return options.namePrefix !== undefined ? { ...p, namePrefix: options.namePrefix } : p;
}
