import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAND_COUNT } from '../../src/dsp/bands.js';
import { FixedCueSource } from '../../src/dsp/cue-source.js';
import type { LatencyMode } from '../../src/dsp/frame-config.js';
import { renderEngine } from '../support/render.js';
import { pinkNoise, whiteNoise } from '../support/signals.js';
import { measureBands } from '../support/stereo-metrics.js';

/**
 * Targets are met per band, measured over 10 s at the cue resolution (1024-point Hann frames at
 * 44.1/48 kHz: the frame the cues and the model's features are defined on).
 *
 * The accuracy check uses a layout where every band leans left, so it measures the synthesis alone.
 * With the seeded layout, bands lean both ways; where two neighbours lean opposite ways the level cue
 * must cross zero at their shared edge, and the STFT window smears that over a couple of bins, so a
 * narrow band next to a direction change cannot hold its full |ILD|: those bands get a stated, wider
 * tolerance, and every other band the strict one. Live mode's 256-sample frames (187 Hz bins at 48 kHz)
 * smear a change over several hundred Hz, so there a band next to a change is only checked to keep
 * some level difference and a finite, bounded coherence.
 *
 * These cues are long-run coherences of stationary noise, measured over the whole signal, so the engine
 * runs without its closed-loop ICC feedback (on by default in quality mode): that loop realises a cue as
 * the mean ICC of 8-frame tiles (design section 5), which in bands of a few bins is higher than the
 * long-run coherence of the same signal (the tile estimate is biased upward), and so lowers the long-run
 * coherence there on purpose. realisation.test.ts checks the loop. For the same reason the low-band path
 * (quality mode's 2048-point side below 739 Hz) is off here: it matches the side's power to M's frame by
 * frame (over about 70 ms), which keeps tiles as wide as asked but, fed forward on white noise without the
 * loop, leaves the long-run coherence of bands 0-2 up to 0.07 above the cue (0.32 for 0.25 in band 0).
 * low-band-path.test.ts checks that path's alignment with the main one.
 */
const SAMPLE_RATE = 48_000;
const ICC_TOLERANCE = 0.05;
const ILD_TOLERANCE_DB = 0.5;
const ICCS = [0, 0.25, 0.5, 0.75, 1];
const ILDS = [0, 3, 10];
const ALL_LEFT = new Array<number>(BAND_COUNT).fill(1);

const signals = { white: whiteNoise(10 * SAMPLE_RATE, 21), pink: pinkNoise(10 * SAMPLE_RATE, 22) };

/** Renders with uniform cues and returns a list of the bands that miss their targets. */
function misses(input: Float32Array, mode: LatencyMode, icc: number, ild: number, panDirections: number[] | undefined, tolerance: (band: number, directions: Float64Array) => { icc: number; ild: number }): string[] {
  const { left, right, engine } = renderEngine(input, {
    sampleRate: SAMPLE_RATE,
    mode,
    cueSource: FixedCueSource.uniform(icc, ild),
    controls: { bassMonoHz: 0 },
    panDirections,
    iccFeedback: false,
    lowBandPath: false,
  });
  const measured = measureBands(left, right, SAMPLE_RATE, engine.layout.edges, engine.latency + 4096, 1024);
  const directions = engine.panDirections;
  const found: string[] = [];
  for (let b = 0; b < directions.length; b++) {
    const allowed = tolerance(b, directions);
    if (Math.abs(measured.icc[b] - icc) > allowed.icc) found.push(`ICC ${icc}/ILD ${ild}: band ${b} ICC ${measured.icc[b].toFixed(3)}`);
    if (Math.abs(Math.abs(measured.ildDb[b]) - ild) > allowed.ild) found.push(`ICC ${icc}/ILD ${ild}: band ${b} |ILD| ${Math.abs(measured.ildDb[b]).toFixed(2)} dB`);
    if (ild >= 3 && allowed.ild < ild && Math.sign(measured.ildDb[b]) !== directions[b]) found.push(`ICC ${icc}/ILD ${ild}: band ${b} leans the wrong way`);
  }
  return found;
}

for (const mode of ['quality', 'live'] as LatencyMode[]) {
  for (const [name, input] of Object.entries(signals)) {
    test(`cue accuracy (${mode}, ${name} noise): ICC within ${ICC_TOLERANCE} and |ILD| within ${ILD_TOLERANCE_DB} dB of the target in every band`, () => {
      const failures: string[] = [];
      for (const icc of ICCS) for (const ild of ILDS) failures.push(...misses(input, mode, icc, ild, ALL_LEFT, () => ({ icc: ICC_TOLERANCE, ild: ILD_TOLERANCE_DB })));
      assert.deepEqual(failures, []);
    });
  }

  test(`cue accuracy (${mode}, seeded pan layout): bands lean the layout's way; strict targets away from direction changes`, () => {
    const atChange = (b: number, d: Float64Array): boolean => d[b - 1] === -d[b] || d[b + 1] === -d[b];
    const failures: string[] = [];
    for (const icc of [0, 0.5, 1]) {
      for (const ild of [3, 10]) {
        // At a direction change the level cue is smeared: quality mode keeps 60% of the |ILD| there.
        const atChangeTolerance = mode === 'quality' ? { icc: 0.15, ild: 0.4 * ild } : { icc: 0.6, ild };
        failures.push(...misses(signals.pink, mode, icc, ild, undefined, (b, d) => (atChange(b, d) ? atChangeTolerance : { icc: ICC_TOLERANCE, ild: ILD_TOLERANCE_DB })));
      }
    }
    assert.deepEqual(failures, []);
  });
}
