/**
 * `<stereo-upmixer-slider>`: one labelled, keyboard-operable slider (ARIA `slider`), the control used for
 * width, bass mono, mix and variation.
 *
 * Keys: Arrow Right/Up and Left/Down move one `step`, Page Up/Down one `pageStep`, Home/End go to the
 * ends, Delete/Backspace reset to `defaultValue`; so does a double-click. Dragging with a pointer sets
 * the value from the position. Main thread only.
 *
 * Events (bubbling, composed): `input` while the value changes, `change` when a gesture ends; both are
 * `CustomEvent<{ value: number }>`.
 *
 * Parts: `label`, `value`, `slider` (the focusable element), `track`, `fill`, `thumb`.
 * @packageDocumentation
 */
import { css, html, LitElement, type PropertyValues } from 'lit';
import { themeStyles } from './styles.js';

/** Formats a value for display and for `aria-valuetext`. */
export type ValueFormatter = (value: number) => string;

export class UpmixSliderElement extends LitElement {
  static override styles = [
    themeStyles,
    css`
      :host {
        display: block;
        min-width: 0;
        touch-action: none;
      }
      .row {
        display: flex;
        justify-content: space-between;
        gap: 8px;
        font-size: 0.85em;
        margin-bottom: 4px;
      }
      [part='label'] {
        color: var(--_muted);
        /* One line: a wrapped label would push this slider's track below its neighbours'. */
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
        min-width: 0;
      }
      [part='value'] {
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      [part='slider'] {
        position: relative;
        height: 24px;
        margin: 0 8px;
        cursor: pointer;
        border-radius: var(--_radius);
      }
      [part='track'] {
        position: absolute;
        inset: 9px 0;
        background: var(--_surface);
        border-radius: 3px;
        overflow: hidden;
      }
      [part='fill'] {
        height: 100%;
        background: var(--_accent);
        transform-origin: left;
      }
      [part='thumb'] {
        position: absolute;
        top: 4px;
        width: 16px;
        height: 16px;
        margin-left: -8px;
        border-radius: 50%;
        background: var(--_fg);
        box-shadow: 0 0 0 2px var(--_bg);
      }
      :host([disabled]) [part='slider'] {
        opacity: 0.5;
        cursor: default;
      }
    `,
  ];

  static override properties = {
    label: { type: String },
    min: { type: Number },
    max: { type: Number },
    step: { type: Number },
    pageStep: { type: Number, attribute: 'page-step' },
    value: { type: Number },
    defaultValue: { type: Number, attribute: 'default-value' },
    unit: { type: String },
    disabled: { type: Boolean, reflect: true },
  };

  /** Visible and accessible name. */
  declare label: string;
  declare min: number;
  declare max: number;
  /** Arrow-key increment; values snap to multiples of it from `min`. */
  declare step: number;
  /** Page Up/Down increment. */
  declare pageStep: number;
  declare value: number;
  /** Where Delete/Backspace and double-click go. */
  declare defaultValue: number;
  /** Unit shown after the value (e.g. `Hz`). */
  declare unit: string;
  declare disabled: boolean;
  /** How the value is shown; default: as many decimals as `step` has, then the unit. */
  format: ValueFormatter | null = null;
  /** True while a pointer drags the thumb (hosts should not overwrite the value then). */
  dragging = false;

  constructor() {
    super();
    this.label = '';
    this.min = 0;
    this.max = 1;
    this.step = 0.01;
    this.pageStep = 0.1;
    this.value = 0;
    this.defaultValue = 0;
    this.unit = '';
    this.disabled = false;
  }

  /** The text shown and given as `aria-valuetext`. */
  valueText(value = this.value): string {
    if (this.format) return this.format(value);
    const decimals = Math.max(0, Math.min(4, Math.ceil(-Math.log10(this.step) - 1e-9)));
    return `${value.toFixed(decimals)}${this.unit ? ` ${this.unit}` : ''}`;
  }

