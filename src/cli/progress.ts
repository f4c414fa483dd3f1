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

  /** Redraws if a terminal is attached and enough time has passed. */
  update(framesDone: number, framesTotal: number): void {
    if (!this.stream.isTTY) return;
    const now = performance.now();
    if (now - this.lastDraw < REDRAW_MS && framesDone < framesTotal) return;
    this.lastDraw = now;
    const percent = framesTotal > 0 ? Math.floor((100 * framesDone) / framesTotal) : 100;
    const audioSeconds = framesDone / this.sampleRate;
    const speed = audioSeconds / Math.max(1e-3, (now - this.started) / 1000);
    const line = `upmix: ${String(percent).padStart(3)}%  ${formatDuration(audioSeconds)} of ${formatDuration(framesTotal / this.sampleRate)}  ${speed.toFixed(0)}x real time`;
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** Removes the line, so the summary (or an error) starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
