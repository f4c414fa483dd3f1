/**
 * The AIFF and AIFF-C containers (FORM/AIFF, FORM/AIFC): parsing a header. Samples are interleaved like
 * WAV's but big-endian (AIFF-C 'sowt' is little-endian), so the WAV reader streams them with a byte swap.
 * @packageDocumentation
 */
import { BYTES_PER_SAMPLE, NeedMoreBytes, pcmContainer, WavFormatError, type SampleFormat, type WavFormat } from './wav-format.js';

/** An AIFF header: like a WAV one, plus the byte order of the samples. */
export interface AiffFormat extends WavFormat {
  readonly bigEndian: boolean;
}

/** The 80-bit IEEE extended float AIFF stores its sample rate in. */
function extended80(view: DataView, at: number): number {
  const exponent = view.getUint16(at) & 0x7fff;
  const mantissa = view.getUint32(at + 2) * 2 ** 32 + view.getUint32(at + 6);
  if (exponent === 0 && mantissa === 0) return 0;
  return mantissa * 2 ** (exponent - 16383 - 63);
}

/** The samples' encoding and byte order, and their valid bits when fewer than the container holds. */
interface AiffEncoding {
  readonly encoding: SampleFormat;
  readonly bigEndian: boolean;
  readonly validBits?: number;
}

/** PCM samples `bits` wide (1..32) in the fewest whole bytes, justified to the most significant bit (AIFF's 8-bit PCM is signed). */
function pcmOf(bits: number, bigEndian: boolean): AiffEncoding | undefined {
  const encoding = pcmContainer(bits, false);
  if (encoding === undefined) return undefined;
  return bits < 8 * BYTES_PER_SAMPLE[encoding] ? { encoding, bigEndian, validBits: bits } : { encoding, bigEndian };
}

function encodingOf(bits: number, compression: string): AiffEncoding {
  const pcm = compression === 'NONE' || compression === 'twos' ? pcmOf(bits, true) : undefined;
  if (pcm) return pcm;
  // QuickTime's names: in24 and in32 big-endian, sowt little-endian, raw unsigned 8-bit.
  if ((compression === 'in24' && bits === 24) || (compression === 'in32' && bits === 32)) return pcmOf(bits, true)!;
  if (compression === 'sowt' && bits > 8 && bits <= 32) return pcmOf(bits, false)!;
  if (compression === 'raw ' && bits === 8) return { encoding: 'pcm8', bigEndian: true };
  if ((compression === 'fl32' || compression === 'FL32') && bits === 32) return { encoding: 'float32', bigEndian: true };
  if ((compression === 'fl64' || compression === 'FL64') && bits === 64) return { encoding: 'float64', bigEndian: true };
  // G.711 is stored a byte a sample, whatever width the header states (the width it decodes to, for some).
  if (compression === 'ulaw' || compression === 'ULAW') return { encoding: 'mulaw', bigEndian: true };
  if (compression === 'alaw' || compression === 'ALAW') return { encoding: 'alaw', bigEndian: true };
  const kind = compression === 'NONE' ? `${bits}-bit PCM` : `"${compression}" (${bits}-bit)`;
  throw new WavFormatError(`AIFF with ${kind} samples is not supported: convert to 16/24-bit AIFF, WAV or FLAC`);
}

/** What a COMM chunk says. */
export interface AiffCommon {
  readonly channelCount: number;
  readonly frames: number;
  readonly bits: number;
  readonly sampleRate: number;
  /** AIFF-C's compression type ('NONE' for plain AIFF). */
  readonly compression: string;
}

/** Bytes of a COMM chunk's body that are read: AIFF's 18, AIFF-C's 22 (with the compression type). */
export const COMMON_BYTES = 22;

