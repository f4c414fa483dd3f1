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
 * Stereo input: the same offset on both channels is M's and stays out of the side like a mono input's.
 * A different offset per channel is part of the input's own side: with bass mono on (the default) it is
 * removed, as bass mono centres everything below its cutoff; with bass mono off the mix's side is left
 * as it is (spread 1 and width 0 must give the input back, design section 8), its DC included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LatencyMode } from '../../src/dsp/frame-config.js';
import { ensembleChords } from '../support/music-like.js';
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
