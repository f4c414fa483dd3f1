import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LatencyMode } from '../../src/dsp/frame-config.js';
import { renderEngine } from '../support/render.js';
import { clickTrain } from '../support/signals.js';

const SAMPLE_RATE = 48_000;
const PERIOD = Math.round(0.3 * SAMPLE_RATE);
const FIRST = Math.round(0.1 * SAMPLE_RATE);
const BEFORE = Math.round(0.01 * SAMPLE_RATE);

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`transients (${mode}): every click keeps at most -30 dB of its energy in the 10 ms before it, in each channel`, () => {
    const input = clickTrain(3 * SAMPLE_RATE, PERIOD, FIRST);
    const { left, right, engine } = renderEngine(input, { sampleRate: SAMPLE_RATE, mode, controls: { width: 1, bassMonoHz: 0 } });
    const worst: number[] = [];
    for (const [name, channel] of [['left', left], ['right', right]] as const) {
      for (let click = FIRST + engine.latency; click + PERIOD - BEFORE <= channel.length; click += PERIOD) {
        let before = 0;
        let after = 0;
        for (let i = click - BEFORE; i < click; i++) before += channel[i] ** 2;
        for (let i = click; i < click + PERIOD - BEFORE; i++) after += channel[i] ** 2;
        const ratioDb = 10 * Math.log10(before / after);
        worst.push(ratioDb);
        assert.ok(ratioDb <= -30, `${name} click at ${click}: ${ratioDb.toFixed(1)} dB before the click`);
      }
    }
    assert.ok(worst.length >= 12, 'all clicks were checked');
  });
}
