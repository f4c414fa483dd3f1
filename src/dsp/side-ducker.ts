/**
 * Quiets the side signal around onsets. The side comes out of the STFT, where a per-bin gain acts as a
 * zero-phase filter: a click would be spread to both sides of itself, up to half a frame before it
 * (pre-echo). The engine's latency lets us see the click coming: onset gains are held (instant attack,
 * held for twice the lookahead, then a linear release) and read `lookahead` samples ahead of the audio
 * they belong to, so the side is down from `lookahead` before the click to `lookahead` after it, and the
 * click itself passes in the dry centre.
 * @packageDocumentation
 */
import { SampleFifo } from './sample-fifo.js';
import type { Hertz, Samples, Seconds } from './units.js';

const RELEASE: Seconds = 0.03;
const ATTACK: Seconds = 0.0003;

export class SideDucker {
  private readonly gains: SampleFifo;
  private readonly delay: Samples;
  private readonly releaseStep: number;
  private readonly attackCoefficient: number;
  private readonly holdSamples: Samples;
  private held = 1;
  private holdLeft = 0;
  private smoothed = 1;

  /**
   * @param latency - delay of the output after the input
   * @param lookahead - how long before its onset the side starts ducking (at most `latency`)
   */
  constructor(sampleRate: Hertz, latency: Samples, lookahead: Samples) {
    const ahead = Math.min(lookahead, latency);
    this.delay = latency - ahead;
    this.holdSamples = 2 * ahead;
    this.gains = new SampleFifo(this.delay + 256);
    this.releaseStep = 1 / (RELEASE * sampleRate);
    this.attackCoefficient = 1 - Math.exp(-1 / (ATTACK * sampleRate));
    this.reset();
  }

  /** Takes the onset gain of the newest input sample. Audio-thread safe. */
  push(onsetGain: number): void {
    if (onsetGain <= this.held) {
      this.held = onsetGain;
      this.holdLeft = this.holdSamples;
    } else if (this.holdLeft > 0) {
      this.holdLeft--;
    } else {
      const released = this.held + this.releaseStep;
      this.held = onsetGain < released ? onsetGain : released > 1 ? 1 : released;
    }
    this.gains.write(this.held);
  }

  /** The gain for the next output sample of the side. Audio-thread safe. */
  next(): number {
    this.smoothed += this.attackCoefficient * (this.gains.read() - this.smoothed);
    return this.smoothed;
  }

  /** Back to no ducking. */
  reset(): void {
    this.gains.clear();
    for (let i = 0; i < this.delay; i++) this.gains.write(1);
    this.held = 1;
    this.holdLeft = 0;
    this.smoothed = 1;
  }
}
