/**
 * What a CLI command is. Adding a command = one file `src/cli/<name>.ts` exporting a
 * {@link Command}, plus one line in `src/cli/commands.ts`. Every command gets the common
 * options parsed for it; it adds its own.
 */
import type { ParseArgsConfig } from 'node:util';

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
  /** `--debug`: stack traces on errors. */
  readonly debug: boolean;
}

export const COMMON_OPTIONS: OptionSpec = {
  out: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  sensor: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const COMMON_OPTIONS_HELP: readonly (readonly [string, string])[] = [
  ['-o, --out FILE', 'write the output to FILE instead of stdout'],
  ['--json', 'machine-readable JSON output'],
  ['--format NAME', 'recording format, instead of detecting it (canonical)'],
  ['--sensor NAME', 'only this sensor of a session'],
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
