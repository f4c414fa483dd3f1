/// <reference types="mocha" />
/** The node's cue meters over port messages (this page is not cross-origin isolated). */
import { expect } from '@esm-bundle/chai';
import { BAND_COUNT, createCueMeterReading, createUpmixer } from '../../../src/index.js';
import { WORKLET_URL } from '../support/offline-render.js';

describe('readCueMeters', () => {
  it('without cross-origin isolation, reads the cues in use over messages, one request at a time', async () => {
    const context = new AudioContext({ sampleRate: 48_000 });
    try {
      const node = await createUpmixer(context, { workletUrl: WORKLET_URL, model: false, controls: { bassMonoHz: 0 } });
      expect(node.meterTransport).to.equal('messages');
      node.connect(context.destination);
      await context.resume();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const reading = createCueMeterReading();
      expect(reading.iccs.length).to.equal(BAND_COUNT);
      const first = node.readCueMeters(reading);
      expect(await node.readCueMeters(createCueMeterReading()), 'a second call while one is in flight does not ask').to.equal(false);
      expect(await first).to.equal(true);
      // The fixed profile: coherent bass, wider highs, every band off-centre.
      expect(reading.iccs[0]).to.be.above(reading.iccs[BAND_COUNT - 1]);
      expect(reading.iccs.every((icc) => icc > 0 && icc < 1)).to.equal(true);
      expect(reading.ildsDb.every((ild) => Math.abs(ild) > 0.5)).to.equal(true);
      node.width.value = 0;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await node.readCueMeters(reading)).to.equal(true);
      expect(reading.iccs.every((icc) => Math.abs(icc - 1) < 1e-6), 'width 0 reads as mono').to.equal(true);
    } finally {
      await context.close();
    }
  });
});
