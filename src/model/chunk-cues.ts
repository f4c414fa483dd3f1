/**
 * Offline rendering (the CLI) asks for the model's cues a chunk of input at a time, ahead of the engine:
 * a {@link ChunkCueSupply} turns a chunk into the cues of the frames it completes (in this thread, or in
 * a worker thread so that the model's work overlaps the engine's), and a {@link ChunkCueChannel} hands
 * them to the engine's `ModelCueSource` when the engine reaches that chunk. A chunk's cues are delivered
 * only then, never earlier: the source keeps a bounded number of arrived frames, and a later chunk's
 * cues must not push out frames the engine still wants.
 * @packageDocumentation
 */
import type { ArrivedCues, CueChannel } from './cue-channel.js';
import { FEATURE_COUNT } from './features.js';

/** The cues of the frames one chunk completes, in frame order: `FEATURE_COUNT` values per frame. */
export interface ChunkCueFrames {
  readonly frameIndices: Int32Array;
  readonly iccs: Float32Array;
  readonly ildMagnitudesDb: Float32Array;
}

/** Turns chunks of input into their cue frames (the features and the model, ahead of the engine). */
export interface ChunkCueSupply {
  /**
   * The cues of the frames that the next `left` (and `right`, null for mono input) samples complete.
   * Chunks must be asked for in order, each with the samples the engine will get (zeros after the
   * input's end); several may be asked for before the first is answered. Answers come in order.
   */
  request(left: Float32Array, right: Float32Array | null): Promise<ChunkCueFrames>;
  /** Ends this supply (its file is done or failed); later answers are dropped. */
  close(): void;
}

/**
 * The engine's end of a chunked supply: it drops the features the engine sends (the supply computed
 * them earlier from the same input) and gives the cues {@link deliver}ed to it.
 */
export class ChunkCueChannel implements CueChannel {
  readonly featuresUnused = true;
  private readonly queue: ChunkCueFrames[] = [];
  /** Next frame to give of the queue's first chunk. */
  private next = 0;

  /** Makes a chunk's cues available to the engine (call it just before the engine processes that chunk). */
  deliver(frames: ChunkCueFrames): void {
    if (frames.frameIndices.length > 0) this.queue.push(frames);
  }

  sendFeatures(): void {}

  receiveCues(into: ArrivedCues): boolean {
    const chunk = this.queue[0];
    if (chunk === undefined) return false;
    const at = this.next * FEATURE_COUNT;
    into.frameIndex = chunk.frameIndices[this.next];
    into.iccs.set(chunk.iccs.subarray(at, at + FEATURE_COUNT));
    into.ildMagnitudesDb.set(chunk.ildMagnitudesDb.subarray(at, at + FEATURE_COUNT));
    if (++this.next === chunk.frameIndices.length) {
      this.queue.shift();
      this.next = 0;
    }
    return true;
  }
}
