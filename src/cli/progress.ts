/**
 * A one-line progress display on a terminal: percentage, position and speed, redrawn at most ten times
 * a second, and nothing at all when stderr is not a terminal (logs and pipes stay clean).
 * @packageDocumentation
 */
import type { WriteStream } from 'node:tty';

const REDRAW_MS = 100;

/** `m:ss` (or `h:mm:ss`) of a duration in seconds. */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export class ProgressLine {
  private lastDraw = 0;
  private readonly started = performance.now();
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream | WriteStream,
    private readonly sampleRate: number,
  ) {}

  /**
   * Redraws if a terminal is attached and enough time has passed. `fraction` is how far through the
   * input the run is (0..1), when that can be told; the total length is estimated from it.
   */
  update(framesDone: number, fraction: number | undefined): void {
    if (!this.stream.isTTY) return;
    const now = performance.now();
    if (now - this.lastDraw < REDRAW_MS && fraction !== 1) return;
    this.lastDraw = now;
    const audioSeconds = framesDone / this.sampleRate;
    const speed = audioSeconds / Math.max(1e-3, (now - this.started) / 1000);
    const known = fraction !== undefined && fraction > 0;
    const percent = known ? `${String(Math.floor(100 * fraction)).padStart(3)}%  ` : '';
    const total = known ? ` of ${fraction === 1 ? '' : '~'}${formatDuration(audioSeconds / fraction)}` : '';
    const line = `upmix: ${percent}${formatDuration(audioSeconds)}${total}  ${speed.toFixed(0)}x real time`;
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** Removes the line, so the summary (or an error) starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
