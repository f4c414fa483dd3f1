// Runs in Chromium: renders the same noise through the upmixer worklet and through a copy-only worklet
// in OfflineAudioContexts, and publishes the render times on window.benchResult.
import { createUpmixer } from '../dist/index.js';

const SAMPLE_RATE = 48_000;
const SECONDS = 60;

function noiseBuffer(context) {
  const buffer = context.createBuffer(1, SAMPLE_RATE * SECONDS, SAMPLE_RATE);
  const data = buffer.getChannelData(0);
  let state = 1;
  for (let i = 0; i < data.length; i++) {
    state = (state * 16807) % 2147483647;
    data[i] = (state / 2147483647 - 0.5) * 0.5;
  }
  return buffer;
}

async function render(makeNode) {
  const context = new OfflineAudioContext(2, SAMPLE_RATE * SECONDS, SAMPLE_RATE);
  const source = context.createBufferSource();
  source.buffer = noiseBuffer(context);
  const node = await makeNode(context);
  source.connect(node).connect(context.destination);
  source.start();
  const start = performance.now();
  await context.startRendering();
  return (performance.now() - start) / 1000;
}

async function copyNode(context) {
  await context.audioWorklet.addModule('/copy.worklet.js');
  return new AudioWorkletNode(context, 'copy-only', { outputChannelCount: [2] });
}

const results = {};
try {
  for (const mode of ['live', 'quality']) {
    results[`copy-${mode}`] = await render(copyNode);
    results[mode] = await render((context) => createUpmixer(context, { mode }));
  }
  window.benchResult = { seconds: SECONDS, results };
} catch (error) {
  window.benchResult = { error: String(error) };
}
