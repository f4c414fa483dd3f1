/**
 * `<stereo-upmixer-correlation>`: a phase-correlation meter, -1 (out of phase) .. 0 (uncorrelated,
 * wide) .. +1 (mono). The value is the normalised cross-correlation of L and R over the host's latest
 * block, smoothed with ~300 ms ballistics; during silence it returns to 0 and reads "—".
 *
 * Fed by its host through {@link CorrelationMeterElement.measure}. ARIA `meter` (its `aria-valuenow` is
 * updated at most 4 times a second, rounded, so screen readers are not flooded).
 * Parts: `scale`, `track`, `marker`, `value`.
 * @packageDocumentation
 */
import { css, html, LitElement } from 'lit';
import { themeStyles } from './styles.js';

/** Below this mean power per channel the block counts as silence (about -100 dBFS). */
const SILENT_POWER = 1e-10;
/** Smoothing time constant of the display. */
const BALLISTICS_SECONDS = 0.3;
const ARIA_INTERVAL_MS = 250;

/**
 * Normalised cross-correlation of two equal-length blocks, or NaN if either is silent. Allocates nothing.
 */
export function correlation(left: Float32Array, right: Float32Array): number {
  let lr = 0;
  let ll = 0;
  let rr = 0;
  for (let i = 0; i < left.length; i++) {
    lr += left[i] * right[i];
    ll += left[i] * left[i];
    rr += right[i] * right[i];
  }
  const n = Math.max(1, left.length);
  if (ll / n < SILENT_POWER || rr / n < SILENT_POWER) return Number.NaN;
  return Math.max(-1, Math.min(1, lr / Math.sqrt(ll * rr)));
}

export class CorrelationMeterElement extends LitElement {
  static override styles = [
    themeStyles,
    css`
      :host {
        display: block;
        font-size: 0.8em;
      }
      .row {
        display: flex;
        align-items: center;
        gap: 8px;
      }
      [part='track'] {
        position: relative;
        flex: 1;
        height: 14px;
        border-radius: 3px;
        background: linear-gradient(to right, var(--_warn), var(--_surface) 50%, var(--_ok));
      }
      [part='track']::after {
        content: '';
        position: absolute;
        left: 50%;
        top: 0;
        bottom: 0;
        width: 1px;
        background: var(--_muted);
      }
      [part='marker'] {
        position: absolute;
        top: -2px;
        bottom: -2px;
        width: 4px;
        margin-left: -2px;
        left: 50%;
        background: var(--_fg);
        border-radius: 2px;
        will-change: transform;
      }
      [part='value'] {
        width: 3.2em;
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      [part='scale'] {
        display: flex;
        justify-content: space-between;
        color: var(--_muted);
        margin-right: calc(3.2em + 8px);
      }
    `,
  ];

  /** The displayed (smoothed) correlation, -1..1; 0 at rest. */
  value = 0;
  /** True if the last block had signal. */
  active = false;
  private lastAria = 0;
  private lastTime = 0;

  /**
   * Takes the latest output block (equal lengths) at time `now` (ms, e.g. the animation frame's
   * timestamp). Main thread; allocates nothing besides the style update.
   */
  measure(left: Float32Array, right: Float32Array, now: number): void {
    const instant = correlation(left, right);
    this.active = !Number.isNaN(instant);
    const target = this.active ? instant : 0;
    const elapsed = this.lastTime === 0 ? 16 : Math.min(500, Math.max(0, now - this.lastTime));
    this.lastTime = now;
    const amount = 1 - Math.exp(-elapsed / (1000 * BALLISTICS_SECONDS));
    this.value += amount * (target - this.value);
    if (Math.abs(this.value) < 1e-4 && !this.active) this.value = 0;
    this.paint(now);
  }

  private paint(now: number): void {
    const marker = this.renderRoot.querySelector<HTMLElement>('[part="marker"]');
    const track = this.renderRoot.querySelector<HTMLElement>('[part="track"]');
    const text = this.renderRoot.querySelector<HTMLElement>('[part="value"]');
    if (!marker || !track || !text) return;
    marker.style.transform = `translateX(${(this.value * track.clientWidth) / 2}px)`;
    text.textContent = this.active ? this.value.toFixed(2) : '—';
    if (now - this.lastAria >= ARIA_INTERVAL_MS) {
      this.lastAria = now;
      const meter = this.renderRoot.querySelector<HTMLElement>('[role="meter"]');
      meter?.setAttribute('aria-valuenow', this.value.toFixed(1));
      meter?.setAttribute('aria-valuetext', this.active ? `correlation ${this.value.toFixed(1)}` : 'silent');
    }
  }

  protected override render(): unknown {
    return html`
      <div part="scale" aria-hidden="true"><span>-1</span><span>0</span><span>+1</span></div>
      <div class="row" role="meter" aria-label="Phase correlation" aria-valuemin="-1" aria-valuemax="1" aria-valuenow="0" aria-valuetext="silent">
        <div part="track"><div part="marker"></div></div>
        <span part="value" aria-hidden="true">—</span>
      </div>
    `;
  }
}

if (!customElements.get('stereo-upmixer-correlation')) customElements.define('stereo-upmixer-correlation', CorrelationMeterElement);

declare global {
  interface HTMLElementTagNameMap {
    'stereo-upmixer-correlation': CorrelationMeterElement;
  }
}
