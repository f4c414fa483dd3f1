/**
 * Node side of `executeServerCommand('reference-file', …)` (web-test-runner.config.mjs): writes a stereo
 * noise reference in a format the CLI reads (made by the encoders of the CLI tests) under
 * test-artifacts/reference-files/, where the test server serves it, and returns its URL and the CLI's
 * `--reference` style of it (what a page's dropped copy must give).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { referenceStyle } from '../../../src/cli/reference-style.js';
import type { Style } from '../../../src/style/style.js';
import { encodeMp3, encodeVorbis, writeEncoded, writeFlac } from '../../cli/encoders.js';
import { writeWav } from '../../cli/support.js';
import { whiteNoise } from '../../support/signals.js';
import { bigEndianPcm16, writeSoundFirstAiff } from '../../support/sound-first-aiff.js';

/** What the page asks for. */
export interface ReferenceFileRequest {
  /** `aiff`: 44.1 kHz 16-bit, its sound before its format, in a 65 MB sound chunk (a sparse file). */
  readonly format: 'wav' | 'flac' | 'mp3' | 'ogg' | 'aiff';
  readonly seconds: number;
  readonly sampleRate: number;
  readonly seed: number;
}

const FOLDER = 'test-artifacts/reference-files';

export async function referenceFile(request: ReferenceFileRequest): Promise<{ url: string; style: Style }> {
  const { format, seconds, sampleRate, seed } = request;
  const left = whiteNoise(Math.round(seconds * sampleRate), seed, 0.3);
  const other = whiteNoise(left.length, seed + 1, 0.3);
  const channels = [left, left.map((x, i) => 0.6 * x + 0.8 * other[i])];
  mkdirSync(FOLDER, { recursive: true });
  const name = `reference-${seed}-${sampleRate}.${format}`;
  const path = join(FOLDER, name);
  if (format === 'aiff') {
    if (sampleRate !== 44_100) throw new Error('the AIFF reference is written at 44.1 kHz only');
    writeSoundFirstAiff(path, left.length, bigEndianPcm16(channels[0], channels[1]), { soundBytes: 65 * 2 ** 20 });
  } else if (format === 'wav') await writeWav(path, channels, sampleRate, 'pcm16');
  else if (format === 'flac') await writeFlac(path, channels, sampleRate, 'pcm16');
  else if (format === 'mp3') await writeEncoded(path, encodeMp3(channels, sampleRate));
  else await writeEncoded(path, encodeVorbis(channels, sampleRate));
  return { url: `/${FOLDER}/${name}`, style: (await referenceStyle(path)).style };
}
