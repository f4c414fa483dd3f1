/**
 * Encodes a rendered AudioBuffer as a WAV file in memory, with the CLI's own header writer and sample
 * codec (src/cli/wav-format.ts, src/cli/sample-codec.ts: plain TypeScript, no Node APIs).
 */
import { encodeSamples } from '../src/cli/sample-codec.js';
import { BYTES_PER_SAMPLE, wavHeader, type SampleEncoding } from '../src/cli/wav-format.js';

export interface EncodedWav {
  readonly blob: Blob;
  /** Samples clipped to full scale (PCM only). */
  readonly clippedSamples: number;
}

/** Samples `buffer` (every channel, `frames` frames from `offset`) into a WAV Blob. */
export function encodeWav(buffer: AudioBuffer, encoding: SampleEncoding, offset = 0, frames = buffer.length - offset): EncodedWav {
  const channels: Float32Array[] = [];
  for (let c = 0; c < buffer.numberOfChannels; c++) channels.push(buffer.getChannelData(c).subarray(offset, offset + frames));
  const header = wavHeader(buffer.sampleRate, channels.length, encoding, frames);
  const body = new Uint8Array(frames * channels.length * BYTES_PER_SAMPLE[encoding]);
  const clippedSamples = encodeSamples(channels, frames, encoding, body);
  return { blob: new Blob([header as Uint8Array<ArrayBuffer>, body], { type: 'audio/wav' }), clippedSamples };
}
