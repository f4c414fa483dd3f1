import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BandLayout } from '../../src/dsp/bands.js';
import { createCues, FixedCueSource } from '../../src/dsp/cue-source.js';
import { frameConfigFor, RENDER_QUANTUM } from '../../src/dsp/frame-config.js';
import { UpmixEngine } from '../../src/dsp/engine.js';
import type { ArrivedCues, CueChannel } from '../../src/model/cue-channel.js';
import { MODEL_LOOKAHEAD_FRAMES } from '../../src/model/feature-spec.js';
import { FEATURE_COUNT, FeatureAnalyzer } from '../../src/model/features.js';
import { CUE_DELAY_FRAMES, ModelCueSource } from '../../src/model/model-cue-source.js';
import { pinkNoise } from '../support/signals.js';

/** A model stand-in: the cues for frame t are ICC 0.05 + (t mod 10) / 10 and |ILD| t mod 7, answered `delayFrames` frames late. */
class FakeModelChannel implements CueChannel {
  readonly sent: number[] = [];
  private readonly queue: number[] = [];
  constructor(private readonly delayFrames = 0) {}
  sendFeatures(frameIndex: number, features: Float32Array): void {
    assert.equal(features.length, FEATURE_COUNT);
    assert.ok(features.every(Number.isFinite));
    this.sent.push(frameIndex);
    const target = frameIndex - MODEL_LOOKAHEAD_FRAMES;
    if (target >= 0) this.queue.push(target);
  }
  receiveCues(into: ArrivedCues): boolean {
    const newestSent = this.sent.length ? this.sent[this.sent.length - 1] : -1;
    if (!this.queue.length || this.queue[0] + MODEL_LOOKAHEAD_FRAMES > newestSent - this.delayFrames) return false;
    const frame = this.queue.shift()!;
    into.frameIndex = frame;
    into.iccs.fill(modelIcc(frame));
    into.ildMagnitudesDb.fill(frame % 7);
    return true;
  }
}

const modelIcc = (frame: number): number => Math.fround(0.05 + (frame % 10) / 10);

/** Drives a cue source as the engine does in quality mode at 48 kHz; returns the ICC of band 0 per frame. */
function drive(source: ModelCueSource, frames: number): number[] {
  const config = frameConfigFor(48_000, 'quality');
  const layout = new BandLayout(config.sampleRate, config.frameSize);
  source.prepare(config, layout);
  const noise = pinkNoise(RENDER_QUANTUM * 4 * frames, 2, 0.3);
  const mono = new Float64Array(RENDER_QUANTUM);
  const out = createCues(layout.bandCount);
  const iccs: number[] = [];
  const quantaPerHop = config.hopSize / RENDER_QUANTUM;
  for (let q = 0; q < quantaPerHop * frames; q++) {
    for (let i = 0; i < RENDER_QUANTUM; i++) mono[i] = noise[q * RENDER_QUANTUM + i];
    source.observeInput(mono);
    if ((q + 1) % quantaPerHop === 0) {
      source.next({ frameIndex: iccs.length, bandPowers: new Float64Array(layout.bandCount) }, out);
      assert.ok(out.iccs.every(Number.isFinite) && out.ildMagnitudesDb.every(Number.isFinite));
      iccs.push(out.iccs[0]);
    }
  }
  return iccs;
}

test('ModelCueSource (quality): every frame gets the model cues of its own frame when they arrive in time', () => {
  const channel = new FakeModelChannel(0);
  const source = new ModelCueSource(channel);
  const iccs = drive(source, 40);
  assert.deepEqual(channel.sent, Array.from({ length: 40 }, (_, i) => i));
  const fixed = new FixedCueSource();
  const config = frameConfigFor(48_000, 'quality');
  const layout = new BandLayout(48_000, config.frameSize);
  fixed.prepare(config, layout);
  const fixedCues = createCues(layout.bandCount);
  fixed.next({ frameIndex: 0, bandPowers: new Float64Array(24) }, fixedCues);
  // The engine synthesises frame j - 2 when it analyses frame j: that frame's own cues.
  assert.equal(config.lookaheadFrames, CUE_DELAY_FRAMES);
  for (let j = 0; j < 40; j++) {
    const expected = j < CUE_DELAY_FRAMES ? fixedCues.iccs[0] : modelIcc(j - CUE_DELAY_FRAMES);
    assert.equal(iccs[j], expected, `frame ${j}`);
  }
  assert.deepEqual(source.stats, { modelFrames: 40 - CUE_DELAY_FRAMES, lateFrames: 0, fallbackFrames: CUE_DELAY_FRAMES });
});

