import type { Hertz, Samples } from './units.js';

/** Web Audio's render quantum: the engine is always fed blocks of this many samples. */
export const RENDER_QUANTUM: Samples = 128;

/**
 * Throws a RangeError unless every given array holds exactly {@link RENDER_QUANTUM} samples (a longer
 * array would be processed only in part, a shorter one read past its end). A few length comparisons:
 * allocates only on the way to throwing. Audio-thread safe.
 */
export function checkQuantumArrays(inputLeft: Float32Array, inputRight: Float32Array | null, outputLeft: Float32Array, outputRight: Float32Array): void {
  if (inputLeft.length === RENDER_QUANTUM && outputLeft.length === RENDER_QUANTUM && outputRight.length === RENDER_QUANTUM && (inputRight === null || inputRight.length === RENDER_QUANTUM)) return;
  const lengths = `inputLeft ${inputLeft.length}, inputRight ${inputRight === null ? 'null' : inputRight.length}, outputLeft ${outputLeft.length}, outputRight ${outputRight.length}`;
  throw new RangeError(`UpmixEngine.process takes one render quantum: arrays of exactly ${RENDER_QUANTUM} samples (got ${lengths}); feed longer blocks ${RENDER_QUANTUM} samples at a time`);
}

/** Lowest and highest sample rates the engine supports. */
export const MIN_SAMPLE_RATE: Hertz = 22_050;
export const MAX_SAMPLE_RATE: Hertz = 192_000;

/**
 * `live`: smallest frames, for monitoring while recording (at most 256 samples added at 48 kHz).
 * `quality`: bigger frames and lookahead frames for the cue model (about 40 ms).
 */
export type LatencyMode = 'live' | 'quality';

export const LATENCY_MODES: readonly LatencyMode[] = ['live', 'quality'];

/** The STFT framing and resulting latency of one engine instance. */
export interface FrameConfig {
  readonly mode: LatencyMode;
  readonly sampleRate: Hertz;
  /** FFT and window length. */
  readonly frameSize: Samples;
  /** Samples between frames (half the frame: sqrt-Hann windows at 50% overlap reconstruct exactly). */
  readonly hopSize: Samples;
  /** Frames the synthesis runs behind the analysis, so that cues for a frame can use later frames. */
  readonly lookaheadFrames: number;
  /** Exact algorithmic latency of the output relative to the input. */
  readonly latency: Samples;
}

const BASE_FRAME: Record<LatencyMode, Samples> = { live: 256, quality: 1024 };
const LOOKAHEAD_FRAMES: Record<LatencyMode, number> = { live: 0, quality: 2 };

/** Throws a RangeError that says what is wrong with a sample rate, or returns it. */
export function checkSampleRate(sampleRate: Hertz): Hertz {
  if (!Number.isFinite(sampleRate) || sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new RangeError(
      `sample rate ${sampleRate} Hz is not supported: use a rate from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE} Hz`,
    );
  }
  return sampleRate;
}

/**
 * The framing for a sample rate and mode. Frame sizes scale with the rate (nearest power of two of
 * rate / 48 kHz) so that a frame lasts about as long at every rate.
 *
 * Latency: a frame is analysed when its last input sample arrives, at the end of a render quantum, and
 * the quantum's output must be produced in the same call; so the first sample of each frame's finished
 * hop leaves `frameSize - min(hopSize, RENDER_QUANTUM)` samples after it came in, plus the lookahead.
 */
export function frameConfigFor(sampleRate: Hertz, mode: LatencyMode): FrameConfig {
  checkSampleRate(sampleRate);
  if (!LATENCY_MODES.includes(mode)) {
    throw new RangeError(`latency mode "${String(mode)}" is not known: use "live" or "quality"`);
  }
  const scale = 2 ** Math.round(Math.log2(sampleRate / 48_000));
  const frameSize = BASE_FRAME[mode] * scale;
  const hopSize = frameSize / 2;
  const lookaheadFrames = LOOKAHEAD_FRAMES[mode];
  const latency = frameSize - Math.min(hopSize, RENDER_QUANTUM) + lookaheadFrames * hopSize;
  return { mode, sampleRate, frameSize, hopSize, lookaheadFrames, latency };
}
