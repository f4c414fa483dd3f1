/**
 * Real-time factor of the command-line upmixer on a 60 s file, with the learned model and without it
 * (`--no-model`: the fixed profile): the built `dist/cli.js` as a user runs it (whole process: starting
 * Node, loading onnxruntime and the model), and in-process `upmixFile` (model loaded, code warmed up)
 * with the model in its worker thread (as the CLI runs it) and in the main thread, against a
 * read-and-write-only pass over the same file with the same WAV reader and writer (what the file I/O
 * alone costs). Every figure is the fastest of three interleaved runs (on a shared machine other
 * processes only ever add time); in-process ones in wall-clock and in CPU time (all threads).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceThread } from '../src/cli/inference-thread.js';
import { loadModelFile } from '../src/cli/model-file.js';
import { upmixFile } from '../src/cli/upmix-file.js';
import { WavReader } from '../src/cli/wav-reader.js';
import { WavWriter } from '../src/cli/wav-writer.js';
import { naturalEncodingOf } from '../src/cli/wav-format.js';
import type { LatencyMode } from '../src/dsp/frame-config.js';
import { pinkNoise } from '../test/support/signals.js';

export const CLI_BENCH_SECONDS = 60;
const SAMPLE_RATE = 44_100;

const RUNS = 3;

export interface CliSpeedRow {
  mode: LatencyMode;
  /** `node dist/cli.js` (the learned model, as users run it). */
  processSeconds: number;
  /** `node dist/cli.js --no-model`. */
  processFixedSeconds: number;
  /** In-process with the learned model in its worker thread (wall clock; and CPU time of all threads, which other processes do not inflate). */
  modelSeconds: number;
  modelCpuSeconds: number;
  /**
   * The main thread's CPU time alone: with a core to spare for the model thread, the run's critical
   * path, whatever else loads the machine (Linux only; NaN elsewhere).
   */
  modelMainCpuSeconds: number;
  /** In-process with the learned model in the main thread. */
  mainThreadModelSeconds: number;
  /** In-process with the fixed profile (--no-model). */
  fixedSeconds: number;
  fixedCpuSeconds: number;
  fixedMainCpuSeconds: number;
  copySeconds: number;
}

/** Reads the file and writes it as stereo, with nothing in between. */
async function copyOnly(inPath: string, outPath: string): Promise<void> {
  const reader = await WavReader.open(inPath);
  const { frameCount, sampleRate, encoding } = reader.format;
  const writer = await WavWriter.create(outPath, sampleRate, 2, naturalEncodingOf(encoding), frameCount);
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

/** CPU seconds of the calling thread so far (Linux: the first field of /proc/thread-self/schedstat, in ns); NaN elsewhere. */
function threadCpuSeconds(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return NaN;
  }
}

/** Wall-clock and CPU seconds of `run`: of this process (user and system, all threads) and of the main thread alone. */
async function timed(run: () => Promise<unknown>): Promise<{ wall: number; cpu: number; mainCpu: number }> {
  const cpuStart = process.cpuUsage();
  const mainStart = threadCpuSeconds();
  const wall = await seconds(run);
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, mainCpu: threadCpuSeconds() - mainStart };
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
    const thread = InferenceThread.start();
    try {
      // Warm-up of every path (onnxruntime's wasm reaches its optimised tier only after a while).
      for (let run = 0; run < 2; run++) await upmixFile(inPath, outPath, { overwrite: true, modelThread: thread });
      await upmixFile(inPath, outPath, { overwrite: true, model });
      await upmixFile(inPath, outPath, { overwrite: true });
      const rows: CliSpeedRow[] = [];
      for (const mode of ['quality', 'live'] as LatencyMode[]) {
        const cli = ['dist/cli.js', inPath, outPath, '--force', '--quiet', '--mode', mode];
        const best = {
          process: Infinity,
          processFixed: Infinity,
          model: { wall: Infinity, cpu: Infinity, mainCpu: Infinity },
          mainThreadModel: { wall: Infinity, cpu: Infinity, mainCpu: Infinity },
          fixed: { wall: Infinity, cpu: Infinity, mainCpu: Infinity },
          copy: Infinity,
        };
        for (let run = 0; run < RUNS; run++) {
          best.process = Math.min(best.process, await seconds(() => execFileSync(process.execPath, cli)));
          best.processFixed = Math.min(best.processFixed, await seconds(() => execFileSync(process.execPath, [...cli, '--no-model'])));
          const times = {
            model: await timed(() => upmixFile(inPath, outPath, { overwrite: true, mode, modelThread: thread })),
            mainThreadModel: await timed(() => upmixFile(inPath, outPath, { overwrite: true, mode, model })),
            fixed: await timed(() => upmixFile(inPath, outPath, { overwrite: true, mode })),
          };
          for (const key of ['model', 'mainThreadModel', 'fixed'] as const) {
            best[key].wall = Math.min(best[key].wall, times[key].wall);
            best[key].cpu = Math.min(best[key].cpu, times[key].cpu);
            best[key].mainCpu = Math.min(best[key].mainCpu, times[key].mainCpu);
          }
          best.copy = Math.min(best.copy, await seconds(() => copyOnly(inPath, outPath)));
        }
        rows.push({
          mode,
          processSeconds: best.process,
          processFixedSeconds: best.processFixed,
          modelSeconds: best.model.wall,
          modelCpuSeconds: best.model.cpu,
          modelMainCpuSeconds: best.model.mainCpu,
          mainThreadModelSeconds: best.mainThreadModel.wall,
          fixedSeconds: best.fixed.wall,
          fixedCpuSeconds: best.fixed.cpu,
          fixedMainCpuSeconds: best.fixed.mainCpu,
          copySeconds: best.copy,
        });
      }
      return rows;
    } finally {
      await thread.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Prints the CLI's table of `npm run bench` (also alone: `npm run bench:cli`). */
export async function printCliSpeed(): Promise<void> {
  console.log(`Command-line upmixer on a ${CLI_BENCH_SECONDS} s mono 16-bit 44.1 kHz file (seconds, fastest of 3, x real time = audio seconds / wall seconds); target: the model at most 1.6x --no-model:`);
  console.log('mode     node dist/cli.js (model)   --no-model        ratio   upmixFile, model   --no-model        ratio   CPU-time ratio   main-thread CPU ratio   model in main thread   read+write only');
  for (const row of await measureCliSpeed()) {
    const rtf = (s: number): string => `${s.toFixed(2)} s (${(CLI_BENCH_SECONDS / s).toFixed(0)}x)`;
    console.log(
      `${row.mode.padEnd(8)} ${rtf(row.processSeconds).padStart(24)}   ${rtf(row.processFixedSeconds).padStart(15)}   ${(row.processSeconds / row.processFixedSeconds).toFixed(2)}x   ` +
        `${rtf(row.modelSeconds).padStart(16)}   ${rtf(row.fixedSeconds).padStart(15)}   ${(row.modelSeconds / row.fixedSeconds).toFixed(2)}x   ${(row.modelCpuSeconds / row.fixedCpuSeconds).toFixed(2).padStart(13)}x   ${(row.modelMainCpuSeconds / row.fixedMainCpuSeconds).toFixed(2).padStart(20)}x   ` +
        `${`${rtf(row.mainThreadModelSeconds)} ${(row.mainThreadModelSeconds / row.fixedSeconds).toFixed(2)}x`.padStart(20)}   ${rtf(row.copySeconds).padStart(15)}`,
    );
  }
}
