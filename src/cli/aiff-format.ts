/**
 * The AIFF and AIFF-C containers (FORM/AIFF, FORM/AIFC): parsing a header. Samples are interleaved like
 * WAV's but big-endian (AIFF-C 'sowt' is little-endian), so the WAV reader streams them with a byte swap.
 * @packageDocumentation
 */
import { BYTES_PER_SAMPLE, NeedMoreBytes, WavFormatError, type SampleFormat, type WavFormat } from './wav-format.js';

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

/** PCM by its width in bits (AIFF's 8-bit PCM is signed). */
const PCM_OF_BITS: Record<number, SampleFormat> = { 8: 'pcm8signed', 16: 'pcm16', 24: 'pcm24', 32: 'pcm32' };

function encodingOf(bits: number, compression: string): { encoding: SampleFormat; bigEndian: boolean } {
  if ((compression === 'NONE' || compression === 'twos') && PCM_OF_BITS[bits]) return { encoding: PCM_OF_BITS[bits], bigEndian: true };
  // QuickTime's names: in24 and in32 big-endian, sowt little-endian, raw unsigned 8-bit.
  if ((compression === 'in24' && bits === 24) || (compression === 'in32' && bits === 32)) return { encoding: PCM_OF_BITS[bits], bigEndian: true };
  if (compression === 'sowt' && bits > 8 && PCM_OF_BITS[bits]) return { encoding: PCM_OF_BITS[bits], bigEndian: false };
  if (compression === 'raw ' && bits === 8) return { encoding: 'pcm8', bigEndian: true };
  if ((compression === 'fl32' || compression === 'FL32') && bits === 32) return { encoding: 'float32', bigEndian: true };
  if ((compression === 'fl64' || compression === 'FL64') && bits === 64) return { encoding: 'float64', bigEndian: true };
  // G.711 is stored a byte a sample, whatever width the header states (the width it decodes to, for some).
  if (compression === 'ulaw' || compression === 'ULAW') return { encoding: 'mulaw', bigEndian: true };
  if (compression === 'alaw' || compression === 'ALAW') return { encoding: 'alaw', bigEndian: true };
  const kind = compression === 'NONE' ? `${bits}-bit PCM` : `"${compression}" (${bits}-bit)`;
  throw new WavFormatError(`AIFF with ${kind} samples is not supported: convert to 16/24-bit AIFF, WAV or FLAC`);
}

/**
 * Parses the header of an AIFF or AIFF-C file from its first bytes, as {@link parseWavHeader} does for
 * WAV (throws {@link NeedMoreBytes} when the header runs past `head`; `fileSize` Infinity for a stream).
 */
export function parseAiffHeader(head: Uint8Array, fileSize: number): AiffFormat {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (at: number): string => String.fromCharCode(head[at], head[at + 1], head[at + 2], head[at + 3]);
  if (head.byteLength < 12 || tag(0) !== 'FORM' || (tag(8) !== 'AIFF' && tag(8) !== 'AIFC')) throw new WavFormatError('not an AIFF file');
  const isAifc = tag(8) === 'AIFC';
  let format: { channelCount: number; frames: number; bits: number; sampleRate: number; compression: string } | undefined;
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
      if (size < 18) throw new WavFormatError(`broken header: the COMM chunk has ${size} bytes, at least 18 expected`);
      if (body + Math.min(size, 22) > head.byteLength) {
        if (body + size > fileSize) throw new WavFormatError('truncated: the file ends inside its COMM chunk');
        throw new NeedMoreBytes(body + Math.min(size, 22));
      }
      format = {
        channelCount: view.getUint16(body),
        frames: view.getUint32(body + 2),
        bits: view.getUint16(body + 6),
        sampleRate: Math.round(extended80(view, body + 8)),
        compression: isAifc && size >= 22 ? tag(body + 18) : 'NONE',
      };
    } else if (id === 'SSND') {
      if (!format) throw new WavFormatError('broken header: the SSND chunk comes before the COMM chunk');
      if (body + 8 > head.byteLength) {
        if (body + 8 > fileSize) throw new WavFormatError('truncated: the file ends inside its SSND chunk');
        throw new NeedMoreBytes(body + 8);
      }
      const { encoding, bigEndian } = encodingOf(format.bits, format.compression);
      if (format.channelCount === 0) throw new WavFormatError('the file declares 0 channels');
      if (format.channelCount > 2) {
        throw new WavFormatError(`the file has ${format.channelCount} channels: the upmixer takes mono or stereo input; downmix it first`);
      }
      const dataOffset = body + 8 + view.getUint32(body);
      const frameBytes = format.channelCount * BYTES_PER_SAMPLE[encoding];
      const available = fileSize - dataOffset;
      if (Number.isFinite(available) && format.frames * frameBytes > available) {
        throw new WavFormatError(`truncated: the header declares ${format.frames} frames but only ${Math.max(0, Math.floor(available / frameBytes))} are in the file`);
      }
      return { sampleRate: format.sampleRate, channelCount: format.channelCount, encoding, frameCount: format.frames, dataOffset, bigEndian };
    }
    at = body + size + (size & 1);
  }
}
