/**
 * The name the upmixer's AudioWorkletProcessor is registered under. One constant that the worklet
 * (`registerProcessor`) and the main thread (`new AudioWorkletNode`) both import, so they cannot drift.
 * @packageDocumentation
 */

/** The `registerProcessor` name of the upmixer. Safe anywhere. */
export const UPMIXER_PROCESSOR_NAME = 'mono-upmix-upmixer';
