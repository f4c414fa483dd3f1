/**
 * Types of the AudioWorkletGlobalScope globals, which lib.dom does not declare.
 *
 * Deliberately a module, not `declare global`: the worklet shares one TypeScript program with the
 * main-thread code, and ambient `sampleRate`/`registerProcessor` globals would let main-thread code
 * compile against names that do not exist there. The worklet reads them through
 * `audioWorkletGlobalScope()` instead.
 */

/** What a processor's constructor receives (the node's options, as structured-cloned). */
export interface AudioWorkletProcessorOptions {
  readonly numberOfInputs?: number;
  readonly numberOfOutputs?: number;
  readonly outputChannelCount?: number[];
  readonly parameterData?: Record<string, number>;
  readonly processorOptions?: unknown;
}

/** Static `parameterDescriptors` entry of a processor. */
export interface AudioParamDescriptor {
  readonly name: string;
  readonly automationRate?: 'a-rate' | 'k-rate';
  readonly defaultValue?: number;
  readonly minValue?: number;
  readonly maxValue?: number;
}

/** The base class of every processor. */
export interface AudioWorkletProcessor {
  readonly port: MessagePort;
}

export interface AudioWorkletProcessorConstructor {
  new (options?: AudioWorkletProcessorOptions): AudioWorkletProcessor;
  readonly prototype: AudioWorkletProcessor;
}

/** What a class passed to `registerProcessor` must look like. */
export interface ProcessorClass {
  new (options: AudioWorkletProcessorOptions): AudioWorkletProcessor & {
    process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
  };
  readonly parameterDescriptors?: readonly AudioParamDescriptor[];
}

/** The globals of AudioWorkletGlobalScope that the upmixer uses. */
export interface AudioWorkletGlobalScope {
  readonly AudioWorkletProcessor: AudioWorkletProcessorConstructor;
  registerProcessor(name: string, processorClass: ProcessorClass): void;
  /** The context's sample rate (Hz). */
  readonly sampleRate: number;
  /** Frame of the render quantum being processed. */
  readonly currentFrame: number;
  /** Time (s) of the render quantum being processed. */
  readonly currentTime: number;
}
