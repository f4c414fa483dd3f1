/**
 * Faults are reported and survived, through the built package (dist/) in Chromium: a model Worker that
 * dies mid-playback becomes a `modelerror` event with the reason while the node goes on (on the fixed
 * profile); one that dies mid offline render costs the render one wait, not one per frame (the render is
 * reported as degraded); malformed port messages are counted and ignored. The Worker "dies" through the
 * testing option `exitAfterFrames` (it closes itself, as a crashed Worker would stop answering).
 * Needs `npm run build`. Pages are served by demo/serve.mjs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { HANG_GUARD_MS } from '../support/hang-guard.js';
import { openPackagePages, PACKAGE_URL, type PackagePages } from '../support/package-pages.js';


describe('model Worker faults in Chromium', () => {
  let pages: PackagePages | undefined;
  let isolatedPage: Page;
  let plainPage: Page;

  before(async () => {
    pages = await openPackagePages();
    ({ isolatedPage, plainPage } = pages);
  });

  after(async () => {
    await pages?.close();
  });

  test('the Worker dies mid offline render (shared rings): one wait, then the render finishes, reported as degraded', async () => {
    const result = await isolatedPage.evaluate(async (packageUrl: string) => {
      const { createUpmixer } = (await import(packageUrl)) as typeof import('../../src/index.js');
      const sampleRate = 48_000;
      const length = 20 * sampleRate; // 20 s: a wait per remaining frame (5 s each) would take hours
      const context = new OfflineAudioContext(2, length, sampleRate);
      const node = await createUpmixer(context, { model: { exitAfterFrames: 40 } });
      const oscillator = new OscillatorNode(context, { type: 'sawtooth', frequency: 220 });
      oscillator.connect(node).connect(context.destination);
      oscillator.start();
      const started = performance.now();
      const rendered = await context.startRendering();
      const seconds = (performance.now() - started) / 1000;
      const left = rendered.getChannelData(0);
      const right = rendered.getChannelData(1);
      let side = 0;
      let finite = true;
      for (let i = length - sampleRate; i < length; i++) {
        side += (left[i] - right[i]) ** 2;
        if (!Number.isFinite(left[i]) || !Number.isFinite(right[i])) finite = false;
      }
      const stats = await node.getStats();
      node.dispose();
      return { seconds, side, finite, stats, isolated: crossOriginIsolated };
    }, PACKAGE_URL);
    assert.equal(result.isolated, true);
    assert.equal(result.stats.degraded, true, JSON.stringify(result.stats));
    assert.ok(result.stats.modelFrames >= 30 && result.stats.lateFrames > 1000, JSON.stringify(result.stats));
    // One 5 s wait, not 5 s per frame: over 1000 late frames, that would be more than an hour, which the
    // evaluate's protocol timeout (launchChromium: HANG_GUARD_MS and a minute) ends as a failure. No
    // bound on the seconds themselves: the render's own time scales with the machine's load.
    console.log(`the render with one wait took ${result.seconds.toFixed(1)} s`);
    assert.ok(result.finite && result.side > 1, `the last second still has a side: ${result.side}`);
  });

  test('the Worker dies mid-playback (no shared memory): modelerror with the reason, the node goes on with the fixed profile', async () => {
    const result = await plainPage.evaluate(async (packageUrl: string, hangGuardMs: number) => {
      const { createUpmixer } = (await import(packageUrl)) as typeof import('../../src/index.js');
      const context = new AudioContext({ sampleRate: 48_000 });
      await context.resume();
      const node = await createUpmixer(context, { model: { exitAfterFrames: 60 } });
      const oscillator = new OscillatorNode(context, { type: 'sawtooth', frequency: 220 });
      const analysers = [new AnalyserNode(context, { fftSize: 4096 }), new AnalyserNode(context, { fftSize: 4096 })];
      const splitter = new ChannelSplitterNode(context, { numberOfOutputs: 2 });
      oscillator.connect(node).connect(splitter);
      splitter.connect(analysers[0], 0);
      splitter.connect(analysers[1], 1);
      oscillator.start();
      const statuses: string[] = [];
      node.addEventListener('modelstatus', (event) => statuses.push((event as CustomEvent).detail.status));
      const error = await new Promise<string>((resolve) => {
        node.addEventListener('modelerror', (event) => resolve((event as CustomEvent).detail.error), { once: true });
        setTimeout(() => resolve(`no modelerror within ${hangGuardMs / 1000} s`), hangGuardMs);
      });
      const atError = await node.getStats();
      // A second of the node's audio after the error (its own quanta, not the wall clock: see
      // test/browser/support/rendered-quanta.ts), or the hang guard.
      const deadline = performance.now() + hangGuardMs;
      let later = await node.getStats();
      while (later.quanta < atError.quanta + context.sampleRate / 128 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        later = await node.getStats();
      }
      const left = new Float32Array(4096);
      const right = new Float32Array(4096);
      analysers[0].getFloatTimeDomainData(left);
      analysers[1].getFloatTimeDomainData(right);
      let level = 0;
      let side = 0;
      for (let i = 0; i < left.length; i++) {
        level += left[i] ** 2 + right[i] ** 2;
        side += (left[i] - right[i]) ** 2;
      }
      const status = node.modelStatus;
      node.dispose();
      await context.close();
      return { error, statuses, status, atError, later, level, side, isolated: crossOriginIsolated };
    }, PACKAGE_URL, HANG_GUARD_MS);
    assert.equal(result.isolated, false);
    assert.match(result.error, /model worker stopped answering/);
    assert.equal(result.status, 'failed');
    assert.deepEqual(result.statuses.slice(-1), ['failed']);
    assert.ok(result.atError.modelFrames > 0, JSON.stringify(result.atError));
    assert.ok(result.later.fallbackFrames > result.atError.fallbackFrames, `back on the fixed profile: ${JSON.stringify(result.later)}`);
    assert.ok(result.later.quanta > result.atError.quanta, 'the audio goes on');
    assert.ok(result.level > 1 && result.side > 0.1, `output level ${result.level}, side ${result.side}`);
  });

  test('malformed port messages are counted and ignored; the node still plays', async () => {
    const result = await plainPage.evaluate(async (packageUrl: string, hangGuardMs: number) => {
      const { createUpmixer } = (await import(packageUrl)) as typeof import('../../src/index.js');
      const context = new AudioContext({ sampleRate: 48_000 });
      await context.resume();
      const node = await createUpmixer(context, { model: false });
      const oscillator = new OscillatorNode(context, { frequency: 440 });
      oscillator.connect(node).connect(context.destination);
      oscillator.start();
      const errors: string[] = [];
      node.addEventListener('processorerror', () => errors.push('processorerror'));
      for (const junk of [{ type: 'attach-model' }, { type: 'attach-model', port: 5 }, { type: 'set-variation', variation: 'x' }, { type: 'get-stats' }, 42, null, 'dispose']) {
        node.port.postMessage(junk);
      }
      const before = await node.getStats();
      // Until the processor renders again (a processor that stopped never does: the hang guard ends the wait).
      const deadline = performance.now() + hangGuardMs;
      let after = await node.getStats();
      while (after.quanta <= before.quanta && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = await node.getStats();
      }
      const status = node.processorStatus;
      node.dispose();
      await context.close();
      return { before, after, status, errors };
    }, PACKAGE_URL, HANG_GUARD_MS);
    assert.equal(result.before.malformedMessages, 7);
    assert.equal(result.status, 'running');
    assert.deepEqual(result.errors, []);
    assert.ok(result.after.quanta > result.before.quanta, 'still processing');
  });
});
