/**
 * The CLI's section-by-section check of a stereo input's channels (src/audio-file/channel-sections.ts): a fault
 * in part of a long transfer (20 s of a 5-minute file, diluted below the whole-file warning) is named with
 * its time range and the fix; sound files get no warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { channelWarnings, type ChannelReport } from '../../src/cli/channel-check.js';
import { musicLike } from '../support/music-like.js';
import { whiteNoise } from '../support/signals.js';
import { wideMix } from '../support/stereo-mixes.js';
import { channelReportOf, readWav, runCli, temporaryFolder, writeWav } from './support.js';

const SAMPLE_RATE = 16_000;
const MINUTES_5 = 300 * SAMPLE_RATE;

/** `length` samples of music-like sound: 20 seconds of it over and over. */
function longMusic(length: number, seed = 5): Float32Array {
  const piece = musicLike({ sampleRate: SAMPLE_RATE, seconds: 20, seed });
  return Float32Array.from({ length }, (_, i) => piece[i % piece.length]);
}

/** The report over `left` and `right`. */
const check = (left: Float32Array, right: Float32Array, sampleRate = SAMPLE_RATE): ChannelReport => channelReportOf(left, right, sampleRate);

/** `signal` with the samples from `from` to `to` seconds replaced by `replace` of them. */
function spliced(signal: Float32Array, from: number, to: number, replace: (x: number, i: number) => number): Float32Array {
  return signal.map((x, i) => (i >= from * SAMPLE_RATE && i < to * SAMPLE_RATE ? replace(x, i) : x));
}

const music = longMusic(MINUTES_5);
const hiss = whiteNoise(MINUTES_5, 9, 3e-4);

test('A mono transfer with 20 s spliced in turned over (0:40-1:00): the whole-file check does not warn, the section check names 0:40-1:00 and --channel', () => {
  const report = check(music, spliced(music, 40, 60, (x) => -x));
  assert.ok(report.correlation > 0.8, `whole-file correlation ${report.correlation.toFixed(2)}: diluted`);
  assert.deepEqual(report.sections?.sections.map(({ fault, start, end }) => [fault, start, end]), [['inverted', 40, 60]]);
  assert.ok(report.sections!.sections[0].correlation < -0.999);
  assert.deepEqual(channelWarnings(report, 'side-a.wav', 1), [
    'side-a.wav: 0:40-1:00: one channel is a polarity-inverted copy of the other there (a section spliced in turned over?): their mono sum cancels, and the upmix keeps that sum there; the rest is a mono transfer: use --channel left',
  ]);
  // Off the seconds grid (0:42.5-1:03.3), and on the mono path: the range to within a second.
  const offGrid = check(music, spliced(music, 42.5, 63.3, (x) => -x));
  const [section] = offGrid.sections!.sections;
  assert.ok(Math.abs(section.start - 42.5) <= 1 && Math.abs(section.end - 63.3) <= 1, `${section.start}-${section.end}`);
  assert.match(channelWarnings(offGrid, 'side-a.wav', 0)[0], /^side-a\.wav: 0:4[23]-1:0[23]: .*the mono-path output is nearly silent there; the rest is a mono transfer: use --channel left$/);
});

test('A dead channel in sections (hiss 50 dB down, 2:03-2:21 and 4:00-4:30): named with both ranges; a dead left channel names --channel right', () => {
  const right = spliced(spliced(music, 123, 141, (_, i) => hiss[i]), 240, 270, (_, i) => hiss[i]);
  const report = check(music.map((x, i) => x + 0.01 * hiss[i]), right);
  assert.deepEqual(
    report.sections?.sections.map(({ fault, start, end }) => [fault, start, end]),
    [
      ['dead-right', 123, 141],
      ['dead-right', 240, 270],
    ],
  );
  const lines = channelWarnings(report, 'tape.wav', 1);
  assert.deepEqual(lines, ['tape.wav: 2:03-2:21 and 4:00-4:30: the right channel is silent there (over 40 dB below the left): the output keeps the sound on the left only there; the rest is a mono transfer: use --channel left']);
  const leftDead = check(spliced(music, 60, 80, () => 0), music);
  assert.match(channelWarnings(leftDead, 'tape.wav', 0)[0], /^tape\.wav: 1:00-1:20: the left channel is silent there .*the mono path's downmix is the right at half its level \(-6 dB\) there; the rest is a mono transfer: use --channel right$/);
});

test('A stereo mix with a dead channel in a section: the fix is to repair it; a fault over the whole file is named once, by the whole-file line', () => {
  const mix = wideMix(2 ** 21, SAMPLE_RATE, 4);
  const report = check(mix.left, spliced(mix.right, 30, 50, () => 0));
  assert.deepEqual(channelWarnings(report, 'mix.wav', 1), [
    'mix.wav: 0:30-0:50: the right channel is silent there (over 40 dB below the left): the output keeps the sound on the left only there; repair those sections (or use --channel left for a mono recording) before upmixing',
  ]);
  const inverted = check(music, music.map((x) => -x));
  const lines = channelWarnings(inverted, 'all.wav', 1);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /^all\.wav: the right channel is a polarity-inverted copy of the left \(correlation -1\.00\)/);
});

