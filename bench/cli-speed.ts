/**
 * Real-time factor of the command-line upmixer on a 60 s file: the built `dist/cli.js` as a user runs it
 * (whole process), and in-process `upmixFile` against a read-and-write-only pass over the same file with
 * the same WAV reader and writer (the baseline: what the file I/O alone costs).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFile } from '../src/cli/model-file.js';
import { upmixFile } from '../src/cli/upmix-file.js';
import { WavReader } from '../src/cli/wav-reader.js';
import { WavWriter } from '../src/cli/wav-writer.js';
import type { LatencyMode } from '../src/dsp/frame-config.js';
import { pinkNoise } from '../test/support/signals.js';

export const CLI_BENCH_SECONDS = 60;
const SAMPLE_RATE = 44_100;

export interface CliSpeedRow {
  mode: LatencyMode;
  /** `node dist/cli.js` (the learned model, as users run it). */
  processSeconds: number;
  /** In-process with the learned model. */
  modelSeconds: number;
  /** In-process with the fixed profile (--no-model). */
  fixedSeconds: number;
  copySeconds: number;
}

/** Reads the file and writes it as stereo, with nothing in between. */
async function copyOnly(inPath: string, outPath: string): Promise<void> {
  const reader = await WavReader.open(inPath);
  const { frameCount, sampleRate, encoding } = reader.format;
  const writer = await WavWriter.create(outPath, sampleRate, 2, encoding, frameCount);
  const block = new Float32Array(8192);
  for (let frames; (frames = await reader.read([block], block.length)) > 0; ) await writer.write([block, block], frames);
  await writer.close();
  await reader.close();
}

async function seconds(run: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

export async function measureCliSpeed(): Promise<CliSpeedRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'upmix-bench-'));
  try {
    const inPath = join(folder, 'in.wav');
    const writer = await WavWriter.create(inPath, SAMPLE_RATE, 1, 'pcm16', CLI_BENCH_SECONDS * SAMPLE_RATE);
    await writer.write([pinkNoise(CLI_BENCH_SECONDS * SAMPLE_RATE, 11, 0.3)], CLI_BENCH_SECONDS * SAMPLE_RATE);
    await writer.close();
    const outPath = join(folder, 'out.wav');
    const { model } = await loadModelFile();
    await upmixFile(inPath, outPath, { overwrite: true }); // warm-up
    const rows: CliSpeedRow[] = [];
    for (const mode of ['quality', 'live'] as LatencyMode[]) {
      const processSeconds = await seconds(() => execFileSync(process.execPath, ['dist/cli.js', inPath, outPath, '--force', '--quiet', '--mode', mode]));
      const modelSeconds = await seconds(() => upmixFile(inPath, outPath, { overwrite: true, mode, model }));
      const fixedSeconds = await seconds(() => upmixFile(inPath, outPath, { overwrite: true, mode }));
      const copySeconds = await seconds(() => copyOnly(inPath, outPath));
      rows.push({ mode, processSeconds, modelSeconds, fixedSeconds, copySeconds });
    }
    return rows;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
