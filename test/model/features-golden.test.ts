import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BandLayout, bandEdges } from '../../src/dsp/bands.js';
import { FEATURE_SPEC, featureFrameSize, featureHopSize } from '../../src/model/feature-spec.js';
import { computeFeatureFrames, FEATURE_COUNT, FeatureAnalyzer } from '../../src/model/features.js';

/** Written by training/export.py from training/features.py: the Python side of the shared definition. */
interface FeaturesGolden {
  tolerance: number;
  bandEdgesHz: number[];
  cases: { sampleRate: number; frameSize: number; hop: number; length: number; bandOfBin: number[]; frames: number[][] }[];
}
const golden = JSON.parse(readFileSync(new URL('../fixtures/model/features-golden.json', import.meta.url), 'utf8')) as FeaturesGolden;

/** The fixture's signal, as its description defines it (float64, like the Python side). */
function goldenSignal(sampleRate: number, length: number): Float64Array {
  const x = new Float64Array(length);
  for (let n = 0; n < length; n++) {
    const noise = (((n * 7919) % 101) - 50) / 50;
    x[n] =
      0.5 * Math.sin((2 * Math.PI * 440 * n) / sampleRate) +
      0.25 * Math.sin((2 * Math.PI * 3000 * n) / sampleRate + 0.3) +
      0.1 * Math.sin((2 * Math.PI * (100 + (4000 * n) / length) * n) / sampleRate) +
      1e-3 * noise;
  }
  return x;
}

test('golden: band edges and bin-to-band maps are the same in Python and TypeScript', () => {
  const edges = bandEdges(FEATURE_SPEC.bandCount, FEATURE_SPEC.bandLowHz, FEATURE_SPEC.bandHighHz);
  assert.equal(edges.length, golden.bandEdgesHz.length);
  golden.bandEdgesHz.forEach((edge, i) => assert.ok(Math.abs(edge - edges[i]) < 1e-9, `edge ${i}: ${edges[i]} vs ${edge}`));
  for (const { sampleRate, frameSize, hop, bandOfBin } of golden.cases) {
    assert.equal(featureFrameSize(sampleRate), frameSize);
    assert.equal(featureHopSize(sampleRate), hop);
    assert.deepEqual(Array.from(new BandLayout(sampleRate, frameSize, edges).bandOfBin), bandOfBin, `${sampleRate} Hz`);
  }
});

for (const { sampleRate, length, frames } of golden.cases) {
  test(`golden: Python and TypeScript features agree within ${golden.tolerance} at ${sampleRate} Hz (offline and streaming)`, () => {
    const signal = goldenSignal(sampleRate, length);
    const offline = computeFeatureFrames(signal, sampleRate);
    assert.equal(offline.length, frames.length);
    let worst = 0;
    offline.forEach((row, i) => row.forEach((value, b) => (worst = Math.max(worst, Math.abs(value - frames[i][b])))));
    assert.ok(worst < golden.tolerance, `offline: max difference ${worst}`);
    // The streaming analyser (what the engine runs) frames the stream with zeros before it: its frame
    // j + 1 is the offline frame j. Its features are float32.
    const analyzer = new FeatureAnalyzer(sampleRate);
    const streamed: Float32Array[] = [];
    for (const sample of signal) if (analyzer.push(sample)) streamed.push(analyzer.features.slice());
    let worstStreamed = 0;
    for (let j = 0; j < frames.length; j++) {
      for (let b = 0; b < FEATURE_COUNT; b++) worstStreamed = Math.max(worstStreamed, Math.abs(streamed[j + 1][b] - frames[j][b]));
    }
    assert.ok(worstStreamed < golden.tolerance, `streaming: max difference ${worstStreamed}`);
  });
}
