/**
 * `<stereo-upmixer-bands>`: the stereo image band by band, from the cues the engine is applying. One row
 * per cue band (low frequencies at the bottom); in each row a bar centred at the band's pan (its signed
 * level difference, ±12 dB at the edges) whose length is its width (1 - ICC: a dot for mono, the full
 * half-width for fully decorrelated). Bands that lean right use the second accent colour; a band with
 * negative ICC (out of phase) is drawn in the warning colour.
 *
 * Fed by its host through {@link BandBarsElement.draw}; it eases toward each new reading and, given
 * `active = false` (silence), back to rest (centred dots). Parts: `canvas`.
 * @packageDocumentation
 */
import { css, html } from 'lit';
import { CanvasMeterElement, canvasMeterStyles } from './canvas-meter-element.js';
import { bandEdges, bandIndexOf } from '../dsp/bands.js';
import { cssColor, themeStyles } from './styles.js';

/** Level difference drawn at the edge of the row. */
const FULL_PAN_DB = 12;
/** Easing per frame toward the reading. */
const EASE = 0.25;
const LABELS: readonly [number, string][] = [
  [100, '100'],
  [1000, '1k'],
  [10_000, '10k'],
];

export class BandBarsElement extends CanvasMeterElement {
  static override styles = [
    themeStyles,
    canvasMeterStyles,
    css`
      :host {
        display: block;
        min-height: 96px;
      }
    `,
  ];

  /** Displayed width (0..1+) and pan (-1..1, + = left) per band, eased. */
  readonly widths: Float32Array;
  readonly pans: Float32Array;
  private readonly edges = bandEdges();
  private colours = { left: '#5ec8f2', right: '#f2a65e', warn: '#ff6b6b', grid: '#9aa3b5', background: '#20232b' };

  constructor() {
    super();
    this.widths = new Float32Array(this.edges.length - 1);
    this.pans = new Float32Array(this.edges.length - 1);
  }

  /** Re-reads the size and the theme colours. */
  override resize(): void {
    const canvas = this.canvas;
    if (!canvas) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(this.clientWidth * ratio));
    canvas.height = Math.max(1, Math.round(this.clientHeight * ratio));
    this.colours = {
      left: cssColor(this, '--_accent', this.colours.left),
      right: cssColor(this, '--_accent-2', this.colours.right),
      warn: cssColor(this, '--_warn', this.colours.warn),
      grid: cssColor(this, '--_muted', this.colours.grid),
      background: cssColor(this, '--_surface', this.colours.background),
    };
    this.paint();
  }

  /** Sum of displayed widths: 0 at rest (lets a host or a test see the bars move and rest). */
  get totalWidth(): number {
    let sum = 0;
    for (let b = 0; b < this.widths.length; b++) sum += this.widths[b];
    return sum;
  }

  /**
   * Eases toward a reading (per band ICC and signed ILD in dB, as `readCueMeters` gives), or toward rest
   * if `active` is false, and draws. Main thread, once per animation frame; allocates nothing of its own.
   */
  draw(iccs: Float32Array, ildsDb: Float32Array, active: boolean): void {
    const bands = Math.min(this.widths.length, iccs.length, ildsDb.length);
    for (let b = 0; b < bands; b++) {
      const width = active ? 1 - iccs[b] : 0;
      const pan = active ? Math.max(-1, Math.min(1, ildsDb[b] / FULL_PAN_DB)) : 0;
      this.widths[b] += EASE * (width - this.widths[b]);
      this.pans[b] += EASE * (pan - this.pans[b]);
      if (!active && Math.abs(this.widths[b]) < 1e-3) this.widths[b] = 0;
      if (!active && Math.abs(this.pans[b]) < 1e-3) this.pans[b] = 0;
    }
    this.paint();
  }

  private paint(): void {
    const g = this.context2d;
    const canvas = this.canvas;
    if (!g || !canvas) return;
    const { width, height } = canvas;
    const bands = this.widths.length;
    const labelWidth = Math.round(width * 0.09);
    const plot = width - labelWidth;
    const centre = labelWidth + plot / 2;
    const rowHeight = height / bands;
    g.fillStyle = this.colours.background;
    g.fillRect(0, 0, width, height);
    g.globalAlpha = 0.35;
    g.fillStyle = this.colours.grid;
    g.fillRect(Math.round(centre), 0, 1, height);
    g.globalAlpha = 0.9;
    g.font = `${Math.max(9, Math.round(rowHeight * 1.6))}px sans-serif`;
    g.textBaseline = 'middle';
    for (const [frequency, text] of LABELS) {
      const band = bandIndexOf(frequency, this.edges);
      g.fillText(text, 2, height - (band + 0.5) * rowHeight);
    }
    g.fillText('L', labelWidth + 2, rowHeight);
    g.fillText('R', width - g.measureText('R').width - 2, rowHeight);
    for (let b = 0; b < bands; b++) {
      const y = height - (b + 1) * rowHeight;
      const spread = Math.min(1.3, Math.max(0, this.widths[b]));
      const pan = this.pans[b];
      const half = Math.max(rowHeight * 0.35, (spread * plot) / 2 / 1.3);
      // Positive ILD (left louder) sits left of centre.
      const x = centre - (pan * plot) / 2;
      g.fillStyle = this.widths[b] > 1 ? this.colours.warn : pan < -0.01 ? this.colours.right : this.colours.left;
      g.globalAlpha = 0.85;
      g.fillRect(Math.max(labelWidth, x - half), y + rowHeight * 0.15, Math.min(plot, 2 * half), rowHeight * 0.7);
    }
    g.globalAlpha = 1;
  }

  protected override render(): unknown {
    return html`<canvas part="canvas" role="img" aria-label="Stereo width and pan per frequency band, low at the bottom"></canvas>`;
  }
}

if (!customElements.get('stereo-upmixer-bands')) customElements.define('stereo-upmixer-bands', BandBarsElement);

declare global {
  interface HTMLElementTagNameMap {
    'stereo-upmixer-bands': BandBarsElement;
  }
}
