/** Helpers for the CLI tests: temporary folders, WAV files in and out, running the command. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WavReader } from '../../src/cli/wav-reader.js';
import { WavWriter } from '../../src/cli/wav-writer.js';
import type { SampleEncoding } from '../../src/cli/wav-format.js';

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

export async function readWav(path: string): Promise<{ sampleRate: number; encoding: SampleEncoding; channels: Float32Array[] }> {
  const reader = await WavReader.open(path);
  const { sampleRate, channelCount, frameCount, encoding } = reader.format;
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frameCount));
  await reader.read(channels, frameCount);
  await reader.close();
  return { sampleRate, encoding, channels };
}

/** Runs `upmix` with `args`; stdout and stderr as text. */
export function runCli(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8' });
}
