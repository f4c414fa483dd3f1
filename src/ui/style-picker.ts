/**
 * `<stereo-upmixer-style>`: the style controls of `<stereo-upmixer>`. A menu of the styles (`default` and
 * every preset, each with its one-line description as a hint), a drop zone and a file button for a
 * reference mix (handed to the node as the File itself: the node's Worker reads and decodes it a slice
 * at a time, off the main and audio threads, so a long file never sits in memory whole; its name shown,
 * and that only its start was analysed when it is longer than `MAX_REFERENCE_SECONDS`), a button back to
 * the default, and a plain message when a file gives no style (the style in use stays). Drives the node's `setStyle` and `setReference` and follows its `stylechange` events.
 *
 * Parts: `style-menu`, `style-hint`, `reference` (the drop zone), `reference-file` (the file button),
 * `style-default`, `style-error`. Main thread only.
 * @packageDocumentation
 */
import { html, LitElement, type PropertyValues } from 'lit';
import { DEFAULT_STYLE_NAME, MAX_REFERENCE_SECONDS, REFERENCE_PREFIX, STYLE_PRESETS, type StyleChangeDetail, type StyleErrorDetail } from '../index.js';
import { formControlStyles, themeStyles } from './styles.js';
import { pickerStyles } from './style-picker.styles.js';
import type { UpmixerNodeLike } from './upmixer-like.js';

const DEFAULT_HINT = 'The model’s own image for the material (the training music’s average); the built-in profile without the model.';
const CUSTOM_HINT = 'A style given as numbers.';

export class StylePickerElement extends LitElement {
  static override styles = [themeStyles, formControlStyles, pickerStyles];

  static override properties = {
    node: { attribute: false },
    styleName: { state: true },
    error: { state: true },
    analysing: { state: true },
    dragging: { state: true },
    shortenedReference: { state: true },
  };

  /** The node whose style is shown and set (disabled while there is none, or it has no styles). */
  declare node: UpmixerNodeLike | undefined;
  /** The node's style name as last reported. */
  protected declare styleName: string;
  /** Why the last reference gave no style ('' when it did). */
  protected declare error: string;
  /** The name of the reference being decoded and analysed ('' when none). */
  protected declare analysing: string;
  /** True while a file is dragged over the drop zone. */
  protected declare dragging: boolean;
  /** The name of the reference in use when it was longer than the analysed start ('' otherwise). */
  protected declare shortenedReference: string;

  private boundNode: UpmixerNodeLike | null = null;
  private readonly onStyleChange = (event: Event): void => {
    const detail = (event as CustomEvent<StyleChangeDetail | undefined>).detail;
    this.styleName = detail?.name ?? this.node?.styleName ?? DEFAULT_STYLE_NAME;
    this.error = '';
    // The node analyses a long mix's start only: say so, or a 40-minute set would seem matched whole.
    this.shortenedReference = detail?.analysedSeconds !== undefined && this.styleName.startsWith(REFERENCE_PREFIX) ? this.styleName.slice(REFERENCE_PREFIX.length) : '';
  };
  private readonly onStyleError = (event: Event): void => {
    const detail = (event as CustomEvent<StyleErrorDetail>).detail;
    this.error = `${detail.reference}: ${detail.error}`;
  };

