/**
 * A/B with level matching. The upmixed signal is louder than the mono input per channel (L = M + S adds
 * the side's power), so a straight A/B favours B. This measures the K-weighted (ITU-R BS.1770 pre-filter)
 * power of the input and of the output while B plays, and scales B by sqrt(P_in / P_out), smoothed over
 * a few seconds; A (bypass: the delayed input in both channels) plays at the input's own level.
 */

/** K-weighting: a +4 dB high shelf at ~1.7 kHz and a high-pass at 38 Hz (BS.1770's two stages). */
function kWeighted(context: BaseAudioContext, input: AudioNode, output: number | undefined, analyser: AnalyserNode): void {
  const shelf = new BiquadFilterNode(context, { type: 'highshelf', frequency: 1681, gain: 4 });
  const highpass = new BiquadFilterNode(context, { type: 'highpass', frequency: 38, Q: 0.5 });
  if (output === undefined) input.connect(shelf);
  else input.connect(shelf, output);
  shelf.connect(highpass).connect(analyser);
}

function meanSquare(data: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i] * data[i];
  return sum / data.length;
}

/** Ignore blocks quieter than this (about -70 LUFS-ish): silence says nothing about the ratio. */
const QUIET = 1e-7;
const SMOOTHING = 0.08;

export class LevelMatcher {
  /** Goes after the upmixer's output: the matched gain. */
  readonly gain: GainNode;
  /** Current estimate of P_out / P_in while processing (1 before any). */
  private ratio = 1;
  private readonly inputAnalyser: AnalyserNode;
  private readonly leftAnalyser: AnalyserNode;
  private readonly rightAnalyser: AnalyserNode;
  private readonly splitter: ChannelSplitterNode;
  private readonly buffer: Float32Array<ArrayBuffer>;
  private enabled = true;
  private bypassed = false;
  private readonly context: BaseAudioContext;

  constructor(context: BaseAudioContext, input: AudioNode) {
    this.context = context;
    this.gain = new GainNode(context);
    const analyser = (): AnalyserNode => new AnalyserNode(context, { fftSize: 4096, smoothingTimeConstant: 0 });
    this.inputAnalyser = analyser();
    this.leftAnalyser = analyser();
    this.rightAnalyser = analyser();
    this.buffer = new Float32Array(4096);
    kWeighted(context, input, undefined, this.inputAnalyser);
    this.splitter = new ChannelSplitterNode(context, { numberOfOutputs: 2 });
    kWeighted(context, this.splitter, 0, this.leftAnalyser);
    kWeighted(context, this.splitter, 1, this.rightAnalyser);
  }

  /** Measures this node's output (the upmixer), which must also feed {@link gain}. */
  watch(upmixer: AudioNode): void {
    upmixer.connect(this.splitter);
  }

  unwatch(upmixer: AudioNode): void {
    try {
      upmixer.disconnect(this.splitter);
    } catch {
      // not connected
    }
  }

  /** The gain B gets, in dB (0 when matching is off or nothing was measured yet). */
  get correctionDb(): number {
    return this.enabled ? -10 * Math.log10(this.ratio) : 0;
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.apply();
  }

  setBypassed(bypassed: boolean): void {
    this.bypassed = bypassed;
    this.apply();
  }

  /** Call ~10 times a second: updates the estimate while B plays. */
  measure(): void {
    this.inputAnalyser.getFloatTimeDomainData(this.buffer);
    const input = meanSquare(this.buffer);
    this.leftAnalyser.getFloatTimeDomainData(this.buffer);
    const left = meanSquare(this.buffer);
    this.rightAnalyser.getFloatTimeDomainData(this.buffer);
    const output = (left + meanSquare(this.buffer)) / 2;
    if (this.bypassed || input < QUIET || output < QUIET) return;
    const ratio = Math.min(4, Math.max(0.25, output / input));
    this.ratio += SMOOTHING * (ratio - this.ratio);
    this.apply();
  }

  private apply(): void {
    const target = this.enabled && !this.bypassed ? 1 / Math.sqrt(this.ratio) : 1;
    this.gain.gain.setTargetAtTime(target, this.context.currentTime, 0.02);
  }
}
