/**
 * `<stereo-upmixer>`: the upmixer's face. Controls for width, spread, bass mono, mix, variation, latency
 * mode, input kind, model on/off and bypass, bound both ways to the node's AudioParams; the style (a
 * preset menu, a drop zone for a reference mix, a way back to the default: `<stereo-upmixer-style>`); a goniometer, a
 * correlation meter and per-band width/pan bars; the model status, the path the input takes and the
 * latency. Given the node that feeds the upmixer (`element.source = node`), it shows the input's image
 * in a second goniometer beside the output's: before and after.
 *
 * Give it a node (`element.node = await createUpmixer(context)`), or a context (`element.context =
 * context`) and it makes the node itself. Either way, changing the latency mode or turning the model on
 * or off needs a new node (they are fixed at creation): the element creates it on the same context with
 * the current controls and variation, and fires `nodechange` with `{ node, previous, reason }`. The
 * element cannot rewire the host's graph: connect `node` where `previous` was and disconnect `previous`.
 * The first node it makes from a context is announced the same way (`previous` null, reason `created`),
 * and so is a node made on a new context given to it (reason `context`). It ends the nodes it made when
 * it replaces them, when the page gives it a node instead, and when it leaves the page (a move within
 * the page, removed and inserted again in the same task, keeps the node); a node given to it stays the
 * page's.
 *
 * The meters animate only while the element is on screen and the page is visible. Themable with the
 * custom properties listed in styles.ts; sized by its container (usable from 320 px wide).
 *
 * Parts: `panel`, `header`, `title`, `status`, `input-path`, `latency`, `meters`, `input-image`,
 * `input-goniometer`, `output-image`, `goniometer`, `correlation`, `bands`, `controls`, `switches`,
 * `bypass`, `model`, `mode`, `input`, and the sliders `width`, `spread`, `bass-mono`, `mix`, `variation`
 * (each a `<stereo-upmixer-slider>` with its own parts); `style` (the style controls) with `style-menu`,
 * `style-hint`, `reference` (the drop zone), `reference-file`, `style-default` and `style-error`. Fires `nodechange`. Main thread only.
 * @packageDocumentation
 */
import { html, LitElement, type PropertyValues } from 'lit';
import { CONTROL_SPECS, INPUT_KINDS, LATENCY_MODES, preloadUpmixer, SETTING_SPECS, styleArguments, type ControlValues, type InputKind, type InputPath, type InputPathDetail, type LatencyMode, type Style, type UpmixerNode } from '../index.js';
import './band-bars.js';
import './correlation-meter.js';
import './style-picker.js';
import type { NodeRecipe, UpmixerContext } from './create-node.js';
import { NodeController } from './node-controller.js';
import type { GoniometerElement } from './goniometer.js';
import './goniometer.js';
import { MeterLoop, type MeterViews } from './meter-loop.js';
import { formControlStyles, themeStyles } from './styles.js';
import { panelStyles } from './stereo-upmixer.styles.js';
import { UpmixSliderElement } from './upmix-slider.js';
import type { ConnectableLike, CueSourceStatus, ModelStatusDetail, UpmixerNodeLike } from './upmixer-like.js';
import { VisibilityGate } from './visibility.js';

/** Why the element has a new node. */
export type NodeChangeReason = 'created' | 'mode' | 'model' | 'ceiling' | 'context';

/**
 * `detail` of the `nodechange` event. The nodes are typed as native `UpmixerNode`s, which they are when
 * the context is a native one; on a standardized-audio-context context they are that library's nodes
 * (`StandardizedUpmixerNode`), so cast them there.
 */
export interface NodeChangeDetail {
  /** The node now shown and controlled: connect it into the graph. */
  readonly node: UpmixerNode;
  /** The node it replaces (disconnect it), or null for the first node made from `context`. */
  readonly previous: UpmixerNode | null;
  readonly reason: NodeChangeReason;
}

/** The meters' current readings, for hosts and tests. */
export interface MeterSnapshot {
  /** Displayed phase correlation, -1..1 (0 at rest). */
  readonly correlation: number;
  /** Peak sample of the latest output block (0 when silent). */
  readonly peak: number;
  /** Sum over bands of the displayed width (0 at rest). */
  readonly bandWidth: number;
  /** Peak sample of the latest input block drawn (0 when silent, or when no `source` is shown). */
  readonly inputPeak: number;
}