  constructor() {
    super();
    this.styleName = DEFAULT_STYLE_NAME;
    this.error = '';
    this.analysing = '';
    this.dragging = false;
    this.shortenedReference = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.bind(null);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.bind(this.node ?? null);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('node') && this.node !== this.boundNode) this.bind(this.node ?? null);
  }

  private bind(node: UpmixerNodeLike | null): void {
    this.boundNode?.removeEventListener('stylechange', this.onStyleChange);
    this.boundNode?.removeEventListener('styleerror', this.onStyleError);
    this.boundNode = node;
    this.error = '';
    this.styleName = node?.styleName ?? DEFAULT_STYLE_NAME;
    node?.addEventListener('stylechange', this.onStyleChange);
    node?.addEventListener('styleerror', this.onStyleError);
  }

  /** True if the node takes styles. */
  private get usable(): boolean {
    return this.node?.setStyle !== undefined;
  }

  private onMenu(event: Event): void {
    const name = (event.currentTarget as HTMLSelectElement).value;
    if (name !== '') this.node?.setStyle?.(name);
  }

  /**
   * Gives `file` to the node as a reference: the node reads it a slice at a time in its Worker (or, for a
   * format its readers lack, decodes it with its context). A file that gives no style is reported by the
   * node's styleerror event (shown by onStyleError); one overtaken by a later style is not an error.
   */
  async useReference(file: File): Promise<void> {
    const node = this.node;
    if (!node?.setReference) return;
    this.error = '';
    this.analysing = file.name;
    try {
      await node.setReference(file, file.name).catch(() => undefined);
    } finally {
      if (this.analysing === file.name) this.analysing = '';
    }
  }

  private onDragOver(event: DragEvent): void {
    if (!this.usable) return;
    event.preventDefault(); // allows the drop
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    const file = event.dataTransfer?.files[0];
    if (file && this.usable) void this.useReference(file);
  }

  private onFile(event: Event): void {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ''; // the same file again is a new choice
    if (file) void this.useReference(file);
  }

  private hint(): string {
    const name = this.styleName;
    if (name === DEFAULT_STYLE_NAME) return DEFAULT_HINT;
    if (name.startsWith(REFERENCE_PREFIX)) {
      const reference = name.slice(REFERENCE_PREFIX.length);
      const start = reference === this.shortenedReference ? ` (its first ${MAX_REFERENCE_SECONDS / 60} minutes)` : '';
      return `The image of ${reference}${start}, analysed per band.`;
    }
    return STYLE_PRESETS.find((preset) => preset.name === name)?.description ?? CUSTOM_HINT;
  }

  protected override render(): unknown {
    const disabled = !this.usable;
    const name = this.styleName;
    const named = name === DEFAULT_STYLE_NAME || STYLE_PRESETS.some((preset) => preset.name === name);
    const reference = name.startsWith(REFERENCE_PREFIX) ? name.slice(REFERENCE_PREFIX.length) : '';
    const zoneText = this.analysing ? `analysing ${this.analysing}…` : reference ? `matching ${reference}` : 'drop a stereo mix to match its image';
    return html`
      <div class="row">
        <label class="menu">
          <span>Style</span>
          <select part="style-menu" .value=${named ? name : ''} ?disabled=${disabled} @change=${this.onMenu} aria-describedby="hint">
            <option value=${DEFAULT_STYLE_NAME} title=${DEFAULT_HINT} ?selected=${name === DEFAULT_STYLE_NAME}>${DEFAULT_STYLE_NAME}</option>
            ${STYLE_PRESETS.map((preset) => html`<option value=${preset.name} title=${preset.description} ?selected=${preset.name === name}>${preset.name}</option>`)}
            ${named ? null : html`<option value="" disabled selected>${reference ? 'reference' : name}</option>`}
          </select>
        </label>
        <div
          part="reference"
          class="drop ${this.dragging ? 'over' : ''} ${reference ? 'active' : ''}"
          @dragenter=${this.onDragOver}
          @dragover=${this.onDragOver}
          @dragleave=${() => (this.dragging = false)}
          @drop=${this.onDrop}
        >
          <span class="zone-text" title=${reference}>${zoneText}</span>
          <button part="reference-file" type="button" ?disabled=${disabled} @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input[type="file"]')?.click()}>
            Reference…
          </button>
          <input type="file" accept="audio/*,.wav,.flac,.mp3,.ogg,.opus,.aif,.aiff" hidden @change=${this.onFile} />
        </div>
        <button part="style-default" type="button" ?disabled=${disabled || name === DEFAULT_STYLE_NAME} @click=${() => this.node?.setStyle?.(DEFAULT_STYLE_NAME)}>Default</button>
      </div>
      <p part="style-hint" id="hint" class="hint">${this.hint()}</p>
      ${this.error ? html`<p part="style-error" class="error" role="alert">${this.error}</p>` : null}
    `;
  }
}

if (!customElements.get('stereo-upmixer-style')) customElements.define('stereo-upmixer-style', StylePickerElement);

declare global {
  interface HTMLElementTagNameMap {
    'stereo-upmixer-style': StylePickerElement;
  }
}
