/**
 * A long FLAC file made quickly: fixed 4096-sample frames of one CONSTANT subframe each (a staircase
 * that changes every frame), with valid CRCs, so that any length costs ~10 bytes a frame to write and
 * the decoder still decodes every sample.
 */
import { open } from 'node:fs/promises';

const BLOCK = 4096;

function crc8(bytes: Uint8Array, length: number): number {
  let crc = 0;
  for (let i = 0; i < length; i++) {
    crc ^= bytes[i];
    for (let b = 0; b < 8; b++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

function crc16(bytes: Uint8Array, length: number): number {
  let crc = 0;
  for (let i = 0; i < length; i++) {
    crc ^= bytes[i] << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The frame number in FLAC's UTF-8-like coding (up to 2^21 - 1 here). */
function frameNumber(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x800) return [0xc0 | (n >> 6), 0x80 | (n & 0x3f)];
  if (n < 0x10000) return [0xe0 | (n >> 12), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)];
  return [0xf0 | (n >> 18), 0x80 | ((n >> 12) & 0x3f), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)];
}

/** Writes `seconds` (rounded up to whole frames) of mono 16-bit 44.1 kHz FLAC to `path`; returns the samples. */
export async function writeLongFlac(path: string, seconds: number): Promise<number> {
  const frames = Math.ceil((seconds * 44_100) / BLOCK);
  const total = frames * BLOCK;
  const head = new Uint8Array(4 + 4 + 34);
  head.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]);
  const info = new DataView(head.buffer, 8);
  info.setUint16(0, BLOCK);
  info.setUint16(2, BLOCK);
  // Sample rate (20 bits), channels - 1 (3), bits - 1 (5), total samples (36).
  info.setUint8(10, 44_100 >> 12);
  info.setUint8(11, (44_100 >> 4) & 0xff);
  info.setUint8(12, ((44_100 & 0x0f) << 4) | (0 << 1) | (15 >> 4));
  info.setUint8(13, ((15 & 0x0f) << 4) | Math.floor(total / 2 ** 32));
  info.setUint32(14, total >>> 0);
  const handle = await open(path, 'w');
  const buffer = new Uint8Array(1024 * 16);
  let used = 0;
  const flush = async (): Promise<void> => {
    await handle.write(buffer, 0, used);
    used = 0;
  };
  await handle.write(head);
  const frame = new Uint8Array(16);
  for (let n = 0; n < frames; n++) {
    let at = 0;
    frame[at++] = 0xff;
    frame[at++] = 0xf8;
    frame[at++] = 0xc9; // 4096 samples, 44.1 kHz
    frame[at++] = 0x08; // mono, 16 bits
    for (const byte of frameNumber(n)) frame[at++] = byte;
    frame[at] = crc8(frame, at);
    at++;
    frame[at++] = 0x00; // CONSTANT subframe
    const value = ((n % 64) - 32) * 800;
    frame[at++] = (value >> 8) & 0xff;
    frame[at++] = value & 0xff;
    const crc = crc16(frame, at);
    frame[at++] = crc >> 8;
    frame[at++] = crc & 0xff;
    if (used + at > buffer.length) await flush();
    buffer.set(frame.subarray(0, at), used);
    used += at;
  }
  await flush();
  await handle.close();
  return total;
}
