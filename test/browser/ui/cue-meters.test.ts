/// <reference types="mocha" />
/** The node's cue meters over port messages (this page is not cross-origin isolated). */
import { expect } from '@esm-bundle/chai';
import { BAND_COUNT, RENDER_QUANTUM, createCueMeterReading, createUpmixer } from '../../../src/index.js';
import { METER_MESSAGE_INTERVAL_MS } from '../../../src/cue-meters.js';
import { WORKLET_URL } from '../support/offline-render.js';
import { untilRenderedPast } from '../support/rendered-quanta.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('readCueMeters', () => {
  it('without cross-origin isolation, reads the cues in use over messages, one request at a time', async () => {
    const context = new AudioContext({ sampleRate: 48_000 });
    try {
      const node = await createUpmixer(context, { workletUrl: WORKLET_URL, model: false, controls: { bassMonoHz: 0 } });
      expect(node.meterTransport).to.equal('messages');
      node.connect(context.destination);
      await context.resume();
      // The engine's first frame is synthesised within its latency of input: from then on the meters
      // read its cues (before it, the dry input: mono everywhere).
      await untilRenderedPast(node, Math.ceil(node.latencySamples / RENDER_QUANTUM));
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
      // A quantum that starts after the change applies it: one the processor finishes after a count asked
      // for after the change. And the client asks at most once per METER_MESSAGE_INTERVAL_MS of wall clock.
      await untilRenderedPast(node, (await node.getStats()).quanta);
      await pause(METER_MESSAGE_INTERVAL_MS);
      expect(await node.readCueMeters(reading)).to.equal(true);
      expect(reading.iccs.every((icc) => Math.abs(icc - 1) < 1e-6), 'width 0 reads as mono').to.equal(true);
    } finally {
      await context.close();
    }
  });
});
