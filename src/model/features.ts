/**
 * The cue model's input features, computed exactly as `feature-spec.json` defines them: log10 of the
 * power per cue band of a sqrt-Hann-windowed frame of the mono signal, normalised by the frame size
 * squared. {@link FeatureAnalyzer} computes them on a stream (audio-thread safe) with the engine's
 * transform (PFFFT's float32 one where it runs: its features are within about 1e-6 of float64's, in log10
 * units, down to digital silence; the golden test holds them to Python's within 1e-4);
 * {@link computeFeatureFrames} on a whole signal in float64, framed as the training code frames it.
 * @packageDocumentation
 */
import { BandLayout, bandEdges } from '../dsp/bands.js';
import { RealFft, type RealTransform } from '../dsp/real-fft.js';
import { createRealFft } from '../dsp/wasm-fft.js';
import { sqrtHannWindow, StftAnalyzer } from '../dsp/stft.js';
import type { Hertz } from '../dsp/units.js';
import { FEATURE_SPEC, featureFrameSize, featureHopSize } from './feature-spec.js';

/** Feature values per frame: one per cue band. */
export const FEATURE_COUNT: number = FEATURE_SPEC.bandCount;

/** Streaming feature analysis: push mono samples, read a feature frame every hop. */
export class FeatureAnalyzer {
  readonly frameSize: number;
  readonly hopSize: number;
  /** Features of the newest frame (valid after {@link push} returned true). Reused. */
  readonly features: Float32Array;
  /** Frames finished so far. */
  frameCount = 0;
  private readonly analyzer: StftAnalyzer;
  private readonly fft: RealTransform;
  private readonly layout: BandLayout;
  private readonly spectrum: Float64Array;
  private readonly powers: Float64Array;

  constructor(sampleRate: Hertz) {
    this.frameSize = featureFrameSize(sampleRate);
    this.hopSize = featureHopSize(sampleRate);
    this.analyzer = new StftAnalyzer(this.frameSize, this.hopSize);
    // The engine's transform (PFFFT, float32, where it runs): in quality mode the engine's own analysis is
    // this analysis, and both must give the same features (the CLI computes them ahead with this class).
    this.fft = createRealFft(this.frameSize);
    this.layout = new BandLayout(sampleRate, this.frameSize, bandEdges(FEATURE_SPEC.bandCount, FEATURE_SPEC.bandLowHz, FEATURE_SPEC.bandHighHz));
    this.spectrum = new Float64Array(this.fft.halfSpectrumLength);
    this.powers = new Float64Array(FEATURE_COUNT);
    this.features = new Float32Array(FEATURE_COUNT);
  }

  /**
   * Appends one sample; when it completes a frame, computes its features into {@link features} and
   * returns true. Frame `j` of a stream ends with sample `(j + 1) * hopSize` (zeros before the stream).
   * Audio-thread safe.
   */
  push(sample: number): boolean {
    if (!this.analyzer.push(sample)) return false;
    this.computeFeatures();
    return true;
  }

  /**
   * Appends up to `count` samples of `source` from `start`, stopping after a sample that completes a
   * frame (then its features are in {@link features} and {@link frameDue} is true); returns how many it
   * took. Block-wise for the audio thread (see `StftAnalyzer.write`). Audio-thread safe.
   */
  write(source: Float64Array, start: number, count: number): number {
    const taken = this.analyzer.write(source, start, count);
    if (this.analyzer.frameDue) this.computeFeatures();
    return taken;
  }

  private computeFeatures(): void {
    this.analyzer.analyse(this.fft, this.spectrum);
    this.layout.bandPowers(this.spectrum, this.powers);
    writeFeatures(this.powers, this.frameSize, this.features);
    this.frameCount++;
  }

  /** True when the last {@link write} completed a frame. */
  get frameDue(): boolean {
    return this.analyzer.frameDue;
  }

  /** Forgets all input. */
  reset(): void {
    this.analyzer.reset();
    this.frameCount = 0;
  }
}

/** Band powers of one frame to features. Audio-thread safe. */
export function writeFeatures(bandPowers: Float64Array, frameSize: number, out: Float32Array | Float64Array): void {
  const norm = 1 / (frameSize * frameSize);
  for (let b = 0; b < out.length; b++) out[b] = Math.log10(bandPowers[b] * norm + FEATURE_SPEC.powerFloor);
}

/**
 * Features of every whole frame of `signal`, frame `i` covering samples `[i * hop, i * hop + frameSize)`,
 * as the training code frames a track (offline, float64). For tests and batch tools.
 */
export function computeFeatureFrames(signal: Float32Array | Float64Array, sampleRate: Hertz): Float64Array[] {
  const frameSize = featureFrameSize(sampleRate);
  const hop = featureHopSize(sampleRate);
  const fft = new RealFft(frameSize);
  const layout = new BandLayout(sampleRate, frameSize, bandEdges(FEATURE_SPEC.bandCount, FEATURE_SPEC.bandLowHz, FEATURE_SPEC.bandHighHz));
  const window = sqrtHannWindow(frameSize);
  const frame = new Float64Array(frameSize);
  const spectrum = new Float64Array(fft.halfSpectrumLength);
  const powers = new Float64Array(FEATURE_COUNT);
  const frames: Float64Array[] = [];
  for (let start = 0; start + frameSize <= signal.length; start += hop) {
    for (let n = 0; n < frameSize; n++) frame[n] = signal[start + n] * window[n];
    fft.forward(frame, spectrum);
    layout.bandPowers(spectrum, powers);
    const features = new Float64Array(FEATURE_COUNT);
    writeFeatures(powers, frameSize, features);
    frames.push(features);
  }
  return frames;
}
