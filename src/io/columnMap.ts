/**
 * Column maps for generic delimited text: which source column feeds which kinemetry channel,
 * in which unit.
 *
 * Syntax: comma-separated `target=source` entries, a unit in brackets after the source (or,
 * equivalently, after the target):
 *
 * ```
 * t=time index,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x[deg/s],gy=gyr_y[deg/s],gz=gyr_z[deg/s]
 * t=timestamp[ms],ax[g]=AccX,ay[g]=AccY,az[g]=AccZ,…
 * ```
 *
 * Targets are the canonical CSV's column names: `t`, `ax ay az`, `gx gy gz`, `mx my mz`,
 * `qw qx qy qz` (complete groups; accelerometer and gyroscope together). Sources are header
 * names, matched exactly, else case-insensitively. A bracket that is part of a header name
 * (`acc_x [g]` as written in the header) is taken as the name when such a column exists.
 *
 * Units: acceleration default m/s², angular rate rad/s, time s. The magnetometer has NO
 * default: sources label it in µT, mG, gauss, LSB or — like the UCI PT and Xsens files —
 * normalised arbitrary units, and a wrong guess would silently corrupt a heading. Give its
 * unit (`mx=mag_x[uT]`), or leave it out of the map. Time as a sample index: `t=n[index]`,
 * or an unmarked `t` when a rate is given (`--rate 25`); `t = index / rate`.
 */
import { UnknownUnitError, internalUnit, knownUnitNames, parseUnit } from '../samples/units';
import { CANONICAL_COLUMNS } from './canonicalColumns';
import type { Quantity, Unit } from '../samples/units';
import type { ChannelName } from './format';

/** A column map that cannot be used (bad syntax, unknown target or unit, incomplete groups). */
export class ColumnMapError extends Error {
  override readonly name = 'ColumnMapError';
}

/** Map targets are the canonical column names. */
const TARGETS = CANONICAL_COLUMNS;

const GROUPS: readonly (readonly [ChannelName, readonly string[], string])[] = [
  ['acc', ['ax', 'ay', 'az'], 'accelerometer'],
  ['gyr', ['gx', 'gy', 'gz'], 'gyroscope'],
  ['mag', ['mx', 'my', 'mz'], 'magnetometer'],
  ['quat', ['qw', 'qx', 'qy', 'qz'], 'quaternion'],
];

/** Time-unit spellings meaning "sample index" (t = index / rate). */
const INDEX_UNITS = new Set(['index', 'idx', 'sample', 'samples', 'sample index', 'n']);

/** A unit as written in a map: a time index, or a physical unit. */
export interface MappedUnit {
  readonly unit: Unit;
  /** Time column given as a sample index (`t = index / rate`); `unit.toInternal` is NaN then. */
  readonly index: boolean;
}

export interface ColumnMapEntry {
  /** Canonical target, e.g. `ax`. */
  readonly target: string;
  readonly channel: ChannelName;
  /** x=0 …; quaternion w=0. */
  readonly component: number;
  readonly quantity: Quantity;
  /** Source column as written (brackets included). */
  readonly source: string;
  /** Unit in the target's brackets (`ax[g]=…`). */
  readonly targetUnit: MappedUnit | undefined;
  /** When the source ends with a bracketed unit that parses (`acc_x[g]`): the name before it. */
  readonly sourceStem: string | undefined;
  /** …and that unit. Void when `source` as a whole turns out to be a header name. */
  readonly sourceUnit: MappedUnit | undefined;
  /** Why a bracketed suffix of the source is not a unit (for the message when no column matches). */
  readonly sourceUnitProblem: string | undefined;
}

export interface ColumnMap {
  /** As given (for metadata). */
  readonly text: string;
  readonly entries: readonly ColumnMapEntry[];
  readonly hasInertial: boolean;
  readonly hasMag: boolean;
  readonly hasQuat: boolean;
  readonly hasTime: boolean;
}

/** A map entry tied to a header column. */
export interface ResolvedColumn {
  readonly entry: ColumnMapEntry;
  /** 0-based field index in a row. */
  readonly field: number;
  /** Header name of that field. */
  readonly name: string;
  readonly unit: MappedUnit;
  /** No unit was written for it (the default applies). */
  readonly implicitUnit: boolean;
}

