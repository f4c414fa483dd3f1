/// <reference types="mocha" />
/**
 * `<stereo-upmixer>` and the nodes it makes from a context, as a page or a web DAW handles the element:
 * moving it to another place in the page (a panel re-docked, a list re-ordered) keeps its node, with the
 * user's controls and style, and announces nothing; a node the host puts in place of the one the element
 * made ends that one (its processor and model Worker); a new context gets a node of its own, announced
 * with the node it replaces; what the host changes while a node is being made reaches the node announced.
 */
import { expect } from '@esm-bundle/chai';
import { createUpmixer, type UpmixerNode } from '../../../src/index.js';
import '../../../src/ui/index.js';
import type { NodeChangeDetail, StereoUpmixerElement } from '../../../src/ui/index.js';
import { WORKLET_URL } from '../support/offline-render.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An element on the page that makes its own node on `context`; resolves once the node is announced. */
async function elementWithOwnNode(context: AudioContext): Promise<{ element: StereoUpmixerElement; node: UpmixerNode; changes: NodeChangeDetail[] }> {
  const element = document.createElement('stereo-upmixer');
  element.workletUrl = WORKLET_URL;
  element.model = false;
  const changes: NodeChangeDetail[] = [];
  element.addEventListener('nodechange', (event) => changes.push(event.detail));
  document.body.append(element);
  const created = new Promise<NodeChangeDetail>((resolve) => element.addEventListener('nodechange', (event) => resolve(event.detail), { once: true }));
  element.context = context;
  const { node } = await created;
  return { element, node, changes };
}

describe('<stereo-upmixer> and the nodes it makes', () => {
  let context: AudioContext;

  beforeEach(() => {
    context = new AudioContext({ sampleRate: 48_000 });
  });

  afterEach(async () => {
    await context.close();
  });

  it('moved to another place in the page, it keeps its node (still running, controls and style kept) and announces nothing', async () => {
    const { element, node, changes } = await elementWithOwnNode(context);
    node.width.value = 1.7;
    node.setStyle('modern-wide');
    const panel = document.createElement('div');
    document.body.append(panel);
    panel.append(element); // a move: removed and inserted again in the same task
    await pause(300);
    expect(element.node === node, 'the same node').to.equal(true);
    expect(node.processorStatus).to.equal('running');
    expect(changes.length, 'nodechange events').to.equal(1);
    expect(node.width.value).to.be.closeTo(1.7, 1e-6);
    expect(node.styleName).to.equal('modern-wide');
    panel.remove(); // leaving the page for good still ends it
    await pause(0);
    expect(node.processorStatus).to.equal('disposed');
  });

  it('a node the host puts in place of the one it made ends that one; the host\'s node stays the host\'s', async () => {
    const { element, node: made } = await elementWithOwnNode(context);
    const hostNode = await createUpmixer(context, { workletUrl: WORKLET_URL, model: false });
    element.node = hostNode;
    await element.updateComplete;
    expect(made.processorStatus, 'the node the element made').to.equal('disposed');
    element.node = undefined;
    await element.updateComplete;
    element.remove();
    await pause(0);
    expect(hostNode.processorStatus, 'the host\'s node').to.equal('running');
    hostNode.dispose();
  });

  it('given another context, makes a node on it in place of its own (reason "context") and ends the old one', async () => {
    const { element, node: made } = await elementWithOwnNode(context);
    made.width.value = 0.4;
    const other = new AudioContext({ sampleRate: 44_100 });
    const replaced = new Promise<NodeChangeDetail>((resolve) => element.addEventListener('nodechange', (event) => resolve(event.detail), { once: true }));
    element.context = other;
    // Only a hang guard, below the runner's per-test timeout so that a hang says what hung.
    const announced = await Promise.race([replaced, pause(60_000).then(() => null)]);
    if (announced === null) expect.fail('no nodechange within 60 s');
    const { node, previous, reason } = announced;
    expect(reason).to.equal('context');
    expect(previous === made, 'previous: the node it made').to.equal(true);
    expect(node.context === other, 'on the new context').to.equal(true);
    expect(node.width.value, 'controls carried over').to.be.closeTo(0.4, 1e-6);
    expect(made.processorStatus).to.equal('disposed');
    element.remove();
    await pause(0);
    expect(node.processorStatus).to.equal('disposed');
    await other.close();
  });

  for (const creationSettings of [false, true]) {
    const what = creationSettings ? 'mode and ceiling (a node made again), ' : '';
    it(`settings changed while a node is being made reach the node announced: ${what}controls, variation, input, style`, async () => {
      const { element, node: made } = await elementWithOwnNode(context);
      const other = new AudioContext({ sampleRate: 48_000 });
      const variation = spyOnVariations();
      try {
        const node = await whileMakingNode(element, other, () => {
          if (creationSettings) {
            element.mode = 'live';
            element.ceiling = true;
          }
          element.variation = 9;
          element.input = 'stereo';
          made.width.value = 0.3;
          made.setStyle('ambient');
        });
        expect(element.node === node, 'the node announced is the one shown').to.equal(true);
        expect(node.mode).to.equal(creationSettings ? 'live' : 'quality');
        expect(node.ceiling).to.equal(creationSettings);
        expect(node.width.value).to.be.closeTo(0.3, 1e-6);
        expect(node.input).to.equal('stereo');
        expect(node.styleName).to.equal('ambient');
        expect(variation.of(node), 'variation').to.equal(9);
        expect(made.processorStatus).to.equal('disposed');
      } finally {
        variation.restore();
        element.remove();
        await pause(0);
        await other.close();
      }
    });
  }
});

/**
 * Gives `element` the context `other`, whose worklet module loads only after `change` has run (the
 * element is making its node on it meanwhile); resolves with the node it then announces.
 */
async function whileMakingNode(element: StereoUpmixerElement, other: AudioContext, change: () => void): Promise<UpmixerNode> {
  let loadModule!: () => void;
  const moduleGate = new Promise<void>((resolve) => (loadModule = resolve));
  const addModule = other.audioWorklet.addModule.bind(other.audioWorklet);
  other.audioWorklet.addModule = async (url: string | URL, options?: WorkletOptions) => {
    await moduleGate;
    return addModule(url, options);
  };
  const announced = new Promise<NodeChangeDetail>((resolve) => element.addEventListener('nodechange', (event) => resolve(event.detail), { once: true }));
  element.context = other;
  await element.updateComplete;
  await pause(50);
  change();
  await element.updateComplete;
  await pause(50);
  loadModule();
  const { node } = await announced;
  await pause(100);
  return node;
}

/** The variation each node was made with or last sent (`set-variation`), watched from now until `restore`. */
function spyOnVariations(): { of(node: AudioWorkletNode): number | undefined; restore(): void } {
  const variations = new Map<MessagePort, number>();
  const NativeNode = window.AudioWorkletNode;
  window.AudioWorkletNode = class extends NativeNode {
    constructor(context: BaseAudioContext, name: string, options?: AudioWorkletNodeOptions) {
      super(context, name, options);
      variations.set(this.port, (options?.processorOptions as { variation: number }).variation);
    }
  };
  const postMessage = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (this: MessagePort, message: unknown, ...rest: never[]) {
    const command = message as { type?: string; variation?: number } | null;
    if (command?.type === 'set-variation' && command.variation !== undefined) variations.set(this, command.variation);
    return postMessage.call(this, message, ...rest);
  } as typeof postMessage;
  return {
    of: (node) => variations.get(node.port),
    restore() {
      window.AudioWorkletNode = NativeNode;
      MessagePort.prototype.postMessage = postMessage;
    },
  };
}
