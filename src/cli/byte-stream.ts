/**
 * Sequential bytes from a file or from standard input, a block at a time, so that every reader (WAV and
 * the compressed formats) streams the same way whether it reads a file or a pipe.
 * @packageDocumentation
 */
import { constants, read } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { PendingBlockStream, type ByteStream } from '../audio-file/byte-stream.js';
import { asCliError, InputError } from './errors.js';
import { redirectedFile } from './redirected-file.js';

export type { ByteStream } from '../audio-file/byte-stream.js';

/** Bytes per read from a file. */
const FILE_BLOCK = 64 * 1024;

/** Opens a regular file for reading without ever blocking on a FIFO or a device. */
export async function openFileStream(path: string): Promise<ByteStream> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of hanging (and swallowing Ctrl-C).
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw asCliError(error, 'input', path);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputError(`${path} is a folder, not an audio file: give --out-dir DIR to upmix every file in it`);
    if (info.isFIFO()) throw new InputError(`${path} is a FIFO (named pipe): pipe it to standard input instead, as in: upmix - OUT.wav < ${path}`);
    if (!info.isFile()) throw new InputError(`${path} is not a regular file (a device or socket): give an audio file`);
    return new FileByteStream(handle, path, info.size, 0);
  } catch (error) {
    await handle.close();
    throw asCliError(error, 'input', path);
  }
}

/** What {@link FileByteStream} needs of an open file: reads at a position, and a close. */
interface PositionalFile {
  read(target: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

/**
 * The file descriptor of standard input, read by position (pread: its offset is left where it is).
 * Never closed here: it is the process's.
 */
const standardInputFile: PositionalFile = {
  read: (target, offset, length, position) =>
    new Promise((resolve, reject) => read(0, target, offset, length, position, (error, bytesRead) => (error ? reject(error) : resolve({ bytesRead })))),
  close: async () => undefined,
};

/**
 * Standard input as a file, when it is redirected from a regular file (`upmix - OUT < IN`): read by
 * position from where its offset stands, exactly as the file given by name would be (its size known, and
 * seekable: an AIFF whose sound comes before its format is read without holding the sound). Undefined
 * when it is a pipe, a terminal, a socket or a device, or where its offset cannot be told (not Linux): it
 * is then read in order, as a pipe.
 */
export function standardInputFileStream(): ByteStream | undefined {
  const file = redirectedFile(0);
  if (file?.offset === undefined || file.offset > file.stats.size) return undefined;
  return new FileByteStream(standardInputFile, 'standard input', file.stats.size - file.offset, file.offset);
}

/** A regular file read by position: `start` is where its bytes begin (the offset standard input stood at). */
class FileByteStream implements ByteStream {
  position = 0;
  readonly seekable = true;
  constructor(
    private readonly file: PositionalFile,
    readonly name: string,
    readonly size: number,
    private readonly start: number,
  ) {}

  async read(target: Uint8Array, offset: number, length: number): Promise<number> {
    let got = 0;
    while (got < length) {
      const { bytesRead } = await this.file.read(target, offset + got, length - got, this.start + this.position);
      if (bytesRead === 0) break;
      got += bytesRead;
      this.position += bytesRead;
    }
    return got;
  }

  seek(position: number): void {
    this.position = position;
  }

  async next(maxBytes: number): Promise<Uint8Array> {
    // A new array each time: decoders may keep a view of what they were given.
    const block = new Uint8Array(Math.min(maxBytes, FILE_BLOCK));
    const got = await this.read(block, 0, block.byteLength);
    return block.subarray(0, got);
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

/** Standard input (or any readable stream) as a byte stream. */
export function readableStream(readable: Readable, name = 'standard input'): ByteStream {
  return new ReadableByteStream(readable, name);
}

class ReadableByteStream extends PendingBlockStream {
  readonly size = undefined;
  /** Each chunk is a Buffer of its own: handed out as it is. */
  protected readonly reusesBuffer = false;
  private readonly chunks: AsyncIterator<Buffer>;
  private ended = false;

  constructor(
    private readonly readable: Readable,
    readonly name: string,
  ) {
    super();
    this.chunks = readable[Symbol.asyncIterator]();
  }

  protected async fill(): Promise<boolean> {
    if (this.pending.byteLength > 0 || this.ended) return this.pending.byteLength > 0;
    const { value, done } = await this.chunks.next();
    if (done) this.ended = true;
    else this.pending = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return this.pending.byteLength > 0;
  }

  async close(): Promise<void> {
    this.readable.pause();
  }
}
