/**
 * Writes a WAV file a block at a time. The header states the final length up front (the upmixer's output
 * is exactly as long as its input), and {@link WavWriter.close} checks that it was met.
 * @packageDocumentation
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Hertz } from '../dsp/units.js';
import { encodeSamples } from './sample-codec.js';
import { BYTES_PER_SAMPLE, wavHeader, type SampleEncoding } from './wav-format.js';

export class WavWriter {
  private framesWritten = 0;
  private position: number;
  private bytes: Uint8Array = new Uint8Array(0);
  /** Samples clipped to full scale so far (PCM only). */
  clippedSamples = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly channelCount: number,
    private readonly encoding: SampleEncoding,
    private readonly frameCount: number,
    headerBytes: number,
  ) {
    this.position = headerBytes;
  }

  /** Creates (or truncates) `path` and writes the header for `frameCount` frames. */
  static async create(path: string, sampleRate: Hertz, channelCount: number, encoding: SampleEncoding, frameCount: number): Promise<WavWriter> {
    const header = wavHeader(sampleRate, channelCount, encoding, frameCount);
    const handle = await open(path, 'w');
    try {
      await handle.write(header, 0, header.byteLength, 0);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new WavWriter(handle, channelCount, encoding, frameCount, header.byteLength);
  }

  /** Appends `frames` frames of `channels` (one array per channel). */
  async write(channels: Float32Array[], frames: number): Promise<void> {
    if (this.framesWritten + frames > this.frameCount) throw new Error(`writing past the ${this.frameCount} frames the header declares`);
    const byteCount = frames * this.channelCount * BYTES_PER_SAMPLE[this.encoding];
    if (this.bytes.byteLength < byteCount) this.bytes = new Uint8Array(byteCount);
    this.clippedSamples += encodeSamples(channels, frames, this.encoding, this.bytes);
    await this.handle.write(this.bytes, 0, byteCount, this.position);
    this.position += byteCount;
    this.framesWritten += frames;
  }

  /** Flushes to disk and closes; throws if fewer frames were written than the header declares. */
  async close(): Promise<void> {
    try {
      if (this.framesWritten !== this.frameCount) {
        throw new Error(`wrote ${this.framesWritten} frames but the header declares ${this.frameCount}`);
      }
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
  }

  /** Closes without the length check (after a failure; the caller deletes the file). */
  async abandon(): Promise<void> {
    await this.handle.close();
  }
}
