/**
 * ReferenceAnalyser (the browser faces' way to a reference's style) on the real style analysis Worker
 * module, run here on a Node worker thread: the reference goes in chunks, never more than
 * MAX_CHUNKS_IN_FLIGHT at a time, and its style is exactly the one-shot analysis's; a Worker that fails
 * half-way rejects the promise with a StyleError and is ended; an abort stops the analysis at once.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { analyseReference } from '../../src/style/analyse-reference.js';
import { StyleError } from '../../src/style/presets.js';
import { CHUNK_FRAMES, MAX_CHUNKS_IN_FLIGHT, ReferenceAnalyser, type AudioBufferLike } from '../../src/style/reference-analyser.js';
import { whiteNoise } from '../support/signals.js';
import { installWorkerInThread, WorkerInThread } from '../support/worker-in-thread.js';

const WORKER_URL = new URL('../../src/style/style-analysis.worker.ts', import.meta.url).href;
const SAMPLE_RATE = 48_000;

/** Channels as an AudioBuffer-like (copyFromChannel as the Web Audio API's: from `offset`, as many as fit). */
function bufferOf(left: Float32Array, right: Float32Array, sampleRate = SAMPLE_RATE): AudioBufferLike {
  return {
    numberOfChannels: 2,
    length: left.length,
    sampleRate,
    copyFromChannel(destination, channel, offset = 0) {
      const source = channel === 0 ? left : right;
      destination.set(source.subarray(offset, offset + destination.length));
    },
  };
}

function stereoNoise(seconds: number, seed: number): [Float32Array, Float32Array] {
  const left = whiteNoise(Math.round(seconds * SAMPLE_RATE), seed, 0.3);
  const other = whiteNoise(left.length, seed + 1, 0.3);
  return [left, left.map((x, i) => 0.7 * x + 0.7 * other[i])];
}

/** Counts what the analyser posts and what comes back, and whether the Worker was ended. */
class WatchedWorker extends WorkerInThread {
  static last: WatchedWorker | null = null;
  chunks = 0;
  /** Samples (both channels) posted and not yet handed back: now, and at most. */
  samplesInFlight = 0;
  mostSamplesInFlight = 0;
  chunksAfterEnd = 0;
  terminated = false;
  constructor(url: string | URL) {
    super(url);
    WatchedWorker.last = this;
    // (Before the analyser's listener: a chunk handed back is counted out before the next goes.)
    this.addEventListener('message', (event) => {
      const data = (event as MessageEvent).data as { type: string; left?: Float32Array; right?: Float32Array };
      if (data.type === 'consumed') this.samplesInFlight -= (data.left?.length ?? 0) + (data.right?.length ?? 0);
    });
  }
  override postMessage(message: unknown, transfer: Transferable[] = []): void {
    const request = message as { type: string; left?: Float32Array; right?: Float32Array };
    if (request.type === 'chunk') {
      if (this.terminated) this.chunksAfterEnd++;
      this.chunks++;
      this.samplesInFlight += (request.left?.length ?? 0) + (request.right?.length ?? 0);
      this.mostSamplesInFlight = Math.max(this.mostSamplesInFlight, this.samplesInFlight);
    }
    super.postMessage(message, transfer);
  }
  override terminate(): void {
    this.terminated = true;
    super.terminate();
  }
}

let restore: () => void;
before(() => {
  restore = installWorkerInThread();
  (globalThis as unknown as { Worker: unknown }).Worker = WatchedWorker;
});
after(() => restore());

test('a reference goes in chunks, at most MAX_CHUNKS_IN_FLIGHT at a time, and its style is the one-shot analysis\'s exactly', async () => {
  const [left, right] = stereoNoise(20.3, 21);
  const whole = analyseReference(left, right, SAMPLE_RATE);
  for (const chunkFrames of [10_007, CHUNK_FRAMES]) {
    const style = await new ReferenceAnalyser(WORKER_URL, 600, chunkFrames).analyse(bufferOf(left, right));
    const worker = WatchedWorker.last!;
    assert.deepEqual(style, whole, `chunks of ${chunkFrames}`);
    assert.equal(worker.chunks, Math.ceil(left.length / chunkFrames), `chunks of ${chunkFrames}`);
    // The limit is reached (the Worker is kept busy) and never passed.
    assert.equal(worker.mostSamplesInFlight, MAX_CHUNKS_IN_FLIGHT * 2 * Math.min(chunkFrames, left.length), `chunks of ${chunkFrames}: samples in flight`);
    assert.ok(worker.terminated, 'the Worker ends after its answer');
  }
});

