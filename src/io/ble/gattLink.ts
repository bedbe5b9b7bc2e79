/**
 * A connected GATT server as drivers use it: characteristics looked up once, notifications
 * routed to one handler, writes, reads, and request/response exchanges (write a command,
 * wait for the matching notification) with a timeout.
 */
import { BleCommandError, BleGattError } from './errors';
import { bytesToHex } from './hex';
import type { BleCharacteristicLike, BleGattServerLike, BleValueEvent } from './transport';
import { canonicalUuid } from './uuid';

/** Called for every notification on a subscribed characteristic. */
export type NotificationHandler = (characteristicUuid: string, value: DataView) => void;

/** Default wait for a command's answer. Devices answer in a few connection intervals (≤ 0.5 s). */
export const DEFAULT_RESPONSE_TIMEOUT_MS = 5000;

interface Waiter {
  readonly characteristic: string;
  readonly match: (value: DataView) => boolean;
  readonly resolve: (value: DataView) => void;
}

export class GattLink {
  private readonly cache = new Map<string, Promise<BleCharacteristicLike>>();
  private readonly subscriptions = new Map<string, { char: BleCharacteristicLike; listener: (e: BleValueEvent) => void }>();
  private readonly waiters = new Set<Waiter>();

  constructor(
    readonly server: BleGattServerLike,
    private readonly onNotification: NotificationHandler,
    /** Timeout for {@link request}, ms. */
    readonly responseTimeoutMs: number = DEFAULT_RESPONSE_TIMEOUT_MS,
  ) {}

  /** The characteristic, looked up once. Throws {@link BleGattError} when the service or characteristic is missing. */
  characteristic(serviceUuid: string, characteristicUuid: string): Promise<BleCharacteristicLike> {
    const service = canonicalUuid(serviceUuid);
    const uuid = canonicalUuid(characteristicUuid);
    const key = `${service}/${uuid}`;
    let found = this.cache.get(key);
    if (!found) {
      found = (async () => {
        let s;
        try {
          s = await this.server.getPrimaryService(service);
        } catch (err) {
          throw new BleGattError(service, `service not available: ${(err as Error)?.message ?? err}`, err);
        }
        try {
          return await s.getCharacteristic(uuid);
        } catch (err) {
          throw new BleGattError(uuid, `characteristic not available in service ${service}: ${(err as Error)?.message ?? err}`, err);
        }
      })();
      found.catch(() => this.cache.delete(key));
      this.cache.set(key, found);
    }
    return found;
  }

  /** Whether the server has the service (for drivers that accept several UUID sets). */
  async hasService(serviceUuid: string): Promise<boolean> {
    try {
      await this.server.getPrimaryService(canonicalUuid(serviceUuid));
      return true;
    } catch {
      return false;
    }
  }

  /** Enable notifications (or indications) and route them to the handler. */
  async subscribe(serviceUuid: string, characteristicUuid: string): Promise<void> {
    const uuid = canonicalUuid(characteristicUuid);
    if (this.subscriptions.has(uuid)) return;
    const char = await this.characteristic(serviceUuid, uuid);
    const listener = (event: BleValueEvent): void => {
      const value = (event.target as BleCharacteristicLike | null)?.value ?? char.value;
      if (value) this.dispatch(uuid, value);
    };
    // Listen before enabling so that nothing sent right after the CCCD write is missed.
    char.addEventListener('characteristicvaluechanged', listener);
    this.subscriptions.set(uuid, { char, listener });
    try {
      await char.startNotifications();
    } catch (err) {
      char.removeEventListener('characteristicvaluechanged', listener);
      this.subscriptions.delete(uuid);
      throw new BleGattError(uuid, `notifications could not be started: ${(err as Error)?.message ?? err}`, err);
    }
  }

  /** Stop every subscription (errors ignored: the link may already be down). */
  async unsubscribeAll(): Promise<void> {
    const subs = [...this.subscriptions.values()];
    this.subscriptions.clear();
    for (const { char, listener } of subs) {
      char.removeEventListener('characteristicvaluechanged', listener);
      if (this.server.connected) await char.stopNotifications().catch(() => undefined);
    }
  }

  async write(serviceUuid: string, characteristicUuid: string, bytes: Uint8Array, withResponse = true): Promise<void> {
    const char = await this.characteristic(serviceUuid, characteristicUuid);
    const fn = withResponse
      ? (char.writeValueWithResponse ?? char.writeValue)
      : (char.writeValueWithoutResponse ?? char.writeValue ?? char.writeValueWithResponse);
    if (!fn) throw new BleGattError(char.uuid, 'characteristic offers no write method');
    await fn.call(char, bytes);
  }

  async read(serviceUuid: string, characteristicUuid: string): Promise<DataView> {
    const char = await this.characteristic(serviceUuid, characteristicUuid);
    return char.readValue();
  }

  /**
   * Write `command` and wait for the first notification on `responseUuid` that `match` accepts.
   * The characteristic must be subscribed. Throws {@link BleCommandError} on timeout.
   */
  async request(
    driver: string,
    serviceUuid: string,
    writeUuid: string,
    command: Uint8Array,
    responseUuid: string,
    match: (value: DataView) => boolean,
  ): Promise<DataView> {
    let waiter!: Waiter;
    const answered = new Promise<DataView>((resolve) => {
      waiter = { characteristic: canonicalUuid(responseUuid), match, resolve };
    });
    this.waiters.add(waiter);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BleCommandError(driver, bytesToHex(command), `no answer within ${this.responseTimeoutMs} ms`)),
        this.responseTimeoutMs,
      );
    });
    try {
      await this.write(serviceUuid, writeUuid, command);
      return await Promise.race([answered, timeout]);
    } finally {
      clearTimeout(timer);
      this.waiters.delete(waiter);
    }
  }

  private dispatch(uuid: string, value: DataView): void {
    for (const w of this.waiters) {
      if (w.characteristic === uuid && safeMatch(w.match, value)) {
        this.waiters.delete(w);
        w.resolve(value);
      }
    }
    this.onNotification(uuid, value);
  }
}

function safeMatch(match: (value: DataView) => boolean, value: DataView): boolean {
  try {
    return match(value);
  } catch {
    return false;
  }
}
