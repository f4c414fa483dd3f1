/**
 * The learned model in Chromium, end to end through the built package (dist/): the model Worker's cues
 * reach the engine over shared rings (cross-origin isolated page) and over a MessagePort (page without
 * isolation); offline renders are identical run to run and equal the CLI's output; a slow Worker never
 * stops the audio; each model-loading failure fires `modelerror` while the node keeps sounding.
 * Needs `npm run build` (npm test runs it first). Pages are served by demo/serve.mjs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { upmixFile } from '../../src/cli/upmix-file.js';
import { loadModelFile } from '../../src/cli/model-file.js';
import { readWav, temporaryFolder, writeWav } from '../cli/support.js';
import { openPackagePages, PACKAGE_URL, type PackagePages } from '../support/package-pages.js';
import { HANG_GUARD_MS } from '../support/hang-guard.js';


const SAMPLE_RATE = 48_000;
const SECONDS = 3;

/** The test signal, made the same way in Node and in the page: a seeded LCG noise burst pattern. */
function testSignal(length: number): Float32Array {
  const out = new Float32Array(length);
  let seed = 12345;
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const envelope = 0.2 + 0.2 * Math.sin((2 * Math.PI * i) / 24_000);
    out[i] = envelope * ((seed / 2147483648) * 2 - 1);
  }
  return out;
}

interface RenderResult {
  left: number[];
  right: number[];
  stats: { modelFrames: number; lateFrames: number; fallbackFrames: number };
  status: string;
  error?: string;
  events: string[];
  isolated: boolean;
}

/** A style change timed during a render: `setStyle(style, undefined, at)` before it starts. */
interface TimedStyle {
  readonly style: string | { icc: number[]; ildDb: number[] };
  readonly at: number;
}

