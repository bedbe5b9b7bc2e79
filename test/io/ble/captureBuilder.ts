/** Builds BLE captures in tests, going through the text format so that it is exercised too. */
import { formatBleCapture, parseBleCapture } from '../../../src/io/ble/capture';
import type { BleCapture, BleCaptureEvent, BleCaptureService } from '../../../src/io/ble/capture';
import { FakeTransport } from '../../../src/io/ble/fakeTransport';

export class CaptureBuilder {
  tS = 0;
  private readonly services: BleCaptureService[] = [];
  private readonly events: BleCaptureEvent[] = [];
  constructor(private readonly deviceName?: string) {}
  service(uuid: string, ...characteristics: string[]): this {
    this.services.push({ uuid, characteristics });
    return this;
  }
  at(tS: number): this {
    this.tS = tS;
    return this;
  }
  read(characteristic: string, bytes: ArrayLike<number>): this {
    this.events.push({ tS: this.tS, op: 'read', characteristic, bytes: Uint8Array.from(bytes) });
    return this;
  }
  write(characteristic: string, bytes: ArrayLike<number>): this {
    this.events.push({ tS: this.tS, op: 'write', characteristic, bytes: Uint8Array.from(bytes) });
    return this;
  }
  notify(characteristic: string, bytes: ArrayLike<number>, dtS = 0): this {
    this.tS += dtS;
    this.events.push({ tS: this.tS, op: 'notify', characteristic, bytes: Uint8Array.from(bytes) });
    return this;
  }
  disconnect(dtS = 0): this {
    this.tS += dtS;
    this.events.push({ tS: this.tS, op: 'disconnect' });
    return this;
  }
  build(): BleCapture {
    const c: BleCapture = { services: this.services, events: this.events };
    return parseBleCapture(formatBleCapture(this.deviceName !== undefined ? { ...c, deviceName: this.deviceName } : c));
  }
  fake(): FakeTransport {
    return new FakeTransport(this.build());
  }
}
