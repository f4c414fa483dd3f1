/**
 * How much of an input's DC offset and subsonic content reaches the side (L-R)/2, per mode, bass-mono
 * setting and input: a quality figure, not a speed one (test/dsp/side-dc.test.ts asserts the bounds).
 * Columns, each as a share of what the input carries:
 * - `DC`: a mono input of DC 0.5, the side's settled mean (Hann-weighted, from 1 s on);
 * - `DC+music`: the change of that mean that DC 0.1 under music makes (mono: ensemble chords; stereo:
 *   a wide mix with DC 0.1 on both channels);
 * - `wobble`: the rms below 20 Hz of the side's change that the DC 0.1 makes under music;
 * - `5 Hz`: the side's amplitude at 5 Hz for a 5 Hz sine of 0.5 (mono input);
 * - `L-R DC`: stereo input with DC 0.2 on the left only (side DC 0.1);
 * - `spread 0`: as `DC+music` for stereo input, with spread 0 (the mix's direct part taken out of S).
 *
 * Then what keeping the DC out costs the lowest cue bands: ICC and |ILD| measured in bands 0-4 (60-456 Hz)
 * on 10 s of pink noise for uniform cues, bass mono off, without the ICC loop and the low-band path (as
 * test/dsp/cue-accuracy.test.ts measures).
 *
 *     node --import tsx bench/side-dc.ts [sampleRate]
 */
import { BAND_COUNT } from '../src/dsp/bands.js';
import { FixedCueSource } from '../src/dsp/cue-source.js';
import type { LatencyMode } from '../src/dsp/frame-config.js';
import { renderEngine } from '../test/support/render.js';
import { pinkNoise } from '../test/support/signals.js';
import { measureBands } from '../test/support/stereo-metrics.js';
import { ensembleChords } from '../test/support/music-like.js';
import { renderSide, settledAmplitude, settledMean, SETTLE_SECONDS, sideDcShare } from '../test/support/side-offset.js';
import { wideMix } from '../test/support/stereo-mixes.js';

const sampleRate = Number(process.argv[2] ?? 48_000);
const length = 262_144;
const music = ensembleChords(sampleRate, length / sampleRate);
const stereo = wideMix(length, sampleRate, 4);
const dc = new Float32Array(length).fill(0.5);
const sine = Float32Array.from({ length }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 5 * i) / sampleRate));

/** Rms below 20 Hz (two 2nd-order Butterworth low-passes at 20 Hz) from the settling time on. */
function rmsBelow20Hz(signal: Float64Array): number {
  const w0 = (2 * Math.PI * 20) / sampleRate;
  const alpha = Math.sin(w0) / Math.SQRT2;
  const a0 = 1 + alpha;
  const [b0, a1, a2] = [(1 - Math.cos(w0)) / 2 / a0, (-2 * Math.cos(w0)) / a0, (1 - alpha) / a0];
  const low = Float64Array.from(signal);
  for (let pass = 0; pass < 2; pass++) {
    let [x1, x2, y1, y2] = [0, 0, 0, 0];
    for (let i = 0; i < low.length; i++) {
      const y = b0 * (low[i] + 2 * x1 + x2) - a1 * y1 - a2 * y2;
      [x2, x1, y2, y1] = [x1, low[i], y1, y];
      low[i] = y;
    }
  }
  const start = Math.round(SETTLE_SECONDS * sampleRate);
  let sum = 0;
  for (let i = start; i < low.length; i++) sum += low[i] * low[i];
  return Math.sqrt(sum / (low.length - start));
}

/** The wobble column: the side's change below 20 Hz that DC 0.1 under `left` (and `right`) makes. */
function wobble(options: Parameters<typeof renderSide>[0], left: Float32Array, right: Float32Array | null): number {
  const withDc = renderSide(options, left.map((x) => x + 0.1), right ? right.map((x) => x + 0.1) : null);
  const without = renderSide(options, left, right);
  return rmsBelow20Hz(withDc.map((x, i) => x - without[i])) / 0.1;
}

const format = (value: number): string => value.toExponential(1).padStart(9);
console.log(`Side DC and subsonic shares at ${sampleRate} Hz (${(length / sampleRate).toFixed(1)} s, measured from ${SETTLE_SECONDS} s):`);
console.log('mode     bass mono input          DC  DC+music    wobble      5 Hz    L-R DC  spread 0');
for (const mode of ['live', 'quality'] as LatencyMode[]) {
  for (const bassMonoHz of [120, 0]) {
    const options = { sampleRate, mode, controls: { bassMonoHz } };
    const bass = bassMonoHz > 0 ? `${bassMonoHz} Hz` : 'off';
    const monoRow = [
      Math.abs(settledMean(renderSide(options, dc, null), sampleRate)) / 0.5,
      sideDcShare(options, music, null, 0.1, 0.1, 0.1),
      wobble(options, music, null),
      settledAmplitude(renderSide(options, sine, null), sampleRate, 5) / 0.5,
    ];
    console.log(`${mode.padEnd(8)} ${bass.padEnd(9)} mono   ${monoRow.map(format).join(' ')}`);
    const stereoRow = [
      sideDcShare(options, stereo.left, stereo.right, 0.1, 0.1, 0.1),
      wobble(options, stereo.left, stereo.right),
      sideDcShare({ ...options, input: 'stereo' }, stereo.left, stereo.right, 0.2, 0, 0.1),
      sideDcShare({ ...options, controls: { bassMonoHz, spread: 0 } }, stereo.left, stereo.right, 0.1, 0.1, 0.1),
    ];
    console.log(`${mode.padEnd(8)} ${bass.padEnd(9)} stereo ${''.padStart(9)} ${format(stereoRow[0])} ${format(stereoRow[1])} ${''.padStart(9)} ${format(stereoRow[2])} ${format(stereoRow[3])}`);
  }
}

console.log('');
console.log('Bands 0-4 (60-456 Hz), pink noise, uniform cues, bass mono off, no ICC loop, no low-band path: measured ICC | |ILD| dB');
const noise = pinkNoise(10 * sampleRate, 22);
for (const mode of ['quality', 'live'] as LatencyMode[]) {
  for (const [icc, ild] of [[0, 10], [0.25, 10], [1, 10], [0, 3]]) {
    const engineOptions = { sampleRate, mode, cueSource: FixedCueSource.uniform(icc, ild), controls: { bassMonoHz: 0 }, panDirections: new Array<number>(BAND_COUNT).fill(1), iccFeedback: false, lowBandPath: false };
    const { left, right, engine } = renderEngine(noise, engineOptions);
    const measured = measureBands(left, right, sampleRate, engine.layout.edges, engine.latency + 4096, 1024);
    const bands = [0, 1, 2, 3, 4];
    console.log(`${mode.padEnd(8)} ICC ${String(icc).padEnd(4)} ILD ${String(ild).padEnd(3)}: ${bands.map((b) => measured.icc[b].toFixed(3)).join(' ')} | ${bands.map((b) => Math.abs(measured.ildDb[b]).toFixed(2)).join(' ')}`);
  }
}
