/**
 * The `info` summary of one sensor: a stable JSON shape, and its human-readable rendering.
 * Kept apart from the command so the rendering can be tested on hand-made summaries.
 */
import type { SensorInfo } from '../samples/block';
import { internalUnit } from '../samples/units';
import type { ChannelDescription } from '../io/format';
import type { ProblemKind, ValidationReport } from '../samples/validate';

export interface InfoGap {
  /** Index of the first sample after the gap. */
  readonly index: number;
  /** File line of that sample, when known. */
  readonly line: number | null;
  readonly startS: number;
  readonly lengthS: number;
  readonly missingSamples: number;
}

export interface InfoProblem {
  readonly kind: ProblemKind;
  readonly index: number;
  readonly line: number | null;
  readonly tS: number;
  readonly channel: string;
  /** What is wrong, without the sensor/sample prefix. */
  readonly message: string;
}

/** JSON shape of one sensor in `kinemetry info --json` (absent values are null, never missing). */
export interface InfoSensor {
  readonly sensorId: string;
  readonly file: string;
  readonly format: string;
  readonly placement: string | null;
  readonly side: 'left' | 'right' | null;
  readonly device: string | null;
  readonly extra: Readonly<Record<string, string>>;
  readonly samples: number;
  readonly nominalRateHz: number | null;
  readonly measuredRateHz: number | null;
  readonly startS: number;
  readonly endS: number;
  readonly durationS: number;
  readonly channels: readonly {
    readonly channel: string;
    readonly columns: readonly string[];
    /** Unit in the file. */
    readonly unit: string;
    /** Unit after reading (kinemetry's internal unit). */
    readonly internalUnit: string;
  }[];
  readonly gaps: {
    readonly count: number;
    readonly totalS: number;
    readonly missingSamples: number;
    /** Period gaps were judged against, s (null when unknown). */
    readonly periodS: number | null;
    readonly first: readonly InfoGap[];
  };
  readonly saturation: {
    /** Whether a full-scale range was given for the channel (else only flagged samples count). */
    readonly checked: { readonly acc: boolean; readonly gyr: boolean; readonly mag: boolean };
    readonly acc: number;
    readonly gyr: number;
    readonly mag: number;
  };
  readonly problems: {
    readonly count: number;
    readonly byKind: Readonly<Record<ProblemKind, number>>;
    readonly first: readonly InfoProblem[];
  };
  /** No problems (gaps and saturation are reported, not failures). */
  readonly ok: boolean;
  /** One-line verdict, e.g. `OK`, `OK, 2 gaps`, `3 problems: 2 NaN, 1 duplicate time`. */
  readonly verdict: string;
}

export interface InfoJson {
  readonly kinemetry: string;
  readonly sensors: readonly InfoSensor[];
}

const KIND_LABEL: Readonly<Record<ProblemKind, string>> = {
  nan: 'NaN',
  infinite: 'infinite',
  'non-monotonic-time': 'non-monotonic time',
  'duplicate-time': 'duplicate time',
  'non-unit-quaternion': 'non-unit quaternion',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const finiteOrNull = (x: number | undefined) => (x !== undefined && Number.isFinite(x) && x > 0 ? x : null);

/** The validator's message without its `sensor sample i (t = … s): ` prefix. */
function bareMessage(message: string): string {
  const m = /^.* sample \d+ \(t = [^)]*\): (.*)$/s.exec(message);
  return m ? m[1]! : message;
}

export interface SummaryInput {
  readonly file: string;
  readonly format: string;
  readonly info: SensorInfo;
  readonly channels: readonly ChannelDescription[];
  readonly report: ValidationReport;
  readonly saturationChecked: { acc: boolean; gyr: boolean; mag: boolean };
  readonly lineOfSample: (index: number) => number | undefined;
  /** Gaps and problems listed individually. */
  readonly maxItems: number;
}

