/**
 * What the canvas meters (goniometer, band bars) share: a canvas in the shadow root, found after the
 * first render, and a ResizeObserver that calls {@link CanvasMeterElement.resize} while connected.
 * @packageDocumentation
 */
import { css, LitElement } from 'lit';

/** The host's surface and the canvas filling it (each meter adds its own size rules). */
export const canvasMeterStyles = css`
  :host {
    position: relative;
    background: var(--_surface);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  canvas {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
  }
`;

export abstract class CanvasMeterElement extends LitElement {
  protected canvas: HTMLCanvasElement | null = null;
  protected context2d: CanvasRenderingContext2D | null = null;
  private resizeObserver: ResizeObserver | null = null;

  /** Re-reads the element's size and theme colours into the canvas. */
  abstract resize(): void;

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
  }

  protected override firstUpdated(): void {
    this.canvas = this.renderRoot.querySelector('canvas');
    this.context2d = this.canvas?.getContext('2d') ?? null;
    this.resize();
  }
}
