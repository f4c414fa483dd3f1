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
/** How close the smoothed gain must be to the gain it approaches to take it. */
const SETTLED = 1e-15;

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
  /** How many of the newest gains in the ring are exactly 1 (at most the ring's length). */
  private onesAtEnd = 0;

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

  /**
   * Takes the onset gains of the newest `count` input samples; `allOnes`: the caller knows they are all 1
   * (the onset detector found no onset), so they need not be looked at. Audio-thread safe.
   */
  push(onsetGains: Float64Array, count: number, allOnes = false): void {
    const ring = this.ring;
    if (this.queued + count > ring.length) throw new Error('SideDucker overflow');
    let held = this.state[0];
    let holdLeft = this.holdLeft;
    let at = this.writeIndex;
    let ones = this.onesAtEnd;
    if (held === 1 && count > 0 && (allOnes || everyValueIsOne(onsetGains, count))) {
      // Steady material with nothing held down (the usual case): what the loop below would do, without
      // its branches per sample: every gain is 1, and each one restarts the hold. Once the whole ring
      // holds ones, they need not be written again.
      const first = Math.min(count, ring.length - at);
      if (ones < ring.length) {
        for (let i = at; i < at + first; i++) ring[i] = 1;
        for (let i = 0; i < count - first; i++) ring[i] = 1;
      }
      at = first < count ? count - first : at + count === ring.length ? 0 : at + count;
      holdLeft = this.holdSamples;
      ones += count;
    } else {
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
        ones = held === 1 ? ones + 1 : 0;
      }
    }
    this.writeIndex = at;
    this.queued += count;
    this.state[0] = held;
    this.holdLeft = holdLeft;
    // Capped: more than the ring holds says nothing more (and the count stays a small integer).
    this.onesAtEnd = ones < ring.length ? ones : ring.length;
  }

  /** Writes the gains for the next `count` output samples of the side. Audio-thread safe. */
  read(gains: Float64Array, count: number): void {
    const ring = this.ring;
    if (count > this.queued) throw new Error('SideDucker underflow');
    let smoothed = this.state[1];
    let at = this.readIndex;
    if (smoothed === 1 && this.onesAtEnd >= this.queued) {
      // Every gain queued is 1 and the smoothing is there already: the loop below would write ones.
      for (let i = 0; i < count; i++) gains[i] = 1;
      at += count;
      if (at >= ring.length) at -= ring.length;
    } else {
      for (let i = 0; i < count; i++) {
        // Where the gain is already there (no onset near: all ones), the step would add 0: skipped, so
        // that no sample waits on the multiply-add of the one before.
        const gain = ring[at];
        if (gain !== smoothed) smoothed += this.attackCoefficient * (gain - smoothed);
        gains[i] = smoothed;
        at = at + 1 === ring.length ? 0 : at + 1;
      }
      // The smoothing approaches a steady gain but can stop one rounding step short of it (1 - 2^-53
      // plus a few percent of 2^-53 rounds back to itself): from there it takes the gain itself, a
      // change of at most 1e-15, so that it ends at 1 and the loop above can be skipped.
      const last = ring[at === 0 ? ring.length - 1 : at - 1];
      if (count > 0 && Math.abs(smoothed - last) < SETTLED) smoothed = last;
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
    this.onesAtEnd = this.delay;
  }
}

/** True when the first `count` values are all exactly 1. */
function everyValueIsOne(values: Float64Array, count: number): boolean {
  for (let i = 0; i < count; i++) if (values[i] !== 1) return false;
  return true;
}
