/**
 * Renders a whole buffer through the upmixer in an OfflineAudioContext (as fast as the machine allows),
 * with progress, and compensates the latency so the result lines up with the input sample for sample.
 */
import { createUpmixer, type ControlValues, type InputKind, type LatencyMode, type Style, type UpmixerOptions } from '../src/index.js';

export interface RenderSettings {
  readonly mode: LatencyMode;
  readonly variation: number;
  readonly controls: Partial<ControlValues>;
  /** What the input is taken for (as the live node). */
  readonly input: InputKind;
  /** Use the learned model (offline, the render waits for it, so every frame gets the model's cues). */
  readonly model: boolean;
  /** The style (as the live node's). */
  readonly style?: Style;
  /**
   * The output's peak limiter (its level: `controls.ceilingDb`, default -1 dBFS), as the CLI has it for PCM
   * output: a widened mix can peak several dB above its input, and a PCM file would clip there.
   */
  readonly ceiling?: boolean;
}

/** `createUpmixer`'s options with the model switch (ignored by a build without the model). */
type Options = UpmixerOptions & { model?: boolean };

/** Number of progress steps (each a suspend/resume of the offline context). */
const PROGRESS_STEPS = 40;

/** The error a cancelled render rejects with. */
export class RenderCancelled extends Error {
  constructor() {
    super('the render was cancelled');
    this.name = 'RenderCancelled';
  }
}

/**
 * Returns a stereo AudioBuffer as long as `input`, aligned with it. `onProgress` gets 0..1. When `signal`
 * aborts, the render stops at its next progress step (1/40 of it) and rejects with {@link RenderCancelled}.
 */
export async function renderOffline(input: AudioBuffer, settings: RenderSettings, onProgress: (done: number) => void, signal?: AbortSignal): Promise<AudioBuffer> {
  const { sampleRate } = input;
  const probe = new OfflineAudioContext({ numberOfChannels: 2, length: 128, sampleRate });
  const probeOptions: Options = { mode: settings.mode, model: false, ceiling: settings.ceiling ?? false };
  const probeNode = await createUpmixer(probe, probeOptions);
  const latency = probeNode.latencySamples;
  probeNode.dispose();
  const length = input.length + latency;
  const context = new OfflineAudioContext({ numberOfChannels: 2, length, sampleRate });
  const options: Options = { ...settings, controls: { ...settings.controls, bypass: 0 } };
  const upmixer = await createUpmixer(context, options);
  let rendered: AudioBuffer;
  try {
    const source = new AudioBufferSourceNode(context, { buffer: input });
    source.connect(upmixer).connect(context.destination);
    source.start(0);
    const duration = length / sampleRate;
    for (let step = 1; step < PROGRESS_STEPS; step++) {
      const time = (step * duration) / PROGRESS_STEPS;
      context.suspend(time).then(
        () => {
          // Cancelled: an offline context cannot be stopped, so the rest renders with nothing connected
          // (the upmixer ended: quick), and the result is dropped.
          if (signal?.aborted) {
            source.disconnect();
            upmixer.disconnect();
            upmixer.dispose();
          } else onProgress(step / PROGRESS_STEPS);
          void context.resume();
        },
        () => undefined, // a time too close to the previous quantum: skip that step
      );
    }
    if (signal?.aborted) throw new RenderCancelled();
    rendered = await context.startRendering();
  } finally {
    upmixer.dispose(); // its processor and model Worker, also when the render failed or was cancelled
  }
  if (signal?.aborted) throw new RenderCancelled();
  onProgress(1);
  // Drop the first `latency` samples: the output starts where the input did.
  const aligned = new AudioBuffer({ numberOfChannels: 2, length: input.length, sampleRate });
  for (let c = 0; c < 2; c++) aligned.copyToChannel(rendered.getChannelData(c).subarray(latency, latency + input.length), c);
  return aligned;
}
