import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedCueSource } from '../../src/dsp/cue-source.js';
import { frameConfigFor, type LatencyMode } from '../../src/dsp/frame-config.js';
import { sideGains } from '../../src/dsp/side-gains.js';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { renderEngine } from '../support/render.js';
import { whiteNoise } from '../support/signals.js';

const modes: LatencyMode[] = ['live', 'quality'];

test('latency: live adds at most 256 samples at 48 kHz and quality at most 50 ms, at every supported rate', () => {
  for (const rate of [22_050, 32_000, 44_100, 48_000, 88_200, 96_000, 176_400, 192_000]) {
    assert.ok(frameConfigFor(rate, 'live').latency <= (256 * rate) / 48_000, `live at ${rate}`);
    assert.ok(frameConfigFor(rate, 'quality').latency <= 0.05 * rate, `quality at ${rate}`);
  }
  assert.equal(frameConfigFor(48_000, 'live').latency, 128);
  assert.equal(frameConfigFor(48_000, 'quality').latency, 1920);
});

test('unsupported sample rates and modes are refused with a message that says what to use', () => {
  assert.throws(() => new UpmixEngine({ sampleRate: 8000 }), /8000 Hz is not supported: use a rate from 22050 to 192000 Hz/);
  assert.throws(() => new UpmixEngine({ sampleRate: 48_000, mode: 'fast' as LatencyMode }), /"fast" is not known/);
});

for (const mode of modes) {
  for (const sampleRate of [44_100, 48_000]) {
    test(`round trip (${mode}, ${sampleRate} Hz): width 0 gives the input delayed by the reported latency (1e-5)`, () => {
      const input = whiteNoise(sampleRate, 11);
      const { left, right, engine } = renderEngine(input, { sampleRate, mode, controls: { width: 0 } });
      const latency = engine.latency;
      let worst = 0;
      for (let i = 0; i < input.length; i++) {
        const expected = i >= latency ? input[i - latency] : 0;
        worst = Math.max(worst, Math.abs(left[i] - expected), Math.abs(right[i] - expected));
      }
      assert.ok(worst < 1e-5, `worst error ${worst}`);
    });

    test(`side path alignment (${mode}, ${sampleRate} Hz): pure level cues give L = (1 + p) x and R = (1 - p) x, delayed by the latency`, () => {
      // ICC 1 makes the side p*M only; tones sit at the centres of bands whose neighbours lean the same
      // way, so each tone sees exactly its band's gain. This checks the STFT path sample by sample.
      const ildDb = 6;
      const engine = new UpmixEngine({ sampleRate, mode, cueSource: FixedCueSource.uniform(1, ildDb), controls: { bassMonoHz: 0 } });
      const directions = engine.panDirections;
      const { centres, edges } = engine.layout;
      const binHz = sampleRate / engine.config.frameSize;
      const candidates = [];
      for (let b = 1; b < centres.length - 1; b++) {
        // Wide enough that the tone's window leakage (a couple of bins) stays in bands that lean alike.
        const wide = edges[b + 1] - edges[b] >= 6 * binHz;
        if (wide && directions[b - 1] === directions[b] && directions[b + 1] === directions[b]) candidates.push(b);
      }
      // Up to four tones: more equal tones beat into peaks that the onset detector rightly ducks.
      const bands = candidates.filter((_, i) => i % Math.ceil(candidates.length / 4) === 0);
      assert.ok(bands.length >= 2, 'the layout has bands to test');
      const p = sideGains(ildDb, 1, 1).p;
      const length = sampleRate / 2;
      const input = new Float32Array(length);
      const expectedLeft = new Float64Array(length);
      for (const b of bands) {
        for (let i = 0; i < length; i++) {
          const tone = (0.1 * Math.sin((2 * Math.PI * centres[b] * i) / sampleRate));
          input[i] += tone;
          expectedLeft[i] += (1 + p * directions[b]) * tone;
        }
      }
      const { left } = renderEngine(input, engine);
      const latency = engine.latency;
      let worst = 0;
      // Skip the start: the tones' onset ducks the side for a moment (hold and 30 ms release).
      for (let i = latency + Math.round(0.1 * sampleRate); i < length; i++) worst = Math.max(worst, Math.abs(left[i] - expectedLeft[i - latency]));
      assert.ok(worst < 1e-3, `worst error ${worst} (p = ${p})`);
    });
  }
}