const VARIATION_MAX = SETTING_SPECS.variation.max;
const STATS_INTERVAL_MS = 1000;
const STATUS_TEXT: Record<CueSourceStatus, string> = {
  off: 'model off · fixed profile',
  loading: 'loading model… (fixed profile meanwhile)',
  model: 'learned model',
  'fixed-profile': 'fixed profile',
  failed: 'model failed · fixed profile',
};
/** Before there is a node: what the element is doing about the model. */
type Preload = 'none' | 'loading' | 'ready' | 'failed';
const IDLE_TEXT: Record<Preload, string> = {
  none: 'no audio yet · the model loads when audio starts',
  loading: 'no audio yet · downloading the model…',
  ready: 'no audio yet · model downloaded, starts with the audio',
  failed: 'no audio yet · model download failed (it tries again with the audio)',
};
/** Above this share of late frames the count shows as a warning (once there are a few: one of the first frames is not news). */
const LATE_WARNING_SHARE = 0.05;
const LATE_WARNING_MIN = 10;
const LATE_EXPLANATION =
  'Late frames: analysis frames whose cues the model (in its Worker) had not delivered in time, so the engine held and ' +
  'smoothed the previous cues: inaudible when rare; many mean the device is too busy (try live mode or turn the model off).';
/** The style controls' parts, exported so that `::part()` reaches them from the page. */
const STYLE_PARTS = 'style-menu, style-hint, reference, reference-file, style-default, style-error';
const SLIDER_PARTS: Record<keyof ControlValues, string> = { width: 'width', bassMonoHz: 'bass-mono', mix: 'mix', bypass: 'bypass', ceilingDb: 'ceiling', spread: 'spread' };

/** True if two styles have the same numbers. */
function sameStyle(a: Style, b: Style): boolean {
  return a.icc.every((icc, band) => icc === b.icc[band]) && a.ildDb.every((ild, band) => ild === b.ildDb[band]);
}

export class StereoUpmixerElement extends LitElement {
  static override styles = [themeStyles, formControlStyles, panelStyles];

  static override properties = {
    node: { attribute: false },
    context: { attribute: false },
    mode: { type: String, reflect: true },
    input: { type: String, reflect: true },
    source: { attribute: false },
    inputPath: { state: true },
    variation: { type: Number },
    model: { converter: { fromAttribute: (value: string | null) => value !== 'off' && value !== 'false' } },
    workletUrl: { type: String, attribute: 'worklet-url' },
    modelUrl: { type: String, attribute: 'model-url' },
    ceiling: { type: Boolean, reflect: true },
    heading: { type: String },
    fixedNode: { type: Boolean, attribute: 'fixed-node' },
    preload: { type: Boolean },
    status: { state: true },
    preloadState: { state: true },
    modelFrames: { state: true },
    statusError: { state: true },
    creationError: { state: true },
    lateFrames: { state: true },
    controls: { state: true },
    busy: { state: true },
  };

