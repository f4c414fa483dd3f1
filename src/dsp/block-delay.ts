/**
 * A delay line for blocks of a fixed size, read and written in place: the caller writes each block into
 * {@link BlockDelay.input} and reads the block from `delay` samples before it as a view of the ring, so
 * no sample is copied into or out of the line (a SampleFifo used as a delay copies every sample twice,
 * at about a nanosecond each in V8's loops).
 *
 * The ring holds whole blocks, at least `delay + blockSize` samples, so a block is written where it does
 * not wrap; a delayed block that would wrap reads on into a copy of the ring's first block kept past its
 * end. Every view is made at construction: nothing is allocated afterwards.
 * @packageDocumentation
 */
import type { Samples } from './units.js';

export class BlockDelay {
  readonly delay: Samples;
  readonly blockSize: Samples;
  /** The ring (`ringLength` samples) and, after it, a copy of its first block. */
  private readonly buffer: Float64Array;
  private readonly ringLength: number;
  /** Per block slot: the view to write it, and the view of the block `delay` samples before it. */
  private readonly inputs: Float64Array[] = [];
  private readonly outputs: Float64Array[] = [];
  private slot = 0;

  constructor(delay: Samples, blockSize: Samples) {
    if (!(Number.isInteger(delay) && delay >= 0 && Number.isInteger(blockSize) && blockSize > 0)) {
      throw new RangeError(`a block delay takes a whole delay and block size, not ${delay} and ${blockSize}`);
    }
    this.delay = delay;
    this.blockSize = blockSize;
    const slots = Math.ceil((delay + blockSize) / blockSize);
    this.ringLength = slots * blockSize;
    this.buffer = new Float64Array(this.ringLength + blockSize);
    for (let slot = 0; slot < slots; slot++) {
      const start = slot * blockSize;
      const delayed = (((start - delay) % this.ringLength) + this.ringLength) % this.ringLength;
      this.inputs.push(this.buffer.subarray(start, start + blockSize));
      this.outputs.push(this.buffer.subarray(delayed, delayed + blockSize));
    }
  }

  /** Where the next block goes: write `blockSize` samples into it, then call {@link commit}. */
  get input(): Float64Array {
    return this.inputs[this.slot];
  }

  /**
   * Takes the block written into {@link input} and returns the block of the samples `delay` before it,
   * a view that stays valid until the next block is written. Audio-thread safe: allocates nothing.
   */
  commit(): Float64Array {
    const slot = this.slot;
    // The copy of the first block past the ring's end, for a delayed block that wraps.
    if (slot === 0) this.buffer.copyWithin(this.ringLength, 0, this.blockSize);
    this.slot = slot + 1 === this.inputs.length ? 0 : slot + 1;
    return this.outputs[slot];
  }

  /** Silence in the whole line. */
  clear(): void {
    this.buffer.fill(0);
    this.slot = 0;
  }
}