test('A stereo mix with 20 s of one channel inverted (1:00-1:20): named by its correlation there, and the fix is to invert it back', () => {
  // A centred voice over a wide mix: correlation about 0.6, so about -0.6 where the right channel is turned over.
  const mix = wideMix(2 ** 22, SAMPLE_RATE, 5);
  const left = mix.left.map((x, i) => x + music[i]);
  const right = mix.right.map((x, i) => x + music[i]);
  const report = check(left, spliced(right, 60, 80, (x) => -x));
  assert.deepEqual(report.sections?.sections.map(({ fault, start, end }) => [fault, start, end]), [['inverted', 60, 80]]);
  const [line] = channelWarnings(report, 'mix.wav', 1);
  assert.match(line, /^mix\.wav: 1:00-1:20: one channel is polarity-inverted there \(correlation down to -0\.\d\d\) \(a section spliced in turned over\?\): their mono sum loses much of its level, and the upmix keeps that sum there; invert one channel in those sections before upmixing$/);
  assert.deepEqual(channelWarnings(check(left, right), 'mix.wav', 1), []);
});

test('Many faulty sections: the first three are named and the rest counted (memory stays bounded)', () => {
  // 10 s turned over in every 30 s: 10 sections.
  const report = check(music, music.map((x, i) => (Math.floor(i / SAMPLE_RATE) % 30 < 10 ? -x : x)));
  assert.equal(report.sections?.sections.length, 10);
  assert.match(channelWarnings(report, 'x.wav', 1)[0], /^x\.wav: 0:00-0:10, 0:30-0:40, 1:00-1:10 and 7 more: one channel is a polarity-inverted copy/);
});

test('No section warning for dual mono (with independent dither), a wide stereo mix, silence with a fade, and the bundled hard-panned example', async () => {
  const ditherL = whiteNoise(MINUTES_5, 5, 2 ** -15);
  const ditherR = whiteNoise(MINUTES_5, 6, 2 ** -15);
  const mix = wideMix(2 ** 22, SAMPLE_RATE, 7);
  const fade = music.map((x, i) => x * Math.max(0, 1 - i / (60 * SAMPLE_RATE)));
  const cases: [string, Float32Array, Float32Array][] = [
    ['dual mono', music, music],
    ['dual mono with dither', music.map((x, i) => x + ditherL[i]), music.map((x, i) => x + ditherR[i])],
    ['wide mix', mix.left, mix.right],
    ['a fade to silence with dither', fade.map((x, i) => x + ditherL[i]), fade.map((x, i) => x + ditherR[i])],
    // 10 s of silence that ends with a second of sound on the right alone (a real game track's loop point):
    // the window over it plays for a second only, and is not judged.
    ['silence, then a one-sided onset', spliced(music, 100, 110, () => 0), spliced(music, 100, 109, () => 0)],
    // Two loud seconds in anti-phase (a wide effect, as in a real game track): the windows over them are
    // anti-phase as a whole, but what is faulty on its own is shorter than a window: not a fault.
    ['2 loud s in anti-phase', spliced(music, 30, 32, (x) => 4 * x), spliced(music, 30, 32, (x) => -4 * x)],
  ];
  const example = await readWav(new URL('../../examples/hard-panned-stereo.wav', import.meta.url).pathname);
  for (const [name, left, right] of cases) assert.deepEqual(channelWarnings(check(left, right), name, 1), [], name);
  assert.deepEqual(channelWarnings(check(example.channels[0], example.channels[1], example.sampleRate), 'example', 1), []);
});

test('Through the CLI: a transfer with a section turned over gets the section warning with its time range', async () => {
  const folder = temporaryFolder();
  const input = join(folder, 'transfer.wav');
  const seconds = 40;
  const left = music.subarray(0, seconds * SAMPLE_RATE);
  await writeWav(input, [left, spliced(left, 20, 30, (x) => -x)], SAMPLE_RATE, 'pcm16');
  const run = runCli([input, join(folder, 'out.wav'), '--no-model']);
  assert.equal(run.status, 0, run.stderr);
  const warnings = run.stderr.split('\n').filter((line) => line.startsWith('upmix: warning:'));
  // 16 kHz is resampled to 48 kHz before the check: the range is in the input's time all the same.
  assert.deepEqual(warnings, [`upmix: warning: ${input}: 0:20-0:30: one channel is a polarity-inverted copy of the other there (a section spliced in turned over?): their mono sum cancels, and the upmix keeps that sum there; the rest is a mono transfer: use --channel left`]);
});
