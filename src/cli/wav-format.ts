/**
 * The WAV (RIFF/WAVE) container: parsing a header and writing one. Only the header lives here; samples
 * stream through {@link WavReader} and {@link WavWriter}, so a file of any length needs little memory.
 * @packageDocumentation
 */
import type { Hertz } from '../dsp/units.js';

/** Sample encodings the upmixer reads and writes. */
export type SampleEncoding = 'pcm16' | 'pcm24' | 'float32';

export const SAMPLE_ENCODINGS: readonly SampleEncoding[] = ['pcm16', 'pcm24', 'float32'];

/**
 * How samples are stored in a file the upmixer reads: the encodings it writes, and those of old and
 * telephone recordings it only reads (8-bit PCM, unsigned in WAV and signed in AIFF; 32-bit integer PCM;
 * 64-bit float; G.711 mu-law and A-law).
 */
export type SampleFormat = SampleEncoding | 'pcm8' | 'pcm8signed' | 'pcm32' | 'float64' | 'mulaw' | 'alaw';

/** Bytes per sample of each format. */
export const BYTES_PER_SAMPLE: Record<SampleFormat, number> = { pcm8: 1, pcm8signed: 1, mulaw: 1, alaw: 1, pcm16: 2, pcm24: 3, pcm32: 4, float32: 4, float64: 8 };

/**
 * The encoding an output copies from an input's format by default: 16-bit for 8-bit and G.711 inputs
 * (which hold no more), 24-bit PCM for 32-bit integer PCM, 32-bit float for 64-bit float.
 */
export function naturalEncodingOf(format: SampleFormat): SampleEncoding {
  switch (format) {
    case 'pcm8':
    case 'pcm8signed':
    case 'mulaw':
    case 'alaw':
      return 'pcm16';
    case 'pcm32':
      return 'pcm24';
    case 'float64':
      return 'float32';
    default:
      return format;
  }
}

/** What a reader needs to know about a WAV file's audio. */
export interface WavFormat {
  readonly sampleRate: Hertz;
  readonly channelCount: number;
  /** How each sample is stored (for PCM narrower than a whole byte count: its container, see `validBits`). */
  readonly encoding: SampleFormat;
  /**
   * PCM whose samples fill only the top bits of their container (12 bits in 16, 20 in 24): those bits.
   * The rest are padding, zero by the specs (WAV and AIFF alike justify samples to the most significant bit).
   */
  readonly validBits?: number;
  /**
   * MPEG audio (WAV format tags 0x50 and 0x55): the data chunk holds MPEG frames, not samples; this many
   * bytes of them (Infinity: to the end of a stream). `frameCount` is then 0: the decoder tells the length.
   */
  readonly mpegBytes?: number;
  /** Sample frames (one sample per channel) in the data chunk. */
  readonly frameCount: number;
  /** Byte offset of the first sample in the file. */
  readonly dataOffset: number;
}

