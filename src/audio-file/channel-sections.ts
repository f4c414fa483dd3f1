/**
 * A section-by-section check of a stereo input's channels, beside the whole-file one (channel-check.ts):
 * a fault in part of a transfer (a spliced-in section with one channel polarity-inverted or dead, 20 s of
 * a 5-minute file) is diluted in whole-file figures below any warning. Here each window of
 * {@link WINDOW_SECONDS} seconds, moved a second at a time, is judged on its own: a channel dead there
 * (far below the other while that one plays, every second of the window), or one channel
 * polarity-inverted there (the channels' correlation far below zero). Faulty windows in a row become one section; the sections found are kept up to {@link MAX_SECTIONS} (then only
 * counted), so memory stays constant whatever the length.
 * @packageDocumentation
 */
import type { Hertz, Seconds } from '../dsp/units.js';

/** Seconds a section is judged over: long enough that music's moments on one side alone average out. */
const WINDOW_SECONDS = 5;
/** Sections kept with their times; more are only counted. */
const MAX_SECTIONS = 16;
/** A channel this far (power, dB) below the other in a window is dead there. */
const DEAD_BELOW_DB = -40;
/** ... while the other plays at least this loud (mean square, -60 dBFS): not judged in quiet passages. */
const PLAYING = 1e-6;
/**
 * A window's correlation this low (or lower) makes one channel polarity-inverted there. Sound music does
 * not go so low over 5 s: in every 5th file of the corpus (82 stereo tracks), no window reached -0.5 (one
 * reached -0.3), while 20 s of the right channel inverted took a window to -0.5 or lower in 65 of them
 * (-0.9, a copy turned over: 17).
 */
const INVERTED_BELOW = -0.5;
/** A correlation this low makes the channels inverted copies of each other (their mono sum cancels). */
const INVERTED_COPIES_BELOW = -0.9;
/** A window's correlation this high makes the channels copies there (a mono transfer). */
const COPIES_ABOVE = 0.9;

/** A fault of one section. */
export type SectionFault = 'inverted' | 'dead-left' | 'dead-right';

/** A run of faulty windows: the fault, and where it starts and ends in the input. */
export interface FaultySection {
  readonly fault: SectionFault;
  readonly start: Seconds;
  readonly end: Seconds;
  /** The lowest correlation of the channels over its windows. */
  readonly correlation: number;
}

/** What the section check found. */
export interface SectionReport {
  /** The faulty sections, in order (the first {@link MAX_SECTIONS}). */
  readonly sections: readonly FaultySection[];
  /** Faulty sections found after those, by fault. */
  readonly more: Readonly<Record<SectionFault, number>>;
  /** Of the seconds judged sound (playing, not faulty), the share whose channels are copies (a mono transfer: near 1). */
  readonly copiesShare: number;
}

/** Sums a stereo input's powers and lag-0 products a second at a time, and judges each window of the last {@link WINDOW_SECONDS}. */
export class SectionCheck {
  private readonly blockFrames: number;
  /** Per second of the current window: sums of L*L, R*R and L*R (a ring). */
  private readonly leftSums = new Float64Array(WINDOW_SECONDS);
  private readonly rightSums = new Float64Array(WINDOW_SECONDS);
  private readonly crossSums = new Float64Array(WINDOW_SECONDS);
  /** Per second of the current window: that second's own fault, 'quiet' where neither channel played (see {@link PLAYING}). */
  private readonly blockFaults: (SectionFault | 'quiet' | undefined)[] = new Array(WINDOW_SECONDS).fill('quiet');
  /** The last second found faulty on its own, by fault: a section ends there (windows over its edge may be faulty as a whole). */
  private readonly lastFaultyBlock: Record<SectionFault, number> = { inverted: -1, 'dead-left': -1, 'dead-right': -1 };
  private blocks = 0;
  private filled = 0;
  private leftSum = 0;
  private rightSum = 0;
  private crossSum = 0;
  private readonly sections: FaultySection[] = [];
  private readonly more: Record<SectionFault, number> = { inverted: 0, 'dead-left': 0, 'dead-right': 0 };
  /** The section being extended: its fault and span in blocks; undefined when the last judged window was sound. */
  private open: { fault: SectionFault; start: number; end: number; correlation: number } | undefined;
  private soundBlocks = 0;
  private copyBlocks = 0;

