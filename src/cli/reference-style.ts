/**
 * The style of a reference mix (`--reference FILE`): the file is read with the CLI's own decoders (any
 * format, any rate it reads, resampled the same way), must be stereo (and not dual mono), and is analysed
 * as every face analyses a reference (src/style/analyse-reference.ts), a block at a time as it is read
 * (never the whole file in memory). Every failure is one line naming the file and the fix.
 * @packageDocumentation
 */
import type { ReferenceAnalysis } from '../style/analyse-reference.js';
import { analyseReferenceStream } from '../style/reference-stream.js';
import { StyleError } from '../style/presets.js';
import { MAX_REFERENCE_SECONDS, type Style } from '../style/style.js';
import { openAudioSource } from './audio-source.js';
import { asCliError, InputError } from './errors.js';

/** A reference's measured style, and how much of it was analysed when not all of it. */
export interface ReferenceStyle {
  readonly style: Style;
  /** Seconds analysed, when the mix was longer than that (its start). */
  readonly analysedSeconds?: number;
}

/**
 * The reference's channels up to `maxSeconds`, read a block at a time into the analysis (which keeps
 * per tile sums, not the mix: memory does not grow with the file), and whether there was more.
 */
async function analyseFile(path: string, maxSeconds: number): Promise<{ analysis: ReferenceAnalysis; sampleRate: number; cut: boolean }> {
  const source = await openAudioSource(path);
  try {
    if (source.channelCount !== 2) throw new InputError(`the reference ${path} is mono: a reference is a stereo mix whose image the upmix copies; give a stereo file`);
    const { analysis, cut } = await analyseReferenceStream(source, maxSeconds);
    return { analysis, sampleRate: source.sampleRate, cut };
  } finally {
    await source.close().catch(() => undefined);
  }
}

/**
 * Reads the stereo mix at `path` (its first `maxSeconds`) and measures its style; throws
 * {@link InputError} with one line.
 */
export async function referenceStyle(path: string, maxSeconds = MAX_REFERENCE_SECONDS): Promise<ReferenceStyle> {
  let read;
  try {
    read = await analyseFile(path, maxSeconds);
  } catch (error) {
    const reason = asCliError(error, 'input', path);
    throw reason.message.startsWith('the reference ') ? reason : new InputError(`the reference: ${reason.message}`);
  }
  try {
    const style = read.analysis.finish();
    return read.cut ? { style, analysedSeconds: read.analysis.length / read.sampleRate } : { style };
  } catch (error) {
    if (!(error instanceof StyleError)) throw error;
    throw new InputError(`the reference ${path}: ${error.message}; give a stereo mix with music in it, at least a second long`);
  }
}