export function summarise(s: SummaryInput): InfoSensor {
  const r = s.report;
  const problemCount = Object.values(r.problemCounts).reduce((a, b) => a + b, 0);
  const line = (i: number) => s.lineOfSample(i) ?? null;
  const sensor: Omit<InfoSensor, 'verdict'> = {
    sensorId: s.info.sensorId,
    file: s.file,
    format: s.format,
    placement: s.info.placement ?? null,
    side: s.info.side ?? null,
    device: s.info.device ?? null,
    extra: { ...(s.info.extra ?? {}) },
    samples: r.samples,
    // Declared by the recording; gaps are judged against the measured period (gaps.periodS),
    // so a wrong declared rate shows up as a rate mismatch, not as thousands of gaps.
    nominalRateHz: finiteOrNull(s.info.rateHz ?? r.nominalRateHz),
    measuredRateHz: finiteOrNull(r.measuredRateHz),
    startS: r.startS,
    endS: r.endS,
    durationS: r.durationS,
    channels: s.channels.map((c) => ({
      channel: c.channel,
      columns: [...c.columns],
      unit: c.unit.name,
      internalUnit: internalUnit(c.unit.quantity).name,
    })),
    gaps: {
      count: r.gapCount,
      totalS: r.gapTotalS,
      missingSamples: r.missingSamples,
      periodS: finiteOrNull(r.gapPeriodS),
      first: r.gaps.slice(0, s.maxItems).map((g) => ({
        index: g.index,
        line: line(g.index),
        startS: g.startS,
        lengthS: g.lengthS,
        missingSamples: g.missingSamples,
      })),
    },
    saturation: { checked: { ...s.saturationChecked }, ...r.saturatedSamples },
    problems: {
      count: problemCount,
      byKind: { ...r.problemCounts },
      first: r.problems.slice(0, s.maxItems).map((p) => ({
        kind: p.kind,
        index: p.index,
        line: line(p.index),
        tS: p.tS,
        channel: p.channel,
        message: bareMessage(p.message),
      })),
    },
    ok: r.ok,
  };
  return { ...sensor, verdict: verdict(sensor) };
}

