import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BAND_COUNT } from '../../src/dsp/bands.js';
import { analyseStyle } from '../../src/style/analyse-style.js';
import { DEFAULT_STYLE, StyleError } from '../../src/style/presets.js';
import type { Style } from '../../src/style/style.js';
import { synthesiseGoldenMix, type GoldenMix } from './golden-mix.js';

/** Written by training/style_golden.py: sinusoid lists of seeded synthetic mixes and style.py's style of each. */
interface GoldenCase extends GoldenMix {
  style: Style;
  honestTiles: number[];
  coupledTiles: number[];
}
const golden = JSON.parse(readFileSync(new URL('../fixtures/style/style-golden.json', import.meta.url), 'utf8')) as {
  tolerance: number;
  silentBand: number;
  cases: GoldenCase[];
};

for (const golden_case of golden.cases) {
  test(`analyseStyle = training/style.py within ${golden.tolerance} on a synthetic mix at ${golden_case.sampleRate} Hz`, () => {
    const [left, right] = synthesiseGoldenMix(golden_case);
    const style = analyseStyle(left, right, golden_case.sampleRate);
    let worst = 0;
    for (let b = 0; b < BAND_COUNT; b++) {
      worst = Math.max(worst, Math.abs(style.icc[b] - golden_case.style.icc[b]), Math.abs(style.ildDb[b] - golden_case.style.ildDb[b]));
    }
    assert.ok(worst < golden.tolerance, `max difference ${worst}`);
    // The fixture exercises every path: a silent band and codec-coupled tiles (both fall back or are left
    // out), and bands whose style differs from the default.
    assert.equal(golden_case.honestTiles[golden.silentBand], 0);
    assert.equal(style.icc[golden.silentBand], DEFAULT_STYLE.icc[golden.silentBand]);
    assert.ok(golden_case.coupledTiles.some((n) => n > 0));
    assert.ok(style.icc.some((v, b) => Math.abs(v - DEFAULT_STYLE.icc[b]) > 0.1));
    assert.ok(style.ildDb.some((v) => v > 1));
  });
}

test('analyseStyle refuses a mix that is too short, silent or has channels of different lengths, with a StyleError', () => {
  const short = new Float32Array(22_050).map((_, n) => Math.sin(n / 10));
  assert.throws(() => analyseStyle(short, short, 44_100), (error: Error) => error instanceof StyleError && /too short for a style: 0\.50 s, at least 1\.00 s/.test(error.message));
  const silent = new Float32Array(88_200);
  assert.throws(() => analyseStyle(silent, silent, 44_100), (error: Error) => error instanceof StyleError && /silent/.test(error.message));
  assert.throws(() => analyseStyle(new Float32Array(88_200), new Float32Array(88_000), 44_100), StyleError);
});

test('analyseStyle of identical channels is ICC 1 and |ILD| 0 dB in every band with sound', () => {
  const mono = new Float32Array(88_200);
  let seed = 1;
  for (let n = 0; n < mono.length; n++) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    mono[n] = seed / 2 ** 32 - 0.5;
  }
  const style = analyseStyle(mono, mono, 44_100);
  for (let b = 0; b < BAND_COUNT; b++) {
    assert.ok(Math.abs(style.icc[b] - 1) < 1e-9, `band ${b}: ICC ${style.icc[b]}`);
    assert.ok(style.ildDb[b] < 1e-9, `band ${b}: ILD ${style.ildDb[b]}`);
  }
});
