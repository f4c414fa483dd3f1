/** A cue source that gives new seeded random cues every frame: the harshest input for the synthesis. */
import type { BandLayout } from '../../src/dsp/bands.js';
import type { CueSource, FrameAnalysis, SpatialCues } from '../../src/dsp/cue-source.js';
import type { FrameConfig } from '../../src/dsp/frame-config.js';
import { SeededRandom } from '../../src/dsp/pan-layout.js';

export class RandomCueSource implements CueSource {
  private readonly random: SeededRandom;
  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }
  prepare(_config: FrameConfig, _layout: BandLayout): void {}
  next(_analysis: FrameAnalysis, out: SpatialCues): void {
    for (let b = 0; b < out.iccs.length; b++) {
      out.iccs[b] = this.random.next();
      out.ildMagnitudesDb[b] = 20 * this.random.next();
    }
  }
}
