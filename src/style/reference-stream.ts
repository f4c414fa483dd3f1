/**
 * A reference mix read from a stream of decoded blocks (a file read by src/audio-file's readers, in the
 * CLI or in the style analysis Worker) into a {@link ReferenceAnalysis}, up to its first seconds: the
 * analysis keeps per tile sums, not the mix, so memory does not grow with the file.
 * @packageDocumentation
 */
import { ReferenceAnalysis } from './analyse-reference.js';

/** Planar float audio read a block at a time (an `AudioSource` of src/audio-file). */
export interface PlanarAudioReader {
  readonly sampleRate: number;
  /** Reads up to `maxFrames` frames into `channels`; returns the frames read, 0 at the end. */
  read(channels: Float32Array[], maxFrames: number): Promise<number>;
}

/** Frames read per call. */
const BLOCK_FRAMES = 65_536;

/**
 * The first `maxSeconds` of the stereo `source` analysed (its first two channels), and whether more
 * followed (`cut`: one frame more is read to tell).
 */
export async function analyseReferenceStream(source: PlanarAudioReader, maxSeconds: number): Promise<{ analysis: ReferenceAnalysis; cut: boolean }> {
  const analysis = new ReferenceAnalysis(source.sampleRate);
  const maxFrames = Math.round(maxSeconds * source.sampleRate);
  const block = [new Float32Array(BLOCK_FRAMES), new Float32Array(BLOCK_FRAMES)];
  for (;;) {
    const got = await source.read(block, Math.min(BLOCK_FRAMES, maxFrames - analysis.length));
    analysis.push(block[0].subarray(0, got), block[1].subarray(0, got));
    if (got === 0 || analysis.length === maxFrames) break;
  }
  const cut = analysis.length === maxFrames && (await source.read(block, 1)) > 0;
  return { analysis, cut };
}