/** Parses the body of a COMM chunk of `size` bytes, whose first min(size, {@link COMMON_BYTES}) bytes `body` holds. */
export function parseAiffCommon(body: Uint8Array, size: number, isAifc: boolean): AiffCommon {
  if (size < 18) throw new WavFormatError(`broken header: the COMM chunk has ${size} bytes, at least 18 expected`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return {
    channelCount: view.getUint16(0),
    frames: view.getUint32(2),
    bits: view.getUint16(6),
    sampleRate: Math.round(extended80(view, 8)),
    compression: isAifc && size >= COMMON_BYTES ? String.fromCharCode(...body.subarray(18, 22)) : 'NONE',
  };
}

/** The format of sound data that starts at `dataOffset` with `available` bytes after it (Infinity: a stream), as `common` describes it. */
export function aiffFormat(common: AiffCommon, dataOffset: number, available: number): AiffFormat {
  const { encoding, bigEndian, validBits } = encodingOf(common.bits, common.compression);
  if (common.channelCount === 0) throw new WavFormatError('the file declares 0 channels');
  if (common.channelCount > 2) {
    throw new WavFormatError(`the file has ${common.channelCount} channels: the upmixer takes mono or stereo input; downmix it first`);
  }
  const frameBytes = common.channelCount * BYTES_PER_SAMPLE[encoding];
  if (Number.isFinite(available) && common.frames * frameBytes > available) {
    throw new WavFormatError(`truncated: the header declares ${common.frames} frames but only ${Math.max(0, Math.floor(available / frameBytes))} are in the file`);
  }
  return { sampleRate: common.sampleRate, channelCount: common.channelCount, encoding, ...(validBits ? { validBits } : {}), frameCount: common.frames, dataOffset, bigEndian };
}

/**
 * Thrown by {@link parseAiffHeader} for a file whose SSND chunk comes before its COMM chunk (legal, and
 * some tools write it so): the sound's place, and where the chunks after it start (COMM among them).
 */
export class SoundBeforeCommon extends Error {
  constructor(
    /** Byte offset of the first sample. */
    readonly dataOffset: number,
    /** Byte offset just past the SSND chunk's data. */
    readonly soundEnd: number,
    /** Byte offset of the chunk after SSND. */
    readonly nextChunk: number,
    readonly isAifc: boolean,
  ) {
    super('the SSND chunk comes before the COMM chunk');
  }
}

/**
 * Parses the header of an AIFF or AIFF-C file from its first bytes, as {@link parseWavHeader} does for
 * WAV (throws {@link NeedMoreBytes} when the header runs past `head`; `fileSize` Infinity for a stream),
 * or throws {@link SoundBeforeCommon} when the sound comes first.
 */
export function parseAiffHeader(head: Uint8Array, fileSize: number): AiffFormat {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (at: number): string => String.fromCharCode(head[at], head[at + 1], head[at + 2], head[at + 3]);
  if (head.byteLength < 12 || tag(0) !== 'FORM' || (tag(8) !== 'AIFF' && tag(8) !== 'AIFC')) throw new WavFormatError('not an AIFF file');
  const isAifc = tag(8) === 'AIFC';
  let common: AiffCommon | undefined;
  let at = 12;
  for (;;) {
    if (at + 8 > head.byteLength) {
      if (at + 8 > fileSize) throw new WavFormatError('truncated: the file ends before its SSND chunk');
      throw new NeedMoreBytes(at + 8);
    }
    const id = tag(at);
    const size = view.getUint32(at + 4);
    const body = at + 8;
    if (id === 'COMM') {
      const bytes = Math.min(size, COMMON_BYTES);
      if (size >= 18 && body + bytes > head.byteLength) {
        if (body + size > fileSize) throw new WavFormatError('truncated: the file ends inside its COMM chunk');
        throw new NeedMoreBytes(body + bytes);
      }
      common = parseAiffCommon(head.subarray(body, body + bytes), size, isAifc);
    } else if (id === 'SSND') {
      if (body + 8 > head.byteLength) {
        if (body + 8 > fileSize) throw new WavFormatError('truncated: the file ends inside its SSND chunk');
        throw new NeedMoreBytes(body + 8);
      }
      const dataOffset = body + 8 + view.getUint32(body);
      if (!common) throw new SoundBeforeCommon(dataOffset, body + size, body + size + (size & 1), isAifc);
      return aiffFormat(common, dataOffset, fileSize - dataOffset);
    }
    at = body + size + (size & 1);
  }
}
