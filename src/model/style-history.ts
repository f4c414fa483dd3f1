/**
 * Which style conditions which model frame. The main thread gives every style change an id and sends
 * the style under it to the model Worker at once (a timed one too, ahead of its time); the processor,
 * which alone knows the frame a change takes effect at, stamps every feature frame it sends with the id
 * in force. The Worker keeps the latest styles by id here and conditions each frame by its stamp, so a
 * timed change conditions exactly the frames sent from its render quantum on, in either transport.
 * @packageDocumentation
 */
import type { Style } from '../style/style.js';

/** Ids run from 0 to this, then start again: exact in a float32 (the shared rings' records). */
export const MAX_STYLE_ID = 2 ** 24 - 1;

/** The id after `id`. */
export function nextStyleId(id: number): number {
  return id >= MAX_STYLE_ID ? 0 : id + 1;
}

/**
 * Styles the Worker keeps: the processor holds at most 64 timed changes, so this many covers every style
 * still in force or waiting, unless a change was scheduled behind more than this many later ones.
 */
export const KEPT_STYLES = 256;

/** The latest styles by id, in the order they arrived (Worker side). */
export class StyleHistory {
  private readonly styles = new Map<number, Style>();

  /** Keeps `style` under `id` (a Map keeps arrival order: the oldest is dropped past {@link KEPT_STYLES}). */
  add(id: number, style: Style): void {
    this.styles.delete(id);
    this.styles.set(id, style);
    if (this.styles.size > KEPT_STYLES) this.styles.delete(this.styles.keys().next().value as number);
  }

  /**
   * The style frames stamped `id` are conditioned on: its own; else (its message has not arrived yet: the
   * processor heard of it first) the latest that arrived; null before any (the model's default).
   */
  styleFor(id: number): Style | null {
    const own = this.styles.get(id);
    if (own !== undefined) return own;
    let latest: Style | null = null;
    for (const style of this.styles.values()) latest = style;
    return latest;
  }
}
