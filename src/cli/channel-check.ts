/**
 * The CLI's check of a stereo input's channels for the faults of old transfers: the shared check
 * (src/audio-file/channel-check.ts, also run by the demo page) on the engine's FFT (PFFFT where
 * WebAssembly SIMD runs).
 * @packageDocumentation
 */
import { CHANNEL_CHECK_FFT_SIZE, ChannelCheck as SharedChannelCheck } from '../audio-file/channel-check.js';
import { createRealFft } from '../dsp/wasm-fft.js';
import type { Hertz } from '../dsp/units.js';

export { channelWarning, channelWarnings, type ChannelReport } from '../audio-file/channel-check.js';

/** Sums a stereo input's powers and cross-correlation block by block, on PFFFT (see the shared check). */
export class ChannelCheck extends SharedChannelCheck {
  constructor(sampleRate: Hertz) {
    super(sampleRate, createRealFft(CHANNEL_CHECK_FFT_SIZE));
  }
}