const TARGET_RE = /^([A-Za-z]+)\s*(?:\[([^\]]*)\])?$/;
const SOURCE_UNIT_RE = /^(.*?)\s*\[([^[\]]*)\]$/;

function unitFor(text: string, quantity: Quantity, target: string): MappedUnit {
  const u = text.trim();
  if (quantity === 'time' && INDEX_UNITS.has(u.toLowerCase())) {
    return { unit: { name: 'index', quantity: 'time', toInternal: NaN }, index: true };
  }
  try {
    return { unit: parseUnit(u, quantity), index: false };
  } catch (e) {
    if (e instanceof UnknownUnitError) {
      const accepted = [...knownUnitNames(quantity), ...(quantity === 'time' ? ['index'] : [])];
      throw new ColumnMapError(`column map: ${target}: unknown ${quantity} unit '${u}' (accepted: ${accepted.join(', ')})`);
    }
    throw e;
  }
}

function magUnitMissing(e: ColumnMapEntry): ColumnMapError {
  return new ColumnMapError(
    `column map: ${e.target}: the magnetometer needs an explicit unit (e.g. ${e.target}=${e.source}[uT]); kinemetry does not guess it, and normalised or arbitrary-unit magnetometer data cannot be read as µT — leave mx, my, mz out of the map to skip it`,
  );
}

/** Unit of an entry whose source matched as `stem` (true) or as written (false). */
function entryUnit(e: ColumnMapEntry, byStem: boolean): { unit: MappedUnit; implicit: boolean } {
  if (byStem) {
    if (e.targetUnit) throw new ColumnMapError(`column map: ${e.target}: unit given twice ('${e.target}[${e.targetUnit.unit.name}]' and '${e.source}')`);
    return { unit: e.sourceUnit!, implicit: false };
  }
  if (e.targetUnit) return { unit: e.targetUnit, implicit: false };
  if (e.channel === 'mag') throw magUnitMissing(e);
  return { unit: { unit: internalUnit(e.quantity), index: false }, implicit: true };
}

function checkGroups(units: ReadonlyMap<string, MappedUnit>): void {
  for (const [, names, label] of GROUPS) {
    const u0 = units.get(names[0]!);
    if (!u0) continue;
    for (const n of names) {
      const u = units.get(n)!;
      if (u.unit.toInternal !== u0.unit.toInternal) {
        throw new ColumnMapError(`column map: ${label} columns use different units (${names[0]}: ${u0.unit.name}, ${n}: ${u.unit.name})`);
      }
    }
  }
}

/** Parse a column map. Throws {@link ColumnMapError}. */
export function parseColumnMap(text: string): ColumnMap {
  const entries: ColumnMapEntry[] = [];
  const byTarget = new Map<string, ColumnMapEntry>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw new ColumnMapError(`column map: '${part}' is not target=source (e.g. ax=acc_x)`);
    const left = part.slice(0, eq).trim();
    const source = part.slice(eq + 1).trim();
    const m = TARGET_RE.exec(left);
    const target = m ? m[1]!.toLowerCase() : left;
    const spec = m ? TARGETS[target] : undefined;
    if (!spec) throw new ColumnMapError(`column map: unknown target '${left}' (targets: ${Object.keys(TARGETS).join(', ')})`);
    if (source === '') throw new ColumnMapError(`column map: ${target}: no source column after '='`);
    if (byTarget.has(target)) throw new ColumnMapError(`column map: ${target} is mapped twice`);
    const targetUnit = m![2] !== undefined ? unitFor(m![2], spec.quantity, target) : undefined;
    // A bracketed suffix of the source is a unit only if it parses as one.
    let sourceStem: string | undefined;
    let sourceUnit: MappedUnit | undefined;
    let sourceUnitProblem: string | undefined;
    const sm = SOURCE_UNIT_RE.exec(source);
    if (sm && sm[1]!.trim() !== '') {
      try {
        sourceUnit = unitFor(sm[2]!, spec.quantity, target);
        sourceStem = sm[1]!.trim();
      } catch (e) {
        if (!(e instanceof ColumnMapError)) throw e;
        sourceUnitProblem = e.message.replace(/^column map: [a-z]+: /, '');
      }
    }
    const entry: ColumnMapEntry = { target, channel: spec.channel, component: spec.component, quantity: spec.quantity, source, targetUnit, sourceStem, sourceUnit, sourceUnitProblem };
    byTarget.set(target, entry);
    entries.push(entry);
  }
  if (entries.length === 0) throw new ColumnMapError('column map is empty (expected target=source pairs, e.g. t=time,ax=acc_x,…)');
  for (const [, names, label] of GROUPS) {
    const present = names.filter((n) => byTarget.has(n));
    if (present.length > 0 && present.length < names.length) {
      throw new ColumnMapError(`column map: incomplete ${label}: have ${present.join(', ')}, missing ${names.filter((n) => !byTarget.has(n)).join(', ')}`);
    }
  }
  // Units as the map reads on its own (a bracket read as a unit where it parses as one).
  const units = new Map<string, MappedUnit>();
  for (const e of entries) units.set(e.target, entryUnit(e, e.sourceStem !== undefined && e.targetUnit === undefined).unit);
  checkGroups(units);
  const hasAcc = byTarget.has('ax');
  const hasGyr = byTarget.has('gx');
  if (hasAcc !== hasGyr) {
    throw new ColumnMapError(`column map: ${hasAcc ? 'accelerometer without gyroscope' : 'gyroscope without accelerometer'}; map both (a kinemetry block holds both or neither)`);
  }
  const hasQuat = byTarget.has('qw');
  if (!hasAcc && !hasQuat) throw new ColumnMapError('column map: nothing to read; map ax,ay,az with gx,gy,gz, and/or qw,qx,qy,qz');
  return { text: text.trim(), entries, hasInertial: hasAcc, hasMag: byTarget.has('mx'), hasQuat, hasTime: byTarget.has('t') };
}

