/** Helpers for the CLI tests: temporary folders, WAV files in and out, running the command. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAudioSource } from '../../src/cli/audio-source.js';
import { ChannelCheck, type ChannelReport } from '../../src/cli/channel-check.js';
import { WavReader } from '../../src/cli/wav-reader.js';
import { WavWriter } from '../../src/cli/wav-writer.js';
import type { SampleEncoding, SampleFormat } from '../../src/cli/wav-format.js';
import { CHILD_NODE_FLAGS } from '../support/child-node.js';
import { HANG_GUARD_MS } from '../support/hang-guard.js';

export const CLI = new URL('../../src/cli.ts', import.meta.url).pathname;

const folders: string[] = [];
process.on('exit', () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A new empty folder under the system's temporary folder, removed when the test process exits. */
export function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'upmix-cli-test-'));
  folders.push(folder);
  return folder;
}

/** Files in `folder` (to check that nothing, not even a partial file, was left behind). */
export function filesIn(folder: string): string[] {
  return readdirSync(folder).sort();
}

export async function writeWav(path: string, channels: Float32Array[], sampleRate: number, encoding: SampleEncoding): Promise<void> {
  const writer = await WavWriter.create(path, sampleRate, channels.length, encoding, channels[0].length);
  await writer.write(channels, channels[0].length);
  await writer.close();
}

export async function readWav(path: string): Promise<{ sampleRate: number; encoding: SampleFormat; channels: Float32Array[] }> {
  const reader = await WavReader.open(path);
  const { sampleRate, channelCount, frameCount, encoding } = reader.format;
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frameCount));
  await reader.read(channels, frameCount);
  await reader.close();
  return { sampleRate, encoding, channels };
}

/**
 * The `sh` blocks of the README section that starts with `heading` (up to the next `## ` heading).
 */
export function readmeShellBlocks(heading: string): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`no "${heading}" section in the README`);
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
}

/**
 * Runs a README shell script in `work` with bash -e, where `npx upmix ...` is this checkout's CLI (from
 * source): a stand-in `npx` in a folder of `folder` goes first on PATH.
 */
export function runReadmeScript(script: string, folder: string, work: string): SpawnSyncReturns<string> {
  const bin = join(folder, 'bin');
  mkdirSync(bin, { recursive: true });
  const tsx = import.meta.resolve('tsx');
  writeFileSync(join(bin, 'npx'), `#!/bin/sh\n[ "$1" = upmix ] || exit 99\nshift\nexec "${process.execPath}" ${CHILD_NODE_FLAGS.join(' ')} --import "${tsx}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'npx'), 0o755);
  return spawnSync('bash', ['-e', '-c', script], { cwd: work, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8', timeout: HANG_GUARD_MS });
}

/** Runs `upmix` with `args`; stdout and stderr as text (status null: ended by the hang guard). */
export function runCli(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', CLI, ...args], { encoding: 'utf8', timeout: HANG_GUARD_MS });
}

/** Runs `upmix` with `args`, feeding `input` to its standard input; stdout as bytes, stderr as text. */
export function runCliBytes(args: string[], input?: Uint8Array): { status: number | null; stdout: Buffer; stderr: string } {
  const run = spawnSync(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', CLI, ...args], { input, maxBuffer: 256 * 2 ** 20, timeout: HANG_GUARD_MS });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr.toString() };
}

/** Every channel of an audio file in any format the CLI reads (through its own reader). */
export async function readAudio(path: string): Promise<{ sampleRate: number; channels: Float32Array[] }> {
  const source = await openAudioSource(path);
  const blocks: Float32Array[][] = [];
  let frames = 0;
  for (;;) {
    const block = Array.from({ length: source.channelCount }, () => new Float32Array(65_536));
    const got = await source.read(block, 65_536);
    if (got === 0) break;
    blocks.push(block.map((channel) => channel.subarray(0, got)));
    frames += got;
  }
  await source.close();
  const channels = Array.from({ length: source.channelCount }, (_, c) => {
    const out = new Float32Array(frames);
    let at = 0;
    for (const block of blocks) {
      out.set(block[c], at);
      at += block[c].length;
    }
    return out;
  });
  return { sampleRate: source.sampleRate, channels };
}

/**
 * How well `decoded` matches `original` after the best shift within ±`maxLag` samples (codecs add a
 * delay): the shift and the signal-to-error ratio in dB over a window after the start.
 */
export function alignedSnr(original: Float32Array, decoded: Float32Array, maxLag: number, start = 4096, length = 8192): { lag: number; snrDb: number } {
  let best = { lag: 0, score: -Infinity };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let score = 0;
    for (let i = start; i < start + length; i++) score += original[i] * (decoded[i + lag] ?? 0);
    if (score > best.score) best = { lag, score };
  }
  let signal = 0;
  let error = 0;
  for (let i = start; i < start + length; i++) {
    signal += original[i] ** 2;
    error += (original[i] - (decoded[i + best.lag] ?? 0)) ** 2;
  }
  return { lag: best.lag, snrDb: 10 * Math.log10(signal / Math.max(error, 1e-30)) };
}

/** The channel check's report over `left` and `right`, added in uneven pieces (as chunks of a stream arrive). */
export function channelReportOf(left: Float32Array, right: Float32Array, sampleRate: number): ChannelReport {
  const channelCheck = new ChannelCheck(sampleRate);
  for (let start = 0, piece = 1000; start < left.length; start += piece, piece = 1000 + ((piece * 7) % 9000)) {
    const end = Math.min(left.length, start + piece);
    channelCheck.add(left.subarray(start, end), right.subarray(start, end), end - start);
  }
  return channelCheck.finish();
}
