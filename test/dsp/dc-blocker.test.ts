import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DcBlocker } from '../../src/dsp/dc-blocker.js';

/** Runs `signal` through a new blocker in blocks of `sizes` (cycled), returns the output. */
function blocked(signal: Float64Array, sampleRate: number, sizes = [128]): Float64Array {
  const blocker = new DcBlocker(sampleRate);
  const out = new Float64Array(signal.length);
  for (let at = 0, step = 0; at < signal.length; step++) {
    const count = Math.min(sizes[step % sizes.length], signal.length - at);
    blocker.process(signal.subarray(at, at + count), out.subarray(at, at + count), count);
    at += count;
  }
  return out;
}

/** Gain (dB) and phase (degrees) of `out` against the sine of `frequency` in `input`, over the last second. */
function response(input: Float64Array, out: Float64Array, sampleRate: number, frequency: number): { db: number; degrees: number } {
  let inRe = 0, inIm = 0, outRe = 0, outIm = 0;
  for (let i = input.length - sampleRate; i < input.length; i++) {
    const c = Math.cos((2 * Math.PI * frequency * i) / sampleRate);
    const s = Math.sin((2 * Math.PI * frequency * i) / sampleRate);
    inRe += input[i] * c; inIm += input[i] * s; outRe += out[i] * c; outIm += out[i] * s;
  }
  const db = 20 * Math.log10(Math.hypot(outRe, outIm) / Math.hypot(inRe, inIm));
  const degrees = (180 / Math.PI) * Math.atan2(outRe * inIm - outIm * inRe, outRe * inRe + outIm * inIm);
  return { db, degrees };
}

for (const sampleRate of [22_050, 48_000, 192_000]) {
  test(`DC blocker at ${sampleRate} Hz: DC 0.5 is gone after a second; 40 Hz and above keep level and phase (0.14 dB, 0.2 degrees); 0.5 Hz is cut by 16 dB`, () => {
    const seconds = 3;
    const dc = blocked(new Float64Array(seconds * sampleRate).fill(0.5), sampleRate);
    let worst = 0;
    for (let i = sampleRate; i < dc.length; i++) worst = Math.max(worst, Math.abs(dc[i]));
    assert.ok(worst < 1e-6, `DC left: ${worst}`);
    for (const frequency of [40, 60, 1000]) {
      const sine = Float64Array.from({ length: seconds * sampleRate }, (_, i) => Math.sin((2 * Math.PI * frequency * i) / sampleRate));
      const { db, degrees } = response(sine, blocked(sine, sampleRate), sampleRate, frequency);
      assert.ok(Math.abs(db) < 0.14 && Math.abs(degrees) < 0.2, `${frequency} Hz: ${db.toFixed(3)} dB, ${degrees.toFixed(3)} degrees`);
    }
    const slow = Float64Array.from({ length: 8 * sampleRate }, (_, i) => Math.sin((2 * Math.PI * 0.5 * i) / sampleRate));
    const { db } = response(slow, blocked(slow, sampleRate), sampleRate, 0.5);
    assert.ok(db < -16, `0.5 Hz: ${db.toFixed(1)} dB`);
  });
}

test('DC blocker: the output does not depend on how the input is split into blocks (odd sizes included)', () => {
  const sampleRate = 48_000;
  const signal = Float64Array.from({ length: sampleRate }, (_, i) => 0.3 + Math.sin(i * 0.01) + 0.5 * Math.sin(i * 0.3));
  const whole = blocked(signal, sampleRate, [signal.length]);
  const split = blocked(signal, sampleRate, [1, 2, 3, 5, 7, 128]);
  let worst = 0;
  for (let i = 0; i < signal.length; i++) worst = Math.max(worst, Math.abs(whole[i] - split[i]));
  assert.ok(worst < 1e-9, `largest difference ${worst}`);
});
