/**
 * Audio outputs for the CLI, written a block at a time: WAV (16/24-bit PCM or 32-bit float) or FLAC
 * (16/24-bit, libFLAC via libflacjs, loaded only when FLAC is asked for), into a file (whose header is
 * completed at the end) or onto standard output (a stream: the header then says "length unknown" unless
 * the length is known in advance, or standard output is a file that can be rewritten).
 * @packageDocumentation
 */
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { OutputError } from './errors.js';
import { redirectedFile } from './redirected-file.js';
import { encodeSamples } from './sample-codec.js';
import { BYTES_PER_SAMPLE, MAX_DATA_BYTES, wavHeader, type SampleEncoding, type WavHeaderOptions } from './wav-format.js';

/** Where the bytes of an output go. */
export interface ByteSink {
  /** Appends bytes. */
  write(bytes: Uint8Array): Promise<void>;
  /** Rewrites bytes already written (files only; undefined for a stream). */
  readonly patch?: (position: number, bytes: Uint8Array) => Promise<void>;
  /** Flushes (to disk for a file). */
  finish(): Promise<void>;
}

/** A file opened for writing (the temporary file of an output). */
export function fileSink(handle: FileHandle): ByteSink {
  let position = 0;
  return {
    async write(bytes) {
      let done = 0;
      while (done < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done, position + done);
        done += bytesWritten;
      }
      position += bytes.byteLength;
    },
    async patch(at, bytes) {
      await handle.write(bytes, 0, bytes.byteLength, at);
    },
    async finish() {
      await handle.sync();
    },
  };
}

/**
 * A stream (standard output), respecting back-pressure; a closed pipe is an {@link OutputError}. `patch`:
 * how to rewrite bytes already written, where the stream is a file that can be (see
 * {@link standardOutputPatch}).
 */
export function streamSink(stream: Writable, name = 'standard output', patch?: ByteSink['patch']): ByteSink {
  let failure: Error | undefined;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    failure = new OutputError(
      error.code === 'EPIPE' ? `${name} was closed before the end (the reading program stopped); nothing more was written` : `cannot write ${name}: ${error.message}`,
    );
  });
  const check = (): void => {
    if (failure) throw failure;
  };
  return {
    async write(bytes) {
      check();
      // A copy: the caller reuses its buffer, and the stream may hold on to this one.
      if (!stream.write(Buffer.from(bytes))) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            stream.off('drain', done);
            stream.off('error', done);
            stream.off('close', done);
            resolve();
          };
          stream.on('drain', done);
          stream.on('error', done);
          stream.on('close', done);
        });
      }
      check();
    },
    patch,
    async finish() {
      check();
      await new Promise<void>((resolve) => stream.write(new Uint8Array(0), () => resolve()));
      check();
    },
  };
}

/**
 * Rewriting bytes of standard output where it is redirected to a regular file (`upmix IN - > OUT`), at
 * their place from where its offset stood (pwrite: the writes after them go on where they were), so that
 * its header is completed at the end as a named file's is. Undefined for a pipe or a terminal, for a file
 * it appends to (`>>`: every write would go to the end), for one standard error goes to as well, and
 * where the offset cannot be told. Call it before anything is written.
 */
export function standardOutputPatch(): ByteSink['patch'] {
  const file = redirectedFile(1);
  if (file?.offset === undefined || file.appends !== false) return undefined;
  // Standard error into the same file (`> OUT 2>&1`): its lines move the output along; nothing is rewritten.
  const errors = redirectedFile(2);
  if (errors && errors.stats.dev === file.stats.dev && errors.stats.ino === file.stats.ino) return undefined;
  const start = file.offset;
  return async (position, bytes) => {
    writeSync(1, bytes, 0, bytes.byteLength, start + position);
  };
}

/** An audio output. */
export interface AudioSink {
  /** Samples clipped to full scale so far (PCM only). */
  readonly clippedSamples: number;
  /** Appends `frames` frames of `channels` (one array per channel). */
  write(channels: Float32Array[], frames: number): Promise<void>;
  /** Completes the header and flushes. */
  close(): Promise<void>;
}

/** The output container and encoding. */
export interface OutputFormat {
  readonly container: 'wav' | 'flac';
  readonly encoding: SampleEncoding;
}

export function describeOutputFormat(format: OutputFormat): string {
  const bits = format.encoding === 'float32' ? '32-bit float' : `${format.encoding === 'pcm16' ? 16 : 24}-bit`;
  return format.container === 'flac' ? `FLAC ${bits}` : `WAV ${bits}${format.encoding === 'float32' ? '' : ' PCM'}`;
}

/**
 * Opens an audio output of `format` on `sink`; `frameCount` is the length when known in advance.
 * `maxRiffDataBytes`: the largest WAV data written as a plain RIFF, beyond which it is RF64 (smaller in
 * tests, to take that path without writing 4 GB).
 */
