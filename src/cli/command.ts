/**
 * What a CLI command is. Adding a command = one file `src/cli/<name>.ts` exporting a
 * {@link Command}, plus one line in `src/cli/commands.ts`. Every command gets the common
 * options parsed for it; it adds its own.
 */
import type { ParseArgsConfig } from 'node:util';
import { ColumnMapError, checkColumnMapTiming, parseColumnMap } from '../io/columnMap';
import { RECORDING_FORMATS } from '../io/formats';

/** Where output goes; `process.stdout`/`process.stderr` by default, buffers in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts (a command ignores those that do not apply to it). */
export interface CommonOptions {
  /** `-o/--out FILE`: write the result there instead of stdout. */
  readonly out: string | undefined;
  /** `--json`: machine-readable output. */
  readonly json: boolean;
  /** `--format NAME`: recording format instead of detection. */
  readonly format: string | undefined;
  /** `--sensor NAME`: only this sensor of a session. */
  readonly sensor: string | undefined;
  /** `--columns MAP`: column map for generic delimited text (implies `--format delimited`). */
  readonly columns: string | undefined;
  /** `--rate HZ`: sample rate, Hz, for sources whose time is a sample index or absent. */
  readonly rateHz: number | undefined;
  /** `--debug`: stack traces on errors. */
  readonly debug: boolean;
}

export const COMMON_OPTIONS: OptionSpec = {
  out: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  sensor: { type: 'string' },
  columns: { type: 'string' },
  rate: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const COMMON_OPTIONS_HELP: readonly (readonly [string, string])[] = [
  ['-o, --out FILE', 'write the output to FILE instead of stdout'],
  ['--json', 'machine-readable JSON output'],
  ['--format NAME', `recording format, instead of detecting it (${RECORDING_FORMATS.map((f) => f.name).join(', ')})`],
  ['--sensor NAME', 'only this sensor of a session'],
  ['--columns MAP', 'read delimited text through a column map, e.g. "t=time[ms],ax=acc_x[g],…" (implies --format delimited)'],
  ['--rate HZ', 'sample rate when time is a sample index or absent (t=index / rate)'],
  ['--debug', 'show stack traces on errors'],
  ['-h, --help', 'show this help'],
];

export interface CommandContext {
  readonly io: CliIo;
  readonly common: CommonOptions;
  /** The command's own option values (by long name), as parsed by `node:util` parseArgs. */
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

export interface Command {
  readonly name: string;
  /** One line for the global help. */
  readonly summary: string;
  /** Usage line after `kinemetry `, e.g. `info [options] <recording…>`. */
  readonly usage: string;
  /** Paragraph(s) for the command's help. */
  readonly description: string;
  /** The command's own options (the common ones are added). */
  readonly options: OptionSpec;
  /** Help lines for the own options: [flags, text]. */
  readonly optionsHelp: readonly (readonly [string, string])[];
  /** Runs the command; resolves to the exit code. Throws UsageError / RecordingFormatError / … */
  run(ctx: CommandContext): Promise<number>;
}

/** Bad command line: exit code 2, one line plus a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * `--format`, `--columns`, `--rate` as reader options. `--columns` implies `--format
 * delimited` and only goes with it. Throws UsageError (a bad map, rate or combination).
 */
export function readerOptionValues(values: CommandContext['values']): Pick<CommonOptions, 'format' | 'columns' | 'rateHz'> {
  const columns = values.columns as string | undefined;
  let format = values.format as string | undefined;
  const rateText = values.rate as string | undefined;
  let rateHz: number | undefined;
  if (rateText !== undefined) {
    rateHz = Number(rateText);
    if (rateText.trim() === '' || !(rateHz > 0) || !Number.isFinite(rateHz)) throw new UsageError(`--rate must be a positive number of Hz, got '${rateText}'`);
  }
  if (columns !== undefined) {
    if (format !== undefined && format.toLowerCase() !== 'delimited') throw new UsageError(`--columns goes with --format delimited, not --format ${format}`);
    format = 'delimited';
    try {
      checkColumnMapTiming(parseColumnMap(columns), rateHz);
    } catch (e) {
      if (e instanceof ColumnMapError) throw new UsageError(`--columns: ${e.message.replace(/^column map: /, '')}`);
      throw e;
    }
  } else if (format?.toLowerCase() === 'delimited') {
    throw new UsageError('--format delimited needs --columns, e.g. --columns "t=time,ax=acc_x,ay=acc_y,az=acc_z,gx=gyr_x,gy=gyr_y,gz=gyr_z"');
  }
  return { format, columns, rateHz };
}

/** The reader options every command passes on from `--format`, `--columns` and `--rate` (only those given). */
export function readerOptions(common: CommonOptions): { format?: string; columns?: string; rateHz?: number } {
  return {
    ...(common.format !== undefined ? { format: common.format } : {}),
    ...(common.columns !== undefined ? { columns: common.columns } : {}),
    ...(common.rateHz !== undefined ? { rateHz: common.rateHz } : {}),
  };
}
