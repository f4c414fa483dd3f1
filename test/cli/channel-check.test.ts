/**
 * The CLI's check of a stereo input's channels (src/cli/channel-check.ts): each fault of an old transfer
 * (an inverted, dead, delayed or much quieter channel) gets its warning, and sound files get none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { channelWarning, type ChannelReport } from '../../src/cli/channel-check.js';
import { musicLike } from '../support/music-like.js';
import { whiteNoise } from '../support/signals.js';
import { wideMix } from '../support/stereo-mixes.js';
import { channelReportOf, readWav } from './support.js';

const SAMPLE_RATE = 48_000;
const music = musicLike({ sampleRate: SAMPLE_RATE, seconds: 3, seed: 5 });

/** The report over `left` and `right`. */
const check = (left: Float32Array, right: Float32Array, sampleRate = SAMPLE_RATE): ChannelReport => channelReportOf(left, right, sampleRate);

/** `signal` delayed by `seconds` (windowed-sinc interpolation: a fractional delay). */
function delayed(signal: Float32Array, seconds: number): Float32Array {
  const delay = seconds * SAMPLE_RATE;
  const out = new Float32Array(signal.length);
  for (let i = 0; i < signal.length; i++) {
    let sum = 0;
    for (let k = -24; k <= 24; k++) {
      const j = Math.floor(i - delay) + k;
      if (j < 0 || j >= signal.length) continue;
      const t = i - delay - j;
      sum += signal[j] * (t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t)) * (0.5 + 0.5 * Math.cos((Math.PI * t) / 25));
    }
    out[i] = sum;
  }
  return out;
}

const scaled = (signal: Float32Array, gain: number): Float32Array => signal.map((x) => gain * x);
const plus = (a: Float32Array, b: Float32Array): Float32Array => a.map((x, i) => x + b[i]);

test('a polarity-inverted copy: correlation -1, the mono sum cancels; the warning says so and names --channel', () => {
  const report = check(music, scaled(music, -1));
  assert.ok(report.correlation < -0.999, `correlation ${report.correlation}`);
  assert.equal(report.monoPower, 0);
  const onStereoPath = channelWarning(report, 'old.wav', 1);
  assert.match(onStereoPath ?? '', /^old\.wav: the right channel is a polarity-inverted copy of the left \(correlation -1\.00\): their mono sum cancels completely, and the upmix keeps that sum .*; use --channel left$/);
  assert.match(channelWarning(report, 'old.wav', 0) ?? '', /the mono-path output is nearly silent; use --channel left$/);
  // Partly: a quieter inverted copy with hiss, and the left channel the quieter one: (L+R)/2 = 0.15 R, against
  // a mean channel power of (0.49 + 1) / 2: 15 dB down.
  const partly = channelWarning(check(plus(scaled(music, -0.7), whiteNoise(music.length, 3, 1e-3)), music), 'old.wav', 1);
  assert.match(partly ?? '', /the left channel is a polarity-inverted copy of the right \(correlation -1\.00\): their mono sum is 15 dB below the channels.*use --channel right$/);
});

test('a stereo mix with one channel inverted: out of polarity, the advice is to invert it', () => {
  const mix = wideMix(131_072, SAMPLE_RATE, 2);
  const report = check(mix.left, scaled(mix.right, -1));
  assert.ok(report.correlation < -0.3 && report.correlation > -0.9, `correlation ${report.correlation}`);
  assert.match(channelWarning(report, 'mix.wav', 1) ?? '', /^mix\.wav: the channels are out of polarity \(correlation -0\.\d\d; their mono sum is \d+ dB below the channels\): one is probably inverted.*invert one channel before upmixing/);
  // The mix as it was: no warning.
  assert.equal(channelWarning(check(mix.left, mix.right), 'mix.wav', 1), undefined);
});