export async function createAudioSink(
  sink: ByteSink,
  format: OutputFormat,
  sampleRate: number,
  channelCount: number,
  frameCount: number | undefined,
  maxRiffDataBytes = MAX_DATA_BYTES,
): Promise<AudioSink> {
  if (format.container === 'flac') return FlacSink.create(sink, format.encoding, sampleRate, channelCount, frameCount);
  return WavSink.create(sink, format.encoding, sampleRate, channelCount, frameCount, maxRiffDataBytes);
}

/** Offsets of the two RIFF size fields in the header {@link wavHeader} writes. */
function riffSizeFields(header: Uint8Array): { riff: number; data: number } {
  return { riff: 4, data: header.byteLength - 4 };
}

/**
 * A WAV output. A file of unknown length reserves room for a ds64 chunk and becomes RF64 at close if its
 * data outgrew a RIFF; one of known length is RF64 from the start when it must be. Its errors are plain
 * ones, which the caller turns into one naming the output.
 */
class WavSink implements AudioSink {
  clippedSamples = 0;
  private framesWritten = 0;
  private bytes = new Uint8Array(0);

  private constructor(
    private readonly sink: ByteSink,
    private readonly encoding: SampleEncoding,
    private readonly sampleRate: number,
    private readonly channelCount: number,
    private readonly declaredFrames: number | undefined,
    private readonly header: Required<WavHeaderOptions>,
  ) {}

  static async create(
    sink: ByteSink,
    encoding: SampleEncoding,
    sampleRate: number,
    channelCount: number,
    frameCount: number | undefined,
    maxRiffDataBytes: number,
  ): Promise<WavSink> {
    const dataBytes = (frameCount ?? 0) * channelCount * BYTES_PER_SAMPLE[encoding];
    // Room for a ds64 chunk where the header can be rewritten, or where it is one already.
    const reserveDs64 = (frameCount === undefined && sink.patch !== undefined) || dataBytes > maxRiffDataBytes;
    const options = { reserveDs64, maxRiffDataBytes };
    const header = wavHeader(sampleRate, channelCount, encoding, frameCount ?? 0, options);
    if (frameCount === undefined && !sink.patch) {
      // A stream of unknown length: "up to the end", as streaming recorders write it.
      const view = new DataView(header.buffer);
      const fields = riffSizeFields(header);
      view.setUint32(fields.riff, 0xffffffff, true);
      view.setUint32(fields.data, 0xffffffff, true);
    }
    await sink.write(header);
    return new WavSink(sink, encoding, sampleRate, channelCount, frameCount, options);
  }

  async write(channels: Float32Array[], frames: number): Promise<void> {
    const frameBytes = this.channelCount * BYTES_PER_SAMPLE[this.encoding];
    if (!this.header.reserveDs64 && (this.framesWritten + frames) * frameBytes > this.header.maxRiffDataBytes) {
      throw new Error(
        this.sink.patch ? 'the output would exceed the 4 GB a WAV file can hold: use --format flac'
        : 'the output would exceed the 4 GB a WAV of unknown length can hold on a pipe: use --format flac, or write to a file (an RF64 WAV then)',
      );
    }
    const byteCount = frames * frameBytes;
    if (this.bytes.byteLength < byteCount) this.bytes = new Uint8Array(byteCount);
    this.clippedSamples += encodeSamples(channels, frames, this.encoding, this.bytes);
    await this.sink.write(this.bytes.subarray(0, byteCount));
    this.framesWritten += frames;
  }

  async close(): Promise<void> {
    // The same header length whatever the length turned out to be: RIFF with JUNK, or RF64 with ds64.
    if (this.framesWritten !== this.declaredFrames && this.sink.patch) {
      await this.sink.patch(0, wavHeader(this.sampleRate, this.channelCount, this.encoding, this.framesWritten, this.header));
    }
    await this.sink.finish();
  }
}

/** The parts of libflacjs used here. */
interface LibFlac {
  isReady(): boolean;
  on(event: 'ready', listener: () => void): void;
  create_libflac_encoder(sampleRate: number, channels: number, bps: number, level: number, totalSamples: number, verify: boolean, blockSize: number): number;
  init_encoder_stream(encoder: number, write: (data: Uint8Array) => void, metadata: (info: FlacStreamInfo) => void): number;
  FLAC__stream_encoder_process_interleaved(encoder: number, buffer: Int32Array, frames: number): boolean;
  FLAC__stream_encoder_finish(encoder: number): boolean;
  FLAC__stream_encoder_delete(encoder: number): void;
}

interface FlacStreamInfo {
  min_framesize: number;
  max_framesize: number;
  total_samples: number;
  md5sum: string;
}

let libFlac: Promise<LibFlac> | undefined;

