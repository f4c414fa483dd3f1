/**
 * The model's side of batched offline inference: the feature frames of a chunk go into the model's
 * window history ({@link InProcessCueChannel}), and one model call answers every window they complete.
 * Runs in the CLI's thread or in its model thread (the frames are plain numbers, cheap to send).
 * @packageDocumentation
 */
import type { Style } from '../style/style.js';
import type { ArrivedCues } from './cue-channel.js';
import type { ChunkCueFrames } from './chunk-cues.js';
import type { CueModel } from './cue-model.js';
import { FEATURE_COUNT } from './features.js';
import { InProcessCueChannel } from './in-process-channel.js';

/** Consecutive feature frames: frame `firstFrame` and the ones after it, `FEATURE_COUNT` values each. */
export interface FeatureFrames {
  readonly firstFrame: number;
  readonly features: Float32Array;
}

/** Answers chunks of feature frames with the cues of the model windows they complete, one model call per chunk. */
export class ChunkCueModel {
  private readonly channel: InProcessCueChannel;
  private readonly arrived: ArrivedCues = { frameIndex: -1, iccs: new Float32Array(FEATURE_COUNT), ildMagnitudesDb: new Float32Array(FEATURE_COUNT) };
  /** Requests run one after the other (a model call is asynchronous). */
  private previous: Promise<unknown> = Promise.resolve();

  /** @param style - the model's condition (a model that takes one); default the default style. */
  constructor(model: CueModel, style?: Style) {
    this.channel = new InProcessCueChannel(model, style);
  }

  /** The cues of every frame that `frames` complete a model window for (frames must come in order). */
  request(frames: FeatureFrames): Promise<ChunkCueFrames> {
    const answer = this.previous.then(() => this.run(frames));
    this.previous = answer.catch(() => undefined);
    return answer;
  }

  private async run({ firstFrame, features }: FeatureFrames): Promise<ChunkCueFrames> {
    const count = features.length / FEATURE_COUNT;
    for (let i = 0; i < count; i++) this.channel.sendFeatures(firstFrame + i, features.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT));
    await this.channel.runPending();
    const frameIndices: number[] = [];
    const iccs: number[] = [];
    const ilds: number[] = [];
    while (this.channel.receiveCues(this.arrived)) {
      frameIndices.push(this.arrived.frameIndex);
      iccs.push(...this.arrived.iccs);
      ilds.push(...this.arrived.ildMagnitudesDb);
    }
    return { frameIndices: Int32Array.from(frameIndices), iccs: Float32Array.from(iccs), ildMagnitudesDb: Float32Array.from(ilds) };
  }
}
