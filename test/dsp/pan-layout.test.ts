import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BandLayout } from '../../src/dsp/bands.js';
import { LAYOUT_SPLIT_HZ, PanLayout } from '../../src/dsp/pan-layout.js';
import { allocatedBytes } from '../support/allocation.js';

const centres = new BandLayout(48_000, 1024).centres;

test('PanLayout: every band leans +1 or -1, half each way above the split, the bands below with the first above', () => {
  for (let variation = 1; variation <= 50; variation++) {
    const { directions } = new PanLayout(centres, variation);
    let firstFree = 0;
    while (centres[firstFree] < LAYOUT_SPLIT_HZ) firstFree++;
    let left = 0;
    for (let b = 0; b < directions.length; b++) {
      assert.ok(directions[b] === 1 || directions[b] === -1, `variation ${variation}, band ${b}: ${directions[b]}`);
      if (b >= firstFree && directions[b] === 1) left++;
      if (b < firstFree) assert.equal(directions[b], directions[firstFree]);
    }
    const free = directions.length - firstFree;
    assert.ok(Math.abs(left - free / 2) <= 1, `variation ${variation}: ${left} of ${free} lean left`);
  }
});

test('PanLayout: a seed gives the same layout every time, different seeds different layouts, and setVariation equals a new layout', () => {
  const a = new PanLayout(centres, 7);
  assert.deepEqual(Array.from(a.directions), Array.from(new PanLayout(centres, 7).directions));
  const distinct = new Set<string>();
  for (let variation = 1; variation <= 20; variation++) distinct.add(Array.from(new PanLayout(centres, variation).directions).join(','));
  assert.ok(distinct.size >= 10, `${distinct.size} distinct layouts of 20`);
  a.setVariation(12);
  assert.deepEqual(Array.from(a.directions), Array.from(new PanLayout(centres, 12).directions));
});

test('PanLayout: setVariation allocates nothing (it runs on the audio thread)', async () => {
  const layout = new PanLayout(centres, 1);
  for (let i = 0; i < 20_000; i++) layout.setVariation(i); // warm up
  const { bytes, where } = await allocatedBytes(() => {
    for (let i = 0; i < 100_000; i++) layout.setVariation(i);
  });
  // Two subarray views per call (the old code) would be about 20 MB.
  assert.ok(bytes < 32 * 1024, `${bytes} bytes allocated over 100,000 variation changes (${where})`);
});