  /** The node shown and controlled. Set it, or set {@link context} and let the element make one. */
  declare node: UpmixerNodeLike | undefined;
  /**
   * A context to make a node on when {@link node} is not given. Another context later replaces the node
   * the element made with one on it (`nodechange`, reason `context`).
   */
  declare context: UpmixerContext | undefined;
  /** Latency mode for nodes the element makes; changing it replaces the node (see `nodechange`). */
  declare mode: LatencyMode;
  /**
   * What the input is taken for (`auto`, the default, `mono` or `stereo`; attribute `input`): sent to the
   * node with `setInput`, and used for nodes the element makes.
   */
  declare input: InputKind;
  /**
   * The node that feeds the upmixer, on the same context: its signal is drawn beside the output's (the
   * input's image before the effect). Optional; without it only the output is shown.
   */
  declare source: ConnectableLike | undefined;
  /** The path the node reports for its input (`mono` or `stereo`). */
  protected declare inputPath: InputPath;
  /** Pan-layout seed (integer, 1..64 on the control), sent with `setVariation`. */
  declare variation: number;
  /** Learned model on (true, the default; attribute `model="off"` turns it off); changing it replaces the node. */
  declare model: boolean;
  /** Where the worklet module is, for nodes the element makes (default: beside the package's index.js). */
  declare workletUrl: string | undefined;
  /** Where the model file is, for nodes the element makes (default: the packaged model). */
  declare modelUrl: string | undefined;
  /**
   * The output's peak limiter for nodes the element makes (attribute `ceiling`; off by default: it adds
   * 5 ms of latency); its Ceiling slider shows while the node has it. Changing it replaces the node.
   */
  declare ceiling: boolean;
  /** The title shown at the top. */
  declare heading: string;
  /**
   * The node cannot be replaced (e.g. inside a plugin host, which keeps the node it was given): the mode
   * and model controls are shown but disabled.
   */
  declare fixedNode: boolean;
  /**
   * Download the model's files at once (attribute `preload`), before there is an audio node (which
   * waits for a user gesture), so that the model is ready sooner after the first Play. Default false.
   */
  declare preload: boolean;
  protected declare preloadState: Preload;
  protected declare modelFrames: number | undefined;
  protected declare status: CueSourceStatus;
  protected declare statusError: string;
  /** Why the last node could not be made ('' once one is): shown in place of the idle status. */
  protected declare creationError: string;
  protected declare lateFrames: number | undefined;
  protected declare controls: ControlValues;
  /** True while the element is making a node. */
  protected declare busy: boolean;

  private readonly gate = new VisibilityGate(this, (visible) => this.onVisibility(visible));
  private readonly meters = new MeterLoop(
    () => this.meterViews(),
    (now) => this.onFrame(now),
  );
  private boundNode: UpmixerNodeLike | null = null;
  /** Makes the nodes on mode and model changes, and disposes of those it made when they go. */
  private readonly nodes = new NodeController();
  private lastStats = 0;
  private statsPending = false;
  private readonly onModelStatus = (event: Event): void => {
    const detail = (event as CustomEvent<ModelStatusDetail>).detail;
    this.status = detail?.status ?? this.readStatus();
    this.statusError = detail?.error ?? '';
  };
  private readonly onInputPath = (event: Event): void => {
    this.inputPath = (event as CustomEvent<InputPathDetail>).detail?.path ?? this.node?.inputPath ?? 'mono';
  };

  constructor() {
    super();
    this.mode = SETTING_SPECS.mode.defaultValue;
    this.input = SETTING_SPECS.input.defaultValue;
    this.inputPath = 'mono';
    this.variation = 1;
    this.model = true;
    this.ceiling = false;
    this.heading = 'Stereo upmixer';
    this.fixedNode = false;
    this.preload = false;
    this.preloadState = 'none';
    this.status = 'fixed-profile';
    this.statusError = '';
    this.creationError = '';
    this.busy = false;
    const controls = {} as ControlValues;
    for (const spec of CONTROL_SPECS) controls[spec.name] = spec.defaultValue;
    this.controls = controls;
  }

  /** The meters' current readings (what is drawn). */
  get meterSnapshot(): MeterSnapshot {
    const views = this.meterViews();
    return {
      correlation: views?.correlation.value ?? 0,
      peak: views?.goniometer.peak ?? 0,
      bandWidth: views?.bands.totalWidth ?? 0,
      inputPeak: views?.inputGoniometer?.peak ?? 0,
    };
  }

  /** True while the meters animate (the element is visible and has a node). */
  get metersRunning(): boolean {
    return this.meters.running;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.gate.start();
    // Back on a page after leaving it: make a node again on the context it was given.
    if (this.hasUpdated && this.node === undefined && this.context !== undefined && !this.busy) queueMicrotask(() => void this.makeNode('created'));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.gate.stop();
    this.meters.stop();
    // A move (removed and inserted again in the same task: a panel re-docked, a list re-ordered) keeps
    // the node playing; only an element still off the page after it has left.
    queueMicrotask(() => {
      if (!this.isConnected) this.leavePage();
    });
  }

