/**
 * Errors → exit codes and one line on stderr. 1: the data is bad (`file:line: what`);
 * 2: the command line is bad (plus a pointer to --help). Stack traces only with --debug.
 */
import { RecordingFormatError, RecordingWriteError, SessionError, UnknownFormatError } from '../io/errors';
import { UsageError } from './command';
import type { CliIo } from './command';

/** A data problem the command reports as one line and exit 1 (never a confident wrong number). */
export class JointDataError extends Error {
  override readonly name = 'JointDataError';
}

export const EXIT_OK = 0;
export const EXIT_BAD_DATA = 1;
export const EXIT_USAGE = 2;

interface ErrnoLike {
  code?: unknown;
  path?: unknown;
  message: string;
}

function isParseArgsError(e: unknown): e is Error {
  return e instanceof Error && typeof (e as ErrnoLike).code === 'string' && ((e as ErrnoLike).code as string).startsWith('ERR_PARSE_ARGS');
}

/** Print a usage error (one line and a hint) and return 2. */
export function usageFailure(io: CliIo, command: string | undefined, message: string): number {
  const who = command ? `kinemetry ${command}` : 'kinemetry';
  io.stderr.write(`${who}: ${oneLine(message)}\nTry '${who} --help'.\n`);
  return EXIT_USAGE;
}

/** Report `e` on stderr and return the exit code it maps to. */
export function reportFailure(io: CliIo, command: string | undefined, e: unknown, debug: boolean): number {
  const code = classify(io, command, e);
  if (debug && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
  return code;
}

function classify(io: CliIo, command: string | undefined, e: unknown): number {
  if (isParseArgsError(e)) {
    // Node's texts run on with advice about '--'; the first sentence is the point.
    const first = e.message.split(/\.\s/)[0]!;
    return usageFailure(io, command, first.charAt(0).toLowerCase() + first.slice(1));
  }
  if (e instanceof UsageError || e instanceof UnknownFormatError) {
    return usageFailure(io, command, e.message);
  }
  if (e instanceof RecordingFormatError || e instanceof SessionError || e instanceof RecordingWriteError || e instanceof JointDataError) {
    io.stderr.write(`${oneLine(e.message)}\n`);
    return EXIT_BAD_DATA;
  }
  const who = command ? `kinemetry ${command}` : 'kinemetry';
  if (e instanceof Error) {
    const err = e as ErrnoLike;
    const path = typeof err.path === 'string' ? err.path : undefined;
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
      return usageFailure(io, command, `no such file or directory: ${path ?? '?'}`);
    }
    if (typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) {
      io.stderr.write(`${oneLine(path ?? who)}: ${systemMessage(err.code, e.message)}\n`);
      return EXIT_BAD_DATA;
    }
    io.stderr.write(`${who}: internal error: ${oneLine(e.message)} (rerun with --debug for the stack trace)\n`);
    return EXIT_BAD_DATA;
  }
  io.stderr.write(`${who}: internal error: ${oneLine(String(e))}\n`);
  return EXIT_BAD_DATA;
}

function systemMessage(code: string, message: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return oneLine(message);
  }
}

/**
 * One harmless terminal line: line breaks folded, and control characters (ESC, BEL, CR, …
 * copied from a binary file into a message) shown as `\u001b` escapes instead of acting on
 * the terminal.
 */
function oneLine(s: string): string {
  return s.replace(/\s*[\n\r\u2028\u2029]\s*/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