/** A file that is not a WAV the upmixer can read; the message says what is wrong. */
export class WavFormatError extends Error {
  override name = 'WavFormatError';
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** The first four bytes of a WAV file: RIFF, or RF64 and BW64 (ITU-R BS.2088) whose ds64 chunk holds 64-bit sizes. */
export const RIFF_IDS: readonly string[] = ['RIFF', 'RF64', 'BW64'];
/** A data chunk size written by streaming recorders that did not know the length: "up to the end". */
const UNKNOWN_SIZE = 0xffffffff;

/** Human name of a sample format, for messages and summaries (`validBits`: PCM's own width, when under its container's). */
export function describeEncoding(format: SampleFormat, validBits?: number): string {
  if (format === 'mulaw') return '8-bit mu-law';
  if (format === 'alaw') return '8-bit A-law';
  if (format === 'float32' || format === 'float64') return `${8 * BYTES_PER_SAMPLE[format]}-bit float`;
  return `${validBits ?? 8 * BYTES_PER_SAMPLE[format]}-bit PCM`;
}

/** The PCM container of samples `bits` wide (1..32): the fewest whole bytes that hold them. `unsigned8`: 8-bit PCM is unsigned (WAV). */
export function pcmContainer(bits: number, unsigned8: boolean): SampleFormat | undefined {
  if (!Number.isInteger(bits) || bits < 1 || bits > 32) return undefined;
  const formats: SampleFormat[] = [unsigned8 ? 'pcm8' : 'pcm8signed', 'pcm16', 'pcm24', 'pcm32'];
  return formats[Math.ceil(bits / 8) - 1];
}

/** MPEG audio in WAV: MPEG-1/2 layers I and II (WAVE_FORMAT_MPEG), and layer III (WAVE_FORMAT_MPEGLAYER3). */
const WAVE_FORMAT_MPEG = 0x50;
const WAVE_FORMAT_MPEGLAYER3 = 0x55;

/** Names of the compressed WAV formats old recordings turn up in (dictation machines, telephony, early PC audio), for the refusal. */
const COMPRESSED_NAMES: Record<number, string> = {
  0x2: 'Microsoft ADPCM',
  0x11: 'IMA ADPCM',
  0x22: 'TrueSpeech',
  0x31: 'GSM 6.10',
  0x40: 'G.721 ADPCM',
  0x45: 'G.726 ADPCM',
  0x161: 'Windows Media Audio',
  0x2000: 'AC-3',
};

function encodingOf(formatTag: number, bitsPerSample: number): SampleFormat {
  const pcm = formatTag === WAVE_FORMAT_PCM ? pcmContainer(bitsPerSample, true) : undefined;
  if (pcm) return pcm;
  if (formatTag === WAVE_FORMAT_IEEE_FLOAT && bitsPerSample === 32) return 'float32';
  if (formatTag === WAVE_FORMAT_IEEE_FLOAT && bitsPerSample === 64) return 'float64';
  if (formatTag === WAVE_FORMAT_MULAW && bitsPerSample === 8) return 'mulaw';
  if (formatTag === WAVE_FORMAT_ALAW && bitsPerSample === 8) return 'alaw';
  const kind =
    formatTag === WAVE_FORMAT_PCM ? `${bitsPerSample}-bit PCM`
    : formatTag === WAVE_FORMAT_IEEE_FLOAT ? `${bitsPerSample}-bit float`
    : `${COMPRESSED_NAMES[formatTag] ? `${COMPRESSED_NAMES[formatTag]} ` : ''}compressed (format tag 0x${formatTag.toString(16)})`;
  throw new WavFormatError(`${kind} samples are not supported: convert to 16/24-bit PCM or 32-bit float WAV (or FLAC)`);
}

/**
 * Parses the header of a WAV file from its first bytes. `head` must hold every chunk up to the start of
 * the data chunk (the caller reads more and retries on {@link NeedMoreBytes}); `fileSize` lets a
 * truncated file be told apart from a whole one (Infinity for a stream; a data chunk of unknown size then
 * gives `frameCount` Infinity: read to the end).
 */
export function parseWavHeader(head: Uint8Array, fileSize: number): WavFormat {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (at: number): string => String.fromCharCode(head[at], head[at + 1], head[at + 2], head[at + 3]);
  if (head.byteLength < 12 || !RIFF_IDS.includes(tag(0)) || tag(8) !== 'WAVE') {
    throw new WavFormatError(head.byteLength === 0 ? 'the file is empty, not a WAV file' : 'not a WAV file (no RIFF/WAVE header)');
  }
  let format: { formatTag: number; channelCount: number; sampleRate: number; blockAlign: number; bits: number; validBits: number } | undefined;
  /** RF64 and BW64: the data chunk's size from the ds64 chunk (its own size field then says 0xFFFFFFFF). */
  let ds64DataSize: number | undefined;
  let at = 12;
  for (;;) {
    if (at + 8 > head.byteLength) {
      if (at + 8 > fileSize) throw new WavFormatError('truncated: the file ends before its data chunk');
      throw new NeedMoreBytes(at + 8);
    }
    const id = tag(at);
    const chunkSize = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'ds64' && tag(0) !== 'RIFF') {
      if (body + 16 > head.byteLength) {
        if (body + 16 > fileSize) throw new WavFormatError('truncated: the file ends inside its ds64 chunk');
        throw new NeedMoreBytes(body + 16);
      }
      ds64DataSize = view.getUint32(body + 8, true) + view.getUint32(body + 12, true) * 2 ** 32;
    } else if (id === 'fmt ') {
      if (chunkSize < 16) throw new WavFormatError(`broken header: the fmt chunk has ${chunkSize} bytes, at least 16 expected`);
      if (body + chunkSize > head.byteLength) {
        if (body + chunkSize > fileSize) throw new WavFormatError('truncated: the file ends inside its fmt chunk');
        throw new NeedMoreBytes(body + chunkSize);
      }
      let formatTag = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      // WAVE_FORMAT_EXTENSIBLE: bits per sample is the container's width, the valid bits are given apart.
      let validBits = bits;
      if (formatTag === WAVE_FORMAT_EXTENSIBLE && chunkSize >= 40) {
        formatTag = view.getUint16(body + 24, true);
        const valid = view.getUint16(body + 18, true);
        if (valid > 0 && valid < bits) validBits = valid;
      }
      format = {
        formatTag,
        channelCount: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits,
        validBits,
      };
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('broken header: the data chunk comes before the fmt chunk');
      const size = chunkSize === UNKNOWN_SIZE && ds64DataSize !== undefined ? ds64DataSize : chunkSize;
      if (format.channelCount === 0) throw new WavFormatError('the file declares 0 channels');
      if (format.channelCount > 2) {
        throw new WavFormatError(`the file has ${format.channelCount} channels: the upmixer takes mono or stereo input; downmix it first`);
      }
      const available = fileSize - body;
      // A recorder that stopped before it wrote the sizes leaves a data chunk of 0 bytes with the audio
      // after it, in a RIFF that ends there: its length is unknown as well. (A RIFF that goes on past it
      // holds other chunks after a truly empty data chunk.)
      const riffEnd = 8 + view.getUint32(4, true);
      const unfinished = size === 0 && available > 0 && riffEnd <= body;
      const lengthUnknown = size === UNKNOWN_SIZE || unfinished;
      if (format.formatTag === WAVE_FORMAT_MPEG || format.formatTag === WAVE_FORMAT_MPEGLAYER3) {
        // MPEG frames of any size: no block alignment to check, and the decoder tells the length. The
        // bytes of a chunk of unknown size run to the end of the file (of a stream: Infinity).
        const mpegBytes = lengthUnknown ? available : Math.min(size, available);
        return { sampleRate: format.sampleRate, channelCount: format.channelCount, encoding: 'pcm16', mpegBytes, frameCount: 0, dataOffset: body };
      }
      const encoding = encodingOf(format.formatTag, format.bits);
      const validBits = format.formatTag === WAVE_FORMAT_PCM && format.validBits < 8 * BYTES_PER_SAMPLE[encoding] ? { validBits: format.validBits } : {};
      const frameBytes = format.channelCount * BYTES_PER_SAMPLE[encoding];
      if (format.blockAlign !== frameBytes) {
        throw new WavFormatError(`broken header: block align is ${format.blockAlign} bytes, ${frameBytes} expected for this format`);
      }
      if (!lengthUnknown && size > available) {
        throw new WavFormatError(`truncated: the data chunk declares ${size} bytes but only ${Math.max(0, available)} are in the file`);
      }
      // A stream (fileSize Infinity) with an unknown length: frames up to its end.
      if (lengthUnknown && !Number.isFinite(available)) return { sampleRate: format.sampleRate, channelCount: format.channelCount, encoding, ...validBits, frameCount: Infinity, dataOffset: body };
      // Data of unknown length ends with the last whole frame (a recording cut off mid-frame).
      if (lengthUnknown) return { sampleRate: format.sampleRate, channelCount: format.channelCount, encoding, ...validBits, frameCount: Math.floor(available / frameBytes), dataOffset: body };
      if (size % frameBytes !== 0) {
        throw new WavFormatError(`truncated: the data chunk ends in the middle of a sample frame (${size} bytes, frames of ${frameBytes})`);
      }
      return { sampleRate: format.sampleRate, channelCount: format.channelCount, encoding, ...validBits, frameCount: size / frameBytes, dataOffset: body };
    }
    at = body + chunkSize + (chunkSize & 1);
  }
}

