/**
 * Each preset produces the image it claims (issue 9): on music-like material upmixed with the shipped
 * model conditioned on the preset and its cues held at it (quality mode, the CLI's batch API, as
 * `--style NAME` does), the output's per-band mean tile ICC (design section 5's measure,
 * test/support/tile-icc.ts) is within 0.05 of the preset's ICC in every band from 170 Hz to 6 kHz. Runs
 * over whatever presets presets.json holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadModelFile } from '../../src/cli/model-file.js';
import { upmixFile } from '../../src/cli/upmix-file.js';
import { STYLE_PRESETS } from '../../src/style/presets.js';
import type { Style } from '../../src/style/style.js';
import { readWav, temporaryFolder, writeWav } from '../cli/support.js';
import { ensembleChords } from '../support/music-like.js';
import { bandsCentredBetween, meanTileIcc } from '../support/tile-icc.js';

const SAMPLE_RATE = 44_100;
const TOLERANCE = 0.05;
const BANDS = bandsCentredBetween(170, 6000);

const folder = temporaryFolder();
const inPath = join(folder, 'music.wav');
await writeWav(inPath, [ensembleChords(SAMPLE_RATE, 6)], SAMPLE_RATE, 'float32');

/**
 * Per-band mean tile ICC of the music upmixed with the shipped model and `style` (undefined: the default),
 * held at the style (a preset) or not (a hint the model blends, as a reference's numbers are).
 */
const { model } = await loadModelFile();
async function modelImage(name: string, style: Style | undefined, holdStyle: boolean): Promise<Float64Array> {
  const outPath = join(folder, `${name}-${holdStyle ? 'held' : 'hint'}.wav`);
  await upmixFile(inPath, outPath, { model, style, holdStyle, mode: 'quality', outputEncoding: 'float32' });
  const { channels } = await readWav(outPath);
  // Past the first second: the model's first cues and the engine's feedback settling.
  return meanTileIcc(channels[0], channels[1], SAMPLE_RATE, SAMPLE_RATE);
}
const defaultImage = await modelImage('default', undefined, false);
const images = new Map<string, Float64Array>();
const hintImages = new Map<string, Float64Array>();
for (const preset of STYLE_PRESETS) {
  images.set(preset.name, await modelImage(preset.name, preset.style, true));
  hintImages.set(preset.name, await modelImage(preset.name, preset.style, false));
}
await model.release();

/** Mean over {@link BANDS} of |image - the style's ICC|. */
function meanError(image: Float64Array, style: Style): number {
  return BANDS.reduce((sum, b) => sum + Math.abs(image[b] - style.icc[b]), 0) / BANDS.length;
}

// The model alone blends a condition with its own estimate from the audio, which on steady chords is
// "narrow": as a hint, 3 of the 4 presets missed by up to 0.12 (the next test). Held, every band is within.
test(`each preset's image: with the shipped model, the output's mean tile ICC within ${TOLERANCE} of the preset's from 170 Hz to 6 kHz`, (t) => {
  assert.ok(STYLE_PRESETS.length > 0, 'presets.json has no presets');
  const misses: string[] = [];
  for (const preset of STYLE_PRESETS) {
    const icc = images.get(preset.name) as Float64Array;
    let largest = { band: BANDS[0], error: 0 };
    for (const b of BANDS) {
      const error = Math.abs(icc[b] - preset.style.icc[b]);
      if (!(error <= TOLERANCE)) misses.push(`${preset.name}: band ${b} ${icc[b].toFixed(3)} (preset ${preset.style.icc[b].toFixed(3)})`);
      if (!(error <= largest.error)) largest = { band: b, error };
    }
    t.diagnostic(`${preset.name}: mean |ICC error| ${meanError(icc, preset.style).toFixed(3)}, largest ${largest.error.toFixed(3)} in band ${largest.band} (${icc[largest.band].toFixed(3)} for ${preset.style.icc[largest.band].toFixed(3)})`);
  }
  assert.deepEqual(misses, []);
});

// Given as a hint (not held), the model still follows a style: one far from what the default render gives
// (mean |error| over 0.1) pulls the output at least halfway to it, and the outputs come out in the
// styles' order of width. (natural is close to the corpus mean: the default render is 0.053 from it.)
test('given as a hint (a reference\'s way), each preset far from the default render pulls the model\'s output at least halfway to its image, and the outputs keep the presets\' order of width', (t) => {
  assert.ok(STYLE_PRESETS.length > 0, 'presets.json has no presets');
  const found: string[] = [];
  for (const preset of STYLE_PRESETS) {
    const withPreset = meanError(hintImages.get(preset.name) as Float64Array, preset.style);
    const withDefault = meanError(defaultImage, preset.style);
    t.diagnostic(`${preset.name}: mean |ICC - preset| ${withPreset.toFixed(3)} (the default render: ${withDefault.toFixed(3)})`);
    if (withDefault > 0.1 && !(withPreset <= 0.5 * withDefault)) found.push(`${preset.name}: ${withPreset.toFixed(3)} with the preset, ${withDefault.toFixed(3)} without`);
  }
  const meanIcc = (icc: ArrayLike<number>): number => BANDS.reduce((sum, b) => sum + icc[b], 0) / BANDS.length;
  const byPreset = [...STYLE_PRESETS].sort((a, b) => meanIcc(a.style.icc) - meanIcc(b.style.icc)).map((p) => p.name);
  const byOutput = [...STYLE_PRESETS].sort((a, b) => meanIcc(hintImages.get(a.name) as Float64Array) - meanIcc(hintImages.get(b.name) as Float64Array)).map((p) => p.name);
  assert.deepEqual(found, []);
  assert.deepEqual(byOutput, byPreset, 'narrowest to widest');
});
