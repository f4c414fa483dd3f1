/**
 * The meters' animation loop: one requestAnimationFrame callback that reads the output tap, draws the
 * goniometer, the correlation meter and the band bars (and, when the owner names the node feeding the
 * upmixer, the input's goniometer beside the output's), and lets its owner sync its controls. It runs only
 * while it is started (the element starts it while visible), so a hidden element costs nothing.
 *
 * The band bars read the cues in use with the node's `readCueMeters` every frame: over shared memory that
 * is a copy; over messages the node's meter client asks the audio thread at most ~30 times a second.
 * Main thread only.
 * @packageDocumentation
 */
import { createCueMeterReading } from '../cue-meters.js';
import type { BandBarsElement } from './band-bars.js';
import type { CorrelationMeterElement } from './correlation-meter.js';
import type { GoniometerElement } from './goniometer.js';
import { StereoAnalyser } from './stereo-analyser.js';
import type { ConnectableLike, UpmixerNodeLike } from './upmixer-like.js';


/** The drawing surfaces, looked up by the owner after its first render. */
export interface MeterViews {
  readonly goniometer: GoniometerElement;
  readonly correlation: CorrelationMeterElement;
  readonly bands: BandBarsElement;
  /** The input's image, where the owner shows it. */
  readonly inputGoniometer: GoniometerElement | null;
}

export class MeterLoop {
  private node: UpmixerNodeLike | null = null;
  private analyser: StereoAnalyser | null = null;
  /** The tap on the node feeding the upmixer (null without one). */
  private source: ConnectableLike | null = null;
  private inputAnalyser: StereoAnalyser | null = null;
  private readonly reading = createCueMeterReading();
  private frame = 0;
  private readonly views: () => MeterViews | null;
  private readonly onFrame: (now: number) => void;
  private readonly tick = (now: number): void => this.step(now);

  /** `views` finds the drawing elements; `onFrame` runs after they are drawn (e.g. to sync controls). */
  constructor(views: () => MeterViews | null, onFrame: (now: number) => void) {
    this.views = views;
    this.onFrame = onFrame;
  }

  /** True while the loop is scheduled. */
  get running(): boolean {
    return this.frame !== 0;
  }

  /** Taps a new node (or none). The analysers live on the node's context, so a new context gets new ones. */
  setNode(node: UpmixerNodeLike | null): void {
    if (node === this.node) return;
    const sameContext = node !== null && this.node !== null && node.context === this.node.context;
    if (!sameContext) {
      this.analyser?.dispose();
      this.analyser = node === null ? null : new StereoAnalyser(node.context);
    }
    this.node = node;
    if (node !== null) this.analyser?.attach(node);
    this.tapSource();
  }

  /** Taps the node that feeds the upmixer, for the input's image (null: none). It must be on the node's context. */
  setSource(source: ConnectableLike | null): void {
    if (source === this.source) return;
    this.source = source;
    this.tapSource();
  }

  private tapSource(): void {
    this.inputAnalyser?.dispose();
    this.inputAnalyser = null;
    if (this.source !== null && this.node !== null) {
      this.inputAnalyser = new StereoAnalyser(this.node.context);
      this.inputAnalyser.attach(this.source);
    }
  }

  start(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(this.tick);
  }

  stop(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** Stops and lets the output tap go. */
  dispose(): void {
    this.stop();
    this.analyser?.dispose();
    this.analyser = null;
    this.inputAnalyser?.dispose();
    this.inputAnalyser = null;
    this.node = null;
  }

  private step(now: number): void {
    this.frame = requestAnimationFrame(this.tick);
    const views = this.views();
    const node = this.node;
    if (views !== null && node !== null && this.analyser !== null) {
      const { left, right } = this.analyser;
      this.analyser.read();
      views.goniometer.draw(left, right);
      views.correlation.measure(left, right, now);
      // Over shared memory the reading is filled before this returns; over messages, when an answer comes.
      void node.readCueMeters(this.reading);
      views.bands.draw(this.reading.iccs, this.reading.ildsDb, views.goniometer.peak > 0);
      if (views.inputGoniometer !== null && this.inputAnalyser !== null) {
        this.inputAnalyser.read();
        views.inputGoniometer.draw(this.inputAnalyser.left, this.inputAnalyser.right);
      }
    }
    this.onFrame(now);
  }
}
