/**
 * A style measured in pieces is the style of the whole, exactly: StyleAnalysis and ReferenceAnalysis
 * (what the style Worker and the CLI's `--reference` use) fed chunks of lengths that divide neither the
 * frame nor the hop give bit for bit analyseStyle's and analyseReference's numbers, on the golden
 * fixture's mixes and on a long random one, errors included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyseReference, ReferenceAnalysis } from '../../src/style/analyse-reference.js';
import { analyseStyle, StyleAnalysis, styleFrameSize } from '../../src/style/analyse-style.js';
import { StyleError } from '../../src/style/presets.js';
import type { Style } from '../../src/style/style.js';
import { synthesiseGoldenMix, type GoldenMix } from './golden-mix.js';

const golden = JSON.parse(readFileSync(new URL('../fixtures/style/style-golden.json', import.meta.url), 'utf8')) as { cases: GoldenMix[] };

/** A deterministic generator of chunk lengths in 1..max. */
function randomLengths(max: number, seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return 1 + (state % max);
  };
}

/** Feeds `left`, `right` to `analysis` in chunks whose lengths `next` gives, then finishes it. */
function inChunks(analysis: StyleAnalysis | ReferenceAnalysis, left: Float32Array, right: Float32Array, next: () => number): Style {
  for (let at = 0; at < left.length; ) {
    const end = Math.min(left.length, at + next());
    analysis.push(left.subarray(at, end), right.subarray(at, end));
    at = end;
  }
  assert.equal(analysis.length, left.length);
  return analysis.finish();
}

/** Chunkings: one sample, primes and odd sizes around a frame, and random lengths. */
const CHUNKINGS: [string, () => () => number][] = [
  ['997', () => () => 997],
  ['4,097', () => () => 4_097],
  ['65,537', () => () => 65_537],
  ['random 1..9,000', () => randomLengths(9_000, 3)],
];

test('the frame and hop are powers of two, so none of the chunk lengths here divides them', () => {
  for (const rate of [22_050, 44_100, 48_000, 192_000]) {
    const size = styleFrameSize(rate);
    assert.equal(size & (size - 1), 0, `${rate} Hz`);
    for (const length of [997, 4_097, 65_537]) assert.notEqual(length % (size / 4), 0);
  }
});

for (const golden_case of golden.cases) {
  test(`StyleAnalysis in chunks = analyseStyle, exactly, on the golden mix at ${golden_case.sampleRate} Hz`, () => {
    const [left, right] = synthesiseGoldenMix(golden_case);
    const whole = analyseStyle(left, right, golden_case.sampleRate);
    for (const [name, chunking] of [['1', () => () => 1] as [string, () => () => number], ...CHUNKINGS]) {
      assert.deepEqual(inChunks(new StyleAnalysis(golden_case.sampleRate), left, right, chunking()), whole, `chunks of ${name}`);
    }
  });
}

/**
 * 70 s of noise at 44.1 kHz whose coherence, balance and level drift, with a silent stretch and a
 * length that is no whole number of tiles.
 */
function longMix(): { left: Float32Array; right: Float32Array } {
  const sampleRate = 44_100;
  const length = 70 * sampleRate + 1_234;
  const left = new Float32Array(length);
  const right = new Float32Array(length);
  const next = randomLengths(2 ** 30, 11);
  const noise = (): number => next() / 2 ** 30 - 0.5;
  for (let n = 0; n < length; n++) {
    const t = n / sampleRate;
    if (t > 30 && t < 33) continue;
    const coherence = 0.5 + 0.45 * Math.sin(t / 5);
    const a = noise();
    left[n] = (0.3 + 0.2 * Math.sin(t / 3)) * a;
    right[n] = 0.4 * (coherence * a + Math.sqrt(1 - coherence * coherence) * noise());
  }
  return { left, right };
}

test('ReferenceAnalysis in chunks = analyseReference, exactly, on 70 s of drifting stereo noise', () => {
  const { left, right } = longMix();
  const whole = analyseReference(left, right, 44_100);
  for (const [name, chunking] of CHUNKINGS) {
    assert.deepEqual(inChunks(new ReferenceAnalysis(44_100), left, right, chunking()), whole, `chunks of ${name}`);
  }
  // The long mix's style is no fallback: most bands measured something other than the default.
  assert.ok(whole.icc.filter((icc) => icc < 0.9).length > 12);
});

test('ReferenceAnalysis in chunks refuses what analyseReference refuses, with the same StyleError', () => {
  const { left, right } = longMix();
  const cases: [string, Float32Array, Float32Array, number][] = [
    ['dual mono', left.subarray(0, 5 * 44_100), left.subarray(0, 5 * 44_100), 44_100],
    ['too short', left.subarray(0, 30_000), right.subarray(0, 30_000), 44_100],
    ['silent', new Float32Array(3 * 48_000), new Float32Array(3 * 48_000), 48_000],
  ];
  for (const [name, l, r, rate] of cases) {
    let whole: unknown;
    try {
      analyseReference(l, r, rate);
    } catch (error) {
      whole = error;
    }
    assert.ok(whole instanceof StyleError, name);
    assert.throws(() => inChunks(new ReferenceAnalysis(rate), l, r, randomLengths(5_000, 9)), (error: Error) => error instanceof StyleError && error.message === (whole as Error).message, name);
  }
  assert.throws(() => new ReferenceAnalysis(44_100).push(new Float32Array(10), new Float32Array(9)), (error: Error) => error instanceof StyleError && /differ in length/.test(error.message));
});
