/**
 * Audio inputs for the CLI, all streamed a block at a time (memory does not grow with the length): a file
 * or standard input read through the shared, Node-free readers of src/audio-file/audio-stream.ts (WAV,
 * AIFF, FLAC and Ogg FLAC, MP3, Ogg Vorbis and Ogg Opus). A rate outside what the engine runs at is
 * resampled into range with libsamplerate (wasm), see {@link targetSampleRate}.
 * @packageDocumentation
 */
import { openAudioStream, type AudioSource } from '../audio-file/audio-stream.js';
import { targetSampleRate } from '../audio-file/file-rate.js';
import { MAX_SAMPLE_RATE } from '../dsp/frame-config.js';
import { openFileStream, readableStream, standardInputFileStream } from './byte-stream.js';
import { asCliError, InputError } from './errors.js';
import type { SampleEncoding } from './wav-format.js';

export type { AudioSource } from '../audio-file/audio-stream.js';
export { targetSampleRate } from '../audio-file/file-rate.js';

/** Frames per step of the resampler (fewer when it upsamples a lot, see CONVERTER_BUFFER_SAMPLES). */
const RESAMPLE_BLOCK = 4096;
/**
 * Samples libsamplerate-js's wasm buffers hold, in and out: a call needing more takes the wrapper's
 * chunked path, which fails for most rates (misaligned arrays) and ignores the output buffer given.
 */
const CONVERTER_BUFFER_SAMPLES = 1_008_000;
/** The highest rate libsamplerate-js's `create` accepts. */
const MAX_CONVERTER_RATE = 192_000;
/** The largest factor libsamplerate converts by, up or down (its SRC_MAX_RATIO). */
const MAX_RESAMPLE_RATIO = 256;

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}


/**
 * Opens `path` (`-`: standard input) and tells its format; the source it returns reads at a rate the
 * engine runs at (resampled when needed). Errors are {@link InputError}s naming the file. The process's
 * standard input redirected from a regular file is read as that file (by position, its size known);
 * otherwise `stdin` is read in order, as a pipe.
 */
