/**
 * Styles and reference mixes for the browser tests of styles (node, element, Tone, WAM): flat styles,
 * a stereo noise mix of a known coherence, and WAV files of it to drop on the element.
 */
import { BAND_COUNT, type Style } from '../../../src/index.js';
import { whiteNoise } from '../../support/signals.js';

/** The built style analysis Worker (the sources' default URL points beside src/index.ts, where there is none). */
export const STYLE_WORKER_URL = '/dist/style-analysis.worker.js';

/** The same ICC and |ILD| in every band. */
export function flatStyle(icc: number, ildDb: number): Style {
  return { icc: new Array<number>(BAND_COUNT).fill(icc), ildDb: new Array<number>(BAND_COUNT).fill(ildDb) };
}

/** Two channels of noise with coherence `icc` (R = icc * L + sqrt(1 - icc^2) * independent noise), equal levels. */
export function noiseMix(length: number, icc: number, seed = 5): { left: Float32Array; right: Float32Array } {
  const left = whiteNoise(length, seed, 0.3);
  const other = whiteNoise(length, seed + 100, 0.3);
  const mixWeight = Math.sqrt(1 - icc * icc);
  return { left, right: left.map((x, i) => icc * x + mixWeight * other[i]) };
}

/** `channels` as an AudioBuffer. */
export function audioBuffer(channels: Float32Array[], sampleRate: number): AudioBuffer {
  const buffer = new AudioBuffer({ numberOfChannels: channels.length, length: channels[0].length, sampleRate });
  channels.forEach((channel, index) => buffer.copyToChannel(channel as Float32Array<ArrayBuffer>, index));
  return buffer;
}

/** A 32-bit float WAV file of `channels` (what a user would drop). */
export function wavBytes(channels: Float32Array[], sampleRate: number): Uint8Array<ArrayBuffer> {
  const frames = channels[0].length;
  const dataBytes = frames * channels.length * 4;
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string): void => [...text].forEach((char, i) => view.setUint8(at + i, char.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 3, true); // IEEE float
  view.setUint16(22, channels.length, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels.length * 4, true);
  view.setUint16(32, channels.length * 4, true);
  view.setUint16(34, 32, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < frames; i++) channels.forEach((channel, c) => view.setFloat32(44 + (i * channels.length + c) * 4, channel[i], true));
  return bytes;
}
