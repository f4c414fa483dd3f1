/**
 * Upmixes one audio file (or standard input) to a stereo WAV or FLAC file (or standard output) with the
 * same engine the worklet runs, streaming a chunk at a time. The output lines up with the input sample
 * for sample (the engine's and the limiter's latency are dropped at the start and flushed out at the end)
 * and has the input's length (at the rate it was upmixed at). A file output appears only when complete:
 * it is written to an exclusive temporary file beside it and moved into place (see output-file.ts).
 * @packageDocumentation
 */
import type { ControlValues } from '../dsp/controls.js';
import type { CueSource } from '../dsp/cue-source.js';
import { UpmixEngine } from '../dsp/engine.js';
import { RENDER_QUANTUM, type LatencyMode } from '../dsp/frame-config.js';
import type { InputKind } from '../dsp/input-kind.js';
import type { CueModel } from '../model/cue-model.js';
import { ChunkCueChannel, type ChunkCueFrames, type ChunkCueSupply } from '../model/chunk-cues.js';
import { InThreadCueSupply } from '../model/feature-lookahead.js';
import { ModelCueSource, type ModelCueStats } from '../model/model-cue-source.js';
import type { Samples, Seconds } from '../dsp/units.js';
import type { Style } from '../style/style.js';
import { styleCueSource } from '../style/style-cue-source.js';
import { createAudioSink, fileSink, standardOutputPatch, streamSink, type AudioSink, type OutputFormat } from './audio-sink.js';
import { openAudioSource, type AudioSource } from './audio-source.js';
import { ChannelCheck, type ChannelReport } from './channel-check.js';
import { ChunkReader, type InputChunk } from './chunk-reader.js';
import { asCliError, InterruptedError } from './errors.js';
import type { InferenceThread } from './inference-thread.js';
import { checkOutputTarget, commitTemporaryFile, createTemporaryFile, discardTemporaryFile, type TemporaryFile } from './output-file.js';
import type { SampleEncoding } from './wav-format.js';

/** Frames per read/process/write step: big enough for fast I/O, small enough to stay light on memory. */
const CHUNK_FRAMES = 64 * RENDER_QUANTUM;
/**
 * Chunks read (and their cues asked for) ahead of the one the engine processes, with a model: with the
 * model in a worker thread, its work on the next chunks overlaps the engine's on this one (two, so that
 * a chunk the other thread is slow with does not stall the engine at once).
 */
const READ_AHEAD_CHUNKS = 2;
/**
 * While a model thread is still loading (onnxruntime's start: a few tenths of a second), the input is
 * read and its features sent ahead, up to this many bytes of input buffered: that work then overlaps the
 * load instead of following it, and the thread answers the backlog in batches once it runs.
 */
const LOADING_READ_AHEAD_BYTES = 16 * 1024 * 1024;

/** The default output ceiling for PCM (WAV or FLAC) output, dBFS. */
export const DEFAULT_CEILING_DB = -1;

/** How to upmix a file. */
export interface UpmixFileOptions {
  mode?: LatencyMode;
  /** What the input is taken for; default `auto` (see {@link InputKind}). */
  input?: InputKind;
  /**
   * One channel of a stereo input, upmixed as mono input (the fix for a dead, inverted or delayed channel
   * of a mono transfer); default both. A mono input is upmixed as it is.
   */
  channel?: InputChannel;
  variation?: number;
  controls?: Partial<ControlValues>;
  /**
   * The learned cue model: every frame gets the model's cues (the engine waits for them between render
   * quanta, so the result never depends on speed). Without it, `cueSource` or the fixed width profile.
   */
  model?: CueModel;
  /**
   * The learned cue model running in a worker thread (see {@link InferenceThread}; not with `model`):
   * the same cues, so sample for sample the same output as `model`, but the model's features and
   * inference for the next chunks run on another core while the engine processes this one. The thread
   * is not closed here: one thread serves any number of files, one after the other or at once.
   */
  modelThread?: InferenceThread;
  /**
   * The stereo image to aim for. With a model, its condition; a model without a style input
   * (`takesStyle` false) cannot take it as a hint, so its cues are held at it as with {@link holdStyle}.
   * Without a model, the fixed per-band cues. Default: the model's default style, or the engine's fixed width
   * profile. Not with `cueSource`.
   */
  style?: Style;
  /**
   * With a model and a style: hold the model's long-run cues per band at the style (a preset's promise)
   * instead of letting the model blend it with what it hears (a reference's hint). Default false.
   */
  holdStyle?: boolean;
  /** Cue source when there is no model (a new one per file); default the engine's fixed width profile. */
  cueSource?: CueSource;
  /** Output container; default FLAC for a `.flac` name, else WAV. */
  container?: 'wav' | 'flac';
  /** Encoding of the output; default the input's (see AudioSource.naturalEncoding). */
  outputEncoding?: SampleEncoding;
  /**
   * Peak ceiling in dBFS, or 'off'. Default: {@link DEFAULT_CEILING_DB} for PCM output, off for float
   * (which keeps overs).
   */
  ceilingDb?: number | 'off';
  /** Replace an existing output file (a regular file only; never the input). Default false. */
  overwrite?: boolean;
  /**
   * Called after every chunk with the input frames done so far (at the upmix rate), how far through the
   * input that is (0..1, when it can be told) and the upmix's sample rate.
   */
  onProgress?: (framesDone: number, fraction: number | undefined, sampleRate: number) => void;
  /** Checked after every chunk; when it says stop, the temporary file is removed and the call rejects. */
  signal?: AbortSignal;
  /** Where `-` reads from and writes to; default the process's standard input and output. */
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}

