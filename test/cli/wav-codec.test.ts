import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SAMPLE_ENCODINGS } from '../../src/cli/wav-format.js';
import { whiteNoise } from '../support/signals.js';
import { readWav, temporaryFolder, writeWav } from './support.js';

const folder = temporaryFolder();
const scale = { pcm16: 32768, pcm24: 8388608, float32: 0 };

for (const encoding of SAMPLE_ENCODINGS) {
  for (const channelCount of [1, 2]) {
    test(`WAV ${encoding}, ${channelCount} channel(s): write then read gives the samples back exactly`, async () => {
      // Values on the encoding's grid (PCM) or any float, including full-scale negative.
      const channels = Array.from({ length: channelCount }, (_, c) => {
        const noise = whiteNoise(10_007, 3 + c, 0.99);
        if (scale[encoding]) for (let i = 0; i < noise.length; i++) noise[i] = Math.round(noise[i] * scale[encoding]) / scale[encoding];
        noise[0] = -1;
        return noise;
      });
      const path = join(folder, `${encoding}-${channelCount}.wav`);
      await writeWav(path, channels, 48_000, encoding);
      const back = await readWav(path);
      assert.equal(back.sampleRate, 48_000);
      assert.equal(back.encoding, encoding);
      assert.equal(back.channels.length, channelCount);
      for (let c = 0; c < channelCount; c++) assert.deepEqual(back.channels[c], channels[c]);
    });
  }
}
