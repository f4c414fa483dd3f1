import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ProgressLine } from '../../src/cli/progress.js';
import { WavWriter } from '../../src/cli/wav-writer.js';
import { pinkNoise } from '../support/signals.js';
import { writeLongStereoWav } from '../support/long-stereo-wav.js';
import { writeSoundFirstAiff } from '../support/sound-first-aiff.js';
import { writeLongFlac } from './long-flac.js';
import { CLI, filesIn, temporaryFolder } from './support.js';
import { CHILD_NODE_FLAGS } from '../support/child-node.js';
import { pollUntil } from '../support/hang-guard.js';

const SAMPLE_RATE = 44_100;
const folder = temporaryFolder();

/** Writes `seconds` of pink noise as mono float32, ten seconds at a time (the test itself streams too). */
async function writeLongWav(path: string, seconds: number): Promise<void> {
  const block = pinkNoise(10 * SAMPLE_RATE, 3, 0.3);
  const writer = await WavWriter.create(path, SAMPLE_RATE, 1, 'float32', seconds * SAMPLE_RATE);
  for (let done = 0; done < seconds; done += 10) await writer.write([block], Math.min(10, seconds - done) * SAMPLE_RATE);
  await writer.close();
}


function peakMemory(inPath: string, outPath: string): number {
  const run = spawnSync(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', new URL('upmix-peak-memory.ts', import.meta.url).pathname, inPath, outPath], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout.trim());
}

const longPath = join(folder, 'five-minutes.wav');

/** Frames read and peak memory of reading a whole file through the CLI's reader (decoding it). */
function decodePeakMemory(inPath: string): { frames: number; peak: number } {
  const run = spawnSync(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', new URL('decode-peak-memory.ts', import.meta.url).pathname, inPath], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const [frames, peak] = run.stdout.trim().split(' ').map(Number);
  return { frames, peak };
}

test('CLI streams FLAC: decoding a 1-hour FLAC file needs about the memory of a 1-minute one (not the 635 MB of its samples)', async () => {
  const hourPath = join(folder, 'one-hour.flac');
  const minutePath = join(folder, 'one-minute.flac');
  const hourFrames = await writeLongFlac(hourPath, 3600);
  const minuteFrames = await writeLongFlac(minutePath, 60);
  const minute = decodePeakMemory(minutePath);
  const hour = decodePeakMemory(hourPath);
  // Every sample is decoded, the last frame (13 bytes of "silence") too.
  assert.equal(hour.frames, hourFrames);
  assert.equal(minute.frames, minuteFrames);
  // The allocator settles some 30-45 MB higher over an hour of churn (JS heap and buffers stay flat);
  // holding the decoded hour would take 635 MB.
  const extra = (hour.peak - minute.peak) / 2 ** 20;
  assert.ok(extra < 80, `peak memory ${(hour.peak / 2 ** 20).toFixed(0)} MB for 1 h vs ${(minute.peak / 2 ** 20).toFixed(0)} MB for 1 min`);
});

/** Writes an AIFF of `seconds` of stereo 16-bit noise at 44.1 kHz with its sound (SSND) before its format (COMM). */
function writeNoiseAiff(path: string, seconds: number): number {
  const block = Buffer.alloc(4 * 10 * SAMPLE_RATE);
  for (let i = 0; i < block.length; i += 2) block.writeInt16BE(((i * 2654435761) >>> 16) - 32768, i);
  return writeSoundFirstAiff(path, seconds * SAMPLE_RATE, block);
}

test('CLI streams an AIFF whose sound comes before its COMM chunk: 10 minutes (106 MB of samples) need no more memory than 10 seconds, within 40 MB', () => {
  const longAiff = join(folder, 'sound-first-10-min.aiff');
  const shortAiff = join(folder, 'sound-first-10-s.aiff');
  const longFrames = writeNoiseAiff(longAiff, 600);
  const shortFrames = writeNoiseAiff(shortAiff, 10);
  const short = decodePeakMemory(shortAiff);
  const long = decodePeakMemory(longAiff);
  assert.equal(long.frames, longFrames);
  assert.equal(short.frames, shortFrames);
  const extra = (long.peak - short.peak) / 2 ** 20;
  assert.ok(extra < 40, `peak memory ${(long.peak / 2 ** 20).toFixed(0)} MB for 10 min vs ${(short.peak / 2 ** 20).toFixed(0)} MB for 10 s`);
});

test('CLI streams: 5 minutes of audio (159 MB in and out) need no more memory than 10 seconds, within 40 MB', async () => {
  const shortPath = join(folder, 'ten-seconds.wav');
  await writeLongWav(shortPath, 10);
  await writeLongWav(longPath, 300);
  const short = peakMemory(shortPath, join(folder, 'ten-seconds.out.wav'));
  const long = peakMemory(longPath, join(folder, 'five-minutes.out.wav'));
  const extra = (long - short) / 2 ** 20;
  assert.ok(extra < 40, `peak memory ${(long / 2 ** 20).toFixed(0)} MB for 5 min vs ${(short / 2 ** 20).toFixed(0)} MB for 10 s`);
});

test('CLI interrupted (SIGINT) leaves no output and no partial file, exit code 130', async () => {
  const before = filesIn(folder);
  const outPath = join(folder, 'interrupted.wav');
  const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', CLI, longPath, outPath, '--quiet']);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Wait until the partial file exists, so the interrupt lands mid-way (and after the CLI's start-up,
  // seconds on a loaded machine: an interrupt before it would not be the CLI's to handle).
  assert.ok(await pollUntil(() => filesIn(folder).length !== before.length, 25), 'the partial file exists');
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /^upmix: error: interrupted: no output was written\n$/);
  assert.equal(existsSync(outPath), false);
  assert.deepEqual(filesIn(folder), before);
});

test('Progress line: drawn on a terminal (percent, position of an estimated total, speed), cleared at the end, silent otherwise', () => {
  const written: string[] = [];
  const terminal = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
  const progress = new ProgressLine(terminal, SAMPLE_RATE);
  progress.update(SAMPLE_RATE * 30, 0.25);
  progress.update(SAMPLE_RATE * 31, 0.26); // within 100 ms: not redrawn
  progress.update(SAMPLE_RATE * 120, 1); // the end is always drawn
  progress.clear();
  assert.equal(written.length, 3);
  assert.match(written[0], /^\rupmix: +25% +0:30 of ~2:00 +\d+x real time/);
  assert.match(written[1], /100% +2:00 of 2:00/);
  assert.equal(written[2], '\r\x1b[K');
  // A pipe of unknown length: the position and speed only.
  const unknown: string[] = [];
  new ProgressLine({ isTTY: true, write: (text: string) => unknown.push(text) } as unknown as NodeJS.WriteStream, SAMPLE_RATE).update(SAMPLE_RATE * 5, undefined);
  assert.match(unknown[0], /^\rupmix: 0:05 +\d+x real time/);

  const pipe: string[] = [];
  const notTerminal = new ProgressLine({ isTTY: false, write: (text: string) => pipe.push(text) } as unknown as NodeJS.WriteStream, SAMPLE_RATE);
  notTerminal.update(1, 0.5);
  notTerminal.clear();
  assert.deepEqual(pipe, []);
});

test('CLI --reference streams: a 10-minute reference (212 MB as float32 channels) needs no more memory than a 10-second one, within 40 MB', async () => {
  const shortPath = join(folder, 'reference-ten-seconds.wav');
  const longReference = join(folder, 'reference-ten-minutes.wav');
  await writeLongStereoWav(shortPath, 10, SAMPLE_RATE);
  await writeLongStereoWav(longReference, 600, SAMPLE_RATE);
  const measure = (path: string): { peak: number; analysed: string } => {
    const run = spawnSync(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', new URL('reference-peak-memory.ts', import.meta.url).pathname, path], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const [peak, analysed] = run.stdout.trim().split(' ');
    return { peak: Number(peak), analysed };
  };
  const short = measure(shortPath);
  const long = measure(longReference);
  assert.equal(long.analysed, 'whole', 'ten minutes are analysed whole');
  const extra = (long.peak - short.peak) / 2 ** 20;
  const figures = `peak memory ${(long.peak / 2 ** 20).toFixed(0)} MB for 10 min vs ${(short.peak / 2 ** 20).toFixed(0)} MB for 10 s`;
  console.log(`--reference: ${figures}`);
  assert.ok(extra < 40, figures);
});

