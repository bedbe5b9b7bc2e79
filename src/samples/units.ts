/**
 * Units of the quantities an IMU reports, and their conversion to kinemetry's internal units
 * (s, m/s², rad/s, µT, 1). Sources label columns in many spellings; {@link parseUnit} accepts
 * the common ones and refuses anything it is not sure about, because a silently wrong factor
 * (milli-g read as milligauss, gauss as g) corrupts everything downstream.
 *
 * Case matters where SI prefixes make it matter (`mG` vs `MG`, `T` vs `t`); whole words
 * (`gauss`, `deg/s`, `seconds`) are matched case-insensitively. Brackets around a unit
 * (`[deg/s]`, `(m/s^2)`) are the caller's to strip.
 */

export type Quantity = 'time' | 'acceleration' | 'angular-rate' | 'magnetic-field' | 'dimensionless';

export interface Unit {
  /** Canonical spelling, e.g. `m/s^2`, `deg/s`, `uT`, `mgauss`. */
  readonly name: string;
  readonly quantity: Quantity;
  /** Multiply a value by this to get kinemetry's internal unit: s, m/s², rad/s, µT, 1. */
  readonly toInternal: number;
}

/** Standard gravity g₀ in m/s² (CGPM 1901, exact by definition). */
export const STANDARD_GRAVITY_MS2 = 9.80665;
export const DEG_TO_RAD = Math.PI / 180;
export const RAD_TO_DEG = 180 / Math.PI;

const QUANTITIES: readonly Quantity[] = ['time', 'acceleration', 'angular-rate', 'magnetic-field', 'dimensionless'];

export class UnknownUnitError extends Error {
  override readonly name = 'UnknownUnitError';
  constructor(
    /** The text as given. */
    readonly unitText: string,
    readonly quantity: Quantity,
    detail?: string,
  ) {
    super(
      `unknown ${quantity} unit '${unitText}'` +
        (detail ? `: ${detail}` : '') +
        `; accepted: ${knownUnitNames(quantity).join(', ')}`,
    );
  }
}

interface Entry {
  readonly unit: Unit;
  /** Exact spellings (after normalisation), case-sensitive. */
  readonly exact: readonly string[];
  /** Spellings matched case-insensitively (lower case here); only where no prefix clash exists. */
  readonly anyCase: readonly string[];
}

function u(name: string, quantity: Quantity, toInternal: number): Unit {
  return Object.freeze({ name, quantity, toInternal });
}

