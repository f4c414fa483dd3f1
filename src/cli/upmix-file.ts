/**
 * Upmixes one WAV file to another with the same engine the worklet runs, streaming a chunk at a time.
 * The output lines up with the input sample for sample (the engine's latency is dropped at the start and
 * flushed out at the end), has the input's length and sample rate, and appears only when it is complete:
 * it is written to a temporary file beside the target and renamed into place.
 * @packageDocumentation
 */
import { rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ControlValues } from '../dsp/controls.js';
import type { CueSource } from '../dsp/cue-source.js';
import { UpmixEngine } from '../dsp/engine.js';
import { checkSampleRate, RENDER_QUANTUM, type LatencyMode } from '../dsp/frame-config.js';
import type { CueModel } from '../model/cue-model.js';
import { InProcessCueChannel } from '../model/in-process-channel.js';
import { ModelCueSource, type ModelCueStats } from '../model/model-cue-source.js';
import type { Samples, Seconds } from '../dsp/units.js';
import { WavFormatError, type SampleEncoding, type WavFormat } from './wav-format.js';
import { WavReader } from './wav-reader.js';
import { WavWriter } from './wav-writer.js';

/** Frames per read/process/write step: big enough for fast I/O, small enough to stay light on memory. */
const CHUNK_FRAMES = 64 * RENDER_QUANTUM;

/** How to upmix a file. */
export interface UpmixFileOptions {
  mode?: LatencyMode;
  variation?: number;
  controls?: Partial<ControlValues>;
  /**
   * The learned cue model: every frame gets the model's cues (the engine waits for them between render
   * quanta, so the result never depends on speed). Without it, `cueSource` or the fixed width profile.
   */
  model?: CueModel;
  /** Cue source when there is no model (a new one per file); default the engine's fixed width profile. */
  cueSource?: CueSource;
  /** Encoding of the output; default the input's. */
  outputEncoding?: SampleEncoding;
  /** Replace an existing output file (never the input). Default false. */
  overwrite?: boolean;
  /** Called after every chunk with the input frames done so far, in all, and the file's sample rate. */
  onProgress?: (framesDone: number, framesTotal: number, sampleRate: number) => void;
  /** Checked after every chunk; when it says stop, the temporary file is removed and the call rejects. */
  signal?: AbortSignal;
}

/** What an upmix did. */
export interface UpmixFileResult {
  readonly input: WavFormat;
  readonly outputEncoding: SampleEncoding;
  /** Latency of the engine that was compensated, in samples. */
  readonly latency: Samples;
  /** Output samples clipped to full scale (PCM output only). */
  readonly clippedSamples: number;
  /** Input samples that were NaN, infinite or absurdly large and were treated as silence. */
  readonly badInputSamples: number;
  readonly duration: Seconds;
  /** How the model's cues were used, when there was a model. */
  readonly modelStats?: ModelCueStats;
}

/** Refuses to write onto the input, and onto an existing file unless asked to. */
async function checkTarget(inputPath: string, outputPath: string, overwrite: boolean): Promise<void> {
  const [input, output] = await Promise.all([stat(inputPath), stat(outputPath).catch(() => undefined)]);
  if (!output) return;
  if (output.dev === input.dev && output.ino === input.ino) {
    throw new WavFormatError('the output is the input file: choose another output name (the input is never overwritten)');
  }
  if (output.isDirectory()) throw new WavFormatError(`${outputPath} is a directory: give a file name for the output`);
  if (!overwrite) throw new WavFormatError(`${outputPath} exists: pass --force to replace it`);
}

/** Opens a WAV input only to check it; throws the error {@link upmixFile} would. */
export async function checkInputFile(inputPath: string): Promise<void> {
  const reader = await openInput(inputPath);
  await reader.close();
}

/** Opens the input, with its path in any format error. */
async function openInput(inputPath: string): Promise<WavReader> {
  const reader = await WavReader.open(inputPath).catch((error: unknown) => {
    throw error instanceof WavFormatError ? new WavFormatError(`${inputPath}: ${error.message}`) : error;
  });
  try {
    checkSampleRate(reader.format.sampleRate);
  } catch (error) {
    await reader.close();
    throw new WavFormatError(`${inputPath}: ${(error as Error).message}`);
  }
  return reader;
}

