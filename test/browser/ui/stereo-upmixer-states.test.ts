/// <reference types="mocha" />
/**
 * What `<stereo-upmixer>` says about itself: before any node (no audio yet, and what the model will do,
 * consistent with the Model switch), with `preload` (downloading, then downloaded or failed), and the late
 * frames with their explanation (a warning above 5 %).
 */
import { expect } from '@esm-bundle/chai';
import { createUpmixer } from '../../../src/index.js';
import '../../../src/ui/index.js';
import type { StereoUpmixerElement, UpmixerNodeLike } from '../../../src/ui/index.js';
import { WORKLET_URL } from '../support/offline-render.js';

async function mount(configure: (element: StereoUpmixerElement) => void | Promise<unknown>): Promise<StereoUpmixerElement> {
  const element = document.createElement('stereo-upmixer');
  element.style.width = '480px';
  await configure(element);
  document.body.append(element);
  await element.updateComplete;
  return element;
}

const part = (element: StereoUpmixerElement, name: string): HTMLElement => element.shadowRoot!.querySelector<HTMLElement>(`[part="${name}"]`)!;

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A real node (fixed profile) whose stats say what the test wants (the element reads them about once a second). */
async function nodeWithStats(context: AudioContext, stats: { lateFrames: number; modelFrames: number }): Promise<UpmixerNodeLike> {
  const node = await createUpmixer(context, { workletUrl: WORKLET_URL, model: false });
  const real = node.getStats.bind(node);
  node.getStats = async () => ({ ...(await real()), ...stats });
  return node as unknown as UpmixerNodeLike;
}

describe('<stereo-upmixer> states', () => {
  let element: StereoUpmixerElement | undefined;
  afterEach(() => element?.remove());

  it('before any audio: says so, and what the lit Model switch will do', async () => {
    element = await mount(() => undefined);
    expect(part(element, 'status').textContent).to.equal('no audio yet · the model loads when audio starts');
    expect(part(element, 'model').getAttribute('aria-checked')).to.equal('true');
    expect(part(element, 'latency').textContent).to.equal('quality mode · latency once audio starts');
    element.model = false;
    await element.updateComplete;
    expect(part(element, 'status').textContent).to.equal('no audio yet · model off (fixed profile)');
    expect(part(element, 'model').getAttribute('aria-checked')).to.equal('false');
  });

  it('preload: downloading, then a failure said (here the files are not built beside the sources)', async () => {
    element = await mount((e) => e.setAttribute('preload', ''));
    expect(part(element, 'status').textContent).to.equal('no audio yet · downloading the model…');
    const el = element;
    await until(() => /failed|downloaded/.test(part(el, 'status').textContent ?? ''));
    expect(part(element, 'status').textContent).to.match(/no audio yet · model download failed|no audio yet · model downloaded/);
  });

  it('late frames: counted with their share, explained on hover, a warning above 5 % (from 10 on)', async () => {
    const context = new AudioContext({ sampleRate: 48_000 });
    try {
      element = await mount(async (e) => (e.node = await nodeWithStats(context, { lateFrames: 3, modelFrames: 997 })));
      await context.resume();
      const el = element;
      await until(() => /late/.test(part(el, 'status').textContent ?? ''));
      const status = part(element, 'status');
      expect(status.textContent).to.equal('model off · fixed profile · 3 late frames (0.3 %)');
      expect(status.title).to.match(/^Late frames: .*held/);
      expect(status.classList.contains('late')).to.equal(false);
      element.node = await nodeWithStats(context, { lateFrames: 1, modelFrames: 5 });
      await until(() => /1 late frame \(17 %\)/.test(part(el, 'status').textContent ?? ''));
      expect(part(element, 'status').classList.contains('late')).to.equal(false, 'one early late frame is no warning');
      element.node = await nodeWithStats(context, { lateFrames: 100, modelFrames: 900 });
      await until(() => /100 late/.test(part(el, 'status').textContent ?? ''));
      expect(part(element, 'status').textContent).to.equal('model off · fixed profile · 100 late frames (10 %)');
      expect(part(element, 'status').classList.contains('late')).to.equal(true);
    } finally {
      await context.close();
    }
  });

  it('a node that cannot be made: its reason is the status (not "no audio yet"), until a node is made', async () => {
    const context = new AudioContext();
    try {
      element = await mount((e) => {
        e.model = false;
        e.workletUrl = '/no-such-worklet.js';
        e.context = context;
      });
      const el = element;
      await until(() => /could not create/.test(part(el, 'status').textContent ?? ''));
      expect(part(element, 'status').textContent).to.match(/^could not create the upmixer: /);
      expect(part(element, 'status').classList.contains('failed')).to.equal(true);
      // The host fixes the URL and gives the context again (a new one, as after a reload of its audio).
      const next = new AudioContext();
      try {
        element.workletUrl = WORKLET_URL;
        element.context = next;
        await until(() => el.node !== undefined);
        await element.updateComplete;
        expect(part(element, 'status').textContent).to.equal('model off · fixed profile');
      } finally {
        element.remove();
        await next.close();
      }
    } finally {
      await context.close();
    }
  });
});
