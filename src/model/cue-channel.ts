/**
 * How features leave the engine and cues come back: the seam between the audio thread and whatever runs
 * the model (a Worker over a MessagePort or shared ring buffers in the browser; the model in-process in
 * the CLI and tests). Both directions carry frame indices, so a late cue is never mistaken for a fresh one.
 * @packageDocumentation
 */

/** One frame's cues as they arrive from the model. Reused by the receiver: read it, do not keep it. */
export interface ArrivedCues {
  frameIndex: number;
  readonly iccs: Float32Array;
  /** Per band |ILD| in dB (a magnitude: which side comes from the pan layout). */
  readonly ildMagnitudesDb: Float32Array;
}

/** The engine's end of a channel. Both methods are called on the audio thread: they must not block or allocate. */
export interface CueChannel {
  /**
   * Hands over the features of feature frame `frameIndex` (frames come in order, from 0), stamped with
   * `styleId`, the style in force when it was sent (see style-history.ts): the model conditions the
   * window this frame completes on that style. A channel whose model has one style (the CLI) ignores it.
   */
  sendFeatures(frameIndex: number, features: Float32Array, styleId: number): void;
  /** Copies the next arrived cue frame into `into` and returns true, or returns false if none is waiting. */
  receiveCues(into: ArrivedCues): boolean;
  /**
   * Optional, offline rendering only: blocks until cues may have arrived; false when it gave up (or
   * never waits). Real-time channels leave it out.
   */
  waitForCues?(): boolean;
  /**
   * Optional, offline rendering only: true when the channel ignores the features it is sent because
   * whatever runs the model computed them itself, ahead of the engine (the CLI). The engine then only
   * counts feature frames instead of analysing them (live mode's own feature FFTs are skipped). Fixed for
   * the channel's life; a cue source that had such a channel must not be given one that wants features.
   */
  readonly featuresUnused?: boolean;
}
