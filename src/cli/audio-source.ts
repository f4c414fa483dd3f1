/**
 * Audio inputs for the CLI, all streamed a block at a time (memory does not grow with the length): WAV
 * and AIFF (read here), FLAC and Ogg FLAC, MP3, Ogg Vorbis and Ogg Opus (decoded with eshaz's wasm decoders,
 * loaded only when a file needs them). The format is told by the file's first bytes, not its name. A
 * rate outside what the engine runs at is resampled into range with libsamplerate (wasm), see
 * {@link targetSampleRate}.
 * @packageDocumentation
 */
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../dsp/frame-config.js';
import { LimitedStream, openFileStream, PushBackStream, readableStream, skipBytes, type ByteStream } from './byte-stream.js';
import { parseAiffHeader, SoundBeforeCommon } from './aiff-format.js';
import { readSoundFirstAiff } from './aiff-sound-first.js';
import { OggLinks, type OggLink } from './ogg-links.js';
import { asCliError, InputError } from './errors.js';
import { clearPaddingBits, decodeSamples } from './sample-codec.js';
import { BYTES_PER_SAMPLE, describeEncoding, naturalEncodingOf, NeedMoreBytes, parseWavHeader, RIFF_IDS, WavFormatError, type SampleEncoding, type SampleFormat, type WavFormat } from './wav-format.js';

/** Planar float audio read a block at a time. */
export interface AudioSource {
  /** The container and codec, for the summary ("FLAC", "MP3", "WAV 16-bit PCM"...). */
  readonly formatName: string;
  readonly sampleRate: number;
  /** 1 or 2. */
  readonly channelCount: number;
  /** The encoding an output copies by default (the WAV's own; 16/24-bit for FLAC; 24-bit for lossy codecs). */
  readonly naturalEncoding: SampleEncoding;
  /** Frames in all, when the header says so (undefined: read to the end). */
  readonly frameCount: number | undefined;
  /** Input sample rate before resampling, when it was resampled. */
  readonly resampledFrom?: number;
  /** Damaged frames the decoder skipped so far. */
  readonly decodeErrors: number;
  /** How far through the input the reading is, 0..1, when that can be told. */
  fractionDone(): number | undefined;
  /**
   * Reads up to `maxFrames` frames into `channels` (`channelCount` arrays at least `maxFrames` long);
   * returns the frames read, 0 at the end.
   */
  read(channels: Float32Array[], maxFrames: number): Promise<number>;
  close(): Promise<void>;
}

/** Compressed bytes per decode call, at most and at least (see DecodedSource.pull). */
const COMPRESSED_BLOCK = 64 * 1024;
const SMALLEST_COMPRESSED_BLOCK = 1024;
/** Decoded frames one decode call aims at: the compressed block shrinks for files that compress a lot. */
const DECODED_FRAMES_PER_CALL = 16 * 1024;
/** Bytes that tell the format (an Ogg stream's first page names its codec within them). */
const SNIFF_BYTES = 512;
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
 * The rate a file at `sampleRate` is upmixed at: its own inside 22,050-192,000 Hz; below that 44,100 Hz
 * for rates that divide it (11,025 Hz...) and 48,000 Hz for the others (8, 12, 16 kHz...); above it
 * 176,400 Hz for multiples of 44,100 Hz and 192,000 Hz for the others.
 */
export function targetSampleRate(sampleRate: number): number {
  if (sampleRate >= MIN_SAMPLE_RATE && sampleRate <= MAX_SAMPLE_RATE) return sampleRate;
  if (sampleRate < MIN_SAMPLE_RATE) return 44_100 % sampleRate === 0 ? 44_100 : 48_000;
  return sampleRate % 44_100 === 0 ? 176_400 : 192_000;
}

/** What the first bytes say the file is. */
type Container = 'wav' | 'flac' | 'ogg-flac' | 'mp3' | 'vorbis' | 'opus' | 'aiff' | 'unknown';

