/**
 * Batched inference for offline rendering (the CLI): the model's features are computed from the input
 * before the engine sees it, so that the model answers a whole chunk of frames in one call, ahead of
 * the audio, instead of one call per frame as the engine reaches it. A model call costs a fixed overhead
 * plus its work per window, and the overhead dominates at one window per call (`npm run bench`).
 *
 * The features are the engine's own: the same input conditioning ({@link conditionInput}) and the same
 * streaming analysis ({@link FeatureAnalyzer}), frame for frame, so every frame gets the cues the
 * frame-by-frame path would give it (test/model/batched-inference.test.ts). They are computed in the
 * engine's thread (whose FFT code is warm); the model runs there too ({@link InThreadCueSupply}) or in a
 * worker thread (src/cli/inference-thread.ts).
 * @packageDocumentation
 */
import { RENDER_QUANTUM } from '../dsp/frame-config.js';
import { conditionInput } from '../dsp/input-conditioning.js';
import type { Hertz } from '../dsp/units.js';
import type { Style } from '../style/style.js';
import type { ChunkCueFrames, ChunkCueSupply } from './chunk-cues.js';
import { ChunkCueModel, type FeatureFrames } from './chunk-cue-model.js';
import type { CueModel } from './cue-model.js';
import { FEATURE_COUNT, FeatureAnalyzer } from './features.js';

/** The model's features of the input, computed as the engine will compute them, ahead of it. */
export class FeatureLookahead {
  private readonly analyzer: FeatureAnalyzer;
  private readonly left = new Float64Array(RENDER_QUANTUM);
  private readonly right = new Float64Array(RENDER_QUANTUM);
  private readonly mono = new Float64Array(RENDER_QUANTUM);

  constructor(sampleRate: Hertz) {
    this.analyzer = new FeatureAnalyzer(sampleRate);
  }

  /**
   * Takes the next input samples, exactly as the engine will get them later (`right` null for mono),
   * and returns the features of the frames they complete.
   */
  write(inputLeft: Float32Array, inputRight: Float32Array | null): FeatureFrames {
    const count = inputLeft.length;
    const firstFrame = this.analyzer.frameCount;
    // At most one frame per hop, plus one the analyzer may have been about to finish.
    const features = new Float32Array((Math.floor(count / this.analyzer.hopSize) + 1) * FEATURE_COUNT);
    let frames = 0;
    for (let start = 0; start < count; start += RENDER_QUANTUM) {
      const n = Math.min(RENDER_QUANTUM, count - start);
      const left = inputLeft.subarray(start, start + n);
      const right = inputRight ? inputRight.subarray(start, start + n) : null;
      conditionInput(left, right, this.left, this.right, this.mono, n);
      for (let i = 0; i < n; ) {
        i += this.analyzer.write(this.mono, i, n - i);
        if (this.analyzer.frameDue) features.set(this.analyzer.features, frames++ * FEATURE_COUNT);
      }
    }
    return { firstFrame, features: features.subarray(0, frames * FEATURE_COUNT) };
  }
}

/** The features and the model in the caller's thread: chunks are answered one after the other. */
export class InThreadCueSupply implements ChunkCueSupply {
  private readonly lookahead: FeatureLookahead;
  private readonly model: ChunkCueModel;

  /** @param style - the model's condition (a model that takes one); default the default style. */
  constructor(model: CueModel, sampleRate: Hertz, style?: Style) {
    this.lookahead = new FeatureLookahead(sampleRate);
    this.model = new ChunkCueModel(model, style);
  }

  request(left: Float32Array, right: Float32Array | null): Promise<ChunkCueFrames> {
    return this.model.request(this.lookahead.write(left, right));
  }

  close(): void {}
}
