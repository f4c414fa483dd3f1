/**
 * A fixed-capacity first-in first-out queue of samples (single thread). Used as a delay line: prefill
 * it with `delay` zeros, then write and read one block each. Preallocated; no allocation after
 * construction. Blocks, not single samples, cross the API: in V8 a call that returns a double and is
 * not inlined boxes it on the heap, which would allocate per sample on the audio thread.
 */
export class SampleFifo {
  private readonly buffer: Float64Array;
  private readIndex = 0;
  private writeIndex = 0;
  private count = 0;
  /** Zeros written by {@link writeZeros} in a row, up to the capacity (then every slot holds +0). */
  private zerosInARow = 0;

  constructor(capacity: number) {
    this.buffer = new Float64Array(capacity);
  }

  /** Samples waiting to be read. */
  get length(): number {
    return this.count;
  }

  /** Appends the first `count` samples of `source`; throws if they do not fit (a framing bug). */
  write(source: Float64Array, count = source.length): void {
    if (this.count + count > this.buffer.length) throw new Error('SampleFifo overflow');
    const buffer = this.buffer;
    const index = this.writeIndex;
    const first = Math.min(count, buffer.length - index);
    if (first === source.length) {
      // The whole source, no wrap (the usual case): the native copy, several times as fast as a loop.
      buffer.set(source, index);
    } else {
      // Two plain copy loops, up to the buffer's end and from its start: no wrap test per sample.
      for (let i = 0; i < first; i++) buffer[index + i] = source[i];
      for (let i = first; i < count; i++) buffer[i - first] = source[i];
    }
    this.writeIndex = this.advanced(index, count);
    this.count += count;
    this.zerosInARow = 0;
  }

  /** Appends `count` copies of `value` (zeros to prefill a delay). */
  fill(value: number, count: number): void {
    if (this.count + count > this.buffer.length) throw new Error('SampleFifo overflow');
    const buffer = this.buffer;
    const index = this.writeIndex;
    // Up to the buffer's end and from its start, as write() does. Plain loops, not TypedArray.fill: a
    // double passed to a builtin is boxed (a heap number per call on the audio thread).
    const first = Math.min(count, buffer.length - index);
    const end = index + first;
    for (let i = index; i < end; i++) buffer[i] = value;
    for (let i = 0; i < count - first; i++) buffer[i] = value;
    this.writeIndex = this.advanced(index, count);
    this.count += count;
    this.zerosInARow = 0;
  }

  /**
   * Appends `count` zeros (the stereo path's idle frames): fill's plain loops, not TypedArray.fill with a
   * range, which allocated a heap number per call on the audio thread where the caller ran rarely
   * (test/worklet/processor-allocation-stereo.test.ts). Once a whole buffer of zeros is written, every
   * slot holds one: then it only moves on (an idle stereo path writes nothing).
   */
  writeZeros(count: number): void {
    const zeros = this.zerosInARow;
    if (zeros >= this.buffer.length) {
      if (this.count + count > this.buffer.length) throw new Error('SampleFifo overflow');
      this.writeIndex = this.advanced(this.writeIndex, count);
      this.count += count;
      return;
    }
    this.fill(0, count);
    this.zerosInARow = zeros + count < this.buffer.length ? zeros + count : this.buffer.length;
  }


  /** Drops the oldest `count` samples unread (for a reader that knows they are silence); throws if fewer are waiting. */
  discard(count: number): void {
    if (count > this.count) throw new Error('SampleFifo underflow');
    this.readIndex = this.advanced(this.readIndex, count);
    this.count -= count;
  }

  /** Moves the oldest `count` samples into `target`; throws if fewer are waiting (a framing bug). */
  read(target: Float64Array, count = target.length): void {
    if (count > this.count) throw new Error('SampleFifo underflow');
    const buffer = this.buffer;
    const index = this.readIndex;
    const first = Math.min(count, buffer.length - index);
    for (let i = 0; i < first; i++) target[i] = buffer[index + i];
    for (let i = first; i < count; i++) target[i] = buffer[i - first];
    this.readIndex = this.advanced(index, count);
    this.count -= count;
  }

  /** As {@link read}, but adds the samples to `target`'s (one pass for a reader that sums them into a block). */
  readAdding(target: Float64Array, count: number): void {
    if (count > this.count) throw new Error('SampleFifo underflow');
    const buffer = this.buffer;
    const index = this.readIndex;
    const first = Math.min(count, buffer.length - index);
    // Four samples a step up to the buffer's end (V8 runs this add about twice as fast as one a step).
    let i = 0;
    for (let j = index, end4 = first - 3; i < end4; i += 4, j += 4) {
      target[i] += buffer[j];
      target[i + 1] += buffer[j + 1];
      target[i + 2] += buffer[j + 2];
      target[i + 3] += buffer[j + 3];
    }
    for (; i < first; i++) target[i] += buffer[index + i];
    for (; i < count; i++) target[i] += buffer[i - first];
    this.readIndex = this.advanced(index, count);
    this.count -= count;
  }

  /** The ring index `count` samples after `index` (count at most the capacity). */
  private advanced(index: number, count: number): number {
    const next = index + count;
    return next >= this.buffer.length ? next - this.buffer.length : next;
  }

  /** Empties the queue. */
  clear(): void {
    this.readIndex = 0;
    this.writeIndex = 0;
    this.count = 0;
  }
}
