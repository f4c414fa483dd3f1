/**
 * Interleaved little-endian WAV samples to and from planar float channels. PCM scales by 2^(bits-1) both
 * ways, so PCM -> float -> PCM is bit-exact. G.711 mu-law and A-law decode to their 16-bit values.
 * @packageDocumentation
 */
import { BYTES_PER_SAMPLE, type SampleEncoding, type SampleFormat } from './wav-format.js';

/** The 16-bit value of each G.711 mu-law code (ITU-T G.711: bits inverted, segment and step, bias 132). */
function muLawValue(code: number): number {
  const bits = ~code & 0xff;
  const magnitude = ((((bits & 0x0f) << 3) + 132) << ((bits >> 4) & 0x07)) - 132;
  return bits & 0x80 ? -magnitude : magnitude;
}

/** The 16-bit value of each G.711 A-law code (even bits inverted, segment and step). */
function aLawValue(code: number): number {
  const bits = code ^ 0x55;
  const segment = (bits >> 4) & 0x07;
  const step = ((bits & 0x0f) << 4) + 8;
  const magnitude = segment === 0 ? step : (step + 256) << (segment - 1);
  return bits & 0x80 ? magnitude : -magnitude;
}

const MU_LAW = Float32Array.from({ length: 256 }, (_, code) => muLawValue(code) / 32768);
const A_LAW = Float32Array.from({ length: 256 }, (_, code) => aLawValue(code) / 32768);

/**
 * Clears the padding bits of little-endian PCM samples `width` bytes wide that hold `validBits` bits each,
 * justified to the most significant bit (12-bit samples in 16-bit containers...): the specs ask writers
 * for zeros there, and what a sloppy one left is not part of the sample.
 */
export function clearPaddingBits(bytes: Uint8Array, width: number, validBits: number): void {
  const padding = 8 * width - validBits;
  for (let byte = 0; byte < width && 8 * byte < padding; byte++) {
    const keep = padding - 8 * byte >= 8 ? 0 : (0xff << (padding - 8 * byte)) & 0xff;
    for (let at = byte; at < bytes.byteLength; at += width) bytes[at] &= keep;
  }
}

/** Decodes `frameCount` interleaved frames from `bytes` into `channels` (one array per channel). */
export function decodeSamples(bytes: Uint8Array, encoding: SampleFormat, channels: Float32Array[], frameCount: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channelCount = channels.length;
  const step = BYTES_PER_SAMPLE[encoding];
  for (let c = 0; c < channelCount; c++) {
    const out = channels[c];
    let at = c * step;
    const stride = channelCount * step;
    if (encoding === 'pcm16') {
      for (let i = 0; i < frameCount; i++, at += stride) out[i] = view.getInt16(at, true) / 32768;
    } else if (encoding === 'pcm8') {
      // WAV's 8-bit samples are unsigned, 128 the centre.
      for (let i = 0; i < frameCount; i++, at += stride) out[i] = (bytes[at] - 128) / 128;
    } else if (encoding === 'pcm8signed') {
      for (let i = 0; i < frameCount; i++, at += stride) out[i] = view.getInt8(at) / 128;
    } else if (encoding === 'mulaw' || encoding === 'alaw') {
      const table = encoding === 'mulaw' ? MU_LAW : A_LAW;
      for (let i = 0; i < frameCount; i++, at += stride) out[i] = table[bytes[at]];
    } else if (encoding === 'pcm32') {
      for (let i = 0; i < frameCount; i++, at += stride) out[i] = view.getInt32(at, true) / 2147483648;
    } else if (encoding === 'float64') {
      for (let i = 0; i < frameCount; i++, at += stride) out[i] = view.getFloat64(at, true);
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