function verdict(s: Omit<InfoSensor, 'verdict'>): string {
  if (s.problems.count > 0) {
    const kinds = (Object.entries(s.problems.byKind) as [ProblemKind, number][])
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${KIND_LABEL[k]}`);
    return `${plural(s.problems.count, 'problem')}: ${kinds.join(', ')}`;
  }
  const notes: string[] = [];
  if (s.gaps.count > 0) notes.push(plural(s.gaps.count, 'gap'));
  const sat = s.saturation.acc + s.saturation.gyr + s.saturation.mag;
  if (sat > 0) notes.push(`${plural(sat, 'saturated sample')}`);
  return notes.length > 0 ? `OK, ${notes.join(', ')}` : 'OK';
}

// ---- human-readable rendering ----

/** Seconds with at most 3 decimals, trailing zeros dropped. */
export function formatSeconds(x: number): string {
  return `${Number(x.toFixed(3))} s`;
}

/** Duration for people: `42.5 s`, `6 min 0.0 s`, `1 h 02 min 03 s`. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  if (s < 60) return formatSeconds(s);
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return `${m} min ${(s - 60 * m).toFixed(1)} s`;
  }
  const h = Math.floor(s / 3600);
  const m = Math.floor((s - 3600 * h) / 60);
  const sec = Math.round(s - 3600 * h - 60 * m);
  return `${h} h ${String(m).padStart(2, '0')} min ${String(sec).padStart(2, '0')} s`;
}

function formatRate(hz: number): string {
  return `${Number(hz.toFixed(hz >= 100 ? 2 : 3))} Hz`;
}

const LABEL_WIDTH = 12;
const row = (label: string, text: string) => `  ${label.padEnd(LABEL_WIDTH)}${text}`;
const more = (text: string) => `  ${''.padEnd(LABEL_WIDTH)}  ${text}`;

const CHANNEL_LABEL: Readonly<Record<string, string>> = { tS: 'time', acc: 'acc', gyr: 'gyr', mag: 'mag', quat: 'quat' };

function channelText(c: InfoSensor['channels'][number]): string {
  const label = CHANNEL_LABEL[c.channel] ?? c.channel;
  if (c.channel === 'quat') return label;
  return `${label} [${c.unit === c.internalUnit ? c.unit : `${c.unit} → ${c.internalUnit}`}]`;
}

function at(line: number | null, tS: number): string {
  return line !== null ? `line ${line}, t = ${formatSeconds(tS)}` : `t = ${formatSeconds(tS)}`;
}

export function formatSensorText(s: InfoSensor): string {
  const out: string[] = [`${s.sensorId} — ${s.verdict}`];
  out.push(row('file', `${s.file} (${s.format})`));
  const meta: string[] = [];
  if (s.placement !== null) meta.push(`placement ${s.placement}`);
  if (s.side !== null) meta.push(`${s.side} side`);
  if (s.device !== null) meta.push(`device ${s.device}`);
  for (const [k, v] of Object.entries(s.extra)) meta.push(`${k}: ${v}`);
  if (meta.length > 0) out.push(row('metadata', meta.join('; ')));
  out.push(row('samples', String(s.samples)));
  const rate: string[] = [];
  rate.push(s.nominalRateHz !== null ? `${formatRate(s.nominalRateHz)} nominal` : 'no nominal rate declared');
  rate.push(s.measuredRateHz !== null ? `${formatRate(s.measuredRateHz)} measured` : 'not measurable');
  if (s.nominalRateHz !== null && s.measuredRateHz !== null) {
    const dev = (s.measuredRateHz / s.nominalRateHz - 1) * 100;
    if (Math.abs(dev) >= 1) rate.push(`(${dev > 0 ? '+' : ''}${dev.toFixed(1)} % off nominal)`);
  }
  out.push(row('rate', rate.join(', ')));
  out.push(row('time', `${formatSeconds(s.startS)} → ${formatSeconds(s.endS)} (${formatDuration(s.durationS)})`));
  out.push(row('channels', s.channels.map(channelText).join(', ')));
  if (s.gaps.count === 0) {
    out.push(row('gaps', 'none'));
  } else {
    out.push(
      row('gaps', `${s.gaps.count} (${formatDuration(s.gaps.totalS)} missing, ~${plural(s.gaps.missingSamples, 'dropped sample')})`),
    );
    for (const g of s.gaps.first) {
      out.push(more(`after ${formatSeconds(g.startS)}${g.line !== null ? ` (before line ${g.line})` : ''}: ${formatSeconds(g.lengthS)} missing, ~${plural(g.missingSamples, 'sample')}`));
    }
    if (s.gaps.count > s.gaps.first.length) out.push(more(`… and ${s.gaps.count - s.gaps.first.length} more`));
  }
  const checked = (['acc', 'gyr', 'mag'] as const).filter((c) => s.saturation.checked[c]);
  const flagged = (['acc', 'gyr', 'mag'] as const).filter((c) => s.saturation[c] > 0);
  if (checked.length === 0 && flagged.length === 0) {
    out.push(row('saturation', 'not checked (give --acc-range, --gyr-range, --mag-range)'));
  } else {
    const parts = (['acc', 'gyr', 'mag'] as const)
      .filter((c) => s.saturation.checked[c] || s.saturation[c] > 0)
      .map((c) => `${c} ${plural(s.saturation[c], 'sample')}`);
    out.push(row('saturation', parts.join(', ')));
  }
  if (s.problems.count === 0) {
    out.push(row('problems', 'none'));
  } else {
    const kinds = (Object.entries(s.problems.byKind) as [ProblemKind, number][])
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${KIND_LABEL[k]}`);
    out.push(row('problems', `${s.problems.count}: ${kinds.join(', ')}`));
    for (const p of s.problems.first) out.push(more(`${at(p.line, p.tS)}: ${p.message}`));
    if (s.problems.count > s.problems.first.length) out.push(more(`… and ${s.problems.count - s.problems.first.length} more`));
  }
  return out.join('\n') + '\n';
}

/** All sensors, then a session line when there are several. */
export function formatInfoText(sensors: readonly InfoSensor[]): string {
  const parts = sensors.map(formatSensorText);
  if (sensors.length > 1) {
    const bad = sensors.filter((s) => !s.ok).length;
    const start = Math.max(...sensors.map((s) => s.startS));
    const end = Math.min(...sensors.map((s) => s.endS));
    const span = end > start ? `all sensors overlap ${formatSeconds(start)} → ${formatSeconds(end)} (${formatDuration(end - start)})` : 'the sensors do not overlap in time';
    parts.push(`${sensors.length} sensors: ${bad === 0 ? 'all OK' : `${sensors.length - bad} OK, ${bad} with problems`}; ${span}\n`);
  }
  return parts.join('\n');
}