  /**
   * Leaving the page ends what the element made (its processor and model Worker); a node that was given
   * to it stays its owner's. A node still being made is disposed when it arrives.
   */
  private leavePage(): void {
    this.nodes.cancel();
    this.busy = false;
    if (this.nodes.owns(this.node)) {
      this.nodes.release(this.node);
      this.node = undefined;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!LATENCY_MODES.includes(this.mode)) this.mode = SETTING_SPECS.mode.defaultValue;
    if (!Number.isInteger(this.variation)) this.variation = Math.max(1, Math.round(this.variation) || 1);
    if (!INPUT_KINDS.includes(this.input)) this.input = SETTING_SPECS.input.defaultValue;
    if (changed.has('node') && this.node !== this.boundNode) {
      // A node the host put in place of one the element made: that one is no longer anyone's to end.
      this.nodes.release(this.boundNode);
      this.bind(this.node ?? null);
    }
    if (changed.has('source')) this.meters.setSource(this.source ?? null);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('preload') && this.preload && this.preloadState === 'none' && this.node === undefined && this.model) queueMicrotask(() => this.startPreload());
    // Node creation starts after this update (it changes state, which would otherwise update again at once).
    if (this.node === undefined && this.context !== undefined && !this.busy && changed.has('context')) {
      queueMicrotask(() => void this.makeNode('created'));
    } else if (changed.has('context') && this.context !== undefined && this.nodes.owns(this.node) && this.node?.context !== this.context) {
      // Another context (the host made a new one): the node the element made moves to it. Also while
      // one is being made for the old context: the newer request overtakes it.
      queueMicrotask(() => void this.makeNode('context'));
    } else if (this.node !== undefined && !this.busy && !this.fixedNode) {
      if (changed.has('mode') && this.node.mode !== this.mode) queueMicrotask(() => void this.makeNode('mode'));
      else if (changed.has('model') && changed.get('model') !== undefined && this.modelDiffers(this.node)) queueMicrotask(() => void this.makeNode('model'));
      else if (changed.has('ceiling') && changed.get('ceiling') !== undefined && (this.node.ceiling ?? false) !== this.ceiling) queueMicrotask(() => void this.makeNode('ceiling'));
    }
    if (changed.has('variation') && this.node && changed.get('variation') !== undefined) this.node.setVariation(this.variation);
    if (changed.has('input') && this.node?.setInput && this.node.input !== this.input) this.node.setInput(this.input);
  }

  /** Downloads the model's files into the HTTP cache (the node made later fetches them from there). */
  private startPreload(): void {
    this.preloadState = 'loading';
    preloadUpmixer({ ...(this.workletUrl ? { workletUrl: this.workletUrl } : {}), model: this.modelUrl ? { url: this.modelUrl } : true }).then(
      () => (this.preloadState = 'ready'),
      (error: unknown) => {
        console.warn(`stereo-upmixer: preload failed: ${error instanceof Error ? error.message : String(error)}`);
        this.preloadState = 'failed';
      },
    );
  }

  /** Starts watching a node: its params, its model status and its output for the meters. */
  private bind(node: UpmixerNodeLike | null): void {
    this.boundNode?.removeEventListener('modelstatus', this.onModelStatus);
    this.boundNode?.removeEventListener('inputpathchange', this.onInputPath);
    this.boundNode = node;
    this.meters.setNode(node);
    this.lateFrames = undefined;
    this.modelFrames = undefined;
    if (node === null) {
      this.meters.stop();
      return;
    }
    if (node.mode !== this.mode) this.mode = node.mode;
    if (typeof node.variation === 'number') this.variation = node.variation;
    if (typeof node.ceiling === 'boolean') this.ceiling = node.ceiling;
    if (node.modelStatus !== undefined) this.model = node.modelStatus !== 'off';
    node.addEventListener('modelstatus', this.onModelStatus);
    node.addEventListener('inputpathchange', this.onInputPath);
    this.inputPath = node.inputPath ?? 'mono';
    if (node.input !== undefined) this.input = node.input;
    this.status = this.readStatus();
    this.syncControls();
    this.onVisibility(this.gate.visible);
  }

  /** True if the node's model use is not what {@link model} asks for (unknown counts as different). */
  private modelDiffers(node: UpmixerNodeLike): boolean {
    const status = node.modelStatus;
    if (status === undefined) return true;
    return (status !== 'off') !== this.model;
  }

  private readStatus(): CueSourceStatus {
    const status = this.node?.modelStatus ?? 'fixed-profile';
    this.statusError = status === 'failed' ? (this.node?.modelError ?? '') : '';
    return status;
  }

  /** Makes a node on the current context with the current settings (see {@link NodeController}) and announces it. */
  private async makeNode(reason: NodeChangeReason): Promise<void> {
    this.busy = true;
    try {
      let made = await this.makeFromSettings();
      // A creation-time setting changed while the node was being made (the host set `mode`, `model`,
      // `ceiling` or `context` meanwhile): that node is out of date, make the next.
      while (made !== null && !this.sameCreationSettings(made.recipe, made.context)) {
        this.nodes.release(made.node);
        made = await this.makeFromSettings();
      }
      if (made === null) return; // overtaken by a newer request (or no context)
      const { node, recipe } = made;
      this.creationError = '';
      this.catchUp(node, recipe);
      const previous = (this.node ?? null) as UpmixerNode | null;
      this.node = node;
      const detail: NodeChangeDetail = { node: node as unknown as UpmixerNode, previous, reason };
      this.dispatchEvent(new CustomEvent<NodeChangeDetail>('nodechange', { detail, bubbles: true, composed: true }));
      this.nodes.release(previous as unknown as UpmixerNodeLike | null);
    } catch (error) {
      this.status = 'failed';
      this.statusError = `could not create the upmixer: ${error instanceof Error ? error.message : String(error)}`;
      this.creationError = this.statusError;
      console.error(error);
      // Show the settings of the node that is still there.
      if (this.node && this.node.mode !== this.mode) this.mode = this.node.mode;
    } finally {
      this.busy = this.nodes.busy;
    }
  }

  /** One node from the element's settings now, with the context and recipe it was made from; null if overtaken. */
  private async makeFromSettings(): Promise<{ node: UpmixerNodeLike; context: UpmixerContext; recipe: NodeRecipe } | null> {
    const context = this.context ?? (this.node?.context as UpmixerContext | undefined);
    if (context === undefined) return null;
    this.syncControls();
    const recipe: NodeRecipe = {
      mode: this.mode,
      variation: this.variation,
      controls: { ...this.controls },
      workletUrl: this.workletUrl,
      model: this.model,
      modelUrl: this.modelUrl,
      ceiling: this.ceiling,
      input: this.input,
      // The new node keeps the style of the one it replaces.
      ...(this.node?.style && this.node.styleName ? { style: styleArguments(this.node.styleName, this.node.style) } : {}),
    };
    const node = await this.nodes.make(context, recipe);
    return node === null ? null : { node, context, recipe };
  }

  /** True if a node made from `recipe` on `context` is what the element's creation-time settings ask for now. */
  private sameCreationSettings(recipe: NodeRecipe, context: UpmixerContext): boolean {
    return recipe.mode === this.mode && recipe.model === this.model && recipe.ceiling === this.ceiling && (this.context === undefined || this.context === context);
  }

  /**
   * What moved while `node` was being made (the controls, the variation, the input kind, the style of
   * the node it replaces) reaches it, so that the new node sounds as the element shows.
   */
  private catchUp(node: UpmixerNodeLike, recipe: NodeRecipe): void {
    this.syncControls();
    for (const spec of CONTROL_SPECS) if (node[spec.name].value !== this.controls[spec.name]) node[spec.name].value = this.controls[spec.name];
    if (this.variation !== recipe.variation) node.setVariation(this.variation);
    if (node.setInput && node.input !== this.input) node.setInput(this.input);
    const previous = this.node;
    if (previous?.style && previous.styleName && node.setStyle && node.style && (previous.styleName !== node.styleName || !sameStyle(previous.style, node.style))) {
      const { style, referenceName } = styleArguments(previous.styleName, previous.style);
      node.setStyle(style, referenceName);
    }
  }

  private onVisibility(visible: boolean): void {
    if (visible && this.node !== undefined) this.meters.start();
    else this.meters.stop();
  }

  private meterViews(): MeterViews | null {
    const root = this.renderRoot;
    const goniometer = root.querySelector<GoniometerElement>('[part="goniometer"]');
    const correlation = root.querySelector('stereo-upmixer-correlation');
    const bands = root.querySelector('stereo-upmixer-bands');
    const inputGoniometer = root.querySelector<GoniometerElement>('[part="input-goniometer"]');
    return goniometer && correlation && bands ? { goniometer, correlation, bands, inputGoniometer } : null;
  }

  /** Each animation frame while visible: params to controls, and the stats now and then. */
  private onFrame(now: number): void {
    this.syncControls();
    if (now - this.lastStats >= STATS_INTERVAL_MS && !this.statsPending && this.node) {
      this.lastStats = now;
      this.statsPending = true;
      const node = this.node;
      node
        .getStats()
        .then((stats) => {
          if (node !== this.node) return;
          this.lateFrames = stats.lateFrames;
          this.modelFrames = stats.modelFrames;
        })
        .catch(() => undefined)
        .finally(() => (this.statsPending = false));
    }
  }

  /** Reads the node's params into the controls (except a slider being dragged). */
  private syncControls(): void {
    const node = this.node;
    if (!node) return;
    let next: ControlValues | null = null;
    for (const spec of CONTROL_SPECS) {
      const value = node[spec.name].value;
      if (value === this.controls[spec.name]) continue;
      const slider = this.renderRoot.querySelector<UpmixSliderElement>(`[data-control="${spec.name}"]`);
      if (slider?.dragging) continue;
      next ??= { ...this.controls };
      next[spec.name] = value;
    }
    if (next !== null) this.controls = next;
  }

  private setControl(name: keyof ControlValues, value: number): void {
    this.controls = { ...this.controls, [name]: value };
    if (this.node) this.node[name].value = value;
  }

  private onSlider(event: CustomEvent<{ value: number }>): void {
    const name = (event.currentTarget as HTMLElement).dataset.control as keyof ControlValues;
    this.setControl(name, event.detail.value);
  }

  private onVariation(event: CustomEvent<{ value: number }>): void {
    this.variation = event.detail.value;
  }

  private onMode(event: Event): void {
    this.mode = (event.currentTarget as HTMLSelectElement).value as LatencyMode;
  }

  private onInput(event: Event): void {
    this.input = (event.currentTarget as HTMLSelectElement).value as InputKind;
  }

  private renderSlider(name: 'width' | 'spread' | 'bassMonoHz' | 'mix' | 'ceilingDb', step: number, pageStep: number, format: (value: number) => string): unknown {
    const spec = CONTROL_SPECS.find((candidate) => candidate.name === name);
    if (!spec) return null;
    return html`<stereo-upmixer-slider
      part=${SLIDER_PARTS[name]}
      data-control=${name}
      .label=${spec.label}
      .min=${spec.min}
      .max=${spec.max}
      .step=${step}
      .pageStep=${pageStep}
      .defaultValue=${spec.defaultValue}
      .value=${this.controls[name]}
      .format=${format}
      ?disabled=${!this.node}
      @input=${this.onSlider}
    ></stereo-upmixer-slider>`;
  }

  protected override render(): unknown {
    const node = this.node;
    const bypassed = this.controls.bypass >= 0.5;
    const latency = node
      ? `latency ${node.latencySamples} samples (${(1000 * node.latencySeconds).toFixed(1)} ms)`
      : this.busy
        ? 'starting…'
        : `${this.mode} mode · latency once audio starts`;
    const lateFrames = this.lateFrames ?? 0;
    const lateShare = lateFrames / Math.max(1, lateFrames + (this.modelFrames ?? 0));
    const late = lateFrames ? ` · ${lateFrames} late frame${lateFrames === 1 ? '' : 's'} (${(100 * lateShare).toFixed(lateShare < 0.01 ? 1 : 0)} %)` : '';
    const statusText =
      node || this.busy ? `${STATUS_TEXT[this.status]}${late}` : this.creationError || (this.model ? IDLE_TEXT[this.preloadState] : 'no audio yet · model off (fixed profile)');
    const warn = lateFrames >= LATE_WARNING_MIN && lateShare > LATE_WARNING_SHARE;
    const statusClass = node || this.busy ? `${this.status}${warn ? ' late' : ''}` : this.creationError ? 'failed' : 'idle';
    const statusTitle = this.statusError || (late ? LATE_EXPLANATION : '');
    return html`
      <section part="panel" class="panel" aria-label=${this.heading}>
        <div part="header" class="header">
          <span part="title" class="title">${this.heading}</span>
          <span part="status" class="status ${statusClass}" role="status" title=${statusTitle} aria-description=${late ? LATE_EXPLANATION : ''}>${statusText}</span>
          <span part="input-path" class="input-path" role="status">${node ? `${this.inputPath} path` : ''}</span>
          <span part="latency" class="latency">${latency}</span>
        </div>
        <div part="meters" class="meters ${this.source ? 'with-input' : ''}">
          ${this.source
            ? html`<figure part="input-image" class="image">
                <stereo-upmixer-goniometer part="input-goniometer" class="input-goniometer"></stereo-upmixer-goniometer>
                <figcaption>Input</figcaption>
              </figure>`
            : null}
          <figure part="output-image" class="image">
            <stereo-upmixer-goniometer part="goniometer"></stereo-upmixer-goniometer>
            ${this.source ? html`<figcaption>Output</figcaption>` : null}
          </figure>
          <div class="meter-column">
            <stereo-upmixer-correlation part="correlation"></stereo-upmixer-correlation>
            <stereo-upmixer-bands part="bands"></stereo-upmixer-bands>
          </div>
        </div>
        <div part="controls" class="controls">
          ${this.renderSlider('width', 0.01, 0.1, (v) => `${Math.round(v * 100)} %`)}
          ${this.renderSlider('spread', 0.01, 0.1, (v) => `${Math.round(v * 100)} %`)}
          ${this.renderSlider('bassMonoHz', 5, 50, (v) => (v <= 0 ? 'off' : `${Math.round(v)} Hz`))}
          ${this.renderSlider('mix', 0.01, 0.1, (v) => `${Math.round(v * 100)} % wet`)}
          ${node?.ceiling ? this.renderSlider('ceilingDb', 0.5, 3, (v) => `${v.toFixed(1)} dBFS`) : null}
          <stereo-upmixer-slider
            part="variation"
            .label=${'Variation'}
            .min=${1}
            .max=${VARIATION_MAX}
            .step=${1}
            .pageStep=${8}
            .defaultValue=${1}
            .value=${this.variation}
            .format=${(v: number) => `#${v}`}
            ?disabled=${!node}
            @input=${this.onVariation}
          ></stereo-upmixer-slider>
        </div>
        <stereo-upmixer-style part="style" exportparts=${STYLE_PARTS} .node=${node}></stereo-upmixer-style>
        <div part="switches" class="switches">
          <button part="bypass" role="switch" aria-checked=${bypassed ? 'true' : 'false'} ?disabled=${!node} @click=${() => this.setControl('bypass', bypassed ? 0 : 1)}>
            <span class="led" aria-hidden="true"></span>Bypass
          </button>
          <button part="model" role="switch" aria-checked=${this.model ? 'true' : 'false'} ?disabled=${this.busy || this.fixedNode} @click=${() => (this.model = !this.model)}>
            <span class="led" aria-hidden="true"></span>Model
          </button>
          <label class="input-kind">
            <span>Input</span>
            <select part="input" .value=${this.input} ?disabled=${this.busy || (node !== undefined && !node.setInput)} @change=${this.onInput}>
              ${INPUT_KINDS.map((kind) => html`<option value=${kind} ?selected=${kind === this.input}>${kind}</option>`)}
            </select>
          </label>
          <label class="mode">
            <span>Mode</span>
            <select part="mode" .value=${this.mode} ?disabled=${this.busy || this.fixedNode} @change=${this.onMode}>
              ${LATENCY_MODES.map((mode) => html`<option value=${mode} ?selected=${mode === this.mode}>${mode}</option>`)}
            </select>
          </label>
        </div>
      </section>
    `;
  }
}

if (!customElements.get('stereo-upmixer')) customElements.define('stereo-upmixer', StereoUpmixerElement);

declare global {
  interface HTMLElementTagNameMap {
    'stereo-upmixer': StereoUpmixerElement;
  }
  interface HTMLElementEventMap {
    nodechange: CustomEvent<NodeChangeDetail>;
  }
}