/** libflacjs (its plain-JS build: the wasm build fetches its .wasm by URL, which Node's fetch refuses). */
function loadLibFlac(): Promise<LibFlac> {
  libFlac ??= new Promise((resolve) => {
    const require = createRequire(import.meta.url);
    const flac = (require('libflacjs') as (variant?: string) => LibFlac)();
    if (flac.isReady()) resolve(flac);
    else flac.on('ready', () => resolve(flac));
  });
  return libFlac;
}

/** A FLAC output. Its errors are plain ones, which the caller turns into one naming the output. */
class FlacSink implements AudioSink {
  clippedSamples = 0;
  private interleaved = new Int32Array(0);
  private encoded: Uint8Array[] = [];
  private info: FlacStreamInfo | undefined;

  private constructor(
    private readonly flac: LibFlac,
    private readonly encoder: number,
    private readonly sink: ByteSink,
    private readonly bits: 16 | 24,
    private readonly channelCount: number,
  ) {}

  static async create(sink: ByteSink, encoding: SampleEncoding, sampleRate: number, channelCount: number, frameCount: number | undefined): Promise<FlacSink> {
    if (encoding === 'float32') throw new Error('FLAC holds 16- or 24-bit samples, not float: use --format flac16 or flac24, or a .wav output');
    const flac = await loadLibFlac();
    const bits = encoding === 'pcm16' ? 16 : 24;
    const encoder = flac.create_libflac_encoder(sampleRate, channelCount, bits, 5, frameCount ?? 0, false, 0);
    if (!encoder) throw new Error(`the FLAC encoder refused ${sampleRate} Hz, ${channelCount} channels, ${bits} bits`);
    const out = new FlacSink(flac, encoder, sink, bits, channelCount);
    const status = flac.init_encoder_stream(
      encoder,
      (data) => out.encoded.push(data.slice()),
      (info) => (out.info = info),
    );
    if (status !== 0) throw new Error(`the FLAC encoder could not start (status ${status})`);
    return out;
  }

  private async drain(): Promise<void> {
    const chunks = this.encoded;
    this.encoded = [];
    for (const chunk of chunks) await this.sink.write(chunk);
  }

  async write(channels: Float32Array[], frames: number): Promise<void> {
    const count = frames * this.channelCount;
    if (this.interleaved.length < count) this.interleaved = new Int32Array(count);
    const scale = this.bits === 16 ? 32768 : 8388608;
    for (let c = 0; c < this.channelCount; c++) {
      const channel = channels[c];
      for (let i = 0; i < frames; i++) {
        let value = Math.round(channel[i] * scale);
        if (value > scale - 1 || value < -scale) {
          this.clippedSamples++;
          value = value > 0 ? scale - 1 : -scale;
        }
        this.interleaved[i * this.channelCount + c] = value;
      }
    }
    if (!this.flac.FLAC__stream_encoder_process_interleaved(this.encoder, this.interleaved.subarray(0, count), frames)) {
      throw new Error('the FLAC encoder failed');
    }
    await this.drain();
  }

  async close(): Promise<void> {
    try {
      this.flac.FLAC__stream_encoder_finish(this.encoder);
      await this.drain();
    } finally {
      this.flac.FLAC__stream_encoder_delete(this.encoder);
    }
    // A stream cannot seek back, so libFLAC left STREAMINFO as it began: complete it in a file.
    if (this.info && this.sink.patch) {
      const streamInfo = new Uint8Array(34 - 4);
      const view = new DataView(streamInfo.buffer);
      // Bytes 4..33 of STREAMINFO (the block starts at byte 8 of the file, after "fLaC" and its header).
      view.setUint8(0, (this.info.min_framesize >>> 16) & 0xff);
      view.setUint16(1, this.info.min_framesize & 0xffff);
      view.setUint8(3, (this.info.max_framesize >>> 16) & 0xff);
      view.setUint16(4, this.info.max_framesize & 0xffff);
      await this.sink.patch(8 + 4, streamInfo.subarray(0, 6));
      // Total samples: the low 4 bits of byte 13 and bytes 14..17; then the MD5 (bytes 18..33).
      const total = this.info.total_samples;
      const tail = new Uint8Array(4 + 16);
      const tailView = new DataView(tail.buffer);
      tailView.setUint32(0, total >>> 0);
      for (let i = 0; i < 16; i++) tail[4 + i] = parseInt(this.info.md5sum.slice(2 * i, 2 * i + 2), 16) || 0;
      await this.sink.patch(8 + 14, tail);
      // The high bits of the 36-bit count share byte 13 with the bits per sample.
      const byte13 = (((this.bits - 1) & 0x0f) << 4) | (Math.floor(total / 2 ** 32) & 0x0f);
      await this.sink.patch(8 + 13, new Uint8Array([byte13]));
    }
    await this.sink.finish();
  }
}