/** Thrown by {@link parseWavHeader} when the header runs past the bytes given; read `bytes` and retry. */
export class NeedMoreBytes extends Error {
  constructor(readonly bytes: number) {
    super(`need ${bytes} header bytes`);
  }
}

/**
 * Largest data chunk a plain RIFF file can describe: its 32-bit sizes, less room for the longest header
 * {@link wavHeader} writes (and 0xFFFFFFFF, which means "unknown").
 */
export const MAX_DATA_BYTES = UNKNOWN_SIZE - 128;

/** Bytes of a ds64 chunk's body: the RIFF size, data size and sample count (64 bits each) and an empty table's length. */
const DS64_BODY_BYTES = 28;

/** How {@link wavHeader} lays a header out. */
export interface WavHeaderOptions {
  /**
   * Reserve a JUNK chunk the size of a ds64 chunk after the RIFF header, so that the header can be
   * rewritten as RF64 in place if the data outgrows a RIFF (EBU Tech 3306); readers skip JUNK.
   */
  readonly reserveDs64?: boolean;
  /** The largest data chunk written as a plain RIFF (default {@link MAX_DATA_BYTES}; smaller in tests). */
  readonly maxRiffDataBytes?: number;
}

/**
 * A canonical WAV header for `frameCount` frames: a 16-byte fmt chunk for PCM, an 18-byte one and a
 * fact chunk for float (as the format asks of non-PCM data). Data beyond a RIFF's 4 GB gets an RF64
 * header (EBU Tech 3306): a ds64 chunk holds the 64-bit sizes, and the 32-bit ones say 0xFFFFFFFF.
 */