const TABLE: Readonly<Record<Quantity, readonly Entry[]>> = {
  time: [
    { unit: u('s', 'time', 1), exact: ['s'], anyCase: ['sec', 'secs', 'second', 'seconds'] },
    { unit: u('ms', 'time', 1e-3), exact: ['ms'], anyCase: ['msec', 'msecs', 'millisecond', 'milliseconds'] },
    { unit: u('us', 'time', 1e-6), exact: ['us'], anyCase: ['usec', 'usecs', 'microsecond', 'microseconds'] },
    { unit: u('ns', 'time', 1e-9), exact: ['ns'], anyCase: ['nsec', 'nsecs', 'nanosecond', 'nanoseconds'] },
    { unit: u('min', 'time', 60), exact: ['min'], anyCase: ['mins', 'minute', 'minutes'] },
    { unit: u('h', 'time', 3600), exact: ['h'], anyCase: ['hr', 'hrs', 'hour', 'hours'] },
  ],
  acceleration: [
    {
      unit: u('m/s^2', 'acceleration', 1),
      exact: [],
      anyCase: ['m/s^2', 'mps2', 'mps^2', 'meter/s^2', 'meters/s^2', 'metre/s^2', 'metres/s^2'],
    },
    { unit: u('cm/s^2', 'acceleration', 1e-2), exact: ['Gal', 'gal'], anyCase: ['cm/s^2'] },
    { unit: u('mm/s^2', 'acceleration', 1e-3), exact: ['mm/s^2'], anyCase: [] },
    { unit: u('ft/s^2', 'acceleration', 0.3048), exact: [], anyCase: ['ft/s^2'] },
    // Accelerometer datasheets write both g and G for standard gravity; in an acceleration
    // column neither can mean gram or gauss.
    { unit: u('g', 'acceleration', STANDARD_GRAVITY_MS2), exact: ['g', 'G', 'gn', 'g0'], anyCase: ['gee'] },
    { unit: u('mg', 'acceleration', STANDARD_GRAVITY_MS2 / 1e3), exact: ['mg', 'mG'], anyCase: ['milli-g', 'millig'] },
    { unit: u('ug', 'acceleration', STANDARD_GRAVITY_MS2 / 1e6), exact: ['ug', 'uG'], anyCase: ['micro-g'] },
  ],
  'angular-rate': [
    { unit: u('rad/s', 'angular-rate', 1), exact: [], anyCase: ['rad/s', 'radian/s', 'radians/s'] },
    { unit: u('mrad/s', 'angular-rate', 1e-3), exact: ['mrad/s'], anyCase: ['milliradian/s', 'milliradians/s'] },
    {
      unit: u('deg/s', 'angular-rate', DEG_TO_RAD),
      exact: [],
      anyCase: ['deg/s', 'dps', 'degree/s', 'degrees/s'],
    },
    // ST MEMS datasheets give gyroscope sensitivity in mdps.
    { unit: u('mdeg/s', 'angular-rate', DEG_TO_RAD / 1e3), exact: ['mdeg/s', 'mdps'], anyCase: ['millidegree/s', 'millidegrees/s'] },
    { unit: u('rpm', 'angular-rate', Math.PI / 30), exact: [], anyCase: ['rpm', 'rev/min', 'r/min', 'revolution/min', 'revolutions/min'] },
    { unit: u('rev/s', 'angular-rate', 2 * Math.PI), exact: [], anyCase: ['rev/s', 'revolution/s', 'revolutions/s'] },
  ],
  'magnetic-field': [
    // 'u' is no prefix other than micro, so 'UT' (an all-caps header) is unambiguous.
    { unit: u('uT', 'magnetic-field', 1), exact: [], anyCase: ['ut', 'microtesla', 'microteslas'] },
    { unit: u('nT', 'magnetic-field', 1e-3), exact: [], anyCase: ['nt', 'nanotesla', 'nanoteslas'] },
    { unit: u('mT', 'magnetic-field', 1e3), exact: ['mT'], anyCase: ['millitesla', 'milliteslas'] },
    { unit: u('T', 'magnetic-field', 1e6), exact: ['T'], anyCase: ['tesla', 'teslas'] },
    { unit: u('gauss', 'magnetic-field', 100), exact: ['G', 'Gs'], anyCase: ['gauss'] },
    { unit: u('mgauss', 'magnetic-field', 0.1), exact: ['mG', 'mGs'], anyCase: ['mgauss', 'milligauss'] },
  ],
  dimensionless: [{ unit: u('1', 'dimensionless', 1), exact: ['', '1', '-'], anyCase: ['none', 'unitless', 'dimensionless'] }],
};

/** Spellings refused with an explanation instead of a plain "unknown". */
function refusalDetail(key: string, quantity: Quantity): string | undefined {
  const lower = key.toLowerCase();
  if (quantity === 'magnetic-field') {
    if (lower === 'oe' || lower === 'moe' || lower === 'oersted' || lower === 'a/m' || lower === 'ka/m') {
      return 'oersted and A/m measure field strength H, not the flux density B a magnetometer reports; in air 1 Oe ↔ 1 G = 100 µT, so relabel the data in gauss or µT if that is what the source means';
    }
    if (key === 'g') return "lower-case 'g' is not gauss; write 'G' or 'gauss'";
    if (key === 'MG' || key === 'Mg' || key === 'MGs') return "'MG' would be megagauss; milligauss is 'mG'";
    if (key === 'MT' || key === 'Mt') return "'MT' would be megatesla; millitesla is 'mT'";
    if (key === 't') return "lower-case 't' is not tesla; write 'T'";
  }
  if (quantity === 'angular-rate' && (lower === 'rps' || lower === 'hz' || lower === '1/s')) {
    return `'${key}' is ambiguous (revolutions or radians per second); write 'rev/s' or 'rad/s'`;
  }
  if (quantity === 'acceleration' && (key === 'MG' || key === 'Mg')) {
    return "'MG' would be mega-g; milli-g is 'mg' or 'mG'";
  }
  if (quantity === 'time' && (key === 'S' || key === 'MS' || key === 'Ms')) {
    return "use 's' for seconds or 'ms' for milliseconds (upper case is ambiguous)";
  }
  return undefined;
}

