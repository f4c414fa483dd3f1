/**
 * The command line on a folder of mixed formats, as an archivist runs it: `--jobs 1` against `--jobs 2`
 * on the same folder (8 one-minute files: WAV 16/24-bit, FLAC, MP3, Ogg Vorbis, Opus, an 8 kHz WAV and a
 * 16 kHz FLAC, made from a seeded signal), with the model. Prints the CLI's own summary lines.
 * `node --import tsx bench/cli-batch.ts` (after `npm run build`), or as part of `npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMp3, encodeOpus, encodeVorbis, writeEncoded, writeFlac } from '../test/cli/encoders.js';
import { writeWav } from '../test/cli/support.js';
import { pinkNoise } from '../test/support/signals.js';

export const BATCH_FILES = 8;
const SECONDS = 60;

function signal(sampleRate: number, seed: number): Float32Array[] {
  const noise = pinkNoise(SECONDS * sampleRate, seed, 0.3);
  for (let i = 0; i < noise.length; i++) noise[i] += 0.2 * Math.sin((2 * Math.PI * 220 * i) / sampleRate) * (0.5 + 0.5 * Math.sin((2 * Math.PI * i) / sampleRate));
  return [noise];
}

/** Writes the folder of mixed formats; returns its path. */
async function makeFolder(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'upmix-batch-bench-'));
  const tapes = join(folder, 'tapes');
  mkdirSync(tapes);
  await writeWav(join(folder, 'a.wav'), signal(44_100, 1), 44_100, 'pcm16');
  await writeWav(join(folder, 'b.wav'), signal(48_000, 2), 48_000, 'pcm24');
  await writeFlac(join(folder, 'c.flac'), signal(44_100, 3), 44_100);
  await writeEncoded(join(folder, 'd.mp3'), encodeMp3(signal(44_100, 4), 44_100));
  await writeEncoded(join(tapes, 'e.ogg'), encodeVorbis(signal(44_100, 5), 44_100));
  await writeEncoded(join(tapes, 'f.opus'), encodeOpus(signal(48_000, 6), 48_000));
  await writeWav(join(tapes, 'g.wav'), signal(8_000, 7), 8_000, 'pcm16');
  await writeFlac(join(tapes, 'h.flac'), signal(16_000, 8), 16_000);
  return folder;
}

export interface BatchRun {
  readonly jobs: number;
  readonly seconds: number;
  readonly summary: string;
}

/** Upmixes the folder with `--jobs 1` and `--jobs 2`, timing each (wall clock). */
export async function measureBatch(): Promise<BatchRun[]> {
  const folder = await makeFolder();
  const outputs = mkdtempSync(join(tmpdir(), 'upmix-batch-bench-out-'));
  try {
    const runs: BatchRun[] = [];
    for (const jobs of [1, 2]) {
      const out = join(outputs, `jobs-${jobs}`); // outside the input folder, which is read recursively
      const started = performance.now();
      const result = spawnSync(process.execPath, ['dist/cli.js', folder, '--recursive', '--out-dir', out, '--jobs', String(jobs)], { encoding: 'utf8' });
      const seconds = (performance.now() - started) / 1000;
      if (result.status !== 0) throw new Error(`the batch failed (exit ${result.status}): ${result.stderr}`);
      // The summary is the last line on standard error (progress and messages go there).
      runs.push({ jobs, seconds, summary: result.stderr.trim().split(/[\r\n]+/).pop() ?? '' });
    }
    return runs;
  } finally {
    rmSync(folder, { recursive: true, force: true });
    rmSync(outputs, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const run of await measureBatch()) console.log(`--jobs ${run.jobs}: ${run.seconds.toFixed(1)} s wall; ${run.summary}`);
}
