/**
 * A fixed-capacity first-in first-out queue of samples (single thread). Used as a delay line: prefill
 * it with `delay` zeros, then write and read one block each. Preallocated; no allocation after
 * construction.
 */
export class SampleFifo {
  private readonly buffer: Float64Array;
  private readIndex = 0;
  private writeIndex = 0;
  private count = 0;

  constructor(capacity: number) {
    this.buffer = new Float64Array(capacity);
  }

  /** Samples waiting to be read. */
  get length(): number {
    return this.count;
  }

  /** Appends one sample; throws if full (a framing bug, never a data condition). */
  write(sample: number): void {
    if (this.count === this.buffer.length) throw new Error('SampleFifo overflow');
    this.buffer[this.writeIndex] = sample;
    this.writeIndex = this.writeIndex + 1 === this.buffer.length ? 0 : this.writeIndex + 1;
    this.count++;
  }

  /** Appends `count` zeros. */
  writeZeros(count: number): void {
    for (let i = 0; i < count; i++) this.write(0);
  }

  /** Removes and returns the oldest sample; throws if empty (a framing bug). */
  read(): number {
    if (this.count === 0) throw new Error('SampleFifo underflow');
    const sample = this.buffer[this.readIndex];
    this.readIndex = this.readIndex + 1 === this.buffer.length ? 0 : this.readIndex + 1;
    this.count--;
    return sample;
  }

  /** Empties the queue. */
  clear(): void {
    this.readIndex = 0;
    this.writeIndex = 0;
    this.count = 0;
  }
}
