/**
 * The page's warnings, DOM-free and clock-explicit (every time is passed in, so tests drive it):
 * calibrating, out of plane, sensor slipped, signal lost (no data arriving from a live sensor,
 * or a gap inside the data of any source), calibration stale, magnetic disturbance, link events.
 */
import type { SampleBlock } from '../../../src/index';

export type WarningId = 'calibrating' | 'out-of-plane' | 'slipped' | 'signal-lost' | 'data-gap' | 'calibration-stale' | 'magnetic' | 'link';
export interface Warning {
  readonly id: WarningId;
  readonly text: string;
  /** The sensor it concerns, when several stream at once (e.g. `thigh`). */
  readonly sensorId?: string;
}

/** A live sensor the monitor watches on its own (two-sensor presets): id as in its blocks, label for the text. */
export interface WatchedSensor { readonly sensorId: string; readonly label: string }

/** What the measurement reports (RomMeter / KneeMeter). */
export interface MeterView {
  readonly state: 'waiting-still' | 'finding-axis' | 'measuring';
  readonly outOfPlane: boolean;
  readonly slipped: boolean;
  readonly restOffsetDeg: number;
}

export const SIGNAL_LOST_S = 1.5;
export const CALIBRATION_STALE_S = 10 * 60;

const f1 = (x: number): string => x.toFixed(1);

export class WarningMonitor {
  private lastBlockMs = NaN;
  /** Per watched sensor: wall time of its last block, ms. */
  private readonly lastBlockMsOf = new Map<string, number>();
  /** Per sensor: time of its last sample, s (gaps are within one sensor's stream). */
  private readonly lastSampleS = new Map<string, number>();
  private calibratedMs = NaN;
  private calibratedStreamS = NaN;
  private streamS = NaN;
  private gap: { atS: number; gapS: number } | undefined;
  private magSeenClean = false;
  private magDisturbed = false;
  private events: string[] = [];

  /**
   * `live`: a sensor streaming now (wall-clock silence counts); else a replay (only data gaps do).
   * `sensors`: live sensors whose silence is reported one by one (one quiet sensor of two is
   * lost even while the other streams); without it, silence of the whole stream counts.
   */
  constructor(readonly live: boolean, startMs: number, readonly sensors: readonly WatchedSensor[] = []) {
    this.lastBlockMs = startMs;
    for (const s of sensors) this.lastBlockMsOf.set(s.sensorId, startMs);
  }

  /** Seconds since the watched sensor's last block (or since the start), NaN if not watched. */
  silentS(sensorId: string, nowMs: number): number {
    const t = this.lastBlockMsOf.get(sensorId);
    return t === undefined ? NaN : (nowMs - t) / 1000;
  }

  /** A block arrived at wall time `nowMs`; `magDisturbed` is the fusion filter's flag after it (undefined: no magnetometer). */
  onBlock(b: SampleBlock, nowMs: number, magDisturbed?: boolean): void {
    this.lastBlockMs = nowMs;
    const id = b.info.sensorId;
    if (this.lastBlockMsOf.has(id)) this.lastBlockMsOf.set(id, nowMs);
    const n = b.tS.length;
    if (n === 0) return;
    const t0 = b.tS[0]!;
    const prevS = this.lastSampleS.get(id);
    const gapS = b.gapBeforeS ?? (prevS !== undefined ? t0 - prevS : 0);
    if (gapS > SIGNAL_LOST_S) this.gap = { atS: t0 - gapS, gapS };
    this.lastSampleS.set(id, b.tS[n - 1]!);
    this.streamS = Number.isFinite(this.streamS) ? Math.max(this.streamS, b.tS[n - 1]!) : b.tS[n - 1]!;
    if (magDisturbed !== undefined) {
      // Until the filter has seen one undisturbed field it has no reference, and reports "disturbed".
      if (!magDisturbed) this.magSeenClean = true;
      this.magDisturbed = magDisturbed && this.magSeenClean;
    }
  }

  /** The static zero was taken now. */
  onCalibrated(nowMs: number): void {
    this.calibratedMs = nowMs;
    this.calibratedStreamS = this.streamS;
  }

  onLinkEvent(text: string | undefined): void {
    if (text === undefined) this.events = [];
    else this.events = [...this.events.slice(-1), text];
  }

  /** Calibration age, s: wall time for a live sensor, the recording's own time for a replay. */
  calibrationAgeS(nowMs: number): number {
    return this.live ? (nowMs - this.calibratedMs) / 1000 : this.streamS - this.calibratedStreamS;
  }

  list(meter: MeterView | undefined, nowMs: number, streaming: boolean): Warning[] {
    const w: Warning[] = [];
    if (meter?.state === 'waiting-still') w.push({ id: 'calibrating', text: 'Calibrating: hold the neutral pose still (static zero).' });
    if (meter?.state === 'finding-axis') w.push({ id: 'calibrating', text: 'Calibrating: bend the knee fully and straighten it (finding the knee axis).' });
    if (meter?.outOfPlane) w.push({ id: 'out-of-plane', text: 'Segment out of the measurement plane (> 15°): readings not counted.' });
    if (meter?.slipped) w.push({ id: 'slipped', text: `Sensor slipped? At rest it reads ${Math.round(meter.restOffsetDeg)}° instead of 0°. Re-strap it and re-zero (Stop, then start again).` });
    if (this.live && streaming && this.sensors.length > 0) {
      for (const s of this.sensors) {
        const silentS = this.silentS(s.sensorId, nowMs);
        if (silentS > SIGNAL_LOST_S) w.push({ id: 'signal-lost', sensorId: s.sensorId, text: `Signal lost from the ${s.label} sensor: no data for ${f1(silentS)} s. Check it is on and within range.` });
      }
    } else {
      const silentS = (nowMs - this.lastBlockMs) / 1000;
      if (this.live && streaming && silentS > SIGNAL_LOST_S) w.push({ id: 'signal-lost', text: `Signal lost: no data for ${f1(silentS)} s. Check the sensor is on and within range.` });
    }
    if (this.gap) w.push({ id: 'data-gap', text: `Signal lost for ${f1(this.gap.gapS)} s at ${f1(this.gap.atS)} s of the recording: no data, no trial taken across it.` });
    const ageS = this.calibrationAgeS(nowMs);
    if (ageS > CALIBRATION_STALE_S) w.push({ id: 'calibration-stale', text: `Calibration stale: zeroed ${Math.floor(ageS / 60)} min ago (over ${CALIBRATION_STALE_S / 60} min). Re-zero.` });
    if (this.magDisturbed) w.push({ id: 'magnetic', text: 'Magnetic disturbance near the sensor (metal, phone, motor): its compass is off. Angles here use gravity and the gyroscope only, but keep metal away.' });
    for (const e of this.events) w.push({ id: 'link', text: e });
    return w;
  }
}
