/**
 * Standard input or output redirected from or to a regular file (`< FILE`, `> FILE`): such a file can be
 * read, or rewritten, by position, as one given by name is. Node has no lseek, so where the descriptor's
 * offset stands, and whether it appends (`>> FILE`), is read from Linux's /proc/self/fdinfo; elsewhere it
 * cannot be told, and the descriptor is used as a stream.
 * @packageDocumentation
 */
import { constants, fstatSync, readFileSync, type Stats } from 'node:fs';

/** A regular file behind a file descriptor of the process. */
export interface RedirectedFile {
  readonly stats: Stats;
  /** Where the descriptor's offset stands, in bytes; undefined where the system does not tell. */
  readonly offset: number | undefined;
  /** Whether every write goes to the end (O_APPEND); undefined where the system does not tell. */
  readonly appends: boolean | undefined;
}

/** The regular file behind `fd` (0, 1, 2: standard input, output, error), or undefined: a pipe, a terminal, a device. */
export function redirectedFile(fd: 0 | 1 | 2): RedirectedFile | undefined {
  let stats: Stats;
  try {
    stats = fstatSync(fd);
  } catch {
    return undefined;
  }
  if (!stats.isFile()) return undefined;
  let info = '';
  try {
    info = readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1');
  } catch {
    // Not Linux: neither is known.
  }
  const offset = /^pos:\s*(\d+)$/m.exec(info)?.[1];
  const flags = /^flags:\s*([0-7]+)$/m.exec(info)?.[1];
  return {
    stats,
    offset: offset === undefined ? undefined : Number(offset),
    // The open flags, in octal: the system's own O_ values.
    appends: flags === undefined ? undefined : (parseInt(flags, 8) & constants.O_APPEND) !== 0,
  };
}