/**
 * Bring a spelling to one form: micro signs → `u`, `²` → `^2`, `°` → `deg`, spaces dropped,
 * `m s^-2` / `m·s⁻²` / `m/s/s` / `m/s2` / `m/sec^2` → `m/s^2`, `deg/sec` / `deg s^-1` → `deg/s`.
 */
function normalise(text: string): string {
  let s = text
    .trim()
    .replace(/[\u00b5\u03bc]/g, 'u')
    .replace(/\u207b\u00b9/g, '^-1')
    .replace(/\u207b\u00b2/g, '^-2')
    .replace(/\u00b2/g, '^2')
    .replace(/\u00b0/g, 'deg')
    .replace(/\*\*/g, '^')
    .replace(/[\u00b7\u22c5*]/g, ' ')
    .replace(/\s+per\s+/gi, '/')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s*\^\s*/g, '^')
    .replace(/\s+/g, ' ');
  // Negative exponent forms: "m s^-2", "deg s-1", "ms^-2" (m·s⁻²).
  const neg = /^(.+?) ?(?:s|sec)\^?-([12])$/.exec(s);
  if (neg) s = `${neg[1]}/s${neg[2] === '2' ? '^2' : ''}`;
  s = s.replace(/ /g, '');
  // Spelled-out denominators.
  s = s.replace(/\/(?:secs?|seconds?)((?:\^?2)?)$/i, '/s$1');
  s = s.replace(/\/(?:mins?|minutes?)$/i, '/min');
  s = s.replace(/\/s\/s$/i, '/s^2').replace(/\/s2$/i, '/s^2');
  return s;
}

function lookup(key: string, quantity: Quantity): Unit | undefined {
  const lower = key.toLowerCase();
  for (const e of TABLE[quantity]) {
    if (e.exact.includes(key) || e.anyCase.includes(lower)) return e.unit;
  }
  return undefined;
}

/**
 * Parse a unit string for a known quantity. The quantity disambiguates e.g. `mG` (milli-g for
 * acceleration, milligauss for magnetic field). Throws {@link UnknownUnitError}.
 */
export function parseUnit(text: string, quantity: Quantity): Unit {
  if (!QUANTITIES.includes(quantity)) throw new UnknownUnitError(String(text), quantity, 'unknown quantity');
  const key = normalise(String(text));
  const unit = lookup(key, quantity);
  if (unit) return unit;
  let detail = refusalDetail(key, quantity);
  if (detail === undefined) {
    const other = QUANTITIES.find((q) => q !== quantity && q !== 'dimensionless' && lookup(key, q) !== undefined);
    if (other) detail = `that is a unit of ${other}`;
  }
  throw new UnknownUnitError(text, quantity, detail);
}

/** Internal unit of a quantity (`s`, `m/s^2`, `rad/s`, `uT`, `1`); its `toInternal` is 1. */
export function internalUnit(quantity: Quantity): Unit {
  const entries = TABLE[quantity];
  if (!entries) throw new UnknownUnitError('', quantity, 'unknown quantity');
  return entries[0]!.unit;
}

/** Canonical names of the units accepted for a quantity (for help and error texts). */
export function knownUnitNames(quantity: Quantity): string[] {
  return (TABLE[quantity] ?? []).map((e) => e.unit.name);
}

/** data[i] *= unit.toInternal for i in [start, end) (in place, returns data). */
export function toInternalInPlace(data: Float64Array, unit: Unit, start = 0, end: number = data.length): Float64Array {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > data.length || start > end) {
    throw new RangeError(`toInternalInPlace: range [${start}, ${end}) is not within [0, ${data.length})`);
  }
  const k = unit.toInternal;
  if (k === 1) return data;
  for (let i = start; i < end; i++) data[i]! *= k;
  return data;
}
