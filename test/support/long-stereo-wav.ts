/**
 * A long stereo WAV written ten seconds at a time (the writer streams too): partly correlated pink noise
 * as 16-bit PCM, for the tests and benches that measure the memory of reading a long reference.
 */
import { WavWriter } from '../../src/cli/wav-writer.js';
import { pinkNoise } from './signals.js';

/** Writes `seconds` (whole tens) of stereo pink noise at `sampleRate` to `path`. */
export async function writeLongStereoWav(path: string, seconds: number, sampleRate: number): Promise<void> {
  const left = pinkNoise(10 * sampleRate, 5, 0.3);
  const other = pinkNoise(10 * sampleRate, 6, 0.3);
  const right = left.map((x, i) => 0.6 * x + 0.8 * other[i]);
  const writer = await WavWriter.create(path, sampleRate, 2, 'pcm16', seconds * sampleRate);
  for (let done = 0; done < seconds; done += 10) await writer.write([left, right], Math.min(10, seconds - done) * sampleRate);
  await writer.close();
}
