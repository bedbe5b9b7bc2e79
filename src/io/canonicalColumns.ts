/**
 * Header row of the canonical CSV: which columns, in which order, in which units, and the
 * delimiter. Kept apart from the line loop so the writer produces exactly what the reader
 * accepts.
 */
import { RecordingFormatError } from './errors';
import type { ChannelDescription, ChannelName } from './format';
import { UnknownUnitError, internalUnit, knownUnitNames, parseUnit } from '../samples/units';
import type { Quantity, Unit } from '../samples/units';

export type Delimiter = ',' | ';' | '\t';

/** What a canonical column name means: its channel, component and quantity. */
export interface ColumnSpec {
  readonly channel: ChannelName;
  /** Index of the component within the channel (x=0 … ; quaternion w=0). */
  readonly component: number;
  readonly quantity: Quantity;
}

/** The canonical column names (also the targets of a generic column map). */
export const CANONICAL_COLUMNS: Readonly<Record<string, ColumnSpec>> = {
  t: { channel: 'tS', component: 0, quantity: 'time' },
  ax: { channel: 'acc', component: 0, quantity: 'acceleration' },
  ay: { channel: 'acc', component: 1, quantity: 'acceleration' },
  az: { channel: 'acc', component: 2, quantity: 'acceleration' },
  gx: { channel: 'gyr', component: 0, quantity: 'angular-rate' },
  gy: { channel: 'gyr', component: 1, quantity: 'angular-rate' },
  gz: { channel: 'gyr', component: 2, quantity: 'angular-rate' },
  mx: { channel: 'mag', component: 0, quantity: 'magnetic-field' },
  my: { channel: 'mag', component: 1, quantity: 'magnetic-field' },
  mz: { channel: 'mag', component: 2, quantity: 'magnetic-field' },
  qw: { channel: 'quat', component: 0, quantity: 'dimensionless' },
  qx: { channel: 'quat', component: 1, quantity: 'dimensionless' },
  qy: { channel: 'quat', component: 2, quantity: 'dimensionless' },
  qz: { channel: 'quat', component: 3, quantity: 'dimensionless' },
};

/** Column names of each channel, in canonical order. */
export const CHANNEL_COLUMNS: Readonly<Record<ChannelName, readonly string[]>> = {
  tS: ['t'],
  acc: ['ax', 'ay', 'az'],
  gyr: ['gx', 'gy', 'gz'],
  mag: ['mx', 'my', 'mz'],
  quat: ['qw', 'qx', 'qy', 'qz'],
};

const CHANNEL_ORDER: readonly ChannelName[] = ['tS', 'acc', 'gyr', 'mag', 'quat'];
const CHANNEL_LABEL: Readonly<Record<ChannelName, string>> = {
  tS: 'time',
  acc: 'accelerometer',
  gyr: 'gyroscope',
  mag: 'magnetometer',
  quat: 'quaternion',
};

export interface CanonicalColumn {
  /** Canonical lower-case name, e.g. `ax`. */
  readonly name: string;
  readonly channel: ChannelName;
  readonly component: number;
  readonly unit: Unit;
}

export interface CanonicalHeaderRow {
  readonly delimiter: Delimiter;
  /** In file order. */
  readonly columns: readonly CanonicalColumn[];
  /** The header ended with a delimiter (rows may always end with one empty extra field). */
  readonly trailingDelimiter: boolean;
  /** Accelerometer columns present (else the recording is orientation-only). */
  readonly hasAcc: boolean;
  /** Gyroscope columns present (only with accelerometer columns; absent for e.g. a Polar H10). */
  readonly hasGyr: boolean;
  /** Accelerometer and gyroscope columns present: what fusion needs. */
  readonly hasInertial: boolean;
  readonly hasMag: boolean;
  readonly hasQuat: boolean;
  /** Present channels in canonical order, with their units. */
  readonly channels: readonly ChannelDescription[];
}