/** Renders the test signal offline in the page through createUpmixer; `model` as createUpmixer takes it. */
async function renderInPage(page: Page, model: unknown, modelBytes?: number[], timedStyle?: TimedStyle): Promise<RenderResult> {
  return page.evaluate(
    async (packageUrl: string, sampleRate: number, seconds: number, signalSource: string, modelOption: unknown, bytes: number[] | undefined, timed: TimedStyle | undefined) => {
      const { createUpmixer } = (await import(packageUrl)) as typeof import('../../src/index.js');
      const makeSignal = new Function(`return ${signalSource}`)() as (length: number) => Float32Array;
      const length = sampleRate * seconds;
      const context = new OfflineAudioContext(2, length, sampleRate);
      const buffer = context.createBuffer(1, length, sampleRate);
      buffer.getChannelData(0).set(makeSignal(length));
      const source = new AudioBufferSourceNode(context, { buffer });
      let option = modelOption;
      if (bytes) option = { url: URL.createObjectURL(new Blob([new Uint8Array(bytes)])) };
      const events: string[] = [];
      const node = await createUpmixer(context, { model: option as boolean });
      node.addEventListener('modelstatus', (event) => events.push((event as CustomEvent).detail.status));
      node.addEventListener('modelerror', () => events.push('modelerror'));
      source.connect(node).connect(context.destination);
      source.start();
      if (timed) {
        node.setStyle(timed.style, undefined, timed.at);
        await node.getStats(); // the processor has it before the render starts
      }
      const rendered = await context.startRendering();
      const stats = await node.getStats();
      return {
        left: Array.from(rendered.getChannelData(0)),
        right: Array.from(rendered.getChannelData(1)),
        stats,
        status: node.modelStatus,
        error: node.modelError,
        events,
        isolated: crossOriginIsolated,
      };
    },
    PACKAGE_URL,
    SAMPLE_RATE,
    SECONDS,
    testSignal.toString(),
    model,
    modelBytes,
    timedStyle,
  );
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('learned model in Chromium', () => {
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

  test('offline, shared memory: every frame gets its own model cues; two renders are identical and equal the CLI output', async () => {
    const first = await renderInPage(isolatedPage, true);
    assert.equal(first.isolated, true);
    assert.equal(first.status, 'model', first.error);
    assert.equal(first.stats.lateFrames, 0, JSON.stringify(first.stats));
    assert.ok(first.stats.modelFrames > 250, JSON.stringify(first.stats));
    assert.ok(first.stats.fallbackFrames <= 2, JSON.stringify(first.stats));
    const second = await renderInPage(isolatedPage, true);
    assert.equal(maxDifference(first.left, second.left), 0);
    assert.equal(maxDifference(first.right, second.right), 0);

    // The CLI on the same input, with the same model (its output is latency-compensated: shift back).
    const folder = temporaryFolder();
    const inPath = join(folder, 'in.wav');
    const outPath = join(folder, 'out.wav');
    await writeWav(inPath, [testSignal(SAMPLE_RATE * SECONDS)], SAMPLE_RATE, 'float32');
    const { model } = await loadModelFile();
    const result = await upmixFile(inPath, outPath, { model, mode: 'quality' });
    const [cliLeft, cliRight] = (await readWav(outPath)).channels;
    const latency = result.latency;
    const length = first.left.length - latency;
    const difference = Math.max(
      maxDifference(first.left.slice(latency), cliLeft.subarray(0, length)),
      maxDifference(first.right.slice(latency), cliRight.subarray(0, length)),
    );
    assert.ok(difference < 1e-5, `browser and CLI differ by up to ${difference}`);
    // And the model made a difference: the fixed profile gives another output.
    const fixed = await renderInPage(isolatedPage, false);
    assert.equal(fixed.status, 'off');
    assert.ok(maxDifference(first.left, fixed.left) > 1e-3);
  });

  test('offline, shared memory: a style timed during the render conditions the model from its time on; before it the output is the plain render\'s, sample for sample; renders are identical', async () => {
    const at = 1.5;
    const frame = at * SAMPLE_RATE; // a render quantum's start
    const plain = await renderInPage(isolatedPage, true);
    // Numbers, not a preset: the model takes them as a hint (no hold), so only the model's condition changes.
    const wide: TimedStyle = { style: { icc: new Array<number>(24).fill(0.1), ildDb: new Array<number>(24).fill(9) }, at };
    const first = await renderInPage(isolatedPage, true, undefined, wide);
    const second = await renderInPage(isolatedPage, true, undefined, wide);
    for (const result of [plain, first, second]) {
      assert.equal(result.status, 'model', result.error);
      assert.equal(result.stats.lateFrames, 0, JSON.stringify(result.stats));
    }
    for (const channel of ['left', 'right'] as const) {
      assert.equal(maxDifference(first[channel].slice(0, frame), plain[channel].slice(0, frame)), 0, `${channel}: before its time`);
      assert.ok(maxDifference(first[channel].slice(frame), plain[channel].slice(frame)) > 1e-3, `${channel}: after its time, the style changed nothing`);
      assert.equal(maxDifference(first[channel], second[channel]), 0, `${channel}: two renders differ`);
    }
    // A preset (held too) at the same time: before it the same, after it another output again.
    const preset = await renderInPage(isolatedPage, true, undefined, { style: 'modern-wide', at });
    assert.equal(maxDifference(preset.left.slice(0, frame), plain.left.slice(0, frame)), 0, 'preset: before its time');
    assert.ok(maxDifference(preset.left.slice(frame), first.left.slice(frame)) > 1e-3, 'preset: after its time');
  });

  test('no shared memory: the model reaches the engine over a MessagePort in a running AudioContext', async () => {
    const stats = await plainPage.evaluate(async (packageUrl: string, hangGuardMs: number) => {
      const { createUpmixer } = (await import(packageUrl)) as typeof import('../../src/index.js');
      const context = new AudioContext({ sampleRate: 48_000 });
      await context.resume();
      const node = await createUpmixer(context);
      const oscillator = new OscillatorNode(context, { frequency: 440 });
      oscillator.connect(node).connect(context.destination);
      oscillator.start();
      // The Worker compiles onnxruntime's wasm first (seconds on a busy machine); the audio runs meanwhile.
      if (node.modelStatus === 'loading') {
        await new Promise((resolve) => node.addEventListener('modelstatus', resolve, { once: true }));
      }
      // 100 frames are about 1 s of audio; the deadline only guards against a hang.
      const deadline = performance.now() + hangGuardMs;
      let latest = await node.getStats();
      while (performance.now() < deadline && latest.modelFrames < 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        latest = await node.getStats();
      }
      const status = node.modelStatus;
      node.dispose();
      await context.close();
      return { ...latest, status, isolated: crossOriginIsolated, audioSeconds: context.currentTime };
    }, PACKAGE_URL, HANG_GUARD_MS);
    assert.equal(stats.isolated, false);
    assert.equal(stats.status, 'model');
    assert.ok(stats.modelFrames >= 100, JSON.stringify(stats));
  });

  test('a slow Worker (answers 40 ms late) never stops the audio: late frames are held and counted, output finite and continuous', async () => {
    const slow = await renderInPage(plainPage, { answerDelayMs: 40 });
    assert.equal(slow.isolated, false);
    assert.equal(slow.status, 'model');
    assert.ok(slow.stats.lateFrames + slow.stats.fallbackFrames > 0, JSON.stringify(slow.stats));
    const all = [...slow.left, ...slow.right];
    assert.ok(all.every(Number.isFinite));
    const input = testSignal(SAMPLE_RATE * SECONDS);
    let inputStep = 0;
    for (let i = 1; i < input.length; i++) inputStep = Math.max(inputStep, Math.abs(input[i] - input[i - 1]));
    let outputStep = 0;
    for (let i = 1; i < slow.left.length; i++) outputStep = Math.max(outputStep, Math.abs(slow.left[i] - slow.left[i - 1]), Math.abs(slow.right[i] - slow.right[i - 1]));
    assert.ok(outputStep < 3 * inputStep, `output step ${outputStep}, input step ${inputStep}`);
  });

  const broken = new URL('../fixtures/model-errors/', import.meta.url).pathname;
  const failures: { name: string; model: unknown; bytes?: () => number[]; message: RegExp }[] = [
    { name: 'a missing model file', model: { url: '/dist/no-such-model.onnx' }, message: /HTTP 404/ },
    { name: 'corrupt bytes', model: { url: '/dist/index.js' }, message: /not a valid ONNX model/ },
    { name: 'wrong shapes', model: {}, bytes: () => Array.from(readFileSync(join(broken, 'wrong-input-shape.onnx'))), message: /input "features" has shape \[batch, 20, 24\]/ },
    { name: 'a missing Worker script', model: { workerUrl: '/dist/no-such-worker.js' }, message: /model worker failed/ },
  ];
  for (const { name, model, bytes, message } of failures) {
    test(`model loading failure (${name}): modelerror event with the reason; the node keeps sounding on the fixed profile`, async () => {
      const result = await renderInPage(plainPage, model, bytes?.());
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', message);
      assert.ok(result.stats.modelFrames === 0 && result.stats.fallbackFrames > 0, JSON.stringify(result.stats));
      let sideEnergy = 0;
      for (let i = 0; i < result.left.length; i++) sideEnergy += (result.left[i] - result.right[i]) ** 2;
      assert.ok(result.left.every(Number.isFinite) && sideEnergy > 1, `side energy ${sideEnergy}`);
    });
  }
});
