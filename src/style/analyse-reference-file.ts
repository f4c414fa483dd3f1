/**
 * A reference file (a Blob: a dropped or chosen File) read a 64 KiB slice at a time and decoded with the
 * shared readers (src/audio-file: WAV, AIFF, FLAC, MP3, Ogg Vorbis, Ogg Opus; the wasm decoder of the
 * file's format is loaded only then), at the file's own rate, into a reference analysis: never the whole
 * file in memory, decoded or not. The style analysis Worker runs it (style-analysis.worker.ts).
 * @packageDocumentation
 */
import { AudioFileError, openAudioStream, UnknownAudioFormatError, type AudioSource } from '../audio-file/audio-stream.js';
import { blobByteStream } from '../audio-file/byte-stream.js';
import { StyleError } from './presets.js';
import { analyseReferenceStream } from './reference-stream.js';
import { MONO_REFERENCE_MESSAGE, type StyleAnalysisReport } from './style-analysis-messages.js';

/** The `failed` answer for `error`: a StyleError's own words, else what went wrong. */
export function failure(error: unknown): StyleAnalysisReport {
  return { type: 'failed', message: error instanceof StyleError ? error.message : `the style analysis failed (${String(error)})` };
}

/** A reader's message without the file's name in front (the page shows the name beside it already). */
const withoutName = (message: string, name: string): string => (message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message);

/**
 * Reads, decodes and analyses the reference `file` (its first `maxSeconds`): its style (with the seconds
 * analysed when it was longer), why there is none, or that it cannot be read here (`unsupported`).
 */
export async function analyseReferenceFile(file: Blob, name: string, maxSeconds: number): Promise<StyleAnalysisReport> {
  let source: AudioSource;
  try {
    source = await openAudioStream(blobByteStream(file, name));
  } catch (error) {
    // Not read here (another format, more than two channels, an encoding the readers lack…): the page may
    // decode it whole with the browser's decoder.
    const reason = withoutName(error instanceof Error ? error.message : String(error), name);
    return { type: 'unsupported', reason, known: !(error instanceof UnknownAudioFormatError) };
  }
  try {
    if (source.channelCount < 2) return { type: 'failed', message: MONO_REFERENCE_MESSAGE };
    const { analysis: read, cut } = await analyseReferenceStream(source, maxSeconds);
    const style = read.finish();
    return cut ? { type: 'style', style, analysedSeconds: read.length / source.sampleRate } : { type: 'style', style };
  } catch (error) {
    if (error instanceof AudioFileError) return { type: 'failed', message: withoutName(error.message, name) };
    return failure(error);
  } finally {
    await source.close().catch(() => undefined);
  }
}