/**
 * Tie a map to a header row. A source matches a header name exactly, else case-insensitively
 * (when that is unambiguous); a source ending in `[unit]` matches as written first, else by
 * the name before the bracket. Throws {@link ColumnMapError} naming what is missing.
 */
export function resolveColumnMap(map: ColumnMap, header: readonly string[]): ResolvedColumn[] {
  const find = (name: string): number | undefined => {
    const exact = header.indexOf(name);
    if (exact >= 0) return exact;
    const lower = name.toLowerCase();
    const hits = header.flatMap((h, i) => (h.toLowerCase() === lower ? [i] : []));
    return hits.length === 1 ? hits[0] : undefined;
  };
  const out: ResolvedColumn[] = [];
  const units = new Map<string, MappedUnit>();
  const usedBy = new Map<number, string>();
  for (const e of map.entries) {
    let field = find(e.source);
    let byStem = false;
    if (field === undefined && e.sourceStem !== undefined) {
      field = find(e.sourceStem);
      byStem = field !== undefined;
    }
    if (field === undefined) {
      const shown = header.map((h) => `'${h}'`).join(', ');
      const hint = e.sourceUnitProblem !== undefined ? `; if the brackets hold a unit: ${e.sourceUnitProblem}` : '';
      throw new ColumnMapError(`column map: ${e.target}: no column '${e.sourceStem ?? e.source}' in the header (columns: ${shown})${hint}`);
    }
    const other = usedBy.get(field);
    if (other !== undefined) throw new ColumnMapError(`column map: ${other} and ${e.target} both read column '${header[field]}'`);
    usedBy.set(field, e.target);
    const { unit, implicit } = entryUnit(e, byStem);
    units.set(e.target, unit);
    out.push({ entry: e, field, name: header[field]!, unit, implicitUnit: implicit });
  }
  checkGroups(units);
  return out;
}

/**
 * Check that a map can time its rows with the rate given: a `t` column, or a rate; a rate
 * when `t` is marked as a sample index. Throws {@link ColumnMapError}.
 */
export function checkColumnMapTiming(map: ColumnMap, rateHz: number | undefined): void {
  if (rateHz !== undefined) {
    if (!(rateHz > 0) || !Number.isFinite(rateHz)) throw new ColumnMapError(`rate must be a positive number of Hz, got ${rateHz}`);
    return;
  }
  const t = map.entries.find((e) => e.target === 't');
  if (!t) throw new ColumnMapError('no time column in the column map (t=…) and no rate (--rate): give one of them');
  if (t.targetUnit?.index || t.sourceUnit?.index) throw new ColumnMapError(`t is a sample index (${t.source}) but no rate is given (--rate)`);
}
