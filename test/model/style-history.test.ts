import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEPT_STYLES, MAX_STYLE_ID, nextStyleId, StyleHistory } from '../../src/model/style-history.js';
import { BAND_COUNT } from '../../src/dsp/bands.js';
import type { Style } from '../../src/style/style.js';

const flatStyle = (icc: number, ildDb: number): Style => ({ icc: new Array<number>(BAND_COUNT).fill(icc), ildDb: new Array<number>(BAND_COUNT).fill(ildDb) });

test('StyleHistory: a frame gets the style of its stamp; a stamp not arrived yet the latest arrived; none before any', () => {
  const history = new StyleHistory();
  assert.equal(history.styleFor(0), null, 'the model\'s default before any style');
  const first = flatStyle(0.2, 3);
  const second = flatStyle(0.9, 1);
  const third = flatStyle(0.5, 6);
  history.add(0, first);
  history.add(2, second); // a later style sent before an earlier timed one was stamped
  history.add(1, third);
  assert.equal(history.styleFor(0), first);
  assert.equal(history.styleFor(2), second, 'by id, not by arrival');
  assert.equal(history.styleFor(1), third);
  assert.equal(history.styleFor(7), third, 'not arrived yet: the latest that arrived');
});

test('StyleHistory: keeps the latest KEPT_STYLES styles; ids wrap after MAX_STYLE_ID', () => {
  const history = new StyleHistory();
  const styles = Array.from({ length: KEPT_STYLES + 1 }, (_, i) => flatStyle(i / (KEPT_STYLES + 1), 1));
  styles.forEach((style, id) => history.add(id, style));
  assert.equal(history.styleFor(1), styles[1], 'the oldest kept');
  assert.equal(history.styleFor(0), styles[KEPT_STYLES], 'dropped: as one not arrived, the latest');
  assert.equal(nextStyleId(0), 1);
  assert.equal(nextStyleId(MAX_STYLE_ID), 0);
  assert.equal(Math.fround(MAX_STYLE_ID), MAX_STYLE_ID, 'exact in a float32 record');
});
