/**
 * A DC offset in the input stays out of the side (L-R)/2 (dc-blocker.ts): otherwise L and R get
 * opposite static offsets, and a click of that size when playback stops. Before the side was made from
 * the input without its DC, the window's spread of DC over the lowest bins put 2.4 % of a mono input's
 * DC into the side in live mode with bass mono at 120 Hz, 30 % with it off, 13 % in quality mode with it
 * off (bench/side-dc.ts). The bound, 1e-3 (-60 dB) of the offset: a 1 % offset (-40 dBFS, a poor
 * transfer) then leaves under -100 dBFS in the side, below a 16-bit LSB. Under music the programme's own
 * side has a mean too over a finite window, so there the share is the change of the side's mean that the
 * offset makes.
 *
 * Stereo input: the same offset on both channels is M's and stays out of the side like a mono input's,
 * whatever the rate, mode, bass mono, spread and width (the grid below: before the stereo path split S
 * and M without their DC, up to 1.2e-2 of it reached the side in live mode at spread 0 with bass mono
 * off, and 2.2e-4 at spread 1 and width 2, where the new width's share read M's power with its DC).
 * A different offset per channel is part of the input's own side: with bass mono on (the default) it is
 * removed, as bass mono centres everything below its cutoff; with bass mono off it is scaled by spread as
 * a panned source's direct part is (stereo-path.ts): spread 1 leaves it as it is (with width 0 the output
 * must be the input, design section 8), spread 0 centres it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LatencyMode } from '../../src/dsp/frame-config.js';
import { ensembleChords } from '../support/music-like.js';
import { renderEngine } from '../support/render.js';
import { whiteNoise } from '../support/signals.js';
import { renderSide, settledMean, sideDcShare } from '../support/side-offset.js';
import { wideMix } from '../support/stereo-mixes.js';

const BOUND = 1e-3;
const SAMPLE_RATE = 48_000;
/** 2.7 s (wideMix takes a power of two). */
const length = 131_072;
const silence = new Float32Array(length);
const music = ensembleChords(SAMPLE_RATE, length / SAMPLE_RATE);
const stereoMusic = wideMix(length, SAMPLE_RATE, 4);

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  for (const bassMonoHz of [120, 0]) {
    const options = { sampleRate: SAMPLE_RATE, mode, controls: { bassMonoHz } };
    const setting = `${mode}, bass mono ${bassMonoHz > 0 ? `${bassMonoHz} Hz` : 'off'}`;

    test(`side DC (${setting}): mono input of DC 0.5 leaves under ${BOUND} of it in the side`, (t) => {
      const share = sideDcShare(options, silence, null, 0.5, 0.5, 0.5);
      t.diagnostic(`share ${share.toExponential(2)}`);
      assert.ok(share < BOUND, `share ${share}`);
    });

    test(`side DC (${setting}): mono music with DC 0.1 leaves under ${BOUND} of it in the side`, (t) => {
      const share = sideDcShare(options, music, null, 0.1, 0.1, 0.1);
      t.diagnostic(`share ${share.toExponential(2)}`);
      assert.ok(share < BOUND, `share ${share}`);
    });

    test(`side DC (${setting}): stereo music with DC 0.1 on both channels leaves under ${BOUND} of it in the side`, (t) => {
      const share = sideDcShare(options, stereoMusic.left, stereoMusic.right, 0.1, 0.1, 0.1);
      t.diagnostic(`share ${share.toExponential(2)}`);
      assert.ok(share < BOUND, `share ${share}`);
    });

    const kept = bassMonoHz === 0;
    test(`side DC (${setting}): stereo music with DC 0.2 on the left only (side DC 0.1) ${kept ? 'keeps it, as the input has it' : `leaves under ${BOUND} of it`}`, (t) => {
      const share = sideDcShare({ ...options, input: 'stereo' }, stereoMusic.left, stereoMusic.right, 0.2, 0, 0.1);
      t.diagnostic(`share ${share.toExponential(2)}`);
      if (kept) assert.ok(Math.abs(share - 1) < BOUND, `share ${share}`);
      else assert.ok(share < BOUND, `share ${share}`);
    });
  }
}

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`side DC (${mode}, bass mono off and on, every framing's rate): mono DC and a stereo DC difference stay out of the side`, (t) => {
    const found: string[] = [];
    for (const sampleRate of [22_050, 44_100, 96_000, 192_000]) {
      const dc = new Float32Array(Math.round(1.5 * sampleRate)).fill(0.5);
      const zero = new Float32Array(dc.length);
      for (const bassMonoHz of [0, 120]) {
        const mono = Math.abs(settledMean(renderSide({ sampleRate, mode, controls: { bassMonoHz } }, dc, null), sampleRate)) / 0.5;
        t.diagnostic(`${sampleRate} Hz, bass mono ${bassMonoHz}: mono DC share ${mono.toExponential(2)}`);
        if (!(mono < BOUND)) found.push(`${sampleRate} Hz, bass mono ${bassMonoHz}: mono DC share ${mono}`);
      }
      const stereo = Math.abs(settledMean(renderSide({ sampleRate, mode, input: 'stereo', controls: { bassMonoHz: 120 } }, dc, zero), sampleRate)) / 0.25;
      t.diagnostic(`${sampleRate} Hz, bass mono 120: stereo DC difference share ${stereo.toExponential(2)}`);
      if (!(stereo < BOUND)) found.push(`${sampleRate} Hz: stereo DC difference share ${stereo}`);
    }
    assert.deepEqual(found, []);
  });
}

