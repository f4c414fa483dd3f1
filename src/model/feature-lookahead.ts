/**
 * Batched inference for offline rendering (the CLI): the model's features are computed from the input
 * before the engine sees it, so that the model answers a whole chunk of frames in one call, ahead of
 * the audio, instead of one call per frame as the engine reaches it. A model call costs a fixed overhead
 * plus its work per window, and the overhead dominates at one window per call (`npm run bench`).
 *
 * The features are the engine's own: the same input conditioning ({@link conditionInput}) and the same
 * streaming analysis ({@link FeatureAnalyzer}), frame for frame, so every frame gets the cues the
 * frame-by-frame path would give it (test/model/batched-inference.test.ts). It runs in the CLI's thread
 * (as a {@link ChunkCueSupply}) or in its inference worker thread (src/cli/inference-thread.ts).
 * @packageDocumentation
 */
import { RENDER_QUANTUM } from '../dsp/frame-config.js';
import { conditionInput } from '../dsp/input-conditioning.js';
import type { Hertz } from '../dsp/units.js';
import type { Style } from '../style/style.js';
import type { ArrivedCues } from './cue-channel.js';
import type { ChunkCueFrames, ChunkCueSupply } from './chunk-cues.js';
import type { CueModel } from './cue-model.js';
import { FEATURE_COUNT, FeatureAnalyzer } from './features.js';
import { InProcessCueChannel } from './in-process-channel.js';

export class FeatureLookahead implements ChunkCueSupply {
  private readonly model: InProcessCueChannel;
  private readonly analyzer: FeatureAnalyzer;
  private readonly left = new Float64Array(RENDER_QUANTUM);
  private readonly right = new Float64Array(RENDER_QUANTUM);
  private readonly mono = new Float64Array(RENDER_QUANTUM);
  private readonly arrived: ArrivedCues = { frameIndex: -1, iccs: new Float32Array(FEATURE_COUNT), ildMagnitudesDb: new Float32Array(FEATURE_COUNT) };
  /** Requests run one after the other (a model call is asynchronous). */
  private previous: Promise<unknown> = Promise.resolve();

  /** @param style - the model's condition (a model that takes one); default the default style. */
  constructor(model: CueModel, sampleRate: Hertz, style?: Style) {
    this.model = new InProcessCueChannel(model, style);
    this.analyzer = new FeatureAnalyzer(sampleRate);
  }

  /**
   * Takes the next input samples, exactly as the engine will get them later (`right` null for mono),
   * and queues a model window for every feature frame they complete.
   */
  write(inputLeft: Float32Array, inputRight: Float32Array | null): void {
    const count = inputLeft.length;
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

  /** Runs the model on every queued window (in as few calls as it can) and returns their cues. */
  async runPending(): Promise<ChunkCueFrames> {
    await this.model.runPending();
    const cues: { frameIndex: number; iccs: Float32Array; ilds: Float32Array }[] = [];
    while (this.model.receiveCues(this.arrived)) {
      cues.push({ frameIndex: this.arrived.frameIndex, iccs: this.arrived.iccs.slice(), ilds: this.arrived.ildMagnitudesDb.slice() });
    }
    const frames = { frameIndices: new Int32Array(cues.length), iccs: new Float32Array(cues.length * FEATURE_COUNT), ildMagnitudesDb: new Float32Array(cues.length * FEATURE_COUNT) };
    cues.forEach((cue, i) => {
      frames.frameIndices[i] = cue.frameIndex;
      frames.iccs.set(cue.iccs, i * FEATURE_COUNT);
      frames.ildMagnitudesDb.set(cue.ilds, i * FEATURE_COUNT);
    });
    return frames;
  }

  request(left: Float32Array, right: Float32Array | null): Promise<ChunkCueFrames> {
    const answer = this.previous.then(() => {
      this.write(left, right);
      return this.runPending();
    });
    this.previous = answer.catch(() => undefined);
    return answer;
  }

  close(): void {}
}
