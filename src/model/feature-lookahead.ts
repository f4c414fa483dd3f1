/**
 * Batched inference for offline rendering (the CLI): the model's features are computed from the input
 * before the engine sees it, so that the model answers a whole chunk of frames in one call, ahead of
 * the audio, instead of one call per frame as the engine reaches it. A model call costs a fixed overhead
 * plus its work per window, and the overhead dominates at one window per call (`npm run bench`).
 *
 * The features are the engine's own: the same input conditioning ({@link conditionInput}) and the same
 * streaming analysis ({@link FeatureAnalyzer}), frame for frame, so every frame gets the cues the
 * frame-by-frame path would give it (test/model/batched-inference.test.ts).
 * @packageDocumentation
 */
import { RENDER_QUANTUM } from '../dsp/frame-config.js';
import { conditionInput } from '../dsp/input-conditioning.js';
import type { Hertz } from '../dsp/units.js';
import type { Style } from '../style/style.js';
import type { ArrivedCues, CueChannel } from './cue-channel.js';
import type { CueModel } from './cue-model.js';
import { FeatureAnalyzer } from './features.js';
import { InProcessCueChannel } from './in-process-channel.js';

export class FeatureLookahead {
  /**
   * The engine's end (give it to the engine's `ModelCueSource`): the features the engine sends are
   * dropped (they are the ones computed here, earlier), the cues come from the model.
   */
  readonly channel: CueChannel;
  private readonly model: InProcessCueChannel;
  private readonly analyzer: FeatureAnalyzer;
  private readonly left = new Float64Array(RENDER_QUANTUM);
  private readonly right = new Float64Array(RENDER_QUANTUM);
  private readonly mono = new Float64Array(RENDER_QUANTUM);

  /** @param style - the model's condition (a model that takes one); default the default style. */
  constructor(model: CueModel, sampleRate: Hertz, style?: Style) {
    this.model = new InProcessCueChannel(model, style);
    this.analyzer = new FeatureAnalyzer(sampleRate);
    const inner = this.model;
    this.channel = {
      sendFeatures: () => {},
      receiveCues: (into: ArrivedCues) => inner.receiveCues(into),
    };
  }

  /**
   * Takes the next `count` input samples, exactly as the engine will get them later (`right` null for
   * mono), and queues a model window for every feature frame they complete.
   */
  write(inputLeft: Float32Array, inputRight: Float32Array | null, count: number): void {
    for (let start = 0; start < count; start += RENDER_QUANTUM) {
      const n = Math.min(RENDER_QUANTUM, count - start);
      const left = inputLeft.subarray(start, start + n);
      const right = inputRight ? inputRight.subarray(start, start + n) : null;
      conditionInput(left, right, this.left, this.right, this.mono, n);
      for (let i = 0; i < n; ) {
        i += this.analyzer.write(this.mono, i, n - i);
        if (this.analyzer.frameDue) this.model.sendFeatures(this.analyzer.frameCount - 1, this.analyzer.features);
      }
    }
  }

  /** Runs the model on every queued window (in as few calls as it can); their cues are then ready for the engine. */
  runPending(): Promise<void> {
    return this.model.runPending();
  }
}
