/**
 * Each preset produces the image it claims (issue 9): on music-like material upmixed with the shipped
 * model conditioned on the preset (quality mode, the CLI's batch API), the output's per-band mean tile
 * ICC (design section 5's measure, test/support/tile-icc.ts) is within 0.05 of the preset's ICC in every
 * band from 170 Hz to 6 kHz. Runs over whatever presets presets.json holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadModelFile } from '../../src/cli/model-file.js';
import { upmixFile } from '../../src/cli/upmix-file.js';
import { STYLE_PRESETS } from '../../src/style/presets.js';
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
 * Per preset, the bands where the output's mean tile ICC misses the preset's, in words, and each preset's
 * largest miss (for the test's diagnostics).
 */
async function presetMisses(): Promise<{ misses: string[]; worst: string[] }> {
  const { model } = await loadModelFile();
  const found: string[] = [];
  const worst: string[] = [];
  try {
    for (const preset of STYLE_PRESETS) {
      const outPath = join(folder, `${preset.name}.wav`);
      await upmixFile(inPath, outPath, { model, style: preset.style, mode: 'quality', outputEncoding: 'float32' });
      const { channels } = await readWav(outPath);
      // Past the first second: the model's first cues and the engine's feedback settling.
      const icc = meanTileIcc(channels[0], channels[1], SAMPLE_RATE, SAMPLE_RATE);
      let largest = { band: BANDS[0], error: 0 };
      for (const b of BANDS) {
        const error = Math.abs(icc[b] - preset.style.icc[b]);
        if (!(error <= TOLERANCE)) found.push(`${preset.name}: band ${b} ${icc[b].toFixed(3)} (preset ${preset.style.icc[b].toFixed(3)})`);
        if (!(error <= largest.error)) largest = { band: b, error };
      }
      const meanError = BANDS.reduce((sum, b) => sum + Math.abs(icc[b] - preset.style.icc[b]), 0) / BANDS.length;
      worst.push(`${preset.name}: mean |ICC error| ${meanError.toFixed(3)}, largest ${largest.error.toFixed(3)} in band ${largest.band} (${icc[largest.band].toFixed(3)} for ${preset.style.icc[largest.band].toFixed(3)})`);
    }
  } finally {
    await model.release();
  }
  return { misses: found, worst };
}

test(`each preset's image: with the shipped model, the output's mean tile ICC within ${TOLERANCE} of the preset's from 170 Hz to 6 kHz`, async (t) => {
  assert.ok(STYLE_PRESETS.length > 0, 'presets.json has no presets');
  const { misses, worst } = await presetMisses();
  for (const line of worst) t.diagnostic(line);
  assert.deepEqual(misses, []);
});
