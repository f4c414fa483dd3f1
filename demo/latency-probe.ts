/**
 * Measures each mode's latency: an impulse through the upmixer in an OfflineAudioContext, and where the
 * output's mid (L + R) / 2 peaks. The engine keeps the mid equal to the delayed input, so the peak is the
 * latency exactly; the node's reported figure is shown beside it.
 */
import { createUpmixer, LATENCY_MODES, type LatencyMode, type UpmixerOptions } from '../src/index.js';

export interface LatencyMeasurement {
  readonly mode: LatencyMode;
  readonly sampleRate: number;
  readonly reportedSamples: number;
  readonly measuredSamples: number;
}

export async function measureLatency(mode: LatencyMode, sampleRate: number): Promise<LatencyMeasurement> {
  const length = 8192;
  const context = new OfflineAudioContext({ numberOfChannels: 2, length, sampleRate });
  // The latency does not depend on the model; leave it out (no Worker per probe).
  const options: UpmixerOptions & { model?: boolean } = { mode, model: false };
  const upmixer = await createUpmixer(context, options);
  const impulse = context.createBuffer(1, length, sampleRate);
  impulse.getChannelData(0)[0] = 1;
  const source = new AudioBufferSourceNode(context, { buffer: impulse });
  source.connect(upmixer).connect(context.destination);
  source.start(0);
  const output = await context.startRendering();
  const left = output.getChannelData(0);
  const right = output.getChannelData(1);
  let peak = 0;
  let at = -1;
  for (let i = 0; i < length; i++) {
    const mid = Math.abs(left[i] + right[i]) / 2;
    if (mid > peak) {
      peak = mid;
      at = i;
    }
  }
  return { mode, sampleRate, reportedSamples: upmixer.latencySamples, measuredSamples: at };
}

/** Both modes at each rate. */
export function measureAllLatencies(sampleRates: readonly number[]): Promise<LatencyMeasurement[]> {
  return Promise.all(sampleRates.flatMap((rate) => LATENCY_MODES.map((mode) => measureLatency(mode, rate))));
}
