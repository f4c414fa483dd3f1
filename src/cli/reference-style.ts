/**
 * The style of a reference mix (`--reference FILE`): the file is read with the CLI's own decoders (any
 * format, any rate it reads, resampled the same way), must be stereo (and not dual mono), and is analysed
 * as every face analyses a reference (src/style/analyse-reference.ts). Every failure is one line naming
 * the file and the fix.
 * @packageDocumentation
 */
import { analyseReference } from '../style/analyse-reference.js';
import { StyleError } from '../style/presets.js';
import { MAX_REFERENCE_SECONDS, type Style } from '../style/style.js';
import { openAudioSource } from './audio-source.js';
import { asCliError, InputError } from './errors.js';

/** Frames read per call. */
const BLOCK_FRAMES = 65_536;


/** A reference's measured style, and how much of it was analysed when not all of it. */
export interface ReferenceStyle {
  readonly style: Style;
  /** Seconds analysed, when the mix was longer than that (its start). */
  readonly analysedSeconds?: number;
}

/**
 * The reference's channels up to `maxSeconds` (whole: the analysis finds the codec's cutoff over the
 * whole mix), and whether there was more.
 */
async function readStereo(path: string, maxSeconds: number): Promise<{ left: Float32Array; right: Float32Array; sampleRate: number; cut: boolean }> {
  const source = await openAudioSource(path);
  try {
    if (source.channelCount !== 2) throw new InputError(`the reference ${path} is mono: a reference is a stereo mix whose image the upmix copies; give a stereo file`);
    const maxFrames = Math.round(maxSeconds * source.sampleRate);
    let left = new Float32Array(Math.min(source.frameCount ?? 1 << 20, maxFrames));
    let right = new Float32Array(left.length);
    let cut = false;
    let frames = 0;
    const block = [new Float32Array(BLOCK_FRAMES), new Float32Array(BLOCK_FRAMES)];
    for (;;) {
      let got = await source.read(block, BLOCK_FRAMES);
      if (got === 0) break;
      if (frames + got > maxFrames) {
        got = maxFrames - frames;
        cut = true;
      }
      if (frames + got > left.length) {
        // The header did not say the length (a stream): grow by doubling.
        const grownLeft = new Float32Array(Math.min(maxFrames, Math.max(2 * left.length, frames + got)));
        const grownRight = new Float32Array(grownLeft.length);
        grownLeft.set(left.subarray(0, frames));
        grownRight.set(right.subarray(0, frames));
        left = grownLeft;
        right = grownRight;
      }
      left.set(block[0].subarray(0, got), frames);
      right.set(block[1].subarray(0, got), frames);
      frames += got;
      if (cut) break;
    }
    return { left: left.subarray(0, frames), right: right.subarray(0, frames), sampleRate: source.sampleRate, cut };
  } finally {
    await source.close().catch(() => undefined);
  }
}

/**
 * Reads the stereo mix at `path` (its first `maxSeconds`) and measures its style; throws
 * {@link InputError} with one line.
 */
export async function referenceStyle(path: string, maxSeconds = MAX_REFERENCE_SECONDS): Promise<ReferenceStyle> {
  let mix;
  try {
    mix = await readStereo(path, maxSeconds);
  } catch (error) {
    const reason = asCliError(error, 'input', path);
    throw reason.message.startsWith('the reference ') ? reason : new InputError(`the reference: ${reason.message}`);
  }
  try {
    const style = analyseReference(mix.left, mix.right, mix.sampleRate);
    return mix.cut ? { style, analysedSeconds: mix.left.length / mix.sampleRate } : { style };
  } catch (error) {
    if (!(error instanceof StyleError)) throw error;
    throw new InputError(`the reference ${path}: ${error.message}; give a stereo mix with music in it, at least a second long`);
  }
}