/** A channel of a stereo input. */
export type InputChannel = 'left' | 'right';

/** What an upmix did. */
export interface UpmixFileResult {
  /** The input's format, in words ("FLAC", "WAV 16-bit PCM"...). */
  readonly inputFormat: string;
  readonly inputChannels: number;
  /** The rate of the upmix and the output. */
  readonly sampleRate: number;
  /** The input's own rate when it was resampled (outside 22,050-192,000 Hz). */
  readonly resampledFrom?: number;
  readonly output: OutputFormat;
  /** Latency of the engine and the limiter that was compensated, in samples. */
  readonly latency: Samples;
  /** Output samples clipped to full scale (PCM output only). */
  readonly clippedSamples: number;
  /** Input samples that were NaN, infinite or absurdly large and were treated as silence. */
  readonly badInputSamples: number;
  /** Damaged frames the decoder skipped. */
  readonly decodeErrors: number;
  readonly frames: number;
  readonly duration: Seconds;
  /** The ceiling in dBFS, and the largest gain reduction it needed (dB); undefined when off. */
  readonly ceiling?: { readonly ceilingDb: number; readonly maxGainReductionDb: number };
  /** Share of the input (0..1) that took the stereo path; the rest took the mono path. */
  readonly stereoShare: number;
  /** The check of a stereo input's channels for transfer faults (see channel-check.ts); undefined for mono input or one channel picked. */
  readonly channelReport?: ChannelReport;
  /** How the model's cues were used, when there was a model. */
  readonly modelStats?: ModelCueStats;
  /** Whether the model has a style input (undefined without a model): without, a style was held. */
  readonly modelTakesStyle?: boolean;
}

/**
 * Which path a file took, in words for the summary: `mono path` or `stereo path`, or both with their
 * shares when the input changed on the way (input kind `auto`).
 */
export function describeInputPath(stereoShare: number): string {
  if (stereoShare >= 0.995) return 'stereo path';
  if (stereoShare <= 0.005) return 'mono path';
  const percent = Math.round(100 * stereoShare);
  return `stereo path ${percent}% of the time, mono path ${100 - percent}%`;
}

/** The output container and encoding for `outputPath`, from the options and the input. */
export function resolveOutputFormat(outputPath: string, source: Pick<AudioSource, 'naturalEncoding'>, options: Pick<UpmixFileOptions, 'container' | 'outputEncoding'>): OutputFormat {
  const container = options.container ?? (/\.flac$/i.test(outputPath) ? 'flac' : 'wav');
  let encoding = options.outputEncoding ?? source.naturalEncoding;
  if (container === 'flac' && encoding === 'float32') encoding = 'pcm24';
  return { container, encoding };
}

/** Opens an input only to check it; throws the error {@link upmixFile} would. */
export async function checkInputFile(inputPath: string): Promise<void> {
  const source = await openAudioSource(inputPath);
  await source.close();
}

