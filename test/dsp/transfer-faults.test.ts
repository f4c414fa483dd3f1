/**
 * Old transfers through the engine: one channel polarity-inverted (the mid M = (L+R)/2 is zero or nearly),
 * a dead channel, and polarity that is put right halfway (M jumps from nothing to the music). The stereo
 * path's direct part a = E[S M*] / E[|M|^2] divides by the mid's power: with M near zero it must not blow
 * up, and the output's (L+R)/2 stays the input's; at neutral settings the file comes back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LatencyMode } from '../../src/dsp/frame-config.js';
import type { InputKind } from '../../src/dsp/input-kind.js';
import { renderEngine } from '../support/render.js';
import { musicLike } from '../support/music-like.js';
import { whiteNoise } from '../support/signals.js';

const SAMPLE_RATE = 48_000;
const music = musicLike({ sampleRate: SAMPLE_RATE, seconds: 3, seed: 9 });
const half = music.length / 2;
const hiss = whiteNoise(music.length, 12, 1e-4);

const faults: Record<string, Float32Array> = {
  'an inverted copy (M = 0)': music.map((x) => -x),
  'an inverted copy with hiss (M is the hiss)': music.map((x, i) => -x + hiss[i]),
  'a dead channel': new Float32Array(music.length),
  'inverted, put right halfway (M jumps from 0)': music.map((x, i) => (i < half ? -x : x)),
  'inverted with hiss, put right halfway': music.map((x, i) => (i < half ? -x + hiss[i] : x)),
};

/** Renders `left`, `right` with zeros after them, so that the output holds all of the input after the latency. */
function render(options: Parameters<typeof renderEngine>[1], left: Float32Array, right: Float32Array): ReturnType<typeof renderEngine> {
  const padded = (signal: Float32Array): Float32Array => {
    const out = new Float32Array(signal.length + 16_384);
    out.set(signal);
    return out;
  };
  return renderEngine(padded(left), options, padded(right));
}

function peak(...signals: Float32Array[]): number {
  let largest = 0;
  for (const signal of signals) for (const x of signal) largest = Math.max(largest, Math.abs(x));
  return largest;
}

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  for (const [name, right] of Object.entries(faults)) {
    test(`${mode}: ${name}: finite, no blow-up (peak under 1.5x the input's), (L+R)/2 kept, every input kind and spread`, (t) => {
      const inputPeak = peak(music, right);
      let largestRatio = 0;
      let largestMonoError = 0;
      for (const input of ['auto', 'mono', 'stereo'] as InputKind[]) {
        for (const spread of [0, 0.5, 1]) {
          const out = render({ sampleRate: SAMPLE_RATE, mode, input, controls: { spread } }, music, right);
          const latency = out.engine.latency;
          let worstMono = 0;
          for (let i = 0; i < music.length; i++) {
            assert.ok(Number.isFinite(out.left[i + latency]) && Number.isFinite(out.right[i + latency]));
            worstMono = Math.max(worstMono, Math.abs(0.5 * (out.left[i + latency] + out.right[i + latency]) - 0.5 * (music[i] + right[i])));
          }
          assert.ok(worstMono < 1e-6, `${input}, spread ${spread}: mono sum off by ${worstMono}`);
          // The width the engine adds can raise a peak a little (the mono path's ~1.2x); a blow-up would be far more.
          const ratio = peak(out.left, out.right) / inputPeak;
          assert.ok(ratio < 1.5, `${input}, spread ${spread}: output peak ${ratio.toFixed(2)}x the input's`);
          largestRatio = Math.max(largestRatio, ratio);
          largestMonoError = Math.max(largestMonoError, worstMono);
        }
      }
      t.diagnostic(`largest output peak ${largestRatio.toFixed(2)}x the input's, largest mono-sum error ${largestMonoError.toExponential(1)}`);
      // Neutral settings on the stereo path: the file comes back, even where M is zero.
      const neutral = render({ sampleRate: SAMPLE_RATE, mode, input: 'stereo', controls: { width: 0, bassMonoHz: 0 } }, music, right);
      let worst = 0;
      for (let i = 0; i < music.length; i++) {
        worst = Math.max(worst, Math.abs(neutral.left[i + neutral.engine.latency] - music[i]), Math.abs(neutral.right[i + neutral.engine.latency] - right[i]));
      }
      assert.ok(worst < 1e-6, `neutral settings changed the input by ${worst}`);
    });
  }
}
