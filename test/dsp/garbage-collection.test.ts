import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineGarbageCollections } from '../support/gc-count.js';

for (const mode of ['live', 'quality'] as const) {
  test(`engine, ${mode} mode: no garbage collection in 100,000 steady-state quanta with controls and variation moving`, async () => {
    assert.equal(await engineGarbageCollections(mode, 100_000), 0);
  });
}
