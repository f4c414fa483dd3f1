import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { frameConfigFor, RENDER_QUANTUM } from '../../src/dsp/frame-config.js';
import { dbToGain, limiterLatency } from '../../src/dsp/peak-limiter.js';
import { pinkNoise } from '../support/signals.js';

const SAMPLE_RATE = 48_000;

/** Renders `input` through an engine, quantum by quantum; returns both channels. */
function render(engine: UpmixEngine, input: Float32Array, atQuantum?: (quantum: number) => void): { left: Float32Array; right: Float32Array } {
  const left = new Float32Array(input.length);
  const right = new Float32Array(input.length);
  const outLeft = new Float32Array(RENDER_QUANTUM);
  const outRight = new Float32Array(RENDER_QUANTUM);
  for (let start = 0, quantum = 0; start + RENDER_QUANTUM <= input.length; start += RENDER_QUANTUM, quantum++) {
    atQuantum?.(quantum);
    engine.process(input.subarray(start, start + RENDER_QUANTUM), null, outLeft, outRight);
    left.set(outLeft, start);
    right.set(outRight, start);
  }
  return { left, right };
}

/** A loud input: pink noise near full scale, with bursts that the side at width 2 pushes over it. */
function loudInput(): Float32Array {
  const input = pinkNoise(SAMPLE_RATE * 2, 11, 0.9);
  for (let i = 0; i < input.length; i++) input[i] = Math.max(-0.99, Math.min(0.99, 1.6 * input[i]));
  return input;
}

for (const mode of ['live', 'quality'] as const) {
  test(`ceiling, ${mode} mode: the limiter holds the peak under the ceiling with one gain for both channels, and adds exactly its look-ahead to the latency`, () => {
    const input = loudInput();
    const plain = new UpmixEngine({ sampleRate: SAMPLE_RATE, mode, controls: { width: 2 } });
    const limited = new UpmixEngine({ sampleRate: SAMPLE_RATE, mode, controls: { width: 2, ceilingDb: -1 }, ceiling: true });
    const extra = limiterLatency(SAMPLE_RATE);
    assert.equal(plain.latency, frameConfigFor(SAMPLE_RATE, mode).latency);
    assert.equal(limited.latency, plain.latency + extra);
    const reference = render(plain, input);
    const output = render(limited, input);
    let referencePeak = 0;
    let peak = 0;
    let worstGainMismatch = 0;
    for (let i = extra; i < input.length; i++) {
      referencePeak = Math.max(referencePeak, Math.abs(reference.left[i]), Math.abs(reference.right[i]));
      peak = Math.max(peak, Math.abs(output.left[i]), Math.abs(output.right[i]));
      // One gain per sample for both channels: L_out / L_ref = R_out / R_ref (where both are large enough to tell).
      const l = reference.left[i - extra];
      const r = reference.right[i - extra];
      if (Math.abs(l) > 0.05 && Math.abs(r) > 0.05) worstGainMismatch = Math.max(worstGainMismatch, Math.abs(output.left[i] / l - output.right[i] / r));
    }
    assert.ok(referencePeak > 1.2, `the test drives the output over full scale: ${referencePeak}`);
    assert.ok(peak <= dbToGain(-1) + 1e-6, `peak ${peak} over the -1 dBFS ceiling`);
    assert.ok(worstGainMismatch < 1e-4, `L and R got different gains: ${worstGainMismatch}`);
    assert.ok(limited.ceilingReductionDb > 1, `reduction ${limited.ceilingReductionDb} dB`);
  });
}

test('ceiling: moving the ceilingDb control moves the ceiling; without the limiter the control does nothing', () => {
  const input = loudInput();
  const limited = new UpmixEngine({ sampleRate: SAMPLE_RATE, controls: { width: 2 }, ceiling: true });
  const output = render(limited, input, (quantum) => {
    if (quantum === 400) limited.setControl('ceilingDb', -6);
  });
  let late = 0;
  for (let i = 401 * RENDER_QUANTUM + limited.latency; i < input.length; i++) late = Math.max(late, Math.abs(output.left[i]), Math.abs(output.right[i]));
  assert.ok(late <= dbToGain(-6) + 1e-6, `peak ${late} after the ceiling went to -6 dBFS`);
  const plain = render(new UpmixEngine({ sampleRate: SAMPLE_RATE, controls: { width: 2 } }), input);
  const plainWithControl = render(new UpmixEngine({ sampleRate: SAMPLE_RATE, controls: { width: 2, ceilingDb: -20 } }), input);
  assert.deepEqual(plainWithControl.left, plain.left);
});
