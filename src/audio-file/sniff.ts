/**
 * What an audio file is, told from its first bytes (never its name, but for an MP3 that starts with junk):
 * the container and codec, an ID3v2 tag's length, a Vorbis header's rate. Node-free; shared by the
 * streaming readers (audio-stream.ts) and the rate probe (file-rate.ts).
 * @packageDocumentation
 */
import { RIFF_IDS } from '../cli/wav-format.js';

/** What the first bytes say the file is. */
export type Container = 'wav' | 'flac' | 'ogg-flac' | 'mp3' | 'vorbis' | 'opus' | 'aiff' | 'unknown';

/** `length` bytes at `at` as Latin-1 text. */
export const ascii = (bytes: Uint8Array, at: number, length: number): string => String.fromCharCode(...bytes.subarray(at, at + length));

/** Where `text` first occurs in `bytes` (starting before `limit`), or -1. */
export function indexOfAscii(bytes: Uint8Array, text: string, limit = bytes.byteLength): number {
  outer: for (let i = 0; i + text.length <= Math.min(limit, bytes.byteLength); i++) {
    for (let j = 0; j < text.length; j++) if (bytes[i + j] !== text.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** The container and codec `head` (a file's first bytes) starts with; `name` only to take junk before an MP3 for MP3. */
export function sniff(head: Uint8Array, name: string): Container {
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
export function id3TagLength(head: Uint8Array): number {
  if (head.byteLength < 10 || ascii(head, 0, 3) !== 'ID3') return 0;
  const size = ((head[6] & 0x7f) << 21) | ((head[7] & 0x7f) << 14) | ((head[8] & 0x7f) << 7) | (head[9] & 0x7f);
  return 10 + size + (head[5] & 0x10 ? 10 : 0);
}

/** The rate and channels a Vorbis identification header declares (the decoder does not report them reliably). */
export function vorbisHeader(head: Uint8Array): { sampleRate: number; channelCount: number } | undefined {
  const at = indexOfAscii(head, '\x01vorbis', 200);
  if (at < 0 || at + 16 > head.byteLength) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return { channelCount: head[at + 11], sampleRate: view.getUint32(at + 12, true) };
}