test('a dead channel (silence or hiss): the stereo path keeps the sound on one side, the mono path halves its level', () => {
  const silent = check(music, new Float32Array(music.length));
  assert.match(channelWarning(silent, 'a.wav', 1) ?? '', /^a\.wav: the right channel is silent: the output keeps the sound on the left only; for a mono transfer use --channel left$/);
  assert.match(channelWarning(silent, 'a.wav', 0) ?? '', /^a\.wav: the right channel is silent: the mono path's downmix is the left at half its level \(-6 dB\); for a mono transfer use --channel left$/);
  const hiss = check(whiteNoise(music.length, 4, 3e-4), music);
  assert.match(channelWarning(hiss, 'a.wav', 1) ?? '', /the left channel is nearly silent \(\d\d dB below the right\): .*use --channel right$/);
});

test('one channel delayed by 0.05 to 0.5 ms (azimuth): the delay is measured within 5 us and named', (t) => {
  for (const seconds of [0.00005, 0.0002, 0.0005]) {
    const report = check(music, delayed(music, seconds));
    t.diagnostic(`right channel delayed by ${(1000 * seconds).toFixed(3)} ms: measured ${(1000 * report.lag).toFixed(4)} ms, correlation there ${report.lagCorrelation.toFixed(4)}, at lag 0 ${report.correlation.toFixed(4)}`);
    assert.ok(Math.abs(report.lag - seconds) < 5e-6, `delay ${seconds} s measured as ${report.lag} s`);
    assert.ok(report.lagCorrelation > 0.99, `correlation at the lag ${report.lagCorrelation}`);
    // The comb's first notch, from the delay as measured.
    const notch = (1 / (2 * report.lag) / 1000).toFixed(1);
    assert.match(channelWarning(report, 'tape.wav', 1) ?? '', new RegExp(`^tape\\.wav: the right channel lags the left by ${(1000 * seconds).toFixed(2)} ms .*first notch at ${notch.replace('.', '\\.')} kHz.*; use --channel left$`));
  }
  // The left channel late: the lag is negative and the warning turns round.
  const report = check(delayed(music, 0.0003), music);
  assert.ok(Math.abs(report.lag + 0.0003) < 5e-6, `lag ${report.lag}`);
  assert.match(channelWarning(report, 'tape.wav', 1) ?? '', /the left channel lags the right by 0\.30 ms/);
});

test('copies at levels 6 to 20 dB apart: warned; a mix leaning 6 dB is not', () => {
  for (const db of [7, 12, 20]) {
    const report = check(music, scaled(music, 10 ** (-db / 20)));
    assert.match(channelWarning(report, 'a.wav', 1) ?? '', new RegExp(`the channels are nearly copies, but the right is ${db.toFixed(0)} dB quieter: .*use --channel left or --input mono$`));
  }
  const mix = wideMix(131_072, SAMPLE_RATE, 3);
  assert.equal(channelWarning(check(mix.left, scaled(mix.right, 0.5)), 'mix.wav', 1), undefined);
  assert.match(channelWarning(check(mix.left, scaled(mix.right, 0.2)), 'mix.wav', 1) ?? '', /the right channel is 14 dB quieter than the left: .*balance the channels first/);
});

test('no warning for dual mono, dual mono with independent dither, silence, and the bundled hard-panned example', async () => {
  assert.equal(channelWarning(check(music, music), 'a.wav', 0), undefined);
  const ditherL = whiteNoise(music.length, 5, 2 ** -15);
  const ditherR = whiteNoise(music.length, 6, 2 ** -15);
  assert.equal(channelWarning(check(plus(music, ditherL), plus(music, ditherR)), 'a.wav', 1), undefined);
  const silence = new Float32Array(10_000);
  assert.equal(channelWarning(check(silence, silence), 'a.wav', 1), undefined);
  const example = await readWav(new URL('../../examples/hard-panned-stereo.wav', import.meta.url).pathname);
  assert.equal(channelWarning(check(example.channels[0], example.channels[1], example.sampleRate), 'example', 1), undefined);
});
