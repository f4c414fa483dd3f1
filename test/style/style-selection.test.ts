/**
 * How the faces resolve a style (a preset's name, `default`, numbers) and give it back (a new node, a
 * saved state), and the fixed cue source taking a style's numbers and going back to its profile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAND_COUNT, BandLayout } from '../../src/dsp/bands.js';
import { createCues, FixedCueSource, type FrameAnalysis } from '../../src/dsp/cue-source.js';
import { frameConfigFor } from '../../src/dsp/frame-config.js';
import { DEFAULT_STYLE, STYLE_PRESETS, StyleError } from '../../src/style/presets.js';
import { selectStyle, styleArguments, styleNames } from '../../src/style/style-selection.js';

const flat = (icc: number, ildDb: number): { icc: number[]; ildDb: number[] } => ({ icc: new Array<number>(BAND_COUNT).fill(icc), ildDb: new Array<number>(BAND_COUNT).fill(ildDb) });

test('selectStyle: default, every preset by name in any case, numbers (custom, or a reference\'s name); unknown names and bad numbers throw StyleError', () => {
  assert.deepEqual(styleNames(), ['default', ...STYLE_PRESETS.map((preset) => preset.name)]);
  assert.deepEqual(selectStyle('DEFAULT'), { style: DEFAULT_STYLE, name: 'default', isDefault: true, isPreset: false });
  for (const preset of STYLE_PRESETS) assert.deepEqual(selectStyle(preset.name.toUpperCase()), { style: preset.style, name: preset.name, isDefault: false, isPreset: true });
  assert.equal(selectStyle(flat(0.5, 3)).name, 'custom');
  assert.equal(selectStyle(flat(0.5, 3), 'mix.wav').name, 'reference: mix.wav');
  // Only a preset holds the model's cues at its image; numbers and references are hints.
  assert.equal(selectStyle(flat(0.5, 3)).isPreset, false);
  assert.equal(selectStyle(flat(0.5, 3), 'mix.wav').isPreset, false);
  assert.throws(() => selectStyle('loud'), (error: unknown) => error instanceof StyleError && /style "loud" is not known: use one of default/.test(error.message));
  assert.throws(() => selectStyle(flat(0.5, 41)), (error: unknown) => error instanceof StyleError && /"ildDb"\[0\] is 41/.test(error.message));
});

test('styleArguments gives back what selectStyle took: names for presets and default, numbers (and the reference\'s name) otherwise', () => {
  const style = flat(0.4, 2);
  for (const name of styleNames()) assert.deepEqual(styleArguments(name, selectStyle(name).style), { style: name });
  assert.deepEqual(styleArguments('custom', style), { style });
  assert.deepEqual(styleArguments('reference: take 2.wav', style), { style, referenceName: 'take 2.wav' });
  const { style: again, referenceName } = styleArguments('reference: take 2.wav', style);
  assert.equal(selectStyle(again, referenceName).name, 'reference: take 2.wav');
});

test('FixedCueSource: a style\'s numbers per band (clamped; NaN keeps the profile), and back to the profile', () => {
  const config = frameConfigFor(48_000, 'quality');
  const source = new FixedCueSource();
  source.prepare(config, new BandLayout(48_000, config.frameSize));
  const cues = createCues(BAND_COUNT);
  const analysis: FrameAnalysis = { frameIndex: 0, bandPowers: new Float64Array(BAND_COUNT) };
  source.next(analysis, cues);
  const profile = { iccs: Float64Array.from(cues.iccs), ilds: Float64Array.from(cues.ildMagnitudesDb) };
  const iccs = new Float32Array(BAND_COUNT).fill(0.3);
  const ilds = new Float32Array(BAND_COUNT).fill(5);
  iccs[1] = 1.5;
  iccs[2] = -0.1;
  iccs[3] = Number.NaN;
  ilds[4] = 50;
  source.setBandCues(iccs, ilds);
  source.next(analysis, cues);
  assert.equal(cues.iccs[0], Math.fround(0.3));
  assert.equal(cues.iccs[1], 1);
  assert.equal(cues.iccs[2], 0);
  assert.equal(cues.iccs[3], profile.iccs[3]);
  assert.equal(cues.ildMagnitudesDb[4], 40);
  assert.equal(cues.ildMagnitudesDb[5], 5);
  source.resetBandCues();
  source.next(analysis, cues);
  assert.deepEqual(cues.iccs, profile.iccs);
  assert.deepEqual(cues.ildMagnitudesDb, profile.ilds);
});
