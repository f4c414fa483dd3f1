/// <reference types="mocha" />
/**
 * A node used after `dispose()`: the setters do nothing (no event, no state that claims otherwise),
 * nothing throws that a teardown path might call, and what would answer later rejects at once.
 */
import { expect } from '@esm-bundle/chai';
import { createCueMeterReading, createUpmixer } from '../../src/index.js';
import { WORKLET_URL } from './support/offline-render.js';
import { audioBuffer, noiseMix, STYLE_WORKER_URL } from './support/style-fixtures.js';

describe('a disposed node', () => {
  it('setStyle, setVariation, setInput and the AudioParams do nothing; getStats and setReference reject; readCueMeters reads nothing', async () => {
    const context = new AudioContext({ sampleRate: 48_000 });
    const node = await createUpmixer(context, { workletUrl: WORKLET_URL, model: false, styleWorkerUrl: STYLE_WORKER_URL, style: 'ambient' });
    const events: string[] = [];
    for (const type of ['stylechange', 'styleerror', 'inputpathchange']) node.addEventListener(type, () => events.push(type));
    node.dispose();
    node.setStyle('modern-wide');
    node.setVariation(3);
    node.setInput('stereo');
    node.width.value = 0.5;
    expect(node.styleName, 'the style it had').to.equal('ambient');
    expect(events, 'events').to.deep.equal([]);
    expect(() => node.setStyle('no-such-style'), 'a wrong name is still a mistake').to.throw(/not known/);
    const stereo = noiseMix(2 * 48_000, 0.5);
    const reference = await node.setReference(audioBuffer([stereo.left, stereo.right], 48_000)).then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    expect(reference).to.match(/disposed/);
    const stats = await node.getStats().then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    expect(stats).to.match(/disposed/);
    expect(await node.readCueMeters(createCueMeterReading())).to.equal(false);
    await context.close();
  });

  it('a node disposed of while its model loads reports the model off (not loading for ever), once, and nothing after', async () => {
    const context = new AudioContext({ sampleRate: 48_000 });
    const node = await createUpmixer(context, { workletUrl: WORKLET_URL, model: { workerUrl: '/dist/cue-model.worker.js', url: '/dist/cue-model.onnx' } });
    const statuses: string[] = [];
    for (const type of ['modelstatus', 'modelerror']) node.addEventListener(type, (event) => statuses.push(`${type} ${(event as CustomEvent<{ status: string }>).detail.status}`));
    expect(node.modelStatus, 'a live node resolves before its model has loaded').to.equal('loading');
    node.dispose();
    expect(node.modelStatus).to.equal('off');
    expect(node.modelError).to.equal(undefined);
    // Long enough for the model to have loaded, had its Worker lived.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(node.modelStatus).to.equal('off');
    expect(statuses).to.deep.equal(['modelstatus off']);
    await context.close();
  });
});
