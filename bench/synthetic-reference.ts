/**
 * A long stereo reference mix for the memory measurements, made on demand: stereo noise of coherence 0.6
 * (right = 0.6 left + 0.8 other noise), each sample a hash of its index, so the reference itself takes
 * no memory.
 */
import type { AudioBufferLike } from '../src/style/reference-analyser.js';

/** A deterministic noise sample in [-0.3, 0.3) for index `n` and stream `seed`. */
function noise(n: number, seed: number): number {
  let h = Math.imul(n, 0x9e3779b1) ^ Math.imul(seed, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) / 2 ** 32 - 0.5) * 0.6;
}

/** Sample `n` of channel `channel` (0 left, 1 right). */
export function referenceSample(n: number, channel: number): number {
  const left = noise(n, 1);
  return channel === 0 ? left : 0.6 * left + 0.8 * noise(n, 2);
}

/** The reference as an AudioBuffer-like whose `copyFromChannel` makes the samples asked for. */
export function syntheticReference(seconds: number, sampleRate: number): AudioBufferLike {
  const length = Math.round(seconds * sampleRate);
  return {
    numberOfChannels: 2,
    length,
    sampleRate,
    copyFromChannel(destination, channel, offset = 0) {
      const count = Math.min(destination.length, length - offset);
      for (let i = 0; i < count; i++) destination[i] = referenceSample(offset + i, channel);
    },
  };
}
