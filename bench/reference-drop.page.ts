/**
 * Page of bench/reference-drop-memory.ts: a `<stereo-upmixer>` with a node on a 48 kHz AudioContext (no
 * model), whose style picker's file input the bench gives a reference file; publishes `window.dropState`
 * (`ready`, then the style's name or the error). Uses only the public API, so that the same page measures
 * an older tree too.
 */
import { createUpmixer, type StyleChangeDetail, type StyleErrorDetail } from '../src/index.js';
import '../src/ui/index.js';

const state = window as unknown as { dropState: string };
state.dropState = 'starting';
const context = new AudioContext({ sampleRate: 48_000 });
const node = await createUpmixer(context, { workletUrl: '/dist/upmixer.worklet.js', model: false, styleWorkerUrl: '/dist/style-analysis.worker.js' });
node.addEventListener('stylechange', (event) => (state.dropState = `style ${(event as CustomEvent<StyleChangeDetail>).detail.name}`));
node.addEventListener('styleerror', (event) => (state.dropState = `error ${(event as CustomEvent<StyleErrorDetail>).detail.error}`));
const element = document.createElement('stereo-upmixer');
element.node = node;
document.body.append(element);
await element.updateComplete;
state.dropState = 'ready';
