/**
 * Streams the samples of a WAV file as planar float blocks, a chunk at a time, so a file of any length
 * needs only one chunk of memory.
 * @packageDocumentation
 */
import { open, type FileHandle } from 'node:fs/promises';
import { decodeSamples } from './sample-codec.js';
import { BYTES_PER_SAMPLE, NeedMoreBytes, parseWavHeader, type WavFormat } from './wav-format.js';

/** Bytes read for the header at first; more if its chunks run longer. */
const FIRST_HEADER_READ = 4096;
/** Headers bigger than this (long metadata before the data) are read once more, in full. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

export class WavReader {
  /** Frames handed out so far. */
  private framesRead = 0;
  private bytes: Uint8Array = new Uint8Array(0);

  private constructor(
    private readonly handle: FileHandle,
    readonly format: WavFormat,
  ) {}

  /** Opens `path` and parses its header; throws a {@link WavFormatError} for files it cannot read. */
  static async open(path: string): Promise<WavReader> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      let want = Math.min(size, FIRST_HEADER_READ);
      for (;;) {
        const head = new Uint8Array(want);
        const { bytesRead } = await handle.read(head, 0, want, 0);
        try {
          return new WavReader(handle, parseWavHeader(head.subarray(0, bytesRead), size));
        } catch (error) {
          if (!(error instanceof NeedMoreBytes) || error.bytes > MAX_HEADER_BYTES) throw error;
          want = Math.max(error.bytes, 2 * want);
        }
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Frames not yet read. */
  get framesLeft(): number {
    return this.format.frameCount - this.framesRead;
  }

  /**
   * Reads up to `maxFrames` frames into `channels` (one array per channel of the file, each at least
   * `maxFrames` long); returns the frames read, 0 at the end of the data.
   */
  async read(channels: Float32Array[], maxFrames: number): Promise<number> {
    const frames = Math.min(maxFrames, this.framesLeft);
    if (frames <= 0) return 0;
    const frameBytes = this.format.channelCount * BYTES_PER_SAMPLE[this.format.encoding];
    const byteCount = frames * frameBytes;
    if (this.bytes.byteLength < byteCount) this.bytes = new Uint8Array(byteCount);
    const position = this.format.dataOffset + this.framesRead * frameBytes;
    let got = 0;
    while (got < byteCount) {
      const { bytesRead } = await this.handle.read(this.bytes, got, byteCount - got, position + got);
      if (bytesRead === 0) throw new Error('the file got shorter while it was being read');
      got += bytesRead;
    }
    decodeSamples(this.bytes, this.format.encoding, channels, frames);
    this.framesRead += frames;
    return frames;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