export async function openAudioSource(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<AudioSource> {
  const name = path === '-' ? 'standard input' : path;
  const stream =
    path === '-' ? ((stdin === process.stdin ? standardInputFileStream() : undefined) ?? readableStream(stdin as import('node:stream').Readable)) : await openFileStream(path);
  let source: AudioSource;
  try {
    source = await openAudioStream(stream);
  } catch (error) {
    await stream.close().catch(() => undefined);
    throw asCliError(error, 'input', name);
  }
  const target = targetSampleRate(source.sampleRate);
  if (target === source.sampleRate) return source;
  try {
    // A header's rate can be anything (0 in a broken one): only rates the resampler can convert go on.
    const lowest = Math.ceil(48_000 / MAX_RESAMPLE_RATIO);
    const highest = MAX_SAMPLE_RATE * MAX_RESAMPLE_RATIO;
    if (!Number.isInteger(source.sampleRate) || !(source.sampleRate >= lowest && source.sampleRate <= highest)) {
      throw new InputError(`${name}: its header gives a sample rate of ${source.sampleRate} Hz, outside what can be resampled (${lowest} to ${highest.toLocaleString('en')} Hz); check the file`);
    }
    return await ResampledSource.create(source, target, name);
  } catch (error) {
    await source.close().catch(() => undefined);
    throw asCliError(error, 'input', name);
  }
}

/** The interface of libsamplerate-js's converter that is used here. */
interface SampleRateConverter {
  full(dataIn: Float32Array, dataOut?: Float32Array | null, outLength?: { frames: number } | null): Float32Array;
  destroy(): void;
}

/**
 * Another source resampled to `sampleRate` (libsamplerate, medium-quality sinc). The output is aligned
 * with the input (libsamplerate compensates its own delay) and has round(frames * ratio) frames.
 */
class ResampledSource implements AudioSource {
  private readonly ratio: number;
  /** Input frames per step: the output of one must fit the converter's buffer. */
  private readonly blockFrames: number;
  private readonly inBlock: Float32Array[];
  private readonly interleaved: Float32Array;
  private readonly converted: Float32Array;
  private readonly outLength = { frames: 0 };
  /** Resampled frames waiting to be read, planar. */
  private readonly pending: Float32Array[];
  private pendingStart = 0;
  private pendingEnd = 0;
  private inputFrames = 0;
  private producedFrames = 0;
  private handedFrames = 0;
  private inputEnded = false;
  private flushBlocks = 0;

  private constructor(
    private readonly inner: AudioSource,
    private readonly converter: SampleRateConverter,
    readonly sampleRate: number,
  ) {
    this.ratio = sampleRate / inner.sampleRate;
    const channels = inner.channelCount;
    this.blockFrames = Math.min(RESAMPLE_BLOCK, Math.floor(CONVERTER_BUFFER_SAMPLES / (channels * Math.max(1, this.ratio))));
    this.inBlock = Array.from({ length: channels }, () => new Float32Array(this.blockFrames));
    this.interleaved = new Float32Array(this.blockFrames * channels);
    const maxOut = Math.ceil(this.blockFrames * this.ratio) + 64;
    this.converted = new Float32Array(maxOut * channels);
    this.pending = Array.from({ length: channels }, () => new Float32Array(2 * maxOut + 4 * this.blockFrames));
  }

  /** `name`: the input, for messages. */
  static async create(inner: AudioSource, sampleRate: number, name: string): Promise<ResampledSource> {
    const module = await import('@alexanderolsen/libsamplerate-js');
    const api = ((module as { default?: unknown }).default ?? module) as typeof import('@alexanderolsen/libsamplerate-js');
    // libsamplerate only uses the ratio, but the wrapper refuses rates above 192 kHz (a 384 kHz or DXD
    // 352.8 kHz file): pass the ratio in lowest terms.
    const common = greatestCommonDivisor(inner.sampleRate, sampleRate);
    const [from, to] = [inner.sampleRate / common, sampleRate / common];
    if (from > MAX_CONVERTER_RATE) {
      throw new InputError(`${name}: ${inner.sampleRate} Hz cannot be resampled to ${sampleRate} Hz here; convert the file to ${MAX_SAMPLE_RATE} Hz or lower first`);
    }
    const converter = await api.create(inner.channelCount, from, to, { converterType: api.ConverterType.SRC_SINC_MEDIUM_QUALITY });
    return new ResampledSource(inner, converter, sampleRate);
  }

  get formatName(): string {
    return this.inner.formatName;
  }
  get channelCount(): number {
    return this.inner.channelCount;
  }
  get naturalEncoding(): SampleEncoding {
    return this.inner.naturalEncoding;
  }
  get frameCount(): number | undefined {
    return this.inner.frameCount === undefined ? undefined : Math.round(this.inner.frameCount * this.ratio);
  }
  get resampledFrom(): number {
    return this.inner.sampleRate;
  }
  get decodeErrors(): number {
    return this.inner.decodeErrors;
  }
  fractionDone(): number | undefined {
    return this.inner.fractionDone();
  }

  /** Converts one more block of input (zeros after its end, to flush the filter). */
  private async step(): Promise<void> {
    const channels = this.inner.channelCount;
    let frames = 0;
    if (!this.inputEnded) {
      frames = await this.inner.read(this.inBlock, this.blockFrames);
      if (frames === 0) this.inputEnded = true;
      this.inputFrames += frames;
    }
    if (frames === 0) {
      // libsamplerate holds back its filter's length: push zeros through until all output is out.
      if (++this.flushBlocks > 64) throw new Error('the resampler did not flush');
      for (const block of this.inBlock) block.fill(0);
      frames = this.blockFrames;
    }
    for (let c = 0; c < channels; c++) {
      const block = this.inBlock[c];
      for (let i = 0; i < frames; i++) this.interleaved[i * channels + c] = block[i];
    }
    this.converter.full(this.interleaved.subarray(0, frames * channels), this.converted, this.outLength);
    const produced = this.outLength.frames;
    if (this.pendingStart > 0) {
      for (const channel of this.pending) channel.copyWithin(0, this.pendingStart, this.pendingEnd);
      this.pendingEnd -= this.pendingStart;
      this.pendingStart = 0;
    }
    for (let c = 0; c < channels; c++) {
      const channel = this.pending[c];
      for (let i = 0; i < produced; i++) channel[this.pendingEnd + i] = this.converted[i * channels + c];
    }
    this.pendingEnd += produced;
    this.producedFrames += produced;
  }

  private get expectedFrames(): number {
    return this.inputEnded ? Math.round(this.inputFrames * this.ratio) : Infinity;
  }

  async read(channels: Float32Array[], maxFrames: number): Promise<number> {
    let done = 0;
    while (done < maxFrames && this.handedFrames < this.expectedFrames) {
      if (this.pendingEnd === this.pendingStart) {
        await this.step();
        continue;
      }
      const take = Math.min(maxFrames - done, this.pendingEnd - this.pendingStart, this.expectedFrames - this.handedFrames);
      for (let c = 0; c < this.channelCount; c++) channels[c].set(this.pending[c].subarray(this.pendingStart, this.pendingStart + take), done);
      this.pendingStart += take;
      done += take;
      this.handedFrames += take;
    }
    return done;
  }

  async close(): Promise<void> {
    this.converter.destroy();
    await this.inner.close();
  }
}