/** Upmixes `inputPath` (mono or stereo; `-`: standard input) into a stereo file at `outputPath` (`-`: standard output). */
export async function upmixFile(inputPath: string, outputPath: string, options: UpmixFileOptions = {}): Promise<UpmixFileResult> {
  if (options.style && options.cueSource) throw new TypeError('upmixFile: give a style or a cue source, not both');
  if (options.model && options.modelThread) throw new TypeError('upmixFile: give a model or a model thread, not both');
  const inputName = inputPath === '-' ? 'standard input' : inputPath;
  const outputName = outputPath === '-' ? 'standard output' : outputPath;
  const source = await openAudioSource(inputPath, options.stdin);
  let temporary: TemporaryFile | undefined;
  let sink: AudioSink | undefined;
  let cueSupply: ChunkCueSupply | undefined;
  try {
    const overwrite = options.overwrite ?? false;
    // `-` is the process's standard input unless another stream stands in for it.
    const checkedInput = inputPath === '-' && options.stdin !== undefined && options.stdin !== process.stdin ? undefined : inputPath;
    if (outputPath !== '-') await checkOutputTarget(checkedInput, outputPath, overwrite);
    const sampleRate = source.sampleRate;
    // The model answers each chunk's frames in batches before the engine reaches them.
    cueSupply = options.modelThread?.open(sampleRate, options.style) ?? (options.model ? new InThreadCueSupply(options.model, sampleRate, options.style) : undefined);
    const cueChannel = cueSupply ? new ChunkCueChannel() : undefined;
    const modelCues = cueChannel ? new ModelCueSource(cueChannel) : undefined;
    // Known once the model is loaded (a thread's: by the time the first cues are back).
    let takesStyle = options.model?.takesStyle;
    /** Before the first cues: a model without a style input cannot take the style as a hint, so it is held. */
    const anchorStyle = (): void => {
      if (modelCues && options.style && (options.holdStyle === true || takesStyle === false)) modelCues.styleAnchor.setTarget(options.style.icc, options.style.ildDb);
    };
    if (!options.modelThread) anchorStyle();
    let modelLoading = options.modelThread !== undefined;
    const loaded = (): void => {
      modelLoading = false;
    };
    options.modelThread?.ready.then(loaded, loaded);
    const output = resolveOutputFormat(outputPath, source, options);
    const ceilingDb = options.ceilingDb ?? (output.encoding === 'float32' ? 'off' : DEFAULT_CEILING_DB);
    // The engine's own limiter (as the node's `ceiling` option); its look-ahead is part of engine.latency.
    const engine = new UpmixEngine({
      sampleRate,
      mode: options.mode,
      input: options.input,
      variation: options.variation,
      controls: ceilingDb === 'off' ? options.controls : { ...options.controls, ceilingDb },
      cueSource: modelCues ?? options.cueSource ?? (options.style ? styleCueSource(options.style) : undefined),
      ceiling: ceilingDb !== 'off',
    });
    const latency = engine.latency;

    try {
      if (outputPath === '-') {
        const stdout = (options.stdout ?? process.stdout) as import('node:stream').Writable;
        // Redirected to a file (`> OUT`): its header is completed at the end, as a named file's is.
        const patch = stdout === process.stdout ? standardOutputPatch() : undefined;
        sink = await createAudioSink(streamSink(stdout, 'standard output', patch), output, sampleRate, 2, source.frameCount);
      } else {
        temporary = await createTemporaryFile(outputPath);
        sink = await createAudioSink(fileSink(temporary.handle), output, sampleRate, 2, source.frameCount);
      }
    } catch (error) {
      throw asCliError(error, 'output', outputName);
    }

    // The input channel the engine gets as mono input (--channel), or -1: as many as the input has.
    const picked = options.channel === undefined || source.channelCount < 2 ? -1 : options.channel === 'left' ? 0 : 1;
    // Both channels are checked for the faults of old transfers as they stream past (no second pass).
    const channelCheck = source.channelCount === 2 && picked < 0 ? new ChannelCheck(sampleRate) : undefined;
    const outputChannels = [new Float32Array(CHUNK_FRAMES), new Float32Array(CHUNK_FRAMES)];
    const quantumLeft = new Float32Array(RENDER_QUANTUM);
    const quantumRight = new Float32Array(RENDER_QUANTUM);
    const reader = new ChunkReader(
      source,
      async (channels, maxFrames) => {
        try {
          return await source.read(channels, maxFrames);
        } catch (error) {
          throw asCliError(error, 'input', inputName);
        }
      },
      CHUNK_FRAMES,
      latency,
    );
    const loadingReadAhead = Math.max(READ_AHEAD_CHUNKS, Math.floor(LOADING_READ_AHEAD_BYTES / (4 * CHUNK_FRAMES * source.channelCount)));
    /** Chunks to have read ahead of the one the engine takes next. */
    const readAheadNow = (): number => (cueSupply === undefined ? 0 : modelLoading ? loadingReadAhead : READ_AHEAD_CHUNKS);
    // Chunks read, with their cues asked for, that the engine has not processed yet (oldest first).
    const ahead: { chunk: InputChunk; cues?: Promise<ChunkCueFrames> }[] = [];
    const readAhead = async (): Promise<boolean> => {
      const chunk = await reader.next();
      if (!chunk) return false;
      const cues = picked < 0 ? cueSupply?.request(chunk.channels[0], chunk.channels[1] ?? null) : cueSupply?.request(chunk.channels[picked], null);
      // Awaited in turn below; a chunk's failure while an earlier one fails is not "unhandled".
      cues?.catch(() => undefined);
      ahead.push({ chunk, cues });
      return true;
    };
    let toSkip = latency;
    // Input quanta on each path, for the summary.
    let inputQuanta = 0;
    let stereoQuanta = 0;
    let written = 0;
    let inputEnded = false;

    // Feed the input, then zeros until the output (minus the latency skipped at its start) is complete.
    while (true) {
      while (!inputEnded && ahead.length <= readAheadNow()) {
        if (options.signal?.aborted) throw new InterruptedError(); // a long read-ahead while the model loads
        inputEnded = !(await readAhead());
      }
      const next = ahead.shift();
      if (!next) break;
      const { chunk } = next;
      if (next.cues) {
        const cues = await next.cues;
        if (takesStyle === undefined && options.modelThread) {
          takesStyle = (await options.modelThread.ready).takesStyle;
          anchorStyle();
        }
        cueChannel!.deliver(cues);
      }
      const total = reader.total;
      channelCheck?.add(chunk.channels[0], chunk.channels[1], chunk.frames);
      let chunkOut = 0;
      for (let q = 0; q < chunk.quanta; q++) {
        const start = q * RENDER_QUANTUM;
        const hasInput = start < chunk.frames;
        const left = chunk.channels[Math.max(picked, 0)].subarray(start, start + RENDER_QUANTUM);
        // As in the browser: a quantum after the input's end has no right channel.
        const right = picked < 0 && chunk.channels.length === 2 && hasInput ? chunk.channels[1].subarray(start, start + RENDER_QUANTUM) : null;
        engine.process(left, right, quantumLeft, quantumRight);
        // Which path the file's own quanta took (not the zeros that flush the latency out), for the summary.
        if (hasInput) {
          inputQuanta++;
          if (engine.inputPath === 'stereo') stereoQuanta++;
        }
        const skip = Math.min(toSkip, RENDER_QUANTUM);
        toSkip -= skip;
        const keep = Math.max(0, Math.min(RENDER_QUANTUM - skip, total - written - chunkOut));
        outputChannels[0].set(quantumLeft.subarray(skip, skip + keep), chunkOut);
        outputChannels[1].set(quantumRight.subarray(skip, skip + keep), chunkOut);
        chunkOut += keep;
      }
      reader.release(chunk);
      try {
        await sink.write(outputChannels, chunkOut);
      } catch (error) {
        throw asCliError(error, 'output', outputName);
      }
      written += chunkOut;
      options.onProgress?.(chunk.inputFramesRead, chunk.fractionDone, sampleRate);
      if (options.signal?.aborted) throw new InterruptedError();
    }
    const total = reader.total;
    const clippedSamples = sink.clippedSamples;
    try {
      await sink.close();
      sink = undefined;
      if (temporary) {
        await temporary.handle.close();
        await commitTemporaryFile(temporary.path, outputPath, overwrite);
        temporary = undefined;
      }
    } catch (error) {
      throw asCliError(error, 'output', outputName);
    }
    return {
      inputFormat: source.formatName,
      inputChannels: source.channelCount,
      sampleRate,
      resampledFrom: source.resampledFrom,
      output,
      latency,
      clippedSamples,
      badInputSamples: engine.badInputSamples,
      decodeErrors: source.decodeErrors,
      frames: total,
      duration: total / sampleRate,
      ceiling: ceilingDb === 'off' ? undefined : { ceilingDb, maxGainReductionDb: engine.ceilingReductionDb },
      stereoShare: inputQuanta > 0 ? stereoQuanta / inputQuanta : 0,
      channelReport: channelCheck?.finish(),
      modelStats: modelCues ? { ...modelCues.stats } : undefined,
      modelTakesStyle: takesStyle,
    };
  } finally {
    cueSupply?.close();
    if (temporary) {
      await temporary.handle.close().catch(() => undefined);
      await discardTemporaryFile(temporary.path);
    }
    await source.close().catch(() => undefined);
  }
}