  constructor(private readonly sampleRate: Hertz) {
    this.blockFrames = Math.max(1, Math.round(sampleRate));
  }

  /** Takes the next `frames` frames of both channels. */
  add(left: Float32Array, right: Float32Array, frames: number): void {
    for (let i = 0; i < frames; ) {
      const take = Math.min(frames - i, this.blockFrames - this.filled);
      let leftSum = 0;
      let rightSum = 0;
      let crossSum = 0;
      for (let j = i; j < i + take; j++) {
        const l = left[j];
        const r = right[j];
        leftSum += l * l;
        rightSum += r * r;
        crossSum += l * r;
      }
      this.leftSum += leftSum;
      this.rightSum += rightSum;
      this.crossSum += crossSum;
      this.filled += take;
      i += take;
      if (this.filled === this.blockFrames) this.endBlock();
    }
  }

  /** The sections found (a last part shorter than a second is not judged). */
  finish(): SectionReport {
    this.closeSection();
    return { sections: this.sections, more: this.more, copiesShare: this.soundBlocks > 0 ? this.copyBlocks / this.soundBlocks : 0 };
  }

  private endBlock(): void {
    // Each second on its own counts towards the copies' share (seconds at a fault's edges would not be copies).
    const fault = faultOf(this.leftSum / this.blockFrames, this.rightSum / this.blockFrames, this.crossSum / this.blockFrames);
    this.blockFaults[this.blocks % WINDOW_SECONDS] = fault;
    if (fault !== undefined && fault !== 'quiet') this.lastFaultyBlock[fault] = this.blocks;
    if (fault === undefined) {
      this.soundBlocks++;
      if (this.crossSum >= COPIES_ABOVE * Math.sqrt(this.leftSum * this.rightSum)) this.copyBlocks++;
    }
    const slot = this.blocks % WINDOW_SECONDS;
    this.leftSums[slot] = this.leftSum;
    this.rightSums[slot] = this.rightSum;
    this.crossSums[slot] = this.crossSum;
    this.leftSum = this.rightSum = this.crossSum = 0;
    this.filled = 0;
    this.blocks++;
    if (this.blocks >= WINDOW_SECONDS) this.judgeWindow(this.blocks - WINDOW_SECONDS, this.blocks);
  }

  /** Judges the window of blocks [start, end): extends, ends or starts a section. */
  private judgeWindow(start: number, end: number): void {
    // Only windows that play throughout are judged: an onset after silence is not a channel dead there.
    for (let k = 0; k < WINDOW_SECONDS; k++) if (this.blockFaults[k] === 'quiet') return;
    let left = 0;
    let right = 0;
    let cross = 0;
    for (let k = 0; k < WINDOW_SECONDS; k++) {
      left += this.leftSums[k];
      right += this.rightSums[k];
      cross += this.crossSums[k];
    }
    const frames = WINDOW_SECONDS * this.blockFrames;
    const fault = faultOf(left / frames, right / frames, cross / frames);
    // Quiet passages are not judged: they neither end a section nor start one.
    if (fault === 'quiet') return;
    if (fault === undefined) {
      this.closeSection();
      return;
    }
    const correlation = cross / Math.sqrt(left * right || 1);
    if (this.open && this.open.fault === fault && start <= this.open.end) {
      this.open.end = end;
      this.open.correlation = Math.min(this.open.correlation, correlation);
      return;
    }
    this.closeSection();
    // The section starts with the window's first second that is faulty on its own (if any is).
    let first = start;
    while (first < end - 1 && this.blockFaults[first % WINDOW_SECONDS] !== fault) first++;
    this.open = { fault, start: this.blockFaults[first % WINDOW_SECONDS] === fault ? first : start, end, correlation };
  }

