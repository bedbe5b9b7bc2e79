/**
 * `kinemetry` command line. `main(argv)` never exits the process and never throws: it
 * resolves to the exit code (0 ok, 1 bad data, 2 bad usage), so it can be run in-process by
 * tests and by `bin/kinemetry.js`. Run directly with `node --import tsx src/cli/main.ts …`.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COMMON_OPTIONS, readerOptionValues } from './command';
import type { CliIo, CommandContext, CommonOptions, OptionSpec } from './command';
import { COMMANDS } from './commands';
import { EXIT_OK, EXIT_USAGE, reportFailure, usageFailure } from './errors';
import { commandHelp, globalHelp } from './help';
import { VERSION } from './version';

export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  // Known before parsing, so that even an argument error can show its stack.
  const debug = argv.includes('--debug');
  let i = 0;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') {
      io.stdout.write(globalHelp(COMMANDS));
      return EXIT_OK;
    }
    if (a === '--version') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT_OK;
    }
    if (a !== '--debug') return usageFailure(io, undefined, `unknown option '${a}' before the command`);
  }
  if (i === argv.length) {
    io.stderr.write(globalHelp(COMMANDS));
    return EXIT_USAGE;
  }
  const name = argv[i]!;
  const rest = argv.slice(i + 1);
  if (name === 'help') {
    const topic = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.name === rest[0]);
    if (rest[0] !== undefined && !topic) return usageFailure(io, undefined, `unknown command '${rest[0]}'`);
    io.stdout.write(topic ? commandHelp(topic) : globalHelp(COMMANDS));
    return EXIT_OK;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    return usageFailure(io, undefined, `unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
  }
  try {
    const options: OptionSpec = { ...COMMON_OPTIONS, version: { type: 'boolean' }, ...cmd.options };
    const parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
    const values = parsed.values as CommandContext['values'];
    const positionals = parsed.positionals;
    if (values.help) {
      io.stdout.write(commandHelp(cmd));
      return EXIT_OK;
    }
    if (values.version) {
      io.stdout.write(`${VERSION}\n`);
      return EXIT_OK;
    }
    const common: CommonOptions = {
      out: values.out as string | undefined,
      json: values.json === true,
      ...readerOptionValues(values),
      sensor: values.sensor as string | undefined,
      debug,
    };
    return await cmd.run({ io, common, values, positionals });
  } catch (e) {
    return reportFailure(io, cmd.name, e, debug);
  }
}

/** True when this module is the process entry (`node --import tsx src/cli/main.ts`), not when imported. */
function isEntryModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * For the process entry (bin/kinemetry.js or tsx): when the reader of stdout goes away
 * (`kinemetry orient … | head`), stop quietly like any Unix tool instead of crashing on EPIPE.
 */
export function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

if (isEntryModule()) {
  exitQuietlyOnClosedStdout();
  process.exitCode = await main(process.argv.slice(2));
}
