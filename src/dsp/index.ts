/**
 * The DSP core: pure TypeScript, no Web Audio types, allocation-free after construction.
 * @packageDocumentation
 */
export * from './units.js';
export * from './frame-config.js';
export * from './controls.js';
export * from './bands.js';
export * from './cue-source.js';
export * from './side-gains.js';
export * from './engine.js';
export { RealFft } from './real-fft.js';
export { StftAnalyzer, OverlapAddSynthesizer, sqrtHannWindow } from './stft.js';
export { PanLayout } from './pan-layout.js';
export { PeakLimiter, dbToGain, type PeakLimiterOptions } from './peak-limiter.js';
export { INPUT_KINDS, INPUT_PATHS, type InputKind, type InputPath } from './input-kind.js';
