/**
 * A readout of the cues in use, for meters: per band, the coherence (ICC) and signed level difference
 * (ILD) that the synthesis is producing between L and R, after the width control, the bass-mono cutoff
 * and the dry/wet mix (bypass included). Not used by the signal path.
 * @packageDocumentation
 */
import type { ControlValues } from './controls.js';
import type { SpatialCues } from './cue-source.js';
import { writeSideGains } from './side-gains.js';
import type { Hertz } from './units.js';

/**
 * Turns cues, pan directions and controls into the ICC and signed ILD of the output, band by band.
 * Allocation-free after construction (audio-thread safe).
 *
 * With side gains p and q (L = (1 + p) M + q D, R = (1 - p) M - q D, D uncorrelated with M and of the
 * same power), the band's channel powers are (1 ± p)^2 + q^2 and their cross power 1 - p^2 - q^2, so
 * ICC = (1 - p^2 - q^2) / sqrt(P_L P_R) and ILD = 10 log10(P_L / P_R). The mix gain and, on the stereo
 * path, the share of new width each band gets scale p and q (so a wide stereo mix, which gets no new
 * width, reads as mono here: the readout is of the synthesised width, not of the mix's own image); a band
 * centred at or below the bass-mono cutoff reads as mono. The engine's glides (about 40 ms) are not
 * modelled: the readout shows where the image is heading.
 */
export class CueReadout {
  private readonly p: Float64Array;
  private readonly q: Float64Array;

  constructor(bandCount: number) {
    this.p = new Float64Array(bandCount);
    this.q = new Float64Array(bandCount);
  }

  /**
   * Writes per band ICC (-1..1; 1 = mono) into `iccs` and signed ILD in dB (positive = left louder) into
   * `ildsDb`. `mixGain` holds the current dry/wet gain in element 0 (0 = bypassed); `widthShares`, per
   * band, the share of the new width in use (1 on the mono path). Audio-thread safe.
   */
  write(
    cues: SpatialCues,
    directions: Float64Array,
    controls: Readonly<ControlValues>,
    centres: Float64Array,
    mixGain: Float64Array,
    widthShares: Float64Array,
    iccs: Float32Array,
    ildsDb: Float32Array,
  ): void {
    const { p, q } = this;
    writeSideGains(cues.ildMagnitudesDb, cues.iccs, directions, controls, p, q);
    const gain = mixGain[0];
    const cutoff: Hertz = controls.bassMonoHz;
    for (let b = 0; b < p.length; b++) {
      const weight = cutoff > 0 && centres[b] <= cutoff ? 0 : gain;
      const pb = weight * widthShares[b] * p[b];
      const qb = weight * widthShares[b] * q[b];
      const powerLeft = (1 + pb) * (1 + pb) + qb * qb;
      const powerRight = (1 - pb) * (1 - pb) + qb * qb;
      const denominator = Math.sqrt(powerLeft * powerRight);
      iccs[b] = denominator > 0 ? (1 - pb * pb - qb * qb) / denominator : 1;
      ildsDb[b] = powerRight > 0 && powerLeft > 0 ? (10 * Math.log(powerLeft / powerRight)) / Math.LN10 : 0;
    }
  }
}
