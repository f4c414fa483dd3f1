/**
 * Taps a node's output for the meters: a two-channel gain (so that a mono source shows as L = R, not as
 * left only) into a ChannelSplitter into two AnalyserNodes on the node's own context (native or
 * standardized-audio-context), read into two reused Float32Arrays. The tap is a side branch: it does not
 * change what the node's other connections hear. Main thread only.
 * @packageDocumentation
 */
import type { AnalyserLike, ConnectableLike, ContextLike } from './upmixer-like.js';

/** Samples per read: about 46 ms at 44.1 kHz, a little more than one 60 Hz frame of audio. */
export const ANALYSER_SIZE = 2048;

export class StereoAnalyser {
  /** The latest output block per channel, refreshed by {@link read}. */
  readonly left = new Float32Array(ANALYSER_SIZE);
  readonly right = new Float32Array(ANALYSER_SIZE);
  /** Mixes any input to two channels the way Web Audio's speaker rules do (mono to both). */
  private readonly entry: ConnectableLike;
  private readonly splitter: ConnectableLike;
  private readonly analysers: [AnalyserLike, AnalyserLike];
  private source: ConnectableLike | null = null;

  constructor(context: ContextLike) {
    const entry = context.createGain();
    entry.channelCount = 2;
    entry.channelCountMode = 'explicit';
    entry.channelInterpretation = 'speakers';
    this.entry = entry;
    this.splitter = context.createChannelSplitter(2);
    (entry.connect as (destination: unknown) => unknown)(this.splitter);
    this.analysers = [context.createAnalyser(), context.createAnalyser()];
    this.analysers.forEach((analyser, channel) => {
      analyser.fftSize = ANALYSER_SIZE;
      analyser.smoothingTimeConstant = 0;
      (this.splitter.connect as (destination: unknown, output: number) => unknown)(analyser, channel);
    });
  }

  /** Taps `node`'s output (one node at a time: a previous one is let go). */
  attach(node: ConnectableLike): void {
    this.detach();
    (node.connect as (destination: unknown) => unknown)(this.entry);
    this.source = node;
  }

  /** Stops tapping the current node (its other connections stay). */
  detach(): void {
    if (this.source === null) return;
    try {
      (this.source as unknown as { disconnect(destination: unknown): void }).disconnect(this.entry);
    } catch {
      // Already disconnected (e.g. by the host's disconnect()): nothing to undo.
    }
    this.source = null;
  }

  /** Reads the latest block of each channel into {@link left} and {@link right}. */
  read(): void {
    this.analysers[0].getFloatTimeDomainData(this.left);
    this.analysers[1].getFloatTimeDomainData(this.right);
  }

  /** Lets the tap go for good. */
  dispose(): void {
    this.detach();
    this.entry.disconnect();
    this.splitter.disconnect();
    for (const analyser of this.analysers) analyser.disconnect();
  }
}
