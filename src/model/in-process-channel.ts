/**
 * A {@link CueChannel} that runs the model in the same thread, for the CLI and tests: features queue up
 * as they are sent, and {@link InProcessCueChannel.runPending} (awaited between render quanta) answers
 * them all in one model call. Awaited before the engine needs the cues (after every quantum, or ahead of
 * the engine as the CLI's `ChunkCueModel` does, in its thread or the engine's), every frame gets its own
 * model cues, so the output does not depend on timing: the same input always gives the same samples.
 * @packageDocumentation
 */
import type { ArrivedCues, CueChannel } from './cue-channel.js';
import type { CueModel } from './cue-model.js';
import { FEATURE_COUNT } from './features.js';
import type { ModelInputs } from './model-inputs.js';
import { DEFAULT_STYLE } from '../style/presets.js';
import type { Style } from '../style/style.js';

/** Windows waiting at most: a chunk of the CLI's lookahead (32 frames at 22.05 kHz) with room to spare. */
const MAX_BATCH = 64;

export class InProcessCueChannel implements CueChannel {
  /** The model inputs of the frames waiting for the model. */
  private readonly pending: ModelInputs;
  private readonly ready: { frameIndex: number; iccs: Float32Array; ildMagnitudesDb: Float32Array }[] = [];

  /**
   * @param style - the model's condition for this channel's frames (a model that takes one); default
   *   {@link DEFAULT_STYLE}. Set on the model right before each of this channel's calls, so channels with
   *   different styles can share one model.
   */
  constructor(
    private readonly model: CueModel,
    private readonly style?: Style,
  ) {
    this.pending = model.createInputs(MAX_BATCH);
  }

  sendFeatures(frameIndex: number, features: Float32Array): void {
    if (this.pending.full) throw new Error(`more than ${MAX_BATCH} frames waiting: call runPending() between render quanta`);
    this.pending.push(frameIndex, features);
  }

  /** True if frames wait for the model. */
  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Runs the model on every waiting window; their cues are then ready for {@link receiveCues}. */
  async runPending(): Promise<void> {
    const batch = this.pending.size;
    if (batch === 0) return;
    if (this.model.takesStyle) this.model.setStyle(this.style ?? DEFAULT_STYLE);
    const { iccs, ildsDb } = await this.model.run(this.pending);
    for (let i = 0; i < batch; i++) {
      const at = i * FEATURE_COUNT;
      this.ready.push({ frameIndex: this.pending.targets[i], iccs: iccs.slice(at, at + FEATURE_COUNT), ildMagnitudesDb: ildsDb.slice(at, at + FEATURE_COUNT) });
    }
    this.pending.clear();
  }

  receiveCues(into: ArrivedCues): boolean {
    const next = this.ready.shift();
    if (!next) return false;
    into.frameIndex = next.frameIndex;
    into.iccs.set(next.iccs);
    into.ildMagnitudesDb.set(next.ildMagnitudesDb);
    return true;
  }
}