  /** Clamps into range and snaps to the step grid. */
  private snap(value: number): number {
    const clamped = Math.min(this.max, Math.max(this.min, value));
    const steps = Math.round((clamped - this.min) / this.step);
    const snapped = this.min + steps * this.step;
    return Math.min(this.max, Math.max(this.min, Number(snapped.toFixed(10))));
  }

  /** Sets the value as the user did: clamps, snaps and fires `input` (and `change` if `commit`). */
  private userSet(value: number, commit: boolean): void {
    const next = this.snap(value);
    // A committed key or reset is sent even if the shown value is unchanged: the param may differ.
    if (next !== this.value || commit) {
      this.value = next;
      this.emit('input');
    }
    if (commit) this.emit('change');
  }

  private emit(type: 'input' | 'change'): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { value: this.value }, bubbles: true, composed: true }));
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.disabled) return;
    let next: number;
    switch (event.key) {
      case 'ArrowRight':
      case 'ArrowUp':
        next = this.value + this.step;
        break;
      case 'ArrowLeft':
      case 'ArrowDown':
        next = this.value - this.step;
        break;
      case 'PageUp':
        next = this.value + this.pageStep;
        break;
      case 'PageDown':
        next = this.value - this.pageStep;
        break;
      case 'Home':
        next = this.min;
        break;
      case 'End':
        next = this.max;
        break;
      case 'Delete':
      case 'Backspace':
        next = this.defaultValue;
        break;
      default:
        return;
    }
    event.preventDefault();
    this.userSet(next, true);
  }

  private valueAt(event: PointerEvent): number {
    const track = this.renderRoot.querySelector('[part="slider"]') as HTMLElement;
    const box = track.getBoundingClientRect();
    const ratio = box.width > 0 ? (event.clientX - box.left) / box.width : 0;
    return this.min + Math.min(1, Math.max(0, ratio)) * (this.max - this.min);
  }

  private onPointerDown(event: PointerEvent): void {
    if (this.disabled || event.button !== 0) return;
    const target = event.currentTarget as HTMLElement;
    target.focus();
    target.setPointerCapture(event.pointerId);
    this.dragging = true;
    this.userSet(this.valueAt(event), false);
  }

  private onPointerMove(event: PointerEvent): void {
    if (this.dragging) this.userSet(this.valueAt(event), false);
  }

  private onPointerUp(): void {
    if (!this.dragging) return;
    this.dragging = false;
    this.emit('change');
  }

  private onDoubleClick(): void {
    if (!this.disabled) this.userSet(this.defaultValue, true);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('value') && !Number.isFinite(this.value)) this.value = this.defaultValue;
  }

  protected override render(): unknown {
    const span = this.max - this.min;
    const ratio = span > 0 ? (Math.min(this.max, Math.max(this.min, this.value)) - this.min) / span : 0;
    const text = this.valueText();
    return html`
      <div class="row">
        <span id="label" part="label">${this.label}</span>
        <span part="value" aria-hidden="true">${text}</span>
      </div>
      <div
        part="slider"
        role="slider"
        tabindex=${this.disabled ? -1 : 0}
        aria-labelledby="label"
        aria-valuemin=${this.min}
        aria-valuemax=${this.max}
        aria-valuenow=${this.value}
        aria-valuetext=${text}
        aria-orientation="horizontal"
        aria-disabled=${this.disabled ? 'true' : 'false'}
        title="Double-click or Delete to reset to ${this.valueText(this.defaultValue)}"
        @keydown=${this.onKeyDown}
        @pointerdown=${this.onPointerDown}
        @pointermove=${this.onPointerMove}
        @pointerup=${this.onPointerUp}
        @pointercancel=${this.onPointerUp}
        @dblclick=${this.onDoubleClick}
      >
        <div part="track"><div part="fill" style="transform: scaleX(${ratio})"></div></div>
        <div part="thumb" style="left: ${ratio * 100}%"></div>
      </div>
    `;
  }
}

if (!customElements.get('stereo-upmixer-slider')) customElements.define('stereo-upmixer-slider', UpmixSliderElement);

declare global {
  interface HTMLElementTagNameMap {
    'stereo-upmixer-slider': UpmixSliderElement;
  }
}
