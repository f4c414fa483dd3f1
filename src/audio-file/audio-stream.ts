/**
 * Audio files read a block at a time from any {@link ByteStream} (memory does not grow with the length):
 * WAV and AIFF (parsed here, with src/cli's Node-free header parsers), FLAC and Ogg FLAC, MP3, Ogg Vorbis
 * and Ogg Opus (decoded with eshaz's wasm decoders, loaded only when a file needs them). The format is
 * told by the file's first bytes, not its name. Node-free: the CLI reads files and pipes through it
 * (src/cli/audio-source.ts adds resampling), the style analysis Worker reads a dropped `File` (a Blob).
 * Samples come at the file's own rate.
 * @packageDocumentation
 */
import { parseAiffHeader, SoundBeforeCommon } from '../cli/aiff-format.js';
import { readSoundFirstAiff } from '../cli/aiff-sound-first.js';
import { OggLinks, type OggLink } from '../cli/ogg-links.js';
import { clearPaddingBits, decodeSamples } from '../cli/sample-codec.js';
import { BYTES_PER_SAMPLE, describeEncoding, naturalEncodingOf, NeedMoreBytes, parseWavHeader, WavFormatError, type SampleEncoding, type SampleFormat, type WavFormat } from '../cli/wav-format.js';
import { LimitedStream, PushBackStream, skipBytes, type ByteStream } from './byte-stream.js';
import { id3TagLength, sniff, vorbisHeader, type Container } from './sniff.js';

/** A file that cannot be read as audio (damaged, truncated, too many channels…); one line naming the file. */
export class AudioFileError extends Error {
  override name = 'AudioFileError';
}

/** A file in none of the formats read here (or empty): a browser may still decode it with `decodeAudioData`. */
export class UnknownAudioFormatError extends AudioFileError {
  override name = 'UnknownAudioFormatError';
}

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
 * Tells the format of `stream` from its first bytes and opens a source on it that reads at the file's own
 * rate. Throws {@link UnknownAudioFormatError} for a format not read here (or an empty stream) and
 * {@link AudioFileError} for a file that cannot be read; the stream is the caller's to close on error.
 */
export async function openAudioStream(stream: ByteStream): Promise<AudioSource> {
  const name = stream.name;
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
      return WavStreamSource.open(rest, 'wav');
    case 'aiff':
      return WavStreamSource.open(rest, 'aiff');
    case 'unknown':
      throw new UnknownAudioFormatError(
        empty ? `${name} is empty: give an audio file` : `${name}: not an audio format the upmixer reads (WAV, AIFF, FLAC, MP3, Ogg Vorbis, Ogg Opus); convert it first`,
      );
    default:
      return DecodedSource.open(rest, container, head);
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
            throw failure instanceof WavFormatError ? new AudioFileError(`${stream.name}: ${failure.message}`) : failure;
          });
          return new WavStreamSource(samples, container, format);
        }
        if (error instanceof NeedMoreBytes && error.bytes <= 16 * 1024 * 1024) {
          const grown = new Uint8Array(error.bytes);
          grown.set(head);
          const got = await stream.read(grown, head.byteLength, error.bytes - head.byteLength);
          if (got < error.bytes - head.byteLength) throw new AudioFileError(`${stream.name}: truncated: the file ends before its data chunk`);
          head = grown;
          continue;
        }
        if (error instanceof NeedMoreBytes) throw new AudioFileError(`${stream.name}: the WAV header is over 16 MB long; check the file`);
        if (error instanceof WavFormatError) throw new AudioFileError(`${stream.name}: ${error.message}`);
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
      throw new AudioFileError(`${this.stream.name}: the file got shorter while it was being read (truncated); check the file`);
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
        throw new AudioFileError(`${stream.name}: no audio could be decoded from this ${formatName} file (damaged or empty); check the file`);
      }
      if (source.channelCount > 2) {
        throw new AudioFileError(`${stream.name} has ${source.channelCount} channels: the upmixer takes mono or stereo input; downmix it first`);
      }
      if (!(source.sampleRate > 0)) throw new AudioFileError(`${stream.name}: the decoder reported no sample rate; check the file`);
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
      throw new AudioFileError(`${this.stream.name}: ${what}; split it into its streams first`);
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
      throw new AudioFileError(
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