export function wavHeader(sampleRate: Hertz, channelCount: number, encoding: SampleEncoding, frameCount: number, options: WavHeaderOptions = {}): Uint8Array {
  const isFloat = encoding === 'float32';
  const bytesPerSample = BYTES_PER_SAMPLE[encoding];
  const dataBytes = frameCount * channelCount * bytesPerSample;
  const isRf64 = dataBytes > (options.maxRiffDataBytes ?? MAX_DATA_BYTES);
  const ds64Bytes = isRf64 || options.reserveDs64 ? 8 + DS64_BODY_BYTES : 0;
  const fmtSize = isFloat ? 18 : 16;
  const headerBytes = 12 + ds64Bytes + 8 + fmtSize + (isFloat ? 12 : 0) + 8;
  const header = new Uint8Array(headerBytes);
  const view = new DataView(header.buffer);
  const writeTag = (at: number, text: string): void => {
    for (let i = 0; i < 4; i++) header[at + i] = text.charCodeAt(i);
  };
  const setUint64 = (at: number, value: number): void => {
    view.setUint32(at, value % 2 ** 32, true);
    view.setUint32(at + 4, Math.floor(value / 2 ** 32), true);
  };
  const riffBytes = headerBytes - 8 + dataBytes;
  writeTag(0, isRf64 ? 'RF64' : 'RIFF');
  view.setUint32(4, isRf64 ? UNKNOWN_SIZE : riffBytes, true);
  writeTag(8, 'WAVE');
  let at = 12;
  if (ds64Bytes > 0) {
    // Zeros in a JUNK chunk; the sizes in a ds64 one (its table of other chunks' sizes stays empty).
    writeTag(at, isRf64 ? 'ds64' : 'JUNK');
    view.setUint32(at + 4, DS64_BODY_BYTES, true);
    if (isRf64) {
      setUint64(at + 8, riffBytes);
      setUint64(at + 16, dataBytes);
      setUint64(at + 24, frameCount);
    }
    at += ds64Bytes;
  }
  writeTag(at, 'fmt ');
  view.setUint32(at + 4, fmtSize, true);
  view.setUint16(at + 8, isFloat ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, true);
  view.setUint16(at + 10, channelCount, true);
  view.setUint32(at + 12, sampleRate, true);
  view.setUint32(at + 16, sampleRate * channelCount * bytesPerSample, true);
  view.setUint16(at + 20, channelCount * bytesPerSample, true);
  view.setUint16(at + 22, bytesPerSample * 8, true);
  at += 8 + 16;
  if (isFloat) {
    view.setUint16(at, 0, true);
    writeTag(at + 2, 'fact');
    view.setUint32(at + 6, 4, true);
    view.setUint32(at + 10, isRf64 ? UNKNOWN_SIZE : frameCount, true);
    at += 14;
  }
  writeTag(at, 'data');
  view.setUint32(at + 4, isRf64 ? UNKNOWN_SIZE : dataBytes, true);
  return header;
}
