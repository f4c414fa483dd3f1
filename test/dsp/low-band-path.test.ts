import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAND_COUNT } from '../../src/dsp/bands.js';
import { FixedCueSource } from '../../src/dsp/cue-source.js';
import { CROSSOVER_HIGH, CROSSOVER_LOW, lowPathWeight, mainPathWeight } from '../../src/dsp/low-band-path.js';
import { renderEngine } from '../support/render.js';
import { pinkNoise } from '../support/signals.js';

/**
 * The low-band path (quality mode's 2048-point side below 739 Hz) must line up with the main path to the
 * sample: its latency is computed, not measured, so a frame early or late would still be mono-compatible
 * (it only adds to S) but would smear the side in time. With ICC 1 and an ILD cue, the side is p M in
 * both paths (no decorrelated part), so the output with the path must equal the output without it, up
 * to what the two resolutions' crossover weights leave (measured -64 dB at 44.1 kHz, -63 dB at 48 and
 * 96 kHz); a path one hop off would differ by the low band's side itself (about -15 dB).
 */
test('low-band path: its crossover weight and the main path\'s sum to 1, all low below the fade, all main above', () => {
  const found: string[] = [];
  for (let f = 0; f <= 24_000; f += 7) {
    const low = lowPathWeight(f);
    const main = mainPathWeight(f);
    if (Math.abs(low + main - 1) > 1e-12) found.push(`${f} Hz: ${low} + ${main}`);
    if (f <= CROSSOVER_LOW && low !== 1) found.push(`${f} Hz: low ${low}`);
    if (f >= CROSSOVER_HIGH && low !== 0) found.push(`${f} Hz: low ${low}`);
  }
  assert.deepEqual(found, []);
});

for (const sampleRate of [22_050, 44_100, 48_000, 96_000]) {
  test(`low-band path at ${sampleRate} Hz: lined up with the main path (ICC 1, ILD 6 dB: output with it = without it within -50 dB), latency unchanged`, () => {
    const input = pinkNoise(2 * sampleRate, 5);
    const render = (lowBandPath: boolean) =>
      renderEngine(input, {
        sampleRate,
        mode: 'quality',
        cueSource: FixedCueSource.uniform(1, 6),
        controls: { bassMonoHz: 0 },
        panDirections: new Array<number>(BAND_COUNT).fill(1),
        lowBandPath,
      });
    const withPath = render(true);
    const without = render(false);
    assert.equal(withPath.engine.latency, without.engine.latency);
    let difference = 0;
    let power = 0;
    for (let i = withPath.engine.latency + 4096; i < input.length; i++) {
      for (const [a, b] of [[withPath.left[i], without.left[i]], [withPath.right[i], without.right[i]]]) {
        difference += (a - b) ** 2;
        power += b * b;
      }
    }
    const db = 10 * Math.log10(difference / power);
    assert.ok(db < -50, `difference ${db.toFixed(1)} dB`);
  });
}
