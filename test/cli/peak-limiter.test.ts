import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dbToGain, PeakLimiter } from '../../src/dsp/peak-limiter.js';
import { pinkNoise, whiteNoise } from '../support/signals.js';
import { readWav, runCli, temporaryFolder, writeWav } from './support.js';

const RATE = 48_000;

/** Loud stereo material: noise bursts up to +6 dBFS, a full-scale click, silence, a quiet passage. */
function loudStereo(length: number): [Float32Array, Float32Array] {
  const left = pinkNoise(length, 4, 1.5);
  const right = whiteNoise(length, 5, 0.8);
  for (let i = 0; i < length; i++) {
    const envelope = i % 9000 < 4500 ? 1 : 0.1;
    left[i] *= envelope;
    right[i] *= envelope;
  }
  left[12_345] = 2;
  right[20_000] = -1.9;
  return [left, right];
}

test('PeakLimiter: no output sample above the ceiling; one gain for both channels: out = g * input delayed, L and R alike', () => {
  for (const ceilingDb of [-1, -6]) {
    const limiter = new PeakLimiter({ sampleRate: RATE, ceilingDb });
    const ceiling = dbToGain(ceilingDb);
    const [left, right] = loudStereo(RATE);
    const inLeft = left.slice();
    const inRight = right.slice();
    const gains = new Float32Array(RATE);
    // Odd block sizes: the state carries across blocks.
    for (let at = 0, block = 1; at < RATE; at += block, block = (block * 7) % 1000 + 1) {
      const n = Math.min(block, RATE - at);
      limiter.process(left.subarray(at, at + n), right.subarray(at, at + n), n, gains.subarray(at, at + n));
    }
    const lag = limiter.latency;
    assert.equal(lag, Math.round(0.005 * RATE) - 1);
    let peak = 0;
    let worstLink = 0;
    for (let i = 0; i < RATE; i++) {
      peak = Math.max(peak, Math.abs(left[i]), Math.abs(right[i]));
      const dryLeft = i >= lag ? inLeft[i - lag] : 0;
      const dryRight = i >= lag ? inRight[i - lag] : 0;
      worstLink = Math.max(worstLink, Math.abs(left[i] - gains[i] * dryLeft), Math.abs(right[i] - gains[i] * dryRight));
      assert.ok(gains[i] > 0 && gains[i] <= 1);
    }
    assert.ok(peak <= ceiling * (1 + 1e-6), `peak ${peak} over the ceiling ${ceiling}`);
    assert.ok(peak > 0.9 * ceiling, 'the limiter does not squash far below the ceiling');
    assert.ok(worstLink < 1e-6, `L and R not scaled by one gain: ${worstLink}`);
    assert.ok(limiter.maxGainReductionDb > 6, `${limiter.maxGainReductionDb} dB`);
  }
});

test('PeakLimiter: quiet input passes unchanged (delayed by its look-ahead); it recovers after a peak', () => {
  const limiter = new PeakLimiter({ sampleRate: RATE, ceilingDb: -1 });
  const quiet = whiteNoise(RATE, 9, 0.5);
  const signal = quiet.slice();
  limiter.process(signal, null);
  for (let i = limiter.latency; i < RATE; i++) assert.equal(signal[i], quiet[i - limiter.latency]);
  assert.equal(limiter.maxGainReductionDb, 0);
  // A lone peak, then quiet: the gain is back near 1 within half a second.
  const burst = whiteNoise(RATE, 10, 0.5);
  burst[100] = 4;
  const gains = new Float32Array(RATE);
  limiter.reset();
  limiter.process(burst, null, RATE, gains);
  assert.ok(Math.min(...gains.subarray(0, 400)) < 0.25);
  assert.ok(gains[RATE / 2] > 0.99, `gain ${gains[RATE / 2]} half a second later`);
});

test('CLI --ceiling: the upmix of a full-scale input stays under the ceiling, (L+R)/2 = g * input (one g per sample), the summary says how much', async () => {
  const folder = temporaryFolder();
  const input = pinkNoise(RATE, 12, 1);
  let inputPeak = 0;
  for (const v of input) inputPeak = Math.max(inputPeak, Math.abs(v));
  for (let i = 0; i < input.length; i++) input[i] /= inputPeak;
  const inPath = join(folder, 'full-scale.wav');
  await writeWav(inPath, [input], RATE, 'float32');
  const free = join(folder, 'free.wav');
  const limited = join(folder, 'limited.wav');
  assert.equal(runCli([inPath, free, '--no-model', '--width', '2', '--ceiling', 'off', '-q']).status, 0);
  const run = runCli([inPath, limited, '--no-model', '--width', '2', '--ceiling', '-1', '--format', 'float32']);
  assert.equal(run.status, 0, run.stderr);
  const reduction = Number(/ceiling -1\.0 dBFS reduced the gain by up to ([\d.]+) dB/.exec(run.stderr)?.[1]);
  assert.ok(reduction > 1, run.stderr);
  const [freeLeft, freeRight] = (await readWav(free)).channels;
  const [left, right] = (await readWav(limited)).channels;
  let freePeak = 0;
  let peak = 0;
  let worst = 0;
  for (let i = 0; i < input.length; i++) {
    freePeak = Math.max(freePeak, Math.abs(freeLeft[i]), Math.abs(freeRight[i]));
    peak = Math.max(peak, Math.abs(left[i]), Math.abs(right[i]));
    // One gain for the sample: the same ratio in L, R and the mono sum.
    const peakChannel = Math.abs(freeLeft[i]) > Math.abs(freeRight[i]) ? 0 : 1;
    const g = peakChannel === 0 ? left[i] / freeLeft[i] : right[i] / freeRight[i];
    if (!Number.isFinite(g)) continue;
    worst = Math.max(worst, Math.abs((left[i] + right[i]) / 2 - g * input[i]), Math.abs(left[i] - g * freeLeft[i]), Math.abs(right[i] - g * freeRight[i]));
  }
  assert.ok(freePeak > 1.2, `without a ceiling the upmix peaks at ${freePeak}`);
  assert.ok(peak <= dbToGain(-1) * (1 + 1e-6), `peak ${peak}`);
  assert.ok(worst < 1e-5, `(L+R)/2 differs from g * input by ${worst}`);
  // 16-bit output: limited by default, nothing clipped.
  const pcm = runCli([inPath, join(folder, 'pcm.wav'), '--no-model', '--width', '2', '--format', 'pcm16']);
  assert.equal(pcm.status, 0, pcm.stderr);
  assert.doesNotMatch(pcm.stderr, /clipped/);
  assert.match(pcm.stderr, /ceiling -1\.0 dBFS reduced the gain/);
});
