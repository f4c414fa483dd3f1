// Runs in Chromium: renders the same noise through the upmixer worklet and through a copy-only worklet
// in OfflineAudioContexts (one node; then 16 nodes side by side in one context, as a DAW runs many
// instances), and publishes the render times on window.benchResult. The fixed profile: this measures
// the audio thread (the model's inference runs in Workers, beside it).
import { createUpmixer } from '../dist/index.js';

const SAMPLE_RATE = 48_000;
const SECONDS = 60;
/** Instances side by side, and the audio they render. */
const INSTANCES = 16;
const MANY_SECONDS = 10;

function noiseBuffer(context, seconds) {
  const buffer = context.createBuffer(1, SAMPLE_RATE * seconds, SAMPLE_RATE);
  const data = buffer.getChannelData(0);
  let state = 1;
  for (let i = 0; i < data.length; i++) {
    state = (state * 16807) % 2147483647;
    data[i] = (state / 2147483647 - 0.5) * 0.5;
  }
  return buffer;
}

/** Render time in seconds of `seconds` of noise through `count` nodes from `makeNode`, side by side. */
async function render(makeNode, seconds = SECONDS, count = 1) {
  const context = new OfflineAudioContext(2, SAMPLE_RATE * seconds, SAMPLE_RATE);
  const source = context.createBufferSource();
  source.buffer = noiseBuffer(context, seconds);
  for (let i = 0; i < count; i++) {
    const node = await makeNode(context);
    source.connect(node).connect(context.destination);
  }
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
    results[mode] = await render((context) => createUpmixer(context, { mode, model: false }));
  }
  results['many-copy'] = await render(copyNode, MANY_SECONDS, INSTANCES);
  results['many-quality'] = await render((context) => createUpmixer(context, { mode: 'quality', model: false }), MANY_SECONDS, INSTANCES);
  window.benchResult = { seconds: SECONDS, manySeconds: MANY_SECONDS, instances: INSTANCES, results };
} catch (error) {
  window.benchResult = { error: String(error) };
}
