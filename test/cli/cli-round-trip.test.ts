import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SAMPLE_ENCODINGS } from '../../src/cli/wav-format.js';
import { clickTrain, pinkNoise } from '../support/signals.js';
import { readWav, runCli, temporaryFolder, writeWav } from './support.js';

const folder = temporaryFolder();
const quantisation = { pcm16: 1 / 32768, pcm24: 1 / 8388608, float32: 0 };

for (const encoding of SAMPLE_ENCODINGS) {
  test(`CLI round trip (${encoding}): --width 0 gives the input back in both channels, same rate, length and encoding`, async () => {
    const sampleRate = 44_100;
    const input = pinkNoise(sampleRate + 77, 5, 0.3);
    if (quantisation[encoding]) for (let i = 0; i < input.length; i++) input[i] = Math.round(input[i] / quantisation[encoding]) * quantisation[encoding];
    const inPath = join(folder, `in-${encoding}.wav`);
    const outPath = join(folder, `out-${encoding}.wav`);
    await writeWav(inPath, [input], sampleRate, encoding);
    const run = runCli([inPath, outPath, '--width', '0', '--no-model', '--quiet']);
    assert.equal(run.status, 0, run.stderr);
    const output = await readWav(outPath);
    assert.equal(output.sampleRate, sampleRate);
    assert.equal(output.encoding, encoding);
    assert.equal(output.channels.length, 2);
    for (const channel of output.channels) {
      assert.equal(channel.length, input.length);
      let worst = 0;
      for (let i = 0; i < input.length; i++) worst = Math.max(worst, Math.abs(channel[i] - input[i]));
      assert.ok(worst <= 1e-6, `max error ${worst}`);
    }
  });
}

for (const mode of ['quality', 'live']) {
  for (const sampleRate of [44_100, 96_000]) {
    test(`CLI latency alignment (${mode}, ${sampleRate} Hz): clicks stay on their samples and (L+R)/2 equals the input`, async () => {
      const input = clickTrain(sampleRate, 4_410, 1_000, 0.5);
      const inPath = join(folder, `clicks-${mode}-${sampleRate}.wav`);
      const outPath = join(folder, `clicks-${mode}-${sampleRate}.out.wav`);
      await writeWav(inPath, [input], sampleRate, 'float32');
      const run = runCli([inPath, outPath, '--mode', mode, '--width', '1.5', '--quiet']);
      assert.equal(run.status, 0, run.stderr);
      const [left, right] = (await readWav(outPath)).channels;
      assert.equal(left.length, input.length);
      let worst = 0;
      for (let i = 0; i < input.length; i++) worst = Math.max(worst, Math.abs((left[i] + right[i]) / 2 - input[i]));
      assert.ok(worst < 1e-6, `mono sum differs from the input by up to ${worst}`);
      // Each channel's biggest sample near a click is the click's own sample (no shift).
      for (const channel of [left, right]) {
        for (let click = 1_000; click < input.length - 200; click += 4_410) {
          let peakAt = click - 200;
          for (let i = click - 200; i < click + 200; i++) if (Math.abs(channel[i]) > Math.abs(channel[peakAt])) peakAt = i;
          assert.equal(peakAt, click);
        }
      }
    });
  }
}

test('CLI: a stereo input keeps its (L+R)/2 exactly', async () => {
  const sampleRate = 48_000;
  const left = pinkNoise(sampleRate, 8, 0.4);
  const right = pinkNoise(sampleRate, 9, 0.4);
  const inPath = join(folder, 'stereo-in.wav');
  const outPath = join(folder, 'stereo-out.wav');
  await writeWav(inPath, [left, right], sampleRate, 'float32');
  const run = runCli([inPath, outPath, '--quiet']);
  assert.equal(run.status, 0, run.stderr);
  const [outLeft, outRight] = (await readWav(outPath)).channels;
  let worst = 0;
  for (let i = 0; i < left.length; i++) worst = Math.max(worst, Math.abs((outLeft[i] + outRight[i]) / 2 - (left[i] + right[i]) / 2));
  assert.ok(worst < 1e-6, `mono sum differs from the input's mid by up to ${worst}`);
});

test('CLI: the default settings make a stereo output (the channels differ), with a summary line', async () => {
  const inPath = join(folder, 'noise.wav');
  const outPath = join(folder, 'noise.out.wav');
  await writeWav(inPath, [pinkNoise(44_100, 4, 0.5)], 44_100, 'pcm16');
  const run = runCli([inPath, outPath]);
  assert.equal(run.status, 0, run.stderr);
  // The engine's 1920 samples and the ceiling limiter's 5 ms look-ahead (220 samples).
  assert.match(run.stderr, /^upmix: wrote .*noise\.out\.wav \(stereo, 44100 Hz, WAV 16-bit PCM, 0:01\) from WAV 16-bit PCM .*latency of 2140 samples compensated; ceiling -1\.0 dBFS (not reached|reduced the gain by up to [\d.]+ dB)\n$/);
  const [left, right] = (await readWav(outPath)).channels;
  let difference = 0;
  for (let i = 0; i < left.length; i++) difference += (left[i] - right[i]) ** 2;
  assert.ok(difference / left.length > 1e-4, `L-R power ${difference / left.length}`);
});
