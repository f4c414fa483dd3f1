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
  close(): Promise<void>;
}

/** Bytes per read from a Blob: one slice is in memory at a time. */
const BLOB_BLOCK = 64 * 1024;

/**
 * A `Blob` (a `File` the user dropped or chose) read in slices of at most 64 KiB: only the slice being
 * read is in memory, never the whole file (a File is backed by the disk until it is read).
 */
export function blobByteStream(blob: Blob, name: string): ByteStream {
  return new BlobByteStream(blob, name);
}

class BlobByteStream implements ByteStream {
  position = 0;
  constructor(
    private readonly blob: Blob,
    readonly name: string,
  ) {}

  get size(): number {
    return this.blob.size;
  }

  async read(target: Uint8Array, offset: number, length: number): Promise<number> {
    let got = 0;
    while (got < length) {
      const block = await this.next(length - got);
      if (block.byteLength === 0) break;
      target.set(block, offset + got);
      got += block.byteLength;
    }
    return got;
  }

  async next(maxBytes: number): Promise<Uint8Array> {
    const end = Math.min(this.blob.size, this.position + Math.min(maxBytes, BLOB_BLOCK));
    if (end <= this.position) return new Uint8Array(0);
    // A new array each time: decoders may keep a view of what they were given.
    const block = new Uint8Array(await this.blob.slice(this.position, end).arrayBuffer());
    this.position += block.byteLength;
    return block;
  }

  close(): Promise<void> {
    return Promise.resolve();
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
