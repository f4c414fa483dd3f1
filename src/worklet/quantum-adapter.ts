/**
 * Feeds the engine its 128-sample blocks whatever render quantum the context uses (Chromium honours
 * `renderSizeHint`, and `'hardware'` can give sizes such as 441). Sizes that are multiples of 128 are cut
 * into blocks in place, which adds no latency: each block's output still depends only on input up to its
 * own end, exactly as with 128-sample quanta. Other sizes go through a pair of FIFOs primed with one block
 * of silence, which adds exactly {@link RENDER_QUANTUM} samples of latency (the node reports it).
 *
 * Everything is allocated at construction; {@link QuantumAdapter.process} is audio-thread safe.
 * @packageDocumentation
 */
import { RENDER_QUANTUM } from '../dsp/frame-config.js';
import type { Samples } from '../dsp/units.js';

/** What the adapter drives: one block of exactly {@link RENDER_QUANTUM} samples per call. */
export interface BlockProcessor {
  process(inputLeft: Float32Array, inputRight: Float32Array | null, outputLeft: Float32Array, outputRight: Float32Array): void;
}

/** Samples of latency the adapter adds for a context's render quantum size. Safe anywhere. */
export function quantumLatency(renderQuantumSize: number): Samples {
  return renderQuantumSize % RENDER_QUANTUM === 0 ? 0 : RENDER_QUANTUM;
}

/** Throws a RangeError that says what is wrong with a render quantum size, or returns it. */
export function checkRenderQuantumSize(size: number): number {
  if (!Number.isInteger(size) || size < 1 || size > 16_384) {
    throw new RangeError(`render quantum size ${String(size)} is not supported: use a whole number of samples from 1 to 16384`);
  }
  return size;
}

export class QuantumAdapter {
  /** Latency added on top of the engine's (0 for multiples of 128). */
  readonly addedLatency: Samples;
  private readonly blockInLeft = new Float32Array(RENDER_QUANTUM);
  private readonly blockInRight = new Float32Array(RENDER_QUANTUM);
  private readonly blockOutLeft = new Float32Array(RENDER_QUANTUM);
  private readonly blockOutRight = new Float32Array(RENDER_QUANTUM);
  /** FIFO mode: input samples gathered towards the next block. */
  private gathered = 0;
  private gatheredStereo = false;
  /** FIFO mode: output ring (capacity one host quantum plus two blocks), primed with one block of silence. */
  private readonly ringLeft: Float32Array;
  private readonly ringRight: Float32Array;
  private ringRead = 0;
  private ringFill: number;

  /**
   * @param engine - processes one 128-sample block per call.
   * @param renderQuantumSize - the context's render quantum (128 unless the context says otherwise).
   */
  constructor(
    private readonly engine: BlockProcessor,
    readonly renderQuantumSize: number,
  ) {
    checkRenderQuantumSize(renderQuantumSize);
    this.addedLatency = quantumLatency(renderQuantumSize);
    const capacity = this.addedLatency === 0 ? 0 : renderQuantumSize + 2 * RENDER_QUANTUM;
    this.ringLeft = new Float32Array(capacity);
    this.ringRight = new Float32Array(capacity);
    this.ringFill = this.addedLatency;
  }

  /**
   * Processes one render quantum of any length (all four arrays the same length; `inputRight` null for
   * mono). Throws if the length cannot keep the latency this adapter was built for. Audio thread.
   */
  process(inputLeft: Float32Array, inputRight: Float32Array | null, outputLeft: Float32Array, outputRight: Float32Array): void {
    const length = outputLeft.length;
    if (length === RENDER_QUANTUM && this.addedLatency === 0) {
      this.engine.process(inputLeft, inputRight, outputLeft, outputRight);
    } else if (this.addedLatency === 0) {
      if (length % RENDER_QUANTUM !== 0) {
        throw new RangeError(`render quantum of ${length} samples, but the node was made for ${this.renderQuantumSize}: its latency would be wrong`);
      }
      this.processInBlocks(inputLeft, inputRight, outputLeft, outputRight, length);
    } else {
      this.processThroughFifo(inputLeft, inputRight, outputLeft, outputRight, length);
    }
  }

  private processInBlocks(inputLeft: Float32Array, inputRight: Float32Array | null, outputLeft: Float32Array, outputRight: Float32Array, length: number): void {
    for (let start = 0; start < length; start += RENDER_QUANTUM) {
      for (let i = 0; i < RENDER_QUANTUM; i++) this.blockInLeft[i] = inputLeft[start + i];
      if (inputRight !== null) for (let i = 0; i < RENDER_QUANTUM; i++) this.blockInRight[i] = inputRight[start + i];
      this.engine.process(this.blockInLeft, inputRight === null ? null : this.blockInRight, this.blockOutLeft, this.blockOutRight);
      for (let i = 0; i < RENDER_QUANTUM; i++) {
        outputLeft[start + i] = this.blockOutLeft[i];
        outputRight[start + i] = this.blockOutRight[i];
      }
    }
  }

  private processThroughFifo(inputLeft: Float32Array, inputRight: Float32Array | null, outputLeft: Float32Array, outputRight: Float32Array, length: number): void {
    const capacity = this.ringLeft.length;
    if (length > capacity - 2 * RENDER_QUANTUM) {
      throw new RangeError(`render quantum of ${length} samples, but the node was made for ${this.renderQuantumSize}`);
    }
    for (let i = 0; i < length; i++) {
      this.blockInLeft[this.gathered] = inputLeft[i];
      this.blockInRight[this.gathered] = inputRight === null ? inputLeft[i] : inputRight[i];
      if (inputRight !== null) this.gatheredStereo = true;
      if (++this.gathered < RENDER_QUANTUM) continue;
      this.engine.process(this.blockInLeft, this.gatheredStereo ? this.blockInRight : null, this.blockOutLeft, this.blockOutRight);
      this.gathered = 0;
      this.gatheredStereo = false;
      let write = (this.ringRead + this.ringFill) % capacity;
      for (let j = 0; j < RENDER_QUANTUM; j++) {
        this.ringLeft[write] = this.blockOutLeft[j];
        this.ringRight[write] = this.blockOutRight[j];
        if (++write === capacity) write = 0;
      }
      this.ringFill += RENDER_QUANTUM;
    }
    // Primed with one block, the ring always holds at least `length` samples here (see the file comment).
    for (let i = 0; i < length; i++) {
      outputLeft[i] = this.ringLeft[this.ringRead];
      outputRight[i] = this.ringRight[this.ringRead];
      if (++this.ringRead === capacity) this.ringRead = 0;
    }
    this.ringFill -= length;
  }
}