/**
 * The stereo path's grid: -120 dB of the offset, a thousand times under the -60 dB bound above, as
 * nothing of M's DC has a way into the stereo path's side (measured: at most about 1e-9).
 */
const GRID_BOUND = 1e-6;
const GRID_BOUND_TEXT = GRID_BOUND.toExponential(0);
const GRID_RATES = [44_100, 48_000, 96_000];
/** wideMix takes a power of two: 2.7-3 s at each rate. */
const gridMix = (sampleRate: number): ReturnType<typeof wideMix> => wideMix(sampleRate > 50_000 ? 262_144 : 131_072, sampleRate, 4);

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`side DC (${mode}, stereo path, 44.1/48/96 kHz x bass mono off/120 Hz x spread 0/0.5/1 x width 0/1/2): the same DC on both channels leaves under ${GRID_BOUND_TEXT} of it in the side`, (t) => {
    const found: string[] = [];
    let largest = 0;
    for (const sampleRate of GRID_RATES) {
      const mix = gridMix(sampleRate);
      for (const bassMonoHz of [0, 120]) {
        for (const spread of [0, 0.5, 1]) {
          for (const width of [0, 1, 2]) {
            const share = sideDcShare({ sampleRate, mode, input: 'stereo', controls: { bassMonoHz, spread, width } }, mix.left, mix.right, 0.1, 0.1, 0.1);
            largest = Math.max(largest, share);
            if (!(share < GRID_BOUND)) found.push(`${sampleRate} Hz, bass mono ${bassMonoHz}, spread ${spread}, width ${width}: ${share.toExponential(2)}`);
          }
        }
      }
    }
    t.diagnostic(`largest share ${largest.toExponential(2)}`);
    assert.deepEqual(found, []);
  });

  test(`side DC (${mode}, stereo path, 44.1/48/96 kHz): a DC on the left only comes out scaled by spread with bass mono off (within ${GRID_BOUND_TEXT}), removed with it on`, (t) => {
    const found: string[] = [];
    for (const sampleRate of GRID_RATES) {
      const mix = gridMix(sampleRate);
      for (const bassMonoHz of [0, 120]) {
        for (const spread of [0, 0.25, 0.5, 1]) {
          const share = sideDcShare({ sampleRate, mode, input: 'stereo', controls: { bassMonoHz, spread } }, mix.left, mix.right, 0.2, 0, 0.1);
          const expected = bassMonoHz > 0 ? 0 : spread;
          t.diagnostic(`${sampleRate} Hz, bass mono ${bassMonoHz}, spread ${spread}: share ${share.toExponential(4)}`);
          if (!(Math.abs(share - expected) < GRID_BOUND)) found.push(`${sampleRate} Hz, bass mono ${bassMonoHz}, spread ${spread}: ${share} for ${expected}`);
        }
      }
    }
    assert.deepEqual(found, []);
  });

  test(`side DC (${mode}, bass mono off, width 0): spread 0 centres a panned source exactly, its DC and 2 Hz part included (L == R within 1e-6)`, () => {
    // The part of S below 5 Hz goes round the STFT (stereo-path.ts): scaled by spread like the direct
    // part, it must leave nothing of a panned source at spread 0 either.
    const sampleRate = 48_000;
    const noise = whiteNoise(2 * sampleRate, 23, 0.3);
    const source = noise.map((x, i) => x + 0.1 * Math.sin((2 * Math.PI * 2 * i) / sampleRate) + 0.05);
    const { left, right } = renderEngine(source, { sampleRate, mode, input: 'stereo', controls: { width: 0, spread: 0, bassMonoHz: 0 } }, source.map((x) => 0.5 * x));
    let largest = 0;
    for (let i = sampleRate; i < left.length; i++) largest = Math.max(largest, Math.abs(left[i] - right[i]));
    assert.ok(largest < 1e-6, `max |L - R| ${largest}`);
    let level = 0;
    for (let i = sampleRate; i < left.length; i++) level = Math.max(level, Math.abs(left[i]));
    assert.ok(level > 0.1, `not silent: ${level}`);
  });
}

/**
 * The mono path's grid: 1e-4 of the offset. What reaches the side there is not the offset itself but
 * the ICC loop's memory (quality mode) of the blocker's first 0.3 s, when the offset's step still rings
 * through it: up to 3.3e-5 with bass mono off at 44.1 kHz and width 2, about 1e-10 without the loop.
 */
const MONO_GRID_BOUND = 1e-4;

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`side DC (${mode}, mono path, 44.1/48/96 kHz x bass mono off/120 Hz x width 0/1/2): mono music with DC 0.1 leaves under ${MONO_GRID_BOUND.toExponential(0)} of it in the side`, (t) => {
    const found: string[] = [];
    let largest = 0;
    for (const sampleRate of GRID_RATES) {
      const chords = ensembleChords(sampleRate, 2.7);
      for (const bassMonoHz of [0, 120]) {
        for (const width of [0, 1, 2]) {
          const share = sideDcShare({ sampleRate, mode, controls: { bassMonoHz, width } }, chords, null, 0.1, 0.1, 0.1);
          largest = Math.max(largest, share);
          if (!(share < MONO_GRID_BOUND)) found.push(`${sampleRate} Hz, bass mono ${bassMonoHz}, width ${width}: ${share.toExponential(2)}`);
        }
      }
    }
    t.diagnostic(`largest share ${largest.toExponential(2)}`);
    assert.deepEqual(found, []);
  });
}
