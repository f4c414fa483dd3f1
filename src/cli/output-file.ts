/**
 * Writing an output safely. The audio goes to a temporary file beside the target, created exclusively
 * (O_CREAT | O_EXCL | O_NOFOLLOW, so a planted symlink or file is never followed or reused) under a short
 * unpredictable name (so any legal output name works), and is moved into place only when complete. The
 * target itself is never opened: a FIFO, a device or a symlink there is refused, even with --force, and a
 * regular file is replaced only with --force. Errors name the output, never the hidden temporary file.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { constants, unlinkSync } from 'node:fs';
import { link, lstat, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { asCliError, OutputError } from './errors.js';
import { redirectedFile } from './redirected-file.js';

/** Temporary files being written now, removed by {@link removeTemporaryFilesNow} on an interrupt. */
const liveTemporaryFiles = new Set<string>();

/** What kind of thing is at a path, in words, for messages; undefined for a regular file. */
function describeNonRegular(info: import('node:fs').Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'a folder';
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Checks that `outputPath` may be written: not the input, not a folder, FIFO, device or symlink, and not
 * an existing file unless `overwrite`. `inputPath` `-`: the process's standard input (the file it is
 * redirected from, if any, is the input); undefined: the input is a stream of another kind.
 */
export async function checkOutputTarget(inputPath: string | undefined, outputPath: string, overwrite: boolean): Promise<void> {
  let info;
  try {
    info = await lstat(outputPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw asCliError(error, 'output', outputPath);
  }
  if (inputPath !== undefined) {
    const input = inputPath === '-' ? redirectedFile(0)?.stats : await stat(inputPath).catch(() => undefined);
    if (input && input.dev === info.dev && input.ino === info.ino) {
      const how = inputPath === '-' ? ' (standard input is redirected from it)' : '';
      throw new OutputError(`${outputPath} is the input file${how}: choose another output name (the input is never overwritten)`);
    }
  }
  const kind = describeNonRegular(info);
  if (kind === 'a folder') throw new OutputError(`${outputPath} is a folder: give a file name for the output, or use --out-dir ${outputPath}`);
  if (kind) throw new OutputError(`${outputPath} is ${kind}, not a regular file: the upmixer only replaces regular files; remove it or choose another name`);
  if (!overwrite) throw new OutputError(`${outputPath} exists: pass --force to replace it`);
}

/** A temporary file being written for an output. */
export interface TemporaryFile {
  readonly path: string;
  readonly handle: FileHandle;
}

/** Creates the temporary file for `outputPath` in its folder: new, exclusive, with a random short name. */
export async function createTemporaryFile(outputPath: string): Promise<TemporaryFile> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  for (let attempt = 0; ; attempt++) {
    // 31 bytes whatever the output's name: never too long where the output's name is legal.
    const path = join(dirname(outputPath), `.upmix-${randomBytes(8).toString('hex')}.partial`);
    try {
      const handle = await open(path, flags, 0o666);
      liveTemporaryFiles.add(path);
      return { path, handle };
    } catch (error) {
      // A name taken (by chance, or planted): try another one.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 5) continue;
      throw asCliError(error, 'output', outputPath);
    }
  }
}

/** Removes a temporary file (after a failure); quiet if it is gone. */
export async function discardTemporaryFile(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
  liveTemporaryFiles.delete(path);
}

/**
 * Moves a complete temporary file to `outputPath`. Without `overwrite` it never replaces anything, even a
 * file that appeared meanwhile (a hard link fails if the name exists); with it, only a regular file.
 */
export async function commitTemporaryFile(temporaryPath: string, outputPath: string, overwrite: boolean): Promise<void> {
  try {
    if (!overwrite) {
      try {
        await link(temporaryPath, outputPath);
        await discardTemporaryFile(temporaryPath);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new OutputError(`${outputPath} exists: pass --force to replace it`);
        // File systems without hard links: check, then rename.
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK') throw error;
      }
    }
    await checkOutputTarget(undefined, outputPath, overwrite);
    await rename(temporaryPath, outputPath);
  } catch (error) {
    await discardTemporaryFile(temporaryPath);
    throw asCliError(error, 'output', outputPath);
  }
  liveTemporaryFiles.delete(temporaryPath);
}

/** Removes every temporary file still being written, at once (for an interrupt that cannot wait). */
export function removeTemporaryFilesNow(): void {
  for (const path of liveTemporaryFiles) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone.
    }
  }
  liveTemporaryFiles.clear();
}

/** The temporary files being written now (a worker reports them to the main thread). */
export function temporaryFilesNow(): string[] {
  return [...liveTemporaryFiles];
}