test('ModelCueSource: a slow model never stalls the audio; late frames hold the last cues and are counted', () => {
  const source = new ModelCueSource(new FakeModelChannel(3));
  const iccs = drive(source, 60);
  assert.ok(source.stats.lateFrames > 0, JSON.stringify(source.stats));
  assert.equal(source.stats.modelFrames + source.stats.lateFrames + source.stats.fallbackFrames, 60);
  // Once the model has spoken, every frame uses the cues of an earlier frame (held), never the fallback again.
  const firstModel = iccs.findIndex((icc) => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].some((k) => icc === modelIcc(k)));
  assert.ok(firstModel > 0);
  for (let j = firstModel; j < 60; j++) {
    const lag = [0, 1, 2, 3, 4, 5, 6].find((extra) => iccs[j] === modelIcc(j - CUE_DELAY_FRAMES - extra));
    assert.ok(lag !== undefined, `frame ${j}: ICC ${iccs[j]} is not the cue of a recent frame`);
  }
});

test('ModelCueSource without a model uses the fixed profile for every frame', () => {
  const source = new ModelCueSource(null);
  drive(source, 10);
  assert.deepEqual(source.stats, { modelFrames: 0, lateFrames: 0, fallbackFrames: 10 });
});

test('Engine with a slow model: output stays finite and continuous (no step bigger than the input allows)', () => {
  const engine = new UpmixEngine({ sampleRate: 48_000, mode: 'quality', cueSource: new ModelCueSource(new FakeModelChannel(2)) });
  const input = pinkNoise(48_000 * 2, 6, 0.3);
  const left = new Float32Array(input.length);
  const right = new Float32Array(input.length);
  for (let at = 0; at < input.length; at += RENDER_QUANTUM) {
    engine.process(input.subarray(at, at + RENDER_QUANTUM), null, left.subarray(at, at + RENDER_QUANTUM), right.subarray(at, at + RENDER_QUANTUM));
  }
  let biggestInputStep = 0;
  let biggestOutputStep = 0;
  for (let i = 1; i < input.length; i++) {
    biggestInputStep = Math.max(biggestInputStep, Math.abs(input[i] - input[i - 1]));
    biggestOutputStep = Math.max(biggestOutputStep, Math.abs(left[i] - left[i - 1]), Math.abs(right[i] - right[i - 1]));
  }
  assert.ok(left.every(Number.isFinite) && right.every(Number.isFinite));
  assert.ok(biggestOutputStep < 3 * biggestInputStep, `output step ${biggestOutputStep} vs input step ${biggestInputStep}`);
});

test('quality mode: the features sent (from the engine\'s own analysis) equal the spec\'s streaming features', () => {
  const sent: Float32Array[] = [];
  const recorder: CueChannel = { sendFeatures: (_frame, features) => void sent.push(features.slice()), receiveCues: () => false };
  for (const sampleRate of [44_100, 22_050]) {
    sent.length = 0;
    const engine = new UpmixEngine({ sampleRate, mode: 'quality', cueSource: new ModelCueSource(recorder) });
    const input = pinkNoise(RENDER_QUANTUM * 200, 9, 0.3);
    const left = new Float32Array(RENDER_QUANTUM);
    const right = new Float32Array(RENDER_QUANTUM);
    for (let at = 0; at < input.length; at += RENDER_QUANTUM) engine.process(input.subarray(at, at + RENDER_QUANTUM), null, left, right);
    const analyzer = new FeatureAnalyzer(sampleRate);
    const expected: Float32Array[] = [];
    for (const sample of input) if (analyzer.push(sample)) expected.push(analyzer.features.slice());
    assert.equal(sent.length, expected.length);
    sent.forEach((features, j) => assert.deepEqual(features, expected[j], `${sampleRate} Hz, frame ${j}`));
  }
});