/** The delimiter occurring most often in a header line, or undefined when there is none. */
export function detectDelimiter(line: string): Delimiter | undefined {
  let best: Delimiter | undefined;
  let bestCount = 0;
  for (const d of [',', ';', '\t'] as const) {
    let count = 0;
    for (let i = line.indexOf(d); i !== -1; i = line.indexOf(d, i + 1)) count++;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

const NAME_RE = /^([A-Za-z]+)\s*(?:\[([^\]]*)\])?$/;

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

/** Parse the header row. `line` is its 1-based number for errors. Throws RecordingFormatError. */
export function parseHeaderRow(text: string, file: string | undefined, line: number): CanonicalHeaderRow {
  const where = (column?: string) => (column === undefined ? { file, line } : { file, line, column });
  const delimiter = detectDelimiter(text);
  if (delimiter === undefined) {
    throw new RecordingFormatError(
      `cannot detect the delimiter of the header row (expected ',', ';' or tab between column names like t,ax,ay,az,gx,gy,gz)`,
      where(),
    );
  }
  const fields = text.split(delimiter).map(unquote);
  let trailingDelimiter = false;
  if (fields.length > 1 && fields[fields.length - 1] === '') {
    fields.pop();
    trailingDelimiter = true;
  }
  const columns: CanonicalColumn[] = [];
  const byName = new Map<string, CanonicalColumn>();
  for (const field of fields) {
    if (field === '') throw new RecordingFormatError('empty column name in the header row', where());
    const m = NAME_RE.exec(field);
    const name = m ? m[1]!.toLowerCase() : field;
    const spec = m ? CANONICAL_COLUMNS[name] : undefined;
    if (!spec) {
      if (/^[+-]?[\d.]/.test(field)) {
        throw new RecordingFormatError(
          `the first row must be a header (t, ax, ay, az, gx, gy, gz, …), found a number '${field}'`,
          where(),
        );
      }
      throw new RecordingFormatError(
        `unknown column '${field}' (canonical columns: ${Object.keys(CANONICAL_COLUMNS).join(', ')}, each optionally with a [unit])`,
        where(),
      );
    }
    if (byName.has(name)) throw new RecordingFormatError(`duplicate column`, where(name));
    let unit: Unit;
    const unitText = m![2];
    if (unitText === undefined) {
      unit = internalUnit(spec.quantity);
    } else {
      try {
        unit = parseUnit(unitText.trim(), spec.quantity);
      } catch (e) {
        if (e instanceof UnknownUnitError) {
          throw new RecordingFormatError(
            `unknown ${spec.quantity} unit '${unitText.trim()}' (accepted: ${knownUnitNames(spec.quantity).join(', ')})`,
            where(name),
          );
        }
        throw e;
      }
    }
    const col: CanonicalColumn = { name, channel: spec.channel, component: spec.component, unit };
    byName.set(name, col);
    columns.push(col);
  }

  if (!byName.has('t')) throw new RecordingFormatError('missing required column t', where());
  // An accelerometer alone is a recording (Polar H10, accelerometer-only wearables); a
  // gyroscope needs its accelerometer; without either the file must carry orientations
  // (fusion output, OpenSim .sto data).
  const accNames = CHANNEL_COLUMNS.acc;
  const hasAnyAcc = accNames.some((n) => byName.has(n));
  const hasAnyGyr = CHANNEL_COLUMNS.gyr.some((n) => byName.has(n));
  if (hasAnyGyr && !hasAnyAcc) {
    throw new RecordingFormatError(`missing required columns ${accNames.join(', ')} (gyroscope columns need accelerometer columns)`, where());
  }
  if (!hasAnyAcc && !CHANNEL_COLUMNS.quat.some((n) => byName.has(n))) {
    throw new RecordingFormatError(
      `missing required columns ${accNames.join(', ')} (with or without ${CHANNEL_COLUMNS.gyr.join(', ')}; or ${CHANNEL_COLUMNS.quat.join(', ')} for an orientation-only recording)`,
      where(),
    );
  }
  const channels: ChannelDescription[] = [];
  for (const channel of CHANNEL_ORDER) {
    const names = CHANNEL_COLUMNS[channel];
    const present = names.filter((n) => byName.has(n));
    if (present.length === 0) continue;
    if (present.length < names.length) {
      const missing = names.filter((n) => !byName.has(n));
      throw new RecordingFormatError(
        `incomplete ${CHANNEL_LABEL[channel]} columns: have ${present.join(', ')}, missing ${missing.join(', ')}`,
        where(),
      );
    }
    const unit = byName.get(names[0]!)!.unit;
    for (const n of names) {
      const u = byName.get(n)!.unit;
      if (u.toInternal !== unit.toInternal) {
        throw new RecordingFormatError(
          `${CHANNEL_LABEL[channel]} columns use different units (${names[0]}: ${unit.name}, ${n}: ${u.name})`,
          where(n),
        );
      }
    }
    channels.push({ channel, columns: names, unit });
  }
  return {
    delimiter,
    columns,
    trailingDelimiter,
    hasAcc: byName.has('ax'),
    hasGyr: byName.has('gx'),
    hasInertial: byName.has('ax') && byName.has('gx'),
    hasMag: byName.has('mx'),
    hasQuat: byName.has('qw'),
    channels,
  };
}

/**
 * Which optional channel groups a canonical file has. `inertial` (acc + gyr) defaults to
 * true; with it, `gyr: false` gives an accelerometer-only file (`t,ax,ay,az`).
 */
export interface CanonicalChannels {
  readonly inertial?: boolean;
  readonly gyr?: boolean;
  readonly mag: boolean;
  readonly quat: boolean;
}

/** Header row as the writer emits it: every column with its internal unit spelled out. */
export function formatHeaderRow(channels: CanonicalChannels, delimiter: Delimiter): string {
  const parts: string[] = [];
  for (const channel of CHANNEL_ORDER) {
    if ((channel === 'mag' && !channels.mag) || (channel === 'quat' && !channels.quat)) continue;
    if ((channel === 'acc' || channel === 'gyr') && channels.inertial === false) continue;
    if (channel === 'gyr' && channels.gyr === false) continue;
    const unitName = internalUnit(CANONICAL_COLUMNS[CHANNEL_COLUMNS[channel][0]!]!.quantity).name;
    for (const n of CHANNEL_COLUMNS[channel]) parts.push(channel === 'quat' ? n : `${n}[${unitName}]`);
  }
  return parts.join(delimiter);
}
