/**
 * A file's own sample rate, read from its header before any decoding (a browser's `decodeAudioData`
 * resamples to its context's rate and forgets the file's), and the rate it is upmixed at. Node-free: the
 * demo page renders and exports a file at its own rate with it; the CLI resamples with the same rule.
 * @packageDocumentation
 */
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../dsp/frame-config.js';
import { parseAiffHeader } from '../cli/aiff-format.js';
import { NeedMoreBytes, parseWavHeader, WavFormatError } from '../cli/wav-format.js';
import { id3TagLength, indexOfAscii, sniff, vorbisHeader } from './sniff.js';

/** Bytes read at first: the headers of FLAC, Ogg and MP3 files are within them (WAV and AIFF read on if needed). */
const HEAD_BYTES = 64 * 1024;
/** The longest WAV or AIFF header read for its rate (long metadata chunks before the data). */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

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

/** MPEG audio sample rates by the version bits (3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5) and the rate index. */
const MPEG_RATES: Record<number, readonly number[]> = { 3: [44_100, 48_000, 32_000], 2: [22_050, 24_000, 16_000], 0: [11_025, 12_000, 8_000] };

/** The rate of the first MPEG audio frame header in `bytes` (layer I-III), or undefined. */
function mpegRate(bytes: Uint8Array): number | undefined {
  for (let i = 0; i + 3 < bytes.byteLength; i++) {
    if (bytes[i] !== 0xff || (bytes[i + 1] & 0xe0) !== 0xe0) continue;
    const version = (bytes[i + 1] >> 3) & 3;
    const layer = (bytes[i + 1] >> 1) & 3;
    const rateIndex = (bytes[i + 2] >> 2) & 3;
    const bitrateIndex = bytes[i + 2] >> 4;
    if (version === 1 || layer === 0 || rateIndex === 3 || bitrateIndex === 15) continue;
    return MPEG_RATES[version][rateIndex];
  }
  return undefined;
}

/** A WAV or AIFF header's rate, reading on while the header runs past what was read. */
async function pcmRate(blob: Blob, head: Uint8Array, aiff: boolean): Promise<number | undefined> {
  for (;;) {
    try {
      return (aiff ? parseAiffHeader(head, blob.size) : parseWavHeader(head, blob.size)).sampleRate;
    } catch (error) {
      if (error instanceof NeedMoreBytes && error.bytes <= MAX_HEADER_BYTES && error.bytes > head.byteLength && error.bytes <= blob.size) {
        head = new Uint8Array(await blob.slice(0, error.bytes).arrayBuffer());
        continue;
      }
      if (error instanceof NeedMoreBytes || error instanceof WavFormatError) return undefined;
      throw error;
    }
  }
}

/**
 * The sample rate `file`'s header declares (WAV, AIFF, FLAC, Ogg FLAC, MP3, Ogg Vorbis; Ogg Opus is 48 kHz,
 * the rate it decodes at), read from its first bytes; undefined for another format or a header that
 * cannot be read (the caller then keeps its own rate).
 */
export async function audioFileRate(file: Blob): Promise<number | undefined> {
  let head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const tag = id3TagLength(head);
  if (tag > 0) head = new Uint8Array(await file.slice(tag, tag + HEAD_BYTES).arrayBuffer());
  let rate: number | undefined;
  switch (sniff(head, file instanceof File ? file.name : '')) {
    case 'wav':
      rate = await pcmRate(file, head, false);
      break;
    case 'aiff':
      rate = await pcmRate(file, head, true);
      break;
    case 'flac':
    case 'ogg-flac': {
      // STREAMINFO: 20 bits of rate, 10 bytes into its body (after "fLaC" and a block header).
      const at = indexOfAscii(head, 'fLaC', 256);
      rate = at >= 0 && at + 21 <= head.byteLength ? (head[at + 18] << 12) | (head[at + 19] << 4) | (head[at + 20] >> 4) : undefined;
      break;
    }
    case 'vorbis':
      rate = vorbisHeader(head)?.sampleRate;
      break;
    case 'opus':
      rate = 48_000;
      break;
    case 'mp3':
      rate = mpegRate(head);
      break;
    default:
      rate = tag > 0 ? mpegRate(head) : undefined;
  }
  return rate !== undefined && rate > 0 ? rate : undefined;
}