  private closeSection(): void {
    if (!this.open) return;
    const { fault, start, correlation } = this.open;
    const last = this.lastFaultyBlock[fault];
    const end = last >= start && last < this.open.end ? last + 1 : this.open.end;
    this.open = undefined;
    // Shorter than a window, from its first second faulty on its own to its last: a moment of the music
    // (a wide effect in anti-phase for a second or two, as in a real game track), not a transfer's fault.
    if (end - start < WINDOW_SECONDS) return;
    const seconds = this.blockFrames / this.sampleRate;
    if (this.sections.length < MAX_SECTIONS) this.sections.push({ fault, start: start * seconds, end: end * seconds, correlation });
    else this.more[fault]++;
  }
}

/** The fault of a stretch with these mean squares and mean product of its channels; 'quiet' where neither plays. */
function faultOf(left: number, right: number, cross: number): SectionFault | 'quiet' | undefined {
  const louder = Math.max(left, right);
  if (!(louder >= PLAYING)) return 'quiet';
  if (Math.min(left, right) <= louder * 10 ** (DEAD_BELOW_DB / 10)) return left < right ? 'dead-left' : 'dead-right';
  return cross <= INVERTED_BELOW * Math.sqrt(left * right) ? 'inverted' : undefined;
}

/** `m:ss` (or `h:mm:ss`) of a time in whole seconds. */
function clock(seconds: Seconds): string {
  const whole = Math.round(seconds);
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The sections' times, the first few of them: `0:40-1:00, 2:10-2:30 and 3 more`. */
function describeTimes(sections: readonly FaultySection[], more: number): string {
  const shown = sections.slice(0, 3).map((section) => `${clock(section.start)}-${clock(section.end)}`);
  const rest = sections.length - shown.length + more;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown[0];
}

/**
 * One warning line per kind of fault found in sections (without the `upmix: warning:` prefix): where, what
 * it does to the output and what to do. `name` names the input; `stereoShare`: how much of it took the
 * stereo path; `wholeFile`: the faults the whole-file warning names already (not repeated here).
 */
export function sectionWarnings(report: SectionReport, name: string, stereoShare: number, wholeFile: { dead: boolean; inverted: boolean }): string[] {
  const lines: string[] = [];
  // A mono transfer (its sound sections copies in both channels): the good channel alone is the fix.
  const monoTransfer = report.copiesShare >= 0.8;
  const keepsImage = stereoShare > 0.005;
  const inverted = report.sections.filter((section) => section.fault === 'inverted');
  if (inverted.length > 0 && !wholeFile.inverted) {
    const lowest = Math.min(...inverted.map((section) => section.correlation));
    const copies = lowest <= INVERTED_COPIES_BELOW;
    const what = copies ? 'one channel is a polarity-inverted copy of the other there' : `one channel is polarity-inverted there (correlation down to ${lowest.toFixed(2)})`;
    const sum = copies ? 'their mono sum cancels' : 'their mono sum loses much of its level';
    const result = keepsImage ? 'the upmix keeps that sum there' : `the mono-path output is ${copies ? 'nearly silent' : 'weak'} there`;
    const fix = monoTransfer ? 'the rest is a mono transfer: use --channel left' : 'invert one channel in those sections before upmixing';
    lines.push(`${name}: ${describeTimes(inverted, report.more.inverted)}: ${what} (a section spliced in turned over?): ${sum}, and ${result}; ${fix}`);
  }
  for (const [fault, quiet, loud] of [['dead-left', 'left', 'right'], ['dead-right', 'right', 'left']] as const) {
    const dead = report.sections.filter((section) => section.fault === fault);
    if (dead.length === 0 || wholeFile.dead) continue;
    const result = keepsImage ? `the output keeps the sound on the ${loud} only there` : `the mono path's downmix is the ${loud} at half its level (-6 dB) there`;
    const fix = monoTransfer ? `the rest is a mono transfer: use --channel ${loud}` : `repair those sections (or use --channel ${loud} for a mono recording) before upmixing`;
    lines.push(`${name}: ${describeTimes(dead, report.more[fault])}: the ${quiet} channel is silent there (over 40 dB below the ${loud}): ${result}; ${fix}`);
  }
  return lines;
}
