/**
 * Quiets the side signal around onsets. The side comes out of the STFT, where a per-bin gain acts as a
 * zero-phase filter: a click would be spread to both sides of itself, up to half a frame before it
 * (pre-echo). The engine's latency lets us see the click coming: onset gains are held (instant attack,
 * held for twice the lookahead, then a linear release) and read `lookahead` samples ahead of the audio
 * they belong to, so the side is down from `lookahead` before the click to `lookahead` after it, and the
 * click itself passes in the dry centre.
 * @packageDocumentation
 */
import { RENDER_QUANTUM } from './frame-config.js';
import type { Hertz, Samples, Seconds } from './units.js';

const RELEASE: Seconds = 0.03;
const ATTACK: Seconds = 0.0003;

export class SideDucker {
  /**
   * The held gains on their way to the output: a ring that {@link push} writes and {@link read} reads
   * `delay` samples later (its own ring, not a SampleFifo: the hold and the smoothing run in the loops
   * that write and read it, with no block copied in between).
   */
  private readonly ring: Float64Array;
  private writeIndex = 0;
  private readIndex = 0;
  private queued = 0;
  private readonly delay: Samples;
  private readonly releaseStep: number;
  private readonly attackCoefficient: number;
  private readonly holdSamples: Samples;
  /** Held gain and smoothed gain (a typed array: a double field can box on every store in V8). */
  private readonly state = new Float64Array(2);
  private holdLeft = 0;

  /**
   * @param latency - delay of the output after the input
   * @param lookahead - how long before its onset the side starts ducking (at most `latency`)
   */
  constructor(sampleRate: Hertz, latency: Samples, lookahead: Samples) {
    const ahead = Math.min(lookahead, latency);
    this.delay = latency - ahead;
    this.holdSamples = 2 * ahead;
    this.ring = new Float64Array(this.delay + 2 * RENDER_QUANTUM);
    this.releaseStep = 1 / (RELEASE * sampleRate);
    this.attackCoefficient = 1 - Math.exp(-1 / (ATTACK * sampleRate));
    this.reset();
  }

  /** Takes the onset gains of the newest `count` input samples. Audio-thread safe. */
  push(onsetGains: Float64Array, count: number): void {
    const ring = this.ring;
    if (this.queued + count > ring.length) throw new Error('SideDucker overflow');
    let held = this.state[0];
    let holdLeft = this.holdLeft;
    let at = this.writeIndex;
    for (let i = 0; i < count; i++) {
      const onsetGain = onsetGains[i];
      if (onsetGain <= held) {
        held = onsetGain;
        holdLeft = this.holdSamples;
      } else if (holdLeft > 0) {
        holdLeft--;
      } else {
        const released = held + this.releaseStep;
        held = onsetGain < released ? onsetGain : released > 1 ? 1 : released;
      }
      ring[at] = held;
      at = at + 1 === ring.length ? 0 : at + 1;
    }
    this.writeIndex = at;
    this.queued += count;
    this.state[0] = held;
    this.holdLeft = holdLeft;
  }

  /** Writes the gains for the next `count` output samples of the side. Audio-thread safe. */
  read(gains: Float64Array, count: number): void {
    const ring = this.ring;
    if (count > this.queued) throw new Error('SideDucker underflow');
    let smoothed = this.state[1];
    let at = this.readIndex;
    for (let i = 0; i < count; i++) {
      // Where the gain is already there (no onset near: all ones), the step would add 0: skipped, so
      // that no sample waits on the multiply-add of the one before.
      const gain = ring[at];
      if (gain !== smoothed) smoothed += this.attackCoefficient * (gain - smoothed);
      gains[i] = smoothed;
      at = at + 1 === ring.length ? 0 : at + 1;
    }
    this.readIndex = at;
    this.queued -= count;
    this.state[1] = smoothed;
  }

  /** Back to no ducking. */
  reset(): void {
    // The first `delay` output samples come before any input: no ducking.
    this.ring.fill(1, 0, this.delay);
    this.writeIndex = this.delay;
    this.readIndex = 0;
    this.queued = this.delay;
    this.state.fill(1);
    this.holdLeft = 0;
  }
}
