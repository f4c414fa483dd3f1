/**
 * AIFF files whose sound (SSND chunk) comes before their format (COMM chunk): legal, and some tools write
 * them so. A file (given by name, standard input redirected from one, or a dropped File: any seekable
 * stream) is read by seeking: the chunks after the sound are walked to COMM, then reading goes back to the
 * first sample, so memory stays as small as for any other file. A pipe cannot go back: its sound is held
 * in memory until COMM arrives, up to {@link PIPED_SOUND_LIMIT} bytes.
 * @packageDocumentation
 */
import { PushBackStream, skipBytes, type ByteStream } from '../audio-file/byte-stream.js';
import { aiffFormat, COMMON_BYTES, parseAiffCommon, type AiffFormat, type SoundBeforeCommon } from './aiff-format.js';
import { WavFormatError } from './wav-format.js';

/** The most sound bytes held from a pipe while its COMM chunk is awaited (about 6 minutes of CD audio). */
export const PIPED_SOUND_LIMIT = 64 * 1024 * 1024;

/**
 * Finds the COMM chunk after the sound of an AIFF laid out as `layout` says. `stream` has handed out
 * `head`, the file's first bytes, and nothing more. Returns the format and a stream of the samples, from
 * the first one on.
 */
export async function readSoundFirstAiff(stream: ByteStream, head: Uint8Array, layout: SoundBeforeCommon): Promise<{ format: AiffFormat; samples: ByteStream }> {
  // The whole file from its first byte: what was read, then the rest.
  const file = new PushBackStream(stream, head);
  if (layout.soundEnd > (file.size ?? Infinity)) throw new WavFormatError('truncated: the file ends inside its SSND chunk');
  const soundBytes = Math.max(0, layout.soundEnd - layout.dataOffset);
  let held: Uint8Array | undefined;
  if (file.seekable) {
    file.seek(layout.nextChunk);
  } else {
    if (soundBytes > PIPED_SOUND_LIMIT) {
      throw new WavFormatError(
        `an AIFF whose sound (${(soundBytes / 2 ** 20).toFixed(0)} MB) comes before its COMM chunk can be read from a pipe only up to ${PIPED_SOUND_LIMIT / 2 ** 20} MB; give it as a file`,
      );
    }
    await skipBytes(file, layout.dataOffset);
    held = new Uint8Array(soundBytes);
    if ((await file.read(held, 0, soundBytes)) < soundBytes) throw new WavFormatError('truncated: the file ends inside its SSND chunk');
    await skipBytes(file, layout.nextChunk - layout.soundEnd);
  }
  const header = new Uint8Array(8);
  const view = new DataView(header.buffer);
  for (;;) {
    if ((await file.read(header, 0, 8)) < 8) throw new WavFormatError('truncated: the file ends before its COMM chunk');
    const size = view.getUint32(4);
    if (String.fromCharCode(...header.subarray(0, 4)) === 'COMM') {
      const body = new Uint8Array(Math.min(size, COMMON_BYTES));
      if ((await file.read(body, 0, body.byteLength)) < body.byteLength) throw new WavFormatError('truncated: the file ends inside its COMM chunk');
      const format = aiffFormat(parseAiffCommon(body, size, layout.isAifc), layout.dataOffset, soundBytes);
      if (held) return { format, samples: new PushBackStream(file, held) };
      file.seek(layout.dataOffset);
      return { format, samples: file };
    }
    await skipBytes(file, size + (size & 1));
  }
}
