/**
 * The CLI's errors, by class: what went wrong (the input, the output, the command line, or an interrupt)
 * decides the exit code, never the message text. Every message is one line that names the file and says
 * what to do.
 * @packageDocumentation
 */
import { AudioFileError } from '../audio-file/audio-stream.js';

/** What kind of failure an error is; each maps to one exit code. */
export type CliErrorKind = 'input' | 'output' | 'usage' | 'interrupted';

/** Exit code of each kind (0 is success). */
export const EXIT_CODES: Readonly<Record<CliErrorKind, number>> = { input: 1, output: 1, usage: 2, interrupted: 130 };

/** A failure the CLI reports in one line. */
export abstract class CliError extends Error {
  abstract readonly kind: CliErrorKind;
  constructor(message: string) {
    // One line, whatever a library or the system put into it.
    super(message.replace(/\s*\n\s*/g, ' '));
  }
  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

/** The input cannot be read or decoded (missing, unsupported format, broken file, FIFO...). */
export class InputError extends CliError {
  readonly kind = 'input';
  override name = 'InputError';
}

/** The output cannot be written (exists, read-only folder, not a regular file, disk full...). */
export class OutputError extends CliError {
  readonly kind = 'output';
  override name = 'OutputError';
}

/** A wrong command line: printed with a pointer to --help. */
export class UsageError extends CliError {
  readonly kind = 'usage';
  override name = 'UsageError';
}

/** Ctrl-C (SIGINT) or SIGTERM: nothing was left behind. */
export class InterruptedError extends CliError {
  readonly kind = 'interrupted';
  override name = 'InterruptedError';
  constructor(message = 'interrupted: no output was written') {
    super(message);
  }
}

/** The exit code for any error: by class for ours, 1 for anything unexpected. */
export function exitCodeOf(error: unknown): number {
  return error instanceof CliError ? error.exitCode : 1;
}

/** What a system error code means, for a person, with the way out. */
function explainCode(code: string | undefined, role: 'input' | 'output'): string | undefined {
  switch (code) {
    case 'ENOENT':
      return role === 'input' ? 'no such file or directory; check the name' : 'its folder does not exist; create it first or choose another output';
    case 'EACCES':
    case 'EPERM':
      return role === 'input' ? 'permission denied; make it readable or copy it somewhere you can read' : 'permission denied; choose an output folder you can write to';
    case 'EROFS':
      return 'the folder is on a read-only file system; choose an output folder you can write to';
    case 'ENOSPC':
      return 'the disk is full; free some space or choose another output folder';
    case 'EDQUOT':
      return 'the disk quota is exceeded; free some space or choose another output folder';
    case 'ENAMETOOLONG':
      return 'the name is too long for the file system; choose a shorter name';
    case 'EISDIR':
      return role === 'input' ? 'it is a folder; give --out-dir DIR to upmix every file in it' : 'it is a folder; give a file name for the output';
    case 'ENOTDIR':
      return 'a part of the path is not a folder; check the path';
    case 'ELOOP':
      return 'too many symbolic links in the path; check the path';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files; lower --jobs';
    case 'EIO':
      return 'an I/O error occurred; check the disk';
    default:
      return undefined;
  }
}

/**
 * Turns any error met while reading `path` (role `input`) or writing it (`output`) into one of ours, with
 * one line naming the file and the fix; our own errors pass unchanged.
 */
export function asCliError(error: unknown, role: 'input' | 'output', path: string): CliError {
  if (error instanceof CliError) return error;
  // The shared audio readers' errors already name the file and the fix.
  if (error instanceof AudioFileError) return new InputError(error.message);
  const e = error as NodeJS.ErrnoException;
  const explained = explainCode(e?.code, role);
  const what = role === 'input' ? `cannot read ${path}` : `cannot write ${path}`;
  const message = explained
    ? `${what}: ${explained}`
    : `${what}: ${(e?.message ?? String(error)).split('\n')[0]}${e?.code ? ` (${e.code})` : ''}`;
  return role === 'input' ? new InputError(message) : new OutputError(message);
}
