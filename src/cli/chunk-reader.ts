/**
 * The CLI's input as the engine gets it: chunks of whole render quanta, the input's samples and then
 * zeros until the engine's latency is flushed out. Chunks may be read ahead of the engine (so that their
 * cues can be asked for early), as many as the caller likes: each chunk keeps its buffers until the
 * caller releases it ({@link ChunkReader.release}), and later chunks reuse released buffers.
 * @packageDocumentation
 */
import { RENDER_QUANTUM } from '../dsp/frame-config.js';
import type { AudioSource } from './audio-source.js';

/** One chunk of input. */
export interface InputChunk {
  /** Per input channel, `quanta * RENDER_QUANTUM` samples: the input's `frames`, then zeros. */
  readonly channels: readonly Float32Array[];
  /** Samples of the input in it (the rest are zeros). */
  readonly frames: number;
  /** Render quanta in it. */
  readonly quanta: number;
  /** Input frames read up to the end of this chunk, and how far through the input that is (0..1, if known). */
  readonly inputFramesRead: number;
  readonly fractionDone: number | undefined;
}

/** Reads the input in chunks of whole render quanta, then zeros until the engine's latency is flushed out. */
export class ChunkReader {
  /** Input frames in all; Infinity until the input's end has been read. */
  total = Infinity;
  private inputFrames = 0;
  private ended = false;
  private quantaRead = 0;
  /** Buffer sets of released chunks, for the next chunks; and each chunk's own set until it is released. */
  private readonly free: Float32Array[][] = [];
  private readonly buffersOf = new WeakMap<InputChunk, Float32Array[]>();

  /**
   * @param latency - zeros the engine needs after the input to give all of it back (its latency).
   * @param read - reads from the source; may throw (its errors pass unchanged).
   */
  constructor(
    private readonly source: Pick<AudioSource, 'channelCount' | 'fractionDone'>,
    private readonly read: (channels: Float32Array[], maxFrames: number) => Promise<number>,
    private readonly chunkFrames: number,
    private readonly latency: number,
  ) {}

  /** The next chunk, or undefined when the engine has had all it needs. */
  async next(): Promise<InputChunk | undefined> {
    // Done once the engine's output (less its latency) covers the whole input.
    if (this.ended && this.quantaRead * RENDER_QUANTUM - this.latency >= this.total) return undefined;
    const channels = this.free.pop() ?? Array.from({ length: this.source.channelCount }, () => new Float32Array(this.chunkFrames));
    let frames = 0;
    if (!this.ended) {
      frames = await this.read(channels, this.chunkFrames);
      this.inputFrames += frames;
      // Sources fill the whole block until their end.
      if (frames < this.chunkFrames) {
        this.ended = true;
        this.total = this.inputFrames;
      }
    }
    const quanta = Math.min(
      frames > 0 ? Math.ceil(frames / RENDER_QUANTUM) : Math.ceil((this.total + this.latency - this.quantaRead * RENDER_QUANTUM) / RENDER_QUANTUM),
      this.chunkFrames / RENDER_QUANTUM,
    );
    this.quantaRead += quanta;
    const length = quanta * RENDER_QUANTUM;
    for (const channel of channels) channel.fill(0, frames, length);
    const chunk: InputChunk = {
      channels: channels.map((channel) => channel.subarray(0, length)),
      frames,
      quanta,
      inputFramesRead: this.inputFrames,
      fractionDone: this.ended ? 1 : this.source.fractionDone(),
    };
    this.buffersOf.set(chunk, channels);
    return chunk;
  }

  /** Gives back a chunk's buffers once nothing reads it any more: a later chunk reuses them. */
  release(chunk: InputChunk): void {
    const buffers = this.buffersOf.get(chunk);
    if (buffers === undefined) return;
    this.buffersOf.delete(chunk);
    this.free.push(buffers);
  }
}
