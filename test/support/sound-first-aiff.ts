/**
 * AIFF files whose sound (SSND) comes before their format (COMM), written a block at a time (long ones
 * stream), for the tests of reading them by seeking (a named file, standard input redirected from a file,
 * a dropped File) and of the memory that takes.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** 44,100 Hz as the 80-bit extended float of a COMM chunk. */
const RATE_44100 = [0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0];

/** Interleaved stereo channels as big-endian 16-bit samples (AIFF's), rounded and clipped. */
export function bigEndianPcm16(left: Float32Array, right: Float32Array): Buffer {
  const bytes = Buffer.alloc(4 * left.length);
  for (let i = 0; i < left.length; i++) {
    bytes.writeInt16BE(Math.max(-32768, Math.min(32767, Math.round(left[i] * 32768))), 4 * i);
    bytes.writeInt16BE(Math.max(-32768, Math.min(32767, Math.round(right[i] * 32768))), 4 * i + 2);
  }
  return bytes;
}

/**
 * Writes a stereo 16-bit AIFF at 44.1 kHz of `frames` frames, `block` (interleaved big-endian 16-bit, see
 * {@link bigEndianPcm16}) repeated. Its SSND chunk holds `soundBytes` (default: the frames' bytes; more:
 * a sparse hole of zeros after them, which COMM leaves out) and comes before COMM, unless `commFirst`.
 * `prefix`: bytes before the file (what a script reads first from standard input). Returns `frames`.
 */
export function writeSoundFirstAiff(path: string, frames: number, block: Buffer, options: { soundBytes?: number; commFirst?: boolean; prefix?: Buffer } = {}): number {
  const prefix = options.prefix ?? Buffer.alloc(0);
  const sampleBytes = 4 * frames;
  const soundBytes = options.soundBytes ?? sampleBytes;
  const comm = Buffer.alloc(8 + 18);
  comm.write('COMM', 0, 'latin1');
  comm.writeUInt32BE(18, 4);
  comm.writeUInt16BE(2, 8);
  comm.writeUInt32BE(frames, 10);
  comm.writeUInt16BE(16, 14);
  Buffer.from(RATE_44100).copy(comm, 16);
  const form = Buffer.alloc(12);
  form.write('FORM', 0, 'latin1');
  form.writeUInt32BE(4 + 16 + soundBytes + comm.length, 4);
  form.write('AIFF', 8, 'latin1');
  const ssnd = Buffer.alloc(16);
  ssnd.write('SSND', 0, 'latin1');
  ssnd.writeUInt32BE(8 + soundBytes, 4);
  const fd = openSync(path, 'w');
  writeSync(fd, options.commFirst ? Buffer.concat([prefix, form, comm, ssnd]) : Buffer.concat([prefix, form, ssnd]));
  for (let done = 0; done < sampleBytes; done += block.length) writeSync(fd, block, 0, Math.min(block.length, sampleBytes - done));
  const soundEnd = prefix.length + 12 + (options.commFirst ? comm.length : 0) + 16 + soundBytes;
  if (!options.commFirst) writeSync(fd, comm, 0, comm.length, soundEnd);
  closeSync(fd);
  return frames;
}
