/**
 * A DC blocker: the signal minus its own low-passed part (a 2nd-order Butterworth low-pass at
 * {@link DC_BLOCKER_HZ}). A steady offset is removed exactly, while everything above 40 Hz keeps its
 * phase and level (within 0.16 degrees and 0.14 dB).
 *
 * The engine makes the side from the input without its DC (and the stereo path splits S and M without
 * it, passing S's part below the cutoff round the STFT). Left in, a DC offset reaches the side through
 * the window: a frame's sqrt-Hann window spreads a constant over the lowest bins (bin 1 gets a third of bin 0's amplitude), the overlap-add
 * rebuilds them into an offset, and bin weights cannot stop it (bass mono's leave it in the bins above
 * the cutoff; a live-mode bin is 187.5 Hz wide); and those bins' gains, which move with the music, turn
 * it into a subsonic wobble, so filtering the side afterwards leaves that wobble in.
 *
 * Why not a plain high-pass that also takes out rumble: the coherent part of the side (p M) must keep its
 * phase against M, or a band asked for ICC 0 with a level difference measures coherent. A 2nd-order
 * 20 Hz high-pass turns 60 Hz by 28 degrees; tried on the side, it failed cue-accuracy.test.ts in bands
 * 0-7 at ICC 0 and 10 dB of level difference (band 0 measured ICC 0.43). Taking the low-passed part away
 * instead cancels the phase shift to first order; the price (Bode: the log gain integrates to 0 over
 * frequency) is a boost of up to +2.1 dB at 6.5 Hz (+0.8 dB at 4 Hz, +1.2 dB at 12 Hz). Below 2 Hz
 * (record warp, drift) it cuts: 1 Hz by 11 dB, 0.5 Hz by 17 dB, DC entirely. A more damped low-pass
 * spreads the boost thinner only by cutting less below 2 Hz (critically damped: +1.25 dB at 7 Hz, but
 * 0.5 Hz cut by 14 dB, 1 Hz by 8 dB, and 40 Hz turned 0.21 degrees; bench/dc-blocker-response.ts), so
 * the Butterworth one stays: a warped record's 0.5 Hz is the bigger junk.
 * @packageDocumentation
 */
import type { Hertz } from './units.js';

/** Cutoff of the low-pass whose output is taken from the side. */
export const DC_BLOCKER_HZ: Hertz = 5;

/** Low-pass states below this are flushed to zero, so a long silence never runs into denormals. */
const FLUSH = 1e-30;

/** Construct off the audio thread; {@link process} and {@link reset} allocate nothing. */
export class DcBlocker {
  /** The low-pass in direct form I: gain on x + 2 x[n-1] + x[n-2], and a1, a2 (a0 = 1). */
  private readonly gain: number;
  private readonly a1: number;
  private readonly a2: number;
  /** The recursion two samples on: low[n+1] = ... + twoStep1 low[n-1] + twoStep2 low[n-2]. */
  private readonly twoStep1: number;
  private readonly twoStep2: number;
  /** x[n-1], x[n-2], and the low-pass's last two outputs; in a typed array (double fields can box in V8). */
  private readonly state = new Float64Array(4);

  constructor(sampleRate: Hertz) {
    // The audio EQ cookbook's low-pass with Q = 1/sqrt(2), with 1 - cos(w0) written as 2 sin^2(w0 / 2):
    // at 5 Hz and 192 kHz the difference would lose half its digits.
    const w0 = (2 * Math.PI * DC_BLOCKER_HZ) / sampleRate;
    const alpha = Math.sin(w0) / Math.SQRT2;
    const a0 = 1 + alpha;
    this.a1 = (-2 * Math.cos(w0)) / a0;
    this.a2 = (1 - alpha) / a0;
    this.gain = Math.sin(w0 / 2) ** 2 / a0;
    this.twoStep1 = this.a1 * this.a1 - this.a2;
    this.twoStep2 = this.a1 * this.a2;
  }

  /**
   * Writes the first `count` samples of `input` without their DC into `output` (the same array or
   * another). Audio-thread safe.
   */
  process(input: Float64Array, output: Float64Array, count: number): void {
    const { gain, a1, a2, twoStep1, twoStep2, state } = this;
    let x1 = state[0];
    let x2 = state[1];
    let low1 = state[2];
    let low2 = state[3];
    let i = 0;
    // Two samples a step, both from the low-pass's last two outputs: half as many steps wait on the one
    // before (the recursion, not the arithmetic, bounds this loop's speed).
    for (; i + 1 < count; i += 2) {
      const x = input[i];
      const next = input[i + 1];
      const drive = gain * (x + 2 * x1 + x2);
      const nextDrive = gain * (next + 2 * x + x1);
      const low = drive - a1 * low1 - a2 * low2;
      const nextLow = nextDrive - a1 * drive + twoStep1 * low1 + twoStep2 * low2;
      output[i] = x - low;
      output[i + 1] = next - nextLow;
      x2 = x;
      x1 = next;
      low2 = low;
      low1 = nextLow;
    }
    if (i < count) {
      const x = input[i];
      const low = gain * (x + 2 * x1 + x2) - a1 * low1 - a2 * low2;
      output[i] = x - low;
      x2 = x1;
      x1 = x;
      low2 = low1;
      low1 = low;
    }
    state[0] = x1;
    state[1] = x2;
    state[2] = Math.abs(low1) < FLUSH ? 0 : low1;
    state[3] = Math.abs(low2) < FLUSH ? 0 : low2;
  }

  /** True when the blocker holds no past input and no ringing: its output for silence is silence. */
  get atRest(): boolean {
    const state = this.state;
    return state[0] === 0 && state[1] === 0 && state[2] === 0 && state[3] === 0;
  }

  /** Forgets the past input (silence before the next block). */
  reset(): void {
    this.state.fill(0);
  }
}
