/**
 * Sequential bytes from a file or from standard input, a block at a time, so that every reader (WAV and
 * the compressed formats) streams the same way whether it reads a file or a pipe.
 * @packageDocumentation
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { asCliError, InputError } from './errors.js';

/** Bytes per read from a file. */
const FILE_BLOCK = 64 * 1024;

/** A source of bytes read front to back. */
export interface ByteStream {
  /** What to call the source in messages (the path, or "standard input"). */
  readonly name: string;
  /** Total bytes, when known (a file); undefined for a pipe. */
  readonly size: number | undefined;
  /** Bytes handed out so far. */
  readonly position: number;
  /**
   * Reads up to `length` bytes into `target` at `offset`; fewer only at the end of the stream. Returns the
   * bytes read (0 at the end).
   */
  read(target: Uint8Array, offset: number, length: number): Promise<number>;
  /** The next block, of whatever size is convenient (at most `maxBytes`); an empty array at the end. */
  next(maxBytes: number): Promise<Uint8Array>;
  /** Whether {@link ByteStream.seek} works: a file's bytes can be read in any order, a pipe's cannot. */
  readonly seekable: boolean;
  /** Reads on from `position` (bytes from the start); only where `seekable`. */
  seek(position: number): void;
  close(): Promise<void>;
}

/** Reads and drops `count` bytes (fewer if the stream ends first); seeks past them where it can. */
export async function skipBytes(stream: ByteStream, count: number): Promise<void> {
  if (stream.seekable) {
    stream.seek(stream.position + count);
    return;
  }
  for (let left = count; left > 0; ) {
    const block = await stream.next(Math.min(left, 64 * 1024));
    if (block.byteLength === 0) return;
    left -= block.byteLength;
  }
}

/**
 * A byte stream with bytes pushed back in front (what was read to tell the format). `skipped`: bytes of
 * the inner stream before this one's start (a tag), left out of its size and position.
 */
export class PushBackStream implements ByteStream {
  constructor(
    private readonly inner: ByteStream,
    private front: Uint8Array,
    private readonly skipped = 0,
  ) {}
  get name(): string {
    return this.inner.name;
  }
  get size(): number | undefined {
    return this.inner.size === undefined ? undefined : this.inner.size - this.skipped;
  }
  get position(): number {
    return this.inner.position - this.front.byteLength - this.skipped;
  }
  get seekable(): boolean {
    return this.inner.seekable;
  }
  seek(position: number): void {
    this.front = new Uint8Array(0);
    this.inner.seek(position + this.skipped);
  }
  async read(target: Uint8Array, offset: number, length: number): Promise<number> {
    const take = Math.min(length, this.front.byteLength);
    target.set(this.front.subarray(0, take), offset);
    this.front = this.front.subarray(take);
    return take + (length > take ? await this.inner.read(target, offset + take, length - take) : 0);
  }
  async next(maxBytes: number): Promise<Uint8Array> {
    if (this.front.byteLength === 0) return this.inner.next(maxBytes);
    const block = this.front.slice(0, maxBytes);
    this.front = this.front.subarray(block.byteLength);
    return block;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * The next `length` bytes of another stream (a WAV's data chunk), as a stream of its own that ends after
 * them; its position and size count from where it starts. Closing it closes the other.
 */
export class LimitedStream implements ByteStream {
  private readonly start: number;
  readonly seekable = false;
  constructor(
    private readonly inner: ByteStream,
    private readonly length: number,
  ) {
    this.start = inner.position;
  }
  get name(): string {
    return this.inner.name;
  }
  get size(): number | undefined {
    const innerSize = this.inner.size === undefined ? Infinity : this.inner.size - this.start;
    const size = Math.min(this.length, innerSize);
    return Number.isFinite(size) ? size : undefined;
  }
  get position(): number {
    return this.inner.position - this.start;
  }
  private get left(): number {
    return Math.max(0, this.length - this.position);
  }
  seek(): void {
    throw new Error('a limited stream is read in order');
  }
  read(target: Uint8Array, offset: number, length: number): Promise<number> {
    return this.inner.read(target, offset, Math.min(length, this.left));
  }
  async next(maxBytes: number): Promise<Uint8Array> {
    const left = this.left;
    return left > 0 ? this.inner.next(Math.min(maxBytes, left)) : new Uint8Array(0);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

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
    return new FileByteStream(handle, path, info.size);
  } catch (error) {
    await handle.close();
    throw asCliError(error, 'input', path);
  }
}

class FileByteStream implements ByteStream {
  position = 0;
  readonly seekable = true;
  constructor(
    private readonly handle: FileHandle,
    readonly name: string,
    readonly size: number,
  ) {}

  async read(target: Uint8Array, offset: number, length: number): Promise<number> {
    let got = 0;
    while (got < length) {
      const { bytesRead } = await this.handle.read(target, offset + got, length - got, this.position);
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
    await this.handle.close();
  }
}

/** Standard input (or any readable stream) as a byte stream. */
export function readableStream(readable: Readable, name = 'standard input'): ByteStream {
  return new ReadableByteStream(readable, name);
}

class ReadableByteStream implements ByteStream {
  readonly size = undefined;
  readonly seekable = false;
  position = 0;
  private readonly chunks: AsyncIterator<Buffer>;
  private pending: Uint8Array = new Uint8Array(0);
  private ended = false;

  constructor(
    private readonly readable: Readable,
    readonly name: string,
  ) {
    this.chunks = readable[Symbol.asyncIterator]();
  }

  private async fill(): Promise<void> {
    if (this.pending.byteLength > 0 || this.ended) return;
    const { value, done } = await this.chunks.next();
    if (done) this.ended = true;
    else this.pending = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }

  async read(target: Uint8Array, offset: number, length: number): Promise<number> {
    let got = 0;
    while (got < length) {
      await this.fill();
      if (this.pending.byteLength === 0) break;
      const take = Math.min(length - got, this.pending.byteLength);
      target.set(this.pending.subarray(0, take), offset + got);
      this.pending = this.pending.subarray(take);
      got += take;
    }
    this.position += got;
    return got;
  }

  async next(maxBytes: number): Promise<Uint8Array> {
    await this.fill();
    const take = Math.min(maxBytes, this.pending.byteLength);
    const block = this.pending.subarray(0, take);
    this.pending = this.pending.subarray(take);
    this.position += take;
    return block;
  }

  seek(): void {
    throw new Error('a pipe is read in order');
  }

  async close(): Promise<void> {
    this.readable.pause();
  }
}
