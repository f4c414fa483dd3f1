/**
 * Peak memory of the CLI's `--reference FILE` analysis (referenceStyle): writes a 16-bit stereo WAV of
 * the synthetic reference (bench/synthetic-reference.ts; 10 minutes at 192 kHz by default) into the
 * system's temporary folder, then measures it and prints the resident memory before, the peak after and
 * the difference. The file is removed afterwards.
 *
 * Run: `node --import tsx bench/cli-reference-memory.ts [seconds] [sampleRate]`
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceStyle } from '../src/cli/reference-style.js';
import { WavWriter } from '../src/cli/wav-writer.js';
import { peakResidentBytes } from '../test/support/peak-memory.js';
import { referenceSample } from './synthetic-reference.js';

const seconds = Number(process.argv[2] ?? 600);
const sampleRate = Number(process.argv[3] ?? 192_000);
const frames = Math.round(seconds * sampleRate);
const folder = await mkdtemp(join(tmpdir(), 'reference-memory-'));
const path = join(folder, 'reference.wav');
try {
  const writer = await WavWriter.create(path, sampleRate, 2, 'pcm16', frames);
  const block = [new Float32Array(65_536), new Float32Array(65_536)];
  for (let at = 0; at < frames; at += block[0].length) {
    const count = Math.min(block[0].length, frames - at);
    for (let i = 0; i < count; i++) {
      block[0][i] = referenceSample(at + i, 0);
      block[1][i] = referenceSample(at + i, 1);
    }
    await writer.write(block, count);
  }
  await writer.close();
  const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const { style } = await referenceStyle(path);
  const peak = peakResidentBytes();
  console.log(`CLI --reference: ${seconds} s at ${sampleRate} Hz, 16-bit stereo WAV (${mib(4 * frames)} on disk, ${mib(8 * frames)} as float32 channels)`);
  console.log(`resident before: ${mib(before)}; peak resident during the analysis: ${mib(peak)}; growth: ${mib(peak - before)}`);
  console.log(`analysis took ${((performance.now() - started) / 1000).toFixed(1)} s; ICC of bands 8..11: ${style.icc.slice(8, 12).map((v) => v.toFixed(4)).join(' ')}`);
} finally {
  await rm(folder, { recursive: true, force: true });
}
