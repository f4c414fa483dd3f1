/**
 * A preset chosen on the command line holds the model's cues at its image (`holdStyle`); a style file's
 * numbers stay a hint, as a reference's do (`--reference` is tested end to end in cli-style.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileOptions, type RunSettings } from '../../src/cli/settings.js';
import { resolveStyleChoice } from '../../src/cli/style-choice.js';
import { STYLE_PRESETS } from '../../src/style/presets.js';
import { temporaryFolder } from './support.js';

test('--style NAME holds the model at the preset; --style FILE.json is a hint', async () => {
  const preset = await resolveStyleChoice({ preset: STYLE_PRESETS[0].name });
  assert.equal(preset.preset, true);
  const file = join(temporaryFolder(), 'mine.json');
  await writeFile(file, JSON.stringify({ icc: Array(24).fill(0.5), ildDb: Array(24).fill(3) }));
  const numbers = await resolveStyleChoice({ file });
  assert.equal(numbers.preset, false);
  const withStyle = (style: RunSettings['style']): RunSettings => ({ style }) as RunSettings;
  assert.equal(fileOptions(withStyle(preset), undefined).holdStyle, true);
  assert.equal(fileOptions(withStyle(numbers), undefined).holdStyle, false);
});
