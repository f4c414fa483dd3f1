/**
 * A reference file (a Blob, as a dropped File) analysed by the real style analysis Worker module (on a
 * Node worker thread): read a slice at a time and decoded in the Worker with the shared readers, its style
 * is the CLI's `--reference` style of the same file, exactly, for every format both read (WAV, AIFF,
 * FLAC, MP3, Ogg Vorbis, Ogg Opus); a format they lack is answered `unsupported` (the page falls back to
 * decodeAudioData); a mono, truncated or long file gets the CLI's answers; an abort ends the Worker.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { referenceStyle } from '../../src/cli/reference-style.js';
import { StyleError } from '../../src/style/presets.js';
import { ReferenceAnalyser } from '../../src/style/reference-analyser.js';
import { encodeMp3, encodeOpus, encodeVorbis, writeEncoded, writeFlac } from '../cli/encoders.js';
import { temporaryFolder, writeWav } from '../cli/support.js';
import { whiteNoise } from '../support/signals.js';
import { installWorkerInThread, WorkerInThread } from '../support/worker-in-thread.js';

const WORKER_URL = new URL('../../src/style/style-analysis.worker.ts', import.meta.url).href;
const folder = temporaryFolder();

function stereoNoise(frames: number, seed: number): Float32Array[] {
  const left = whiteNoise(frames, seed, 0.3);
  const other = whiteNoise(frames, seed + 1, 0.3);
  return [left, left.map((x, i) => 0.6 * x + 0.8 * other[i])];
}

/** Counts the Workers started and ended. */
class CountedWorker extends WorkerInThread {
  static started = 0;
  static ended = 0;
  constructor(url: string | URL) {
    super(url);
    CountedWorker.started++;
  }
  override terminate(): void {
    CountedWorker.ended++;
    super.terminate();
  }
}

let restore: () => void;
before(() => {
  restore = installWorkerInThread();
  (globalThis as unknown as { Worker: unknown }).Worker = CountedWorker;
});
after(() => restore());

/** The file at `path` as a Blob in memory (Node cannot send a file-backed Blob to a worker thread; a browser sends a File as it is). */
const blobOf = async (path: string): Promise<Blob> => new Blob([await readFile(path)]);

test('every format the shared readers take: the Worker\'s style of the file is the CLI --reference style of it, exactly, at the file\'s own rate', async () => {
  const channels44 = stereoNoise(3 * 44_100, 3);
  const channels48 = stereoNoise(3 * 48_000, 4);
  const files: [string, () => Promise<void>][] = [
    ['ref-16.wav', () => writeWav(join(folder, 'ref-16.wav'), channels44, 44_100, 'pcm16')],
    ['ref-float.wav', () => writeWav(join(folder, 'ref-float.wav'), channels48, 48_000, 'float32')],
    ['ref.flac', () => writeFlac(join(folder, 'ref.flac'), channels44, 44_100, 'pcm24')],
    ['ref.mp3', () => writeEncoded(join(folder, 'ref.mp3'), encodeMp3(channels44, 44_100))],
    ['ref.ogg', () => writeEncoded(join(folder, 'ref.ogg'), encodeVorbis(channels44, 44_100))],
    ['ref.opus', () => writeEncoded(join(folder, 'ref.opus'), encodeOpus(channels48, 48_000))],
  ];
  const analyser = new ReferenceAnalyser(WORKER_URL);
  for (const [name, write] of files) {
    await write();
    const path = join(folder, name);
    const answer = await analyser.analyseFile(await blobOf(path), name);
    assert.equal(answer.type, 'style', `${name}: ${JSON.stringify(answer)}`);
    assert.ok(answer.type === 'style');
    assert.equal(answer.analysedSeconds, undefined, `${name} is analysed whole`);
    assert.deepEqual(answer.style, (await referenceStyle(path)).style, name);
  }
});

test('a format the readers lack is "unsupported" (not recognised); a WAV with more than two channels is "unsupported" with the reader\'s reason; nothing is analysed', async () => {
  const analyser = new ReferenceAnalyser(WORKER_URL);
  const text = await analyser.analyseFile(new Blob(['these are my notes, not a song']), 'notes.txt');
  assert.deepEqual(text, { type: 'unsupported', reason: 'not an audio format the upmixer reads (WAV, AIFF, FLAC, MP3, Ogg Vorbis, Ogg Opus); convert it first', known: false });
  const path = join(folder, 'six.wav');
  await writeWav(path, [...stereoNoise(4800, 1), ...stereoNoise(4800, 2), ...stereoNoise(4800, 3)], 48_000, 'pcm16');
  const six = await analyser.analyseFile(await blobOf(path), 'six.wav');
  assert.equal(six.type, 'unsupported');
  assert.ok(six.type === 'unsupported' && six.known && /6 channels/.test(six.reason), JSON.stringify(six));
});

test('mono, truncated and silent files reject with a StyleError that says why; a long file is analysed to MAX seconds and says how many', async () => {
  const analyser = new ReferenceAnalyser(WORKER_URL, 2);
  const mono = join(folder, 'mono.wav');
  await writeWav(mono, [whiteNoise(48_000, 1, 0.3)], 48_000, 'pcm16');
  await assert.rejects(analyser.analyseFile(await blobOf(mono), 'mono.wav'), (error: Error) => error instanceof StyleError && error.message === 'the reference has one channel: a style comes from a stereo mix');
  // A FLAC cut short: its header declares more samples than follow.
  const whole = join(folder, 'whole.flac');
  await writeFlac(whole, stereoNoise(3 * 44_100, 7), 44_100);
  const bytes = new Uint8Array(await (await blobOf(whole)).arrayBuffer());
  const cutPath = join(folder, 'cut.flac');
  await writeFile(cutPath, bytes.subarray(0, Math.floor(bytes.byteLength / 2)));
  await assert.rejects(analyser.analyseFile(await blobOf(cutPath), 'cut.flac'), (error: Error) => error instanceof StyleError && /^truncated: its header declares 132300 samples/.test(error.message));
  const silent = join(folder, 'silent.wav');
  await writeWav(silent, [new Float32Array(48_000), new Float32Array(48_000)], 48_000, 'pcm16');
  await assert.rejects(analyser.analyseFile(await blobOf(silent), 'silent.wav'), (error: Error) => error instanceof StyleError && /both channels of the reference are the same|silent/.test(error.message));
  // Three seconds against a two-second limit: the first two, as the CLI does.
  const long = await analyser.analyseFile(await blobOf(whole), 'whole.flac');
  assert.ok(long.type === 'style');
  assert.equal(long.analysedSeconds, 2);
  const cli = await referenceStyle(whole, 2);
  assert.equal(cli.analysedSeconds, 2);
  assert.deepEqual(long.style, cli.style);
});

test('an abort while a file is read ends its Worker at once and rejects with the reason', async () => {
  const path = join(folder, 'abort.wav');
  await writeWav(path, stereoNoise(20 * 48_000, 9), 48_000, 'pcm16');
  const analyser = new ReferenceAnalyser(WORKER_URL);
  const aborter = new AbortController();
  const [started, ended] = [CountedWorker.started, CountedWorker.ended];
  const analysis = analyser.analyseFile(await blobOf(path), 'abort.wav', aborter.signal);
  assert.equal(CountedWorker.started, started + 1);
  const reason = new DOMException('overtaken', 'AbortError');
  aborter.abort(reason);
  await assert.rejects(analysis, (error) => error === reason);
  assert.equal(CountedWorker.ended, ended + 1);
});
