/**
 * Sequential bytes from any source, a block at a time, so that every reader (WAV, AIFF and the compressed
 * formats) streams the same way whether it reads a file or a pipe in Node (src/cli/byte-stream.ts) or a
 * `Blob` (a dropped `File`) in a browser or Worker ({@link blobByteStream}). Node-free.
 * @packageDocumentation
 */

/** A source of bytes read front to back. */
export interface ByteStream {
  /** What to call the source in messages (the path, the file's name, or "standard input"). */
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
 * A byte stream over blocks that arrive in their source's own sizes (a pipe's chunks, a Blob stream's
 * reads): what is left of the last block waits in `pending` for the next read.
 */
export abstract class PendingBlockStream implements ByteStream {
  abstract readonly name: string;
  abstract readonly size: number | undefined;
  position = 0;
  protected pending: Uint8Array = new Uint8Array(0);
  /** True when the next block is read into the same buffer: {@link next} then hands out copies. */
  protected abstract readonly reusesBuffer: boolean;

  /** Reads the next block into `pending` when it is empty; false when there is nothing (more) to hand out. */
  protected abstract fill(): Promise<boolean>;

  abstract close(): Promise<void>;

  /** Blocks arrive in order: no going back. */
  readonly seekable: boolean = false;
  seek(position: number): void {
    throw new Error(`${this.name} is read in order: it cannot go to byte ${position}`);
  }

  async read(target: Uint8Array, offset: number, length: number): Promise<number> {
    let got = 0;
    while (got < length && (await this.fill())) {
      const take = Math.min(length - got, this.pending.byteLength);
      target.set(this.pending.subarray(0, take), offset + got);
      this.pending = this.pending.subarray(take);
      got += take;
      // Counted block by block: the next fill of a Blob's slices reads from here.
      this.position += take;
    }
    return got;
  }

  async next(maxBytes: number): Promise<Uint8Array> {
    if (!(await this.fill())) return new Uint8Array(0);
    // A copy of a reused buffer: decoders may keep a view of what they were given.
    const block = this.reusesBuffer ? this.pending.slice(0, maxBytes) : this.pending.subarray(0, maxBytes);
    this.pending = this.pending.subarray(block.byteLength);
    this.position += block.byteLength;
    return block;
  }
}

/** Bytes per read from a Blob: one block is in memory at a time. */
const BLOB_BLOCK = 64 * 1024;

/**
 * A `Blob` (a `File` the user dropped or chose) read front to back, 64 KiB at a time: only the block being
 * read is in memory, never the whole file (a File is backed by the disk until it is read). Where the
 * Blob's stream is a byte stream (Chromium, Node), blocks are read into one reused buffer (a BYOB reader),
 * so reading a long WAV leaves no garbage behind; elsewhere each block is a slice of its own. Seekable, as
 * a file is: reading goes on from any offset (a new stream of the Blob's slice from there), so an AIFF
 * whose sound comes before its format is read without holding the sound.
 */
export function blobByteStream(blob: Blob, name: string): ByteStream {
  return new BlobByteStream(blob, name);
}

/** A byte stream's BYOB reader of `blob` from `start` on, or null where its stream is not a byte stream. */
function byobReader(blob: Blob, start: number): ReadableStreamBYOBReader | null {
  try {
    return (start === 0 ? blob : blob.slice(start)).stream().getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream: slices instead.
    return null;
  }
}

class BlobByteStream extends PendingBlockStream {
  /** Reads into a buffer it is given (transferred and handed back); null where the stream has no BYOB reader. */
  private reader: ReadableStreamBYOBReader | null;
  /** The buffer the BYOB reader fills. */
  private scratch: Uint8Array<ArrayBuffer> = new Uint8Array(BLOB_BLOCK);
  protected readonly reusesBuffer: boolean;
  override readonly seekable: boolean = true;

  constructor(
    private readonly blob: Blob,
    readonly name: string,
  ) {
    super();
    this.reader = byobReader(blob, 0);
    this.reusesBuffer = this.reader !== null;
  }

  get size(): number {
    return this.blob.size;
  }

  override seek(position: number): void {
    this.pending = new Uint8Array(0);
    this.position = position;
    if (this.reader === null) return; // slices are read from `position` anyway
    void this.reader.cancel().catch(() => undefined);
    // A reader that ended may keep the buffer it was last given: a new one then.
    if (this.scratch.buffer.byteLength === 0) this.scratch = new Uint8Array(BLOB_BLOCK);
    this.reader = byobReader(this.blob, Math.min(position, this.blob.size));
  }

  protected async fill(): Promise<boolean> {
    if (this.pending.byteLength > 0) return true;
    if (this.reader === null) {
      const end = Math.min(this.blob.size, this.position + BLOB_BLOCK);
      if (end <= this.position) return false;
      this.pending = new Uint8Array(await this.blob.slice(this.position, end).arrayBuffer());
      return this.pending.byteLength > 0;
    }
    const { value, done } = await this.reader.read(new Uint8Array(this.scratch.buffer, 0, BLOB_BLOCK));
    if (value !== undefined) this.scratch = new Uint8Array(value.buffer);
    if (done || value === undefined || value.byteLength === 0) return false;
    this.pending = value;
    return true;
  }

  async close(): Promise<void> {
    await this.reader?.cancel().catch(() => undefined);
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