/** Upmixes `inputPath` (mono or stereo WAV) into a stereo WAV at `outputPath`. */
export async function upmixFile(inputPath: string, outputPath: string, options: UpmixFileOptions = {}): Promise<UpmixFileResult> {
  const reader = await openInput(inputPath);
  const temporaryPath = join(dirname(outputPath), `.${basename(outputPath)}.${process.pid}.partial`);
  let writer: WavWriter | undefined;
  try {
    const input = reader.format;
    await checkTarget(inputPath, outputPath, options.overwrite ?? false);
    const channel = options.model ? new InProcessCueChannel(options.model) : undefined;
    const modelCues = channel ? new ModelCueSource(channel) : undefined;
    const engine = new UpmixEngine({
      sampleRate: input.sampleRate,
      mode: options.mode,
      variation: options.variation,
      controls: options.controls,
      cueSource: modelCues ?? options.cueSource,
    });
    const latency = engine.latency;
    const outputEncoding = options.outputEncoding ?? input.encoding;
    writer = await WavWriter.create(temporaryPath, input.sampleRate, 2, outputEncoding, input.frameCount);

    const inputChannels = Array.from({ length: input.channelCount }, () => new Float32Array(CHUNK_FRAMES));
    const outputChannels = [new Float32Array(CHUNK_FRAMES), new Float32Array(CHUNK_FRAMES)];
    const quantumLeft = new Float32Array(RENDER_QUANTUM);
    const quantumRight = new Float32Array(RENDER_QUANTUM);
    const silence = new Float32Array(RENDER_QUANTUM);
    let toSkip = latency;
    let written = 0;
    let fed = 0;
    const total = input.frameCount;

    // Feed the input, then zeros until the output (minus the latency skipped at its start) is complete.
    while (written < total) {
      const frames = await reader.read(inputChannels, CHUNK_FRAMES);
      let chunkOut = 0;
      const quanta = frames > 0 ? Math.ceil(frames / RENDER_QUANTUM) : Math.ceil((total - written + toSkip) / RENDER_QUANTUM);
      for (let q = 0; q < Math.min(quanta, CHUNK_FRAMES / RENDER_QUANTUM); q++) {
        const start = q * RENDER_QUANTUM;
        const valid = Math.max(0, Math.min(RENDER_QUANTUM, frames - start));
        const left = valid > 0 ? inputChannels[0].subarray(start, start + RENDER_QUANTUM) : silence;
        const right = input.channelCount === 2 && valid > 0 ? inputChannels[1].subarray(start, start + RENDER_QUANTUM) : null;
        if (valid > 0 && valid < RENDER_QUANTUM) {
          // The last partial quantum: zeros after the end of the file.
          left.fill(0, valid);
          right?.fill(0, valid);
        }
        engine.process(left, right, quantumLeft, quantumRight);
        if (channel?.hasPending) await channel.runPending();
        fed += RENDER_QUANTUM;
        const skip = Math.min(toSkip, RENDER_QUANTUM);
        toSkip -= skip;
        const keep = Math.min(RENDER_QUANTUM - skip, total - written - chunkOut);
        outputChannels[0].set(quantumLeft.subarray(skip, skip + keep), chunkOut);
        outputChannels[1].set(quantumRight.subarray(skip, skip + keep), chunkOut);
        chunkOut += keep;
      }
      await writer.write(outputChannels, chunkOut);
      written += chunkOut;
      options.onProgress?.(Math.min(total, fed), total, input.sampleRate);
      if (options.signal?.aborted) throw new WavFormatError('interrupted: no output was written');
    }
    const clippedSamples = writer.clippedSamples;
    await writer.close();
    writer = undefined;
    await rename(temporaryPath, outputPath);
    return {
      input,
      outputEncoding,
      latency,
      clippedSamples,
      badInputSamples: engine.badInputSamples,
      duration: total / input.sampleRate,
      modelStats: modelCues ? { ...modelCues.stats } : undefined,
    };
  } catch (error) {
    if (writer) await writer.abandon().catch(() => undefined);
    await unlink(temporaryPath).catch(() => undefined);
    throw error;
  } finally {
    await reader.close();
  }
}
