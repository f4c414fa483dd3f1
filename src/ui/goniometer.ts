/**
 * `<stereo-upmixer-goniometer>`: a vectorscope of the output. Each sample pair is drawn at x = (R - L)/√2
 * (side) and y = (L + R)/√2 (mid): mono is a vertical line, a wide image a round cloud, out-of-phase
 * material a horizontal smear. A slow automatic gain keeps quiet material visible; the trace fades
 * over a few frames (phosphor persistence).
 *
 * Drawn by its host's animation loop through {@link GoniometerElement.draw}; it draws nothing by itself.
 * Sized by its container (square, as wide as it is given). Parts: `canvas`.
 * @packageDocumentation
 */
import { css, html } from 'lit';
import { CanvasMeterElement, canvasMeterStyles } from './canvas-meter-element.js';
import { cssColor, themeStyles } from './styles.js';

/** Gain adaptation per frame (toward the target), and the range the automatic gain stays in. */
const GAIN_SPEED = 0.08;
const MAX_GAIN = 16;
/** Signals below this peak draw nothing (silence). */
const SILENCE = 1e-5;

export class GoniometerElement extends CanvasMeterElement {
  static override styles = [
    themeStyles,
    canvasMeterStyles,
    css`
      :host {
        display: block;
        aspect-ratio: 1;
        min-width: 80px;
      }
    `,
  ];

  /** Peak of the last frame drawn (0 when silent): lets a host or a test see the meter move and rest. */
  peak = 0;
  private gain = 1;
  private colours = { trace: '#5ec8f2', grid: '#9aa3b5', background: '#20232b' };

  /** Re-reads the size and the theme colours (call after changing the custom properties). */
  override resize(): void {
    const canvas = this.canvas;
    if (!canvas) return;
    const ratio = window.devicePixelRatio || 1;
    const size = Math.max(1, Math.round(Math.min(this.clientWidth, this.clientHeight || this.clientWidth) * ratio));
    if (canvas.width !== size) canvas.width = canvas.height = size;
    this.colours = {
      trace: cssColor(this, '--_accent', this.colours.trace),
      grid: cssColor(this, '--_muted', this.colours.grid),
      background: cssColor(this, '--_surface', this.colours.background),
    };
    this.clear();
  }

  private clear(): void {
    const g = this.context2d;
    const canvas = this.canvas;
    if (!g || !canvas) return;
    g.globalAlpha = 1;
    g.fillStyle = this.colours.background;
    g.fillRect(0, 0, canvas.width, canvas.height);
    this.drawGrid();
  }

  private drawGrid(): void {
    const g = this.context2d;
    const canvas = this.canvas;
    if (!g || !canvas) return;
    const size = canvas.width;
    const half = size / 2;
    g.globalAlpha = 0.35;
    g.strokeStyle = this.colours.grid;
    g.lineWidth = Math.max(1, size / 300);
    g.beginPath();
    g.moveTo(half, 0);
    g.lineTo(half, size);
    g.moveTo(0, half);
    g.lineTo(size, half);
    // The L and R axes (45°).
    g.moveTo(0, 0);
    g.lineTo(size, size);
    g.moveTo(size, 0);
    g.lineTo(0, size);
    g.stroke();
    g.globalAlpha = 0.8;
    g.fillStyle = this.colours.grid;
    g.font = `${Math.round(size / 14)}px sans-serif`;
    g.fillText('L', size * 0.06, size * 0.12);
    g.fillText('R', size * 0.88, size * 0.12);
    g.fillText('M', half + size * 0.02, size * 0.08);
  }

  /**
   * Draws one frame from the latest output samples (equal lengths). Main thread, once per animation
   * frame; allocates nothing of its own.
   */
  draw(left: Float32Array, right: Float32Array): void {
    const g = this.context2d;
    const canvas = this.canvas;
    if (!g || !canvas) return;
    let peak = 0;
    for (let i = 0; i < left.length; i++) {
      const l = Math.abs(left[i]);
      const r = Math.abs(right[i]);
      if (l > peak) peak = l;
      if (r > peak) peak = r;
    }
    this.peak = peak < SILENCE ? 0 : peak;
    const size = canvas.width;
    const half = size / 2;
    // Persistence: fade the last frames instead of clearing.
    g.globalAlpha = 0.35;
    g.fillStyle = this.colours.background;
    g.fillRect(0, 0, size, size);
    this.drawGrid();
    if (this.peak === 0) return;
    const target = Math.min(MAX_GAIN, 0.7 / peak);
    this.gain += GAIN_SPEED * (target - this.gain);
    if (this.gain > target) this.gain = target;
    const scale = half * this.gain * Math.SQRT1_2;
    g.globalAlpha = 0.7;
    g.strokeStyle = this.colours.trace;
    g.lineWidth = Math.max(1, size / 250);
    g.beginPath();
    for (let i = 0; i < left.length; i++) {
      const x = half + (right[i] - left[i]) * scale;
      const y = half - (left[i] + right[i]) * scale;
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    }
    g.stroke();
  }

  protected override render(): unknown {
    return html`<canvas part="canvas" role="img" aria-label="Goniometer: mid vertical, side horizontal"></canvas>`;
  }
}

if (!customElements.get('stereo-upmixer-goniometer')) customElements.define('stereo-upmixer-goniometer', GoniometerElement);

declare global {
  interface HTMLElementTagNameMap {
    'stereo-upmixer-goniometer': GoniometerElement;
  }
}
