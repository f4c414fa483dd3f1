import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedCueSource } from '../../src/dsp/cue-source.js';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { RENDER_QUANTUM } from '../../src/dsp/frame-config.js';
import { whiteNoise } from '../support/signals.js';

const SAMPLE_RATE = 48_000;

function run(engine: UpmixEngine, quanta: number): void {
  const input = new Float32Array(RENDER_QUANTUM).fill(0.1);
  const left = new Float32Array(RENDER_QUANTUM);
  const right = new Float32Array(RENDER_QUANTUM);
  for (let i = 0; i < quanta; i++) engine.process(input, null, left, right);
}

test('readCues: the cues in use, per band, as output ICC and signed ILD (after width, bass mono, mix and bypass)', () => {
  const engine = new UpmixEngine({ sampleRate: SAMPLE_RATE, mode: 'live', cueSource: FixedCueSource.uniform(0.4, 3), controls: { bassMonoHz: 200 } });
  const bands = engine.layout.bandCount;
  const iccs = new Float32Array(bands);
  const ilds = new Float32Array(bands);
  run(engine, 20);
  engine.readCues(iccs, ilds);
  for (let b = 0; b < bands; b++) {
    if (engine.layout.centres[b] <= 200) {
      assert.equal(iccs[b], 1, `band ${b} below bass mono is mono`);
      assert.equal(ilds[b], 0);
    } else {
      assert.ok(Math.abs(iccs[b] - 0.4) < 1e-5, `band ${b}: ICC ${iccs[b]}`);
      assert.ok(Math.abs(ilds[b] - 3 * engine.panDirections[b]) < 1e-4, `band ${b}: ILD ${ilds[b]} leans with the layout`);
    }
  }
  engine.setControl('width', 0);
  engine.readCues(iccs, ilds);
  assert.ok(iccs.every((icc) => Math.abs(icc - 1) < 1e-6) && ilds.every((ild) => Math.abs(ild) < 1e-6), 'width 0 reads as mono');
  engine.setControl('width', 1);
  engine.setControl('bypass', 1);
  run(engine, 40); // the 10 ms bypass crossfade
  engine.readCues(iccs, ilds);
  assert.ok(iccs.every((icc) => Math.abs(icc - 1) < 1e-6), 'bypassed reads as mono');
});

test('readCues on the stereo path: a wide mix gets no new width and reads as mono; the same engine on dual mono reads the cues again', () => {
  const engine = new UpmixEngine({ sampleRate: SAMPLE_RATE, mode: 'live', cueSource: FixedCueSource.uniform(0.4, 3), controls: { bassMonoHz: 0 } });
  const bands = engine.layout.bandCount;
  const iccs = new Float32Array(bands);
  const ilds = new Float32Array(bands);
  // Independent noise in each channel: as wide as a mix gets (ICC 0), wider than the cues ask.
  const left = whiteNoise(SAMPLE_RATE, 1);
  const right = whiteNoise(SAMPLE_RATE, 2);
  const outLeft = new Float32Array(RENDER_QUANTUM);
  const outRight = new Float32Array(RENDER_QUANTUM);
  const play = (inputRight: Float32Array | null): void => {
    for (let offset = 0; offset < left.length; offset += RENDER_QUANTUM) {
      engine.process(left.subarray(offset, offset + RENDER_QUANTUM), (inputRight ?? left).subarray(offset, offset + RENDER_QUANTUM), outLeft, outRight);
    }
  };
  play(right);
  assert.equal(engine.inputPath, 'stereo');
  engine.readCues(iccs, ilds);
  // Bands with bins (a live frame at 48 kHz has none in the lowest ones, where the share stays at 1).
  const measured = [...iccs].slice(8);
  assert.ok(measured.every((icc) => Math.abs(icc - 1) < 1e-3), `no new width on a wide mix: ${measured.map((icc) => icc.toFixed(3)).join(' ')}`);
  // The path glides out, then the shares glide back to 1 (about 0.6 s each to land).
  play(null);
  play(null);
  assert.equal(engine.inputPath, 'mono');
  engine.readCues(iccs, ilds);
  assert.ok([...iccs].every((icc) => Math.abs(icc - 0.4) < 1e-5), `the mono path reads the cues: ${[...iccs].map((icc) => icc.toFixed(3)).join(' ')}`);
});