const ascii = (bytes: Uint8Array, at: number, length: number): string => String.fromCharCode(...bytes.subarray(at, at + length));

function indexOfAscii(bytes: Uint8Array, text: string, limit = bytes.byteLength): number {
  outer: for (let i = 0; i + text.length <= Math.min(limit, bytes.byteLength); i++) {
    for (let j = 0; j < text.length; j++) if (bytes[i + j] !== text.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

function sniff(head: Uint8Array, name: string): Container {
  if (head.byteLength >= 12 && RIFF_IDS.includes(ascii(head, 0, 4)) && ascii(head, 8, 4) === 'WAVE') return 'wav';
  if (ascii(head, 0, 4) === 'fLaC') return 'flac';
  if (ascii(head, 0, 4) === 'OggS') {
    // The first page holds the codec's identification packet.
    if (indexOfAscii(head, 'OpusHead', 200) >= 0) return 'opus';
    if (indexOfAscii(head, '\x01vorbis', 200) >= 0) return 'vorbis';
    if (indexOfAscii(head, '\x7fFLAC', 200) >= 0) return 'ogg-flac';
    return 'unknown';
  }
  if (ascii(head, 0, 4) === 'FORM' && /^AIF[FC]$/.test(ascii(head, 8, 4))) return 'aiff';
  if (head.byteLength >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x06) !== 0) return 'mp3';
  // Some MP3 files start with junk before the first frame: trust the name then.
  if (/\.mp[23]$/i.test(name)) return 'mp3';
  return 'unknown';
}

/**
 * Bytes of the ID3v2 tag at the start of `head` (its 10-byte header, the syncsafe size it states and a
 * footer if flagged), 0 without one. Taggers put such tags in front of FLAC files too, not only MP3s.
 */
function id3TagLength(head: Uint8Array): number {
  if (head.byteLength < 10 || ascii(head, 0, 3) !== 'ID3') return 0;
  const size = ((head[6] & 0x7f) << 21) | ((head[7] & 0x7f) << 14) | ((head[8] & 0x7f) << 7) | (head[9] & 0x7f);
  return 10 + size + (head[5] & 0x10 ? 10 : 0);
}

/** The first bytes of a stream, up to {@link SNIFF_BYTES}: what is there (a pipe may pause after a few, so never wait for a full block). */
async function readHead(stream: ByteStream): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let got = 0;
  while (got < SNIFF_BYTES) {
    const block = await stream.next(4096 - got);
    if (block.byteLength === 0) break;
    parts.push(block.slice());
    got += block.byteLength;
  }
  const head = new Uint8Array(got);
  parts.reduce((at, part) => (head.set(part, at), at + part.byteLength), 0);
  return head;
}

/**
 * Opens `path` (`-`: standard input) and tells its format; the source it returns reads at a rate the
 * engine runs at (resampled when needed). Errors are {@link InputError}s naming the file.
 */
export async function openAudioSource(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<AudioSource> {
  const name = path === '-' ? 'standard input' : path;
  const stream = path === '-' ? readableStream(stdin as import('node:stream').Readable) : await openFileStream(path);
  let source: AudioSource;
  try {
    let head = await readHead(stream);
    const empty = head.byteLength === 0;
    let rest: ByteStream = new PushBackStream(stream, head);
    let container: Container;
    const tagLength = id3TagLength(head);
    if (tagLength > 0) {
      // The format is what follows the tag (a FLAC file can carry one as well as an MP3); the decoders get
      // the stream from there. After a tag, what is not recognised is taken for MP3 (which may start with junk).
      await skipBytes(rest, tagLength);
      head = await readHead(rest);
      rest = new PushBackStream(rest, head, tagLength);
      container = sniff(head, name);
      if (container === 'unknown') container = 'mp3';
    } else {
      container = sniff(head, name);
    }
    switch (container) {
      case 'wav':
        source = await WavStreamSource.open(rest, 'wav');
        break;
      case 'aiff':
        source = await WavStreamSource.open(rest, 'aiff');
        break;
      case 'unknown':
        throw new InputError(
          empty ? `${name} is empty: give an audio file` : `${name}: not an audio format the upmixer reads (WAV, AIFF, FLAC, MP3, Ogg Vorbis, Ogg Opus); convert it first`,
        );
      default:
        source = await DecodedSource.open(rest, container, head);
    }
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

/** A WAV or AIFF file or stream, read in order (so a pipe works as well as a file). */
class WavStreamSource implements AudioSource {
  readonly decodeErrors = 0;
  private framesRead = 0;
  private bytes = new Uint8Array(0);

  readonly sampleRate: number;
  readonly channelCount: number;
  /** How the file stores its samples. */
  private readonly sampleFormat: SampleFormat;
  private readonly totalFrames: number;
  private readonly bigEndian: boolean;
  /** PCM narrower than its container (12 bits in 16...): its width; the bits below are padding, cleared. */
  private readonly validBits: number | undefined;

  private constructor(
    private readonly stream: ByteStream,
    private readonly container: 'wav' | 'aiff',
    format: WavFormat & { readonly bigEndian: boolean },
  ) {
    this.sampleRate = format.sampleRate;
    this.channelCount = format.channelCount;
    this.sampleFormat = format.encoding;
    this.totalFrames = format.frameCount;
    this.bigEndian = format.bigEndian;
    this.validBits = format.validBits;
  }

  get formatName(): string {
    return `${this.container === 'wav' ? 'WAV' : 'AIFF'} ${describeEncoding(this.sampleFormat, this.validBits)}`;
  }

  get naturalEncoding(): SampleEncoding {
    return naturalEncodingOf(this.sampleFormat);
  }

  get frameCount(): number | undefined {
    return Number.isFinite(this.totalFrames) ? this.totalFrames : undefined;
  }

  /** Reads a WAV or AIFF header; MPEG audio in a WAV goes to the MP3 decoder, limited to the data chunk. */
  static async open(stream: ByteStream, container: 'wav' | 'aiff'): Promise<AudioSource> {
    // The bytes already there, then exactly what the header asks for: a pipe is never waited on for more.
    let head = (await stream.next(64 * 1024)).slice();
    for (;;) {
      try {
        const format = container === 'wav' ? { ...parseWavHeader(head, stream.size ?? Infinity), bigEndian: false } : parseAiffHeader(head, stream.size ?? Infinity);
        if (format.dataOffset > head.byteLength) {
          // AIFF's SSND may start its samples further on (its offset field): read up to them.
          throw new NeedMoreBytes(format.dataOffset);
        }
        // Bytes read past the header are the first samples: hand them back.
        const samples = head.subarray(format.dataOffset);
        const rest = samples.byteLength > 0 ? new PushBackStream(stream, samples.slice()) : stream;
        if (format.mpegBytes !== undefined) return await DecodedSource.open(new LimitedStream(rest, format.mpegBytes), 'mp3', samples, 'MPEG audio in WAV');
        return new WavStreamSource(rest, container, format);
      } catch (error) {
        if (error instanceof SoundBeforeCommon) {
          const { format, samples } = await readSoundFirstAiff(stream, head, error).catch((failure: unknown) => {
            throw failure instanceof WavFormatError ? new InputError(`${stream.name}: ${failure.message}`) : failure;
          });
          return new WavStreamSource(samples, container, format);
        }
        if (error instanceof NeedMoreBytes && error.bytes <= 16 * 1024 * 1024) {
          const grown = new Uint8Array(error.bytes);
          grown.set(head);
          const got = await stream.read(grown, head.byteLength, error.bytes - head.byteLength);
          if (got < error.bytes - head.byteLength) throw new InputError(`${stream.name}: truncated: the file ends before its data chunk`);
          head = grown;
          continue;
        }
        if (error instanceof NeedMoreBytes) throw new InputError(`${stream.name}: the WAV header is over 16 MB long; check the file`);
        if (error instanceof WavFormatError) throw new InputError(`${stream.name}: ${error.message}`);
        throw error;
      }
    }
  }

  fractionDone(): number | undefined {
    return Number.isFinite(this.totalFrames) ? this.framesRead / Math.max(1, this.totalFrames) : undefined;
  }

  async read(channels: Float32Array[], maxFrames: number): Promise<number> {
    const frames = Math.min(maxFrames, this.totalFrames - this.framesRead);
    if (frames <= 0) return 0;
    const frameBytes = this.channelCount * BYTES_PER_SAMPLE[this.sampleFormat];
    const byteCount = frames * frameBytes;
    if (this.bytes.byteLength < byteCount) this.bytes = new Uint8Array(byteCount);
    const got = await this.stream.read(this.bytes, 0, byteCount);
    if (got < byteCount && Number.isFinite(this.totalFrames)) {
      throw new InputError(`${this.stream.name}: the file got shorter while it was being read (truncated); check the file`);
    }
    const whole = Math.floor(got / frameBytes);
    if (this.bigEndian) {
      // Big-endian samples (AIFF): swap each in place, then decode as WAV's little-endian.
      const width = BYTES_PER_SAMPLE[this.sampleFormat];
      const bytes = this.bytes;
      for (let at = 0; at < whole * frameBytes; at += width) {
        for (let i = 0, j = width - 1; i < j; i++, j--) {
          const t = bytes[at + i];
          bytes[at + i] = bytes[at + j];
          bytes[at + j] = t;
        }
      }
    }
    if (this.validBits !== undefined) clearPaddingBits(this.bytes.subarray(0, whole * frameBytes), BYTES_PER_SAMPLE[this.sampleFormat], this.validBits);
    decodeSamples(this.bytes, this.sampleFormat, channels, whole);
    this.framesRead += whole;
    return whole;
  }

  close(): Promise<void> {
    return this.stream.close();
  }
}

/** One decoded block from a wasm decoder. */
interface DecodedChunk {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  /** FLAC: the file's bits per sample. */
  bitDepth?: number;
  errors: unknown[];
}

/** What the eshaz decoders have in common. */
interface ChunkDecoder {
  ready: Promise<void>;
  decode(bytes: Uint8Array): DecodedChunk | Promise<DecodedChunk>;
  flush?: () => Promise<DecodedChunk>;
  free(): void;
}

const CODEC_NAMES: Record<string, string> = { flac: 'FLAC', 'ogg-flac': 'Ogg FLAC', mp3: 'MP3', vorbis: 'Ogg Vorbis', opus: 'Ogg Opus' };

async function createDecoder(container: Container): Promise<ChunkDecoder> {
  switch (container) {
    case 'flac':
    case 'ogg-flac':
      return new (await import('@wasm-audio-decoders/flac')).FLACDecoder() as ChunkDecoder;
    case 'mp3':
      return new (await import('mpg123-decoder')).MPEGDecoder() as ChunkDecoder;
    case 'vorbis':
      return new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder() as ChunkDecoder;
    case 'opus':
      return new (await import('ogg-opus-decoder')).OggOpusDecoder() as unknown as ChunkDecoder;
    default:
      throw new Error(`no decoder for ${container}`);
  }
}

/** The rate and channels a Vorbis identification header declares (the decoder does not report them reliably). */
function vorbisHeader(head: Uint8Array): { sampleRate: number; channelCount: number } | undefined {
  const at = indexOfAscii(head, '\x01vorbis', 200);
  if (at < 0 || at + 16 > head.byteLength) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return { channelCount: head[at + 11], sampleRate: view.getUint32(at + 12, true) };
}

/** A compressed file, decoded block by block; the decoded audio waits in a short queue until read. */
class DecodedSource implements AudioSource {
  decodeErrors = 0;
  private readonly queue: Float32Array[][] = [];
  private queueOffset = 0;
  private ended = false;
  private freed = false;

  private constructor(
    private readonly stream: ByteStream,
    private readonly decoder: ChunkDecoder,
    readonly formatName: string,
    private readonly lossless: boolean,
    private readonly declaredRate: number | undefined,
  ) {}

  /** FLAC keeps its bit depth (16 or 24 bits); lossy codecs get 24 bits, so no rounding noise is added to theirs. */
  naturalEncoding: SampleEncoding = 'pcm24';
  /** FLAC's integer full scale, 2^(bits-1). */
  private fullScale = 0;
  /** Compressed bytes for the next decode call. */
  private blockBytes = 4 * 1024;
  /** The length the header states (FLAC), to tell a truncated file. */
  declaredFrames: number | undefined;
  /** Native FLAC: push a few zero bytes in at the end (see pull). */
  padEnd = false;
  /** Ogg Vorbis and Opus: the links of a chained file, checked before the decoder gets them (see checkLinks). */
  oggLinks: OggLinks | undefined;
  private linksChecked = 0;
  private framesOut = 0;

  sampleRate = 0;
  channelCount = 0;
  readonly frameCount = undefined;

  /** `formatName`: what the summary calls the input, when not the codec's name (MPEG audio in a WAV). */
  static async open(stream: ByteStream, container: Container, head: Uint8Array, formatName = CODEC_NAMES[container]): Promise<DecodedSource> {
    const decoder = await createDecoder(container);
    await decoder.ready;
    const vorbis = container === 'vorbis' ? vorbisHeader(head) : undefined;
    const lossless = container === 'flac' || container === 'ogg-flac';
    const source = new DecodedSource(stream, decoder, formatName, lossless, vorbis?.sampleRate);
    // A FLAC file's STREAMINFO (its first block) states the length, when the encoder knew it.
    source.padEnd = container === 'flac';
    if (container === 'vorbis' || container === 'opus') source.oggLinks = new OggLinks();
    if (container === 'flac' && head.byteLength >= 26) source.declaredFrames = (head[21] & 0x0f) * 2 ** 32 + new DataView(head.buffer, head.byteOffset).getUint32(22) || undefined;
    try {
      while (source.queue.length === 0 && !source.ended) await source.pull();
      if (source.queue.length === 0) {
        throw new InputError(`${stream.name}: no audio could be decoded from this ${formatName} file (damaged or empty); check the file`);
      }
      if (source.channelCount > 2) {
        throw new InputError(`${stream.name} has ${source.channelCount} channels: the upmixer takes mono or stereo input; downmix it first`);
      }
      if (!(source.sampleRate > 0)) throw new InputError(`${stream.name}: the decoder reported no sample rate; check the file`);
    } catch (error) {
      source.free();
      throw error;
    }
    return source;
  }

  /** Decodes one more block of bytes (or flushes at the end). */
  private async pull(): Promise<void> {
    const bytes = await this.stream.next(this.blockBytes);
    let chunk: DecodedChunk;
    if (this.oggLinks) {
      this.oggLinks.feed(bytes);
      this.checkLinks(this.oggLinks.links);
    }
    if (bytes.byteLength > 0) {
      // mpg123-decoder prints each damaged frame to the console; they are counted and summed up instead.
      const consoleError = console.error;
      let pending;
      console.error = () => undefined;
      try {
        pending = this.decoder.decode(bytes);
      } finally {
        console.error = consoleError;
      }
      chunk = await pending;
      // Silence or a test tone compresses a thousandfold: keep each call's output (and so memory) small.
      if (chunk.samplesDecoded > 0) {
        const framesPerByte = chunk.samplesDecoded / bytes.byteLength;
        this.blockBytes = Math.max(SMALLEST_COMPRESSED_BLOCK, Math.min(COMPRESSED_BLOCK, Math.round(DECODED_FRAMES_PER_CALL / framesPerByte)));
      }
    } else if (this.padEnd) {
      // The FLAC parser holds a last frame back until bytes follow it: a short last frame (silence
      // compresses to a few bytes) would be lost. Zeros hold no frame sync, so they only push it out.
      this.padEnd = false;
      chunk = await this.decoder.decode(new Uint8Array(64));
    } else {
      this.ended = true;
      if (!this.decoder.flush) return;
      chunk = await this.decoder.flush();
    }
    this.decodeErrors += chunk.errors.length;
    if (chunk.samplesDecoded <= 0) return;
    if (this.channelCount === 0) {
      this.channelCount = chunk.channelData.length;
      this.sampleRate = this.declaredRate ?? chunk.sampleRate;
      if (this.lossless && chunk.bitDepth) {
        this.fullScale = 2 ** (chunk.bitDepth - 1);
        if (chunk.bitDepth <= 16) this.naturalEncoding = 'pcm16';
      }
    }
    // The decoders hand out new arrays for every call (copies of their wasm memory): kept as they are.
    const block = [];
    for (let c = 0; c < Math.min(this.channelCount, 2); c++) {
      const data = chunk.channelData[Math.min(c, chunk.channelData.length - 1)];
      const samples = data.length === chunk.samplesDecoded ? data : data.slice(0, chunk.samplesDecoded);
      if (this.fullScale > 0) {
        // The FLAC decoder divides by 2^(bits-1) - 1; back to the integers over 2^(bits-1), as WAV is read,
        // so FLAC and WAV of the same samples give the same floats.
        const full = this.fullScale;
        for (let i = 0; i < samples.length; i++) samples[i] = Math.round(samples[i] * (full - 1)) / full;
      }
      block.push(samples);
    }
    this.queue.push(block);
  }

  /**
   * Refuses a chained link the decoder would get wrong: Opus reads only a file's first stream, and Vorbis
   * decodes a link with other channels as noise. Vorbis links like the first are read one after another.
   */
  private checkLinks(links: readonly OggLink[]): void {
    const describe = (link: OggLink): string => `${link.channelCount === 1 ? 'mono' : `${link.channelCount} channels`} at ${link.sampleRate} Hz`;
    for (; this.linksChecked < links.length; this.linksChecked++) {
      if (this.linksChecked === 0) continue;
      const [first, link] = [links[0], links[this.linksChecked]];
      if (link.codec === 'vorbis' && first.codec === 'vorbis' && link.channelCount === first.channelCount && link.sampleRate === first.sampleRate) continue;
      const what = link.codec === 'opus' ? 'a chained Ogg Opus file (streams one after another), of which the decoder would read only the first' : `a chained Ogg file whose streams differ (${describe(first)}, then ${describe(link)})`;
      throw new InputError(`${this.stream.name}: ${what}; split it into its streams first`);
    }
  }

  fractionDone(): number | undefined {
    return this.stream.size ? Math.min(1, this.stream.position / this.stream.size) : undefined;
  }

  async read(channels: Float32Array[], maxFrames: number): Promise<number> {
    let done = 0;
    while (done < maxFrames) {
      if (this.queue.length === 0) {
        if (this.ended) break;
        await this.pull();
        continue;
      }
      const block = this.queue[0];
      const take = Math.min(maxFrames - done, block[0].length - this.queueOffset);
      this.framesOut += take;
      for (let c = 0; c < this.channelCount; c++) channels[c].set(block[c].subarray(this.queueOffset, this.queueOffset + take), done);
      done += take;
      this.queueOffset += take;
      if (this.queueOffset === block[0].length) {
        this.queue.shift();
        this.queueOffset = 0;
      }
    }
    if (done < maxFrames && this.declaredFrames !== undefined && this.framesOut < this.declaredFrames) {
      throw new InputError(
        `${this.stream.name}: truncated: its header declares ${this.declaredFrames} samples but it ends after ${this.framesOut}; check the file (or re-encode what is left)`,
      );
    }
    return done;
  }

  private free(): void {
    if (this.freed) return;
    this.freed = true;
    this.decoder.free();
  }

  async close(): Promise<void> {
    this.free();
    await this.stream.close();
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
