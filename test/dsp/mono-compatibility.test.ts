import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTROL_SPECS } from '../../src/dsp/controls.js';
import { RENDER_QUANTUM, type LatencyMode } from '../../src/dsp/frame-config.js';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { SeededRandom } from '../../src/dsp/pan-layout.js';
import { RandomCueSource } from '../support/random-cues.js';
import { pinkNoise, whiteNoise } from '../support/signals.js';

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  for (const stereo of [false, true]) {
    test(`mono compatibility (${mode}, ${stereo ? 'stereo' : 'mono'} input): (L+R)/2 equals the delayed input within 1e-5 under random cues and controls`, () => {
      const random = new SeededRandom(stereo ? 99 : 98);
      const sampleRate = 44_100;
      const engine = new UpmixEngine({ sampleRate, mode, cueSource: new RandomCueSource(7), variation: 3 });
      const inLeft = whiteNoise(sampleRate, 1);
      const inRight = stereo ? pinkNoise(sampleRate, 2) : null;
      const outLeft = new Float32Array(inLeft.length);
      const outRight = new Float32Array(inLeft.length);
      for (let offset = 0; offset + RENDER_QUANTUM <= inLeft.length; offset += RENDER_QUANTUM) {
        // New random control values every few quanta, including extreme ones.
        if (random.next() < 0.2) {
          for (const spec of CONTROL_SPECS) engine.setControl(spec.name, spec.min + (spec.max - spec.min) * random.next());
          engine.setVariation(Math.floor(10 * random.next()));
        }
        const end = offset + RENDER_QUANTUM;
        engine.process(inLeft.subarray(offset, end), inRight ? inRight.subarray(offset, end) : null, outLeft.subarray(offset, end), outRight.subarray(offset, end));
      }
      const latency = engine.latency;
      let worst = 0;
      let sideEnergy = 0;
      for (let i = latency; i < inLeft.length - RENDER_QUANTUM; i++) {
        const mono = inRight ? 0.5 * (inLeft[i - latency] + inRight[i - latency]) : inLeft[i - latency];
        worst = Math.max(worst, Math.abs(0.5 * (outLeft[i] + outRight[i]) - mono));
        sideEnergy += (outLeft[i] - outRight[i]) ** 2;
      }
      assert.ok(worst < 1e-5, `worst mono-sum error ${worst}`);
      assert.ok(sideEnergy > 1, 'the output really is stereo');
    });
  }
}
