/** Help texts, generated from the command table so they cannot drift from the options. */
import { COMMON_OPTIONS_HELP } from './command';
import type { Command } from './command';
import { VERSION } from './version';

function table(rows: readonly (readonly [string, string])[], indent = '  '): string {
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(w)}  ${b}`).join('\n');
}

export function globalHelp(commands: readonly Command[]): string {
  return [
    `kinemetry ${VERSION} — wearable IMU recordings to clinical movement measurements`,
    '',
    'Usage: kinemetry <command> [options] [arguments]',
    '',
    'Commands:',
    table(commands.map((c) => [c.name, c.summary])),
    '',
    'Options:',
    table([
      ['-h, --help', 'show this help; `kinemetry <command> --help` for a command'],
      ['--version', 'print the version'],
      ['--debug', 'show stack traces on errors'],
    ]),
    '',
    'Exit codes: 0 success, 1 bad data (file:line: what is wrong), 2 bad usage.',
    '',
  ].join('\n');
}

export function commandHelp(cmd: Command): string {
  const parts = [`Usage: kinemetry ${cmd.usage}`, '', cmd.description.trim(), ''];
  if (cmd.optionsHelp.length > 0) parts.push('Options:', table(cmd.optionsHelp), '');
  parts.push('Common options:', table(COMMON_OPTIONS_HELP), '');
  return parts.join('\n');
}
