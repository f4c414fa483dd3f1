/** The preset list (presets.json through presets.ts): what the CLI, the element, the WAM and the Tone node share. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkStyle, DEFAULT_STYLE, findStylePreset, STYLE_PRESETS, StyleError } from '../../src/style/presets.js';

test('presets: a handful, each with a distinct name and a one-line description, found by name in any case', () => {
  assert.ok(STYLE_PRESETS.length >= 3, `${STYLE_PRESETS.length} presets`);
  const names = STYLE_PRESETS.map((preset) => preset.name.toLowerCase());
  assert.equal(new Set(names).size, names.length, `names ${names.join(', ')}`);
  for (const preset of STYLE_PRESETS) {
    assert.match(preset.name, /^[a-z][a-z0-9 -]*$/, 'a name one can type: lower case, spaces or hyphens');
    assert.ok(preset.description.length > 10 && !preset.description.includes('\n'), `${preset.name}: "${preset.description}"`);
    assert.equal(findStylePreset(preset.name.toUpperCase()), preset);
    // Not the default under another name.
    assert.ok(preset.style.icc.some((icc, b) => Math.abs(icc - DEFAULT_STYLE.icc[b]) > 0.02), `${preset.name} is the default style`);
  }
  assert.equal(findStylePreset('no such style'), undefined);
});

test('checkStyle: says which number is wrong', () => {
  const good = { icc: new Array(24).fill(0.5), ildDb: new Array(24).fill(2) };
  assert.deepEqual(checkStyle('x', good), good);
  assert.throws(() => checkStyle('x', { ...good, icc: good.icc.slice(1) }), (e: unknown) => e instanceof StyleError && /x: "icc" must be an array of 24 numbers/.test(e.message));
  assert.throws(() => checkStyle('x', { ...good, ildDb: [...good.ildDb.slice(1), 41] }), /x: "ildDb"\[23\] is 41; use a number from 0 to 40/);
  assert.throws(() => checkStyle('x', { ...good, icc: [Number.NaN, ...good.icc.slice(1)] }), /"icc"\[0\] is null/);
  assert.throws(() => checkStyle('x', null), /expected an object with "icc" and "ildDb"/);
});
