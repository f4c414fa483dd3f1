// Runs in Chromium: renders the same noise through the upmixer worklet and through copy-only worklets
// in OfflineAudioContexts (one node; then 16 nodes side by side in one context, as a DAW runs many
// instances), and publishes the render times on window.benchResult. The fixed profile: this measures
// the audio thread (the model's inference runs in Workers, beside it).
import { createUpmixer } from '../dist/index.js';
import { benchNode, fastestRenders } from './offline-render.js';

const SECONDS = 60;
/** Instances side by side, and the audio they render. */
const INSTANCES = 16;
const MANY_SECONDS = 10;
const ROUNDS = 3;

const copyOnly = benchNode('/copy.worklet.js', 'copy-only');
const upmixer = (mode) => (context) => createUpmixer(context, { mode, model: false });

try {
  const results = await fastestRenders(
    {
      copy: { makeNode: copyOnly, seconds: SECONDS },
      'copy-with-params': { makeNode: benchNode('/copy.worklet.js', 'copy-with-params'), seconds: SECONDS },
      live: { makeNode: upmixer('live'), seconds: SECONDS },
      quality: { makeNode: upmixer('quality'), seconds: SECONDS },
      'many-copy': { makeNode: copyOnly, seconds: MANY_SECONDS, count: INSTANCES },
      'many-quality': { makeNode: upmixer('quality'), seconds: MANY_SECONDS, count: INSTANCES },
    },
    ROUNDS,
  );
  window.benchResult = { seconds: SECONDS, manySeconds: MANY_SECONDS, instances: INSTANCES, rounds: ROUNDS, results };
} catch (error) {
  window.benchResult = { error: String(error) };
}
