/**
 * Link state of each live sensor of a multi-sensor stream (two-sensor presets), DOM-free: what
 * the status list under Connect shows per sensor: its name, connecting / connected /
 * reconnecting / link dropped / stopped, and "signal lost" when it has been silent longer than
 * `SIGNAL_LOST_S` (the other sensor may still be streaming).
 */
import type { SensorEvent } from '../../../src/index';
import { SIGNAL_LOST_S } from './warnings';
import type { WatchedSensor } from './warnings';

/** The two-sensor presets' sensors, in the order the therapist connects them; ids as KneeMeter expects. */
export const TWO_SENSORS: readonly WatchedSensor[] = [{ sensorId: 'thigh', label: 'thigh' }, { sensorId: 'shank', label: 'shank' }];

export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'stopped';

export interface SensorLine {
  readonly sensorId: string;
  readonly link: LinkState;
  readonly signal: 'ok' | 'lost';
  readonly text: string;
}

/** What the board needs from the warning monitor: each watched sensor's silence. */
export interface SilenceView { silentS(sensorId: string, nowMs: number): number }

interface Entry { readonly sensorId: string; readonly label: string; readonly name: string; link: LinkState; attempt: number }

export const cap = (s: string): string => `${s[0]!.toUpperCase()}${s.slice(1)}`;

export class LinkBoard {
  private readonly entries: Entry[];

  constructor(sensors: readonly (WatchedSensor & { readonly name: string })[]) {
    this.entries = sensors.map((s) => ({ ...s, link: 'connecting', attempt: 0 }));
  }

  onEvent(sensorId: string, e: Exclude<SensorEvent, { type: 'block' }>): void {
    const x = this.entries.find((s) => s.sensorId === sensorId);
    if (!x || x.link === 'stopped') return;
    if (e.type === 'connected') x.link = 'connected';
    else if (e.type === 'disconnected') x.link = 'disconnected';
    else if (e.type === 'reconnecting') { x.link = 'reconnecting'; x.attempt = e.attempt; }
  }

  allConnected(): boolean {
    return this.entries.every((s) => s.link === 'connected');
  }

  /** Stop pressed (or the stream ended): every sensor is being disconnected. */
  stopAll(): void {
    for (const s of this.entries) s.link = 'stopped';
  }

  items(silence: SilenceView | undefined, nowMs: number, streaming: boolean): SensorLine[] {
    return this.entries.map((s) => {
      const silentS = silence?.silentS(s.sensorId, nowMs) ?? NaN;
      const lost = streaming && s.link !== 'stopped' && silentS > SIGNAL_LOST_S;
      const link = s.link === 'connecting' ? 'connecting…' : s.link === 'reconnecting' ? `reconnecting (attempt ${s.attempt})…` : s.link === 'disconnected' ? 'link dropped' : s.link === 'stopped' ? 'disconnected (stopped)' : 'connected';
      const text = `${cap(s.label)} sensor: ${s.name}, ${link}${lost ? `, signal lost (no data for ${silentS.toFixed(1)} s)` : ''}`;
      return { sensorId: s.sensorId, link: s.link, signal: lost ? 'lost' : 'ok', text };
    });
  }
}
