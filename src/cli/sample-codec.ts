/**
 * Interleaved little-endian WAV samples to and from planar float channels. PCM scales by 2^(bits-1) both
 * ways, so PCM -> float -> PCM is bit-exact.
 * @packageDocumentation
 */
import { BYTES_PER_SAMPLE, type SampleEncoding } from './wav-format.js';

/** Decodes `frameCount` interleaved frames from `bytes` into `channels` (one array per channel). */
export function decodeSamples(bytes: Uint8Array, encoding: SampleEncoding, channels: Float32Array[], frameCount: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channelCount = channels.length;
  const step = BYTES_PER_SAMPLE[encoding];
  for (let c = 0; c < channelCount; c++) {
    const out = channels[c];
    let at = c * step;
    const stride = channelCount * step;
    if (encoding === 'pcm16') {
      for (let i = 0; i < frameCount; i++, at += stride) out[i] = view.getInt16(at, true) / 32768;
    } else if (encoding === 'pcm24') {
      for (let i = 0; i < frameCount; i++, at += stride) {
        const value = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
        out[i] = ((value << 8) >> 8) / 8388608;
      }
    } else {
      for (let i = 0; i < frameCount; i++, at += stride) out[i] = view.getFloat32(at, true);
    }
  }
}

/**
 * Encodes `frameCount` frames of `channels` into interleaved `bytes`. PCM clips to full scale; returns the
 * number of samples that had to be clipped (0 for float, which keeps overs as they are).
 */
export function encodeSamples(channels: Float32Array[], frameCount: number, encoding: SampleEncoding, bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channelCount = channels.length;
  const step = BYTES_PER_SAMPLE[encoding];
  const stride = channelCount * step;
  let clipped = 0;
  for (let c = 0; c < channelCount; c++) {
    const input = channels[c];
    let at = c * step;
    if (encoding === 'float32') {
      for (let i = 0; i < frameCount; i++, at += stride) view.setFloat32(at, input[i], true);
      continue;
    }
    const scale = encoding === 'pcm16' ? 32768 : 8388608;
    for (let i = 0; i < frameCount; i++, at += stride) {
      let value = Math.round(input[i] * scale);
      if (value > scale - 1 || value < -scale) {
        clipped++;
        value = value > 0 ? scale - 1 : -scale;
      }
      if (encoding === 'pcm16') {
        view.setInt16(at, value, true);
      } else {
        bytes[at] = value & 0xff;
        bytes[at + 1] = (value >> 8) & 0xff;
        bytes[at + 2] = (value >> 16) & 0xff;
      }
    }
  }
  return clipped;
}