test('only the first maxSeconds are posted, and their style is that of the start alone', async () => {
  const [left, right] = stereoNoise(6, 23);
  const start = await new ReferenceAnalyser(WORKER_URL, 2.5, 10_007).analyse(bufferOf(left, right));
  const frames = 2.5 * SAMPLE_RATE;
  assert.equal(WatchedWorker.last!.chunks, Math.ceil(frames / 10_007));
  assert.deepEqual(start, analyseReference(left.subarray(0, frames), right.subarray(0, frames), SAMPLE_RATE));
});

test('a bad reference is refused with the one-shot analysis\'s StyleError (dual mono found over all the chunks)', async () => {
  const [left] = stereoNoise(3, 25);
  const rejection = await new ReferenceAnalyser(WORKER_URL, 600, 10_007).analyse(bufferOf(left, left)).then(
    () => null,
    (error: unknown) => error,
  );
  assert.ok(rejection instanceof StyleError);
  assert.match(rejection.message, /both channels of the reference are the same/);
});

test('an abort stops the analysis at once: the promise rejects with its reason, the Worker ends, no chunk is posted after', async () => {
  const [left, right] = stereoNoise(30, 27);
  const controller = new AbortController();
  const analysis = new ReferenceAnalyser(WORKER_URL, 600, 10_007).analyse(bufferOf(left, right), controller.signal);
  const worker = WatchedWorker.last!;
  // Once the Worker has taken a few chunks (it is under way), stop it.
  await new Promise<void>((resolve) => {
    let consumed = 0;
    worker.addEventListener('message', () => {
      if (++consumed === 4) resolve();
    });
  });
  const reason = new DOMException('overtaken', 'AbortError');
  controller.abort(reason);
  assert.equal(await analysis.then(() => null, (error: unknown) => error), reason);
  assert.ok(worker.terminated);
  assert.ok(worker.chunks < Math.ceil(left.length / 10_007), `${worker.chunks} chunks posted: it stopped early`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(worker.chunksAfterEnd, 0);
});

/** A Worker stand-in that takes `good` chunks, then answers `failed` (or fires `error`) for the next. */
function failingWorker(good: number, how: 'failed' | 'error'): { Worker: unknown; posted: () => number; terminated: () => boolean } {
  let posted = 0;
  let terminated = false;
  class Failing extends EventTarget {
    postMessage(message: { type: string; left?: Float32Array; right?: Float32Array }): void {
      if (message.type !== 'chunk') return;
      posted++;
      const answer = posted <= good ? new MessageEvent('message', { data: { type: 'consumed', left: message.left, right: message.right } }) : how === 'failed' ? new MessageEvent('message', { data: { type: 'failed', message: 'the style analysis failed (out of memory)' } }) : Object.assign(new Event('error'), { message: 'Uncaught RangeError' });
      setTimeout(() => this.dispatchEvent(answer), 0);
    }
    terminate(): void {
      terminated = true;
    }
  }
  return { Worker: Failing, posted: () => posted, terminated: () => terminated };
}

test('a Worker that fails half-way rejects with a StyleError saying why, is ended, and gets no more chunks', async () => {
  const [left, right] = stereoNoise(5, 29);
  for (const how of ['failed', 'error'] as const) {
    const stand = failingWorker(3, how);
    (globalThis as unknown as { Worker: unknown }).Worker = stand.Worker;
    try {
      const rejection = await new ReferenceAnalyser(WORKER_URL, 600, 10_007).analyse(bufferOf(left, right)).then(
        () => null,
        (error: unknown) => error,
      );
      assert.ok(rejection instanceof StyleError, how);
      assert.match(rejection.message, how === 'failed' ? /out of memory/ : /the style analysis worker failed \(Uncaught RangeError\)/);
      assert.ok(stand.terminated(), how);
      const posted = stand.posted();
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(stand.posted(), posted, `${how}: nothing posted after the failure`);
      assert.ok(posted <= 3 + MAX_CHUNKS_IN_FLIGHT, `${how}: ${posted} chunks posted`);
    } finally {
      (globalThis as unknown as { Worker: unknown }).Worker = WatchedWorker;
    }
  }
});
