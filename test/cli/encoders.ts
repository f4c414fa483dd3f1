/**
 * Test inputs in every format the CLI reads, made from a seeded signal with encoders from npm (dev
 * dependencies, nothing to install outside node_modules): LAME and libvorbis (wasm-media-encoders),
 * libopus (opus-encdec), libFLAC (the CLI's own FLAC writer, libflacjs).
 */
import { createRequire } from 'node:module';
import { open, writeFile } from 'node:fs/promises';
import { createAudioSink, fileSink } from '../../src/cli/audio-sink.js';
import type { SampleEncoding } from '../../src/cli/wav-format.js';

const require = createRequire(import.meta.url);

/** The part of wasm-media-encoders' encoders used here. */
interface MediaEncoder {
  configure(options: { sampleRate: number; channels: number; vbrQuality?: number }): void;
  encode(channels: Float32Array[]): Uint8Array;
  finalize(): Uint8Array;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

async function encodeWith(create: () => Promise<MediaEncoder>, channels: Float32Array[], sampleRate: number, vbrQuality: number): Promise<Uint8Array> {
  const encoder = await create();
  encoder.configure({ sampleRate, channels: channels.length, vbrQuality });
  const parts: Uint8Array[] = [];
  const block = 4096;
  for (let at = 0; at < channels[0].length; at += block) parts.push(encoder.encode(channels.map((c) => c.subarray(at, at + block))).slice());
  parts.push(encoder.finalize().slice());
  return concat(parts);
}

const mediaEncoders = require('wasm-media-encoders') as { createMp3Encoder(): Promise<MediaEncoder>; createOggEncoder(): Promise<MediaEncoder> };

/** An MP3 file (LAME, VBR quality 2). */
export function encodeMp3(channels: Float32Array[], sampleRate: number): Promise<Uint8Array> {
  return encodeWith(() => mediaEncoders.createMp3Encoder(), channels, sampleRate, 2);
}

/** An Ogg Vorbis file (libvorbis, quality 5). */
export function encodeVorbis(channels: Float32Array[], sampleRate: number): Promise<Uint8Array> {
  return encodeWith(() => mediaEncoders.createOggEncoder(), channels, sampleRate, 5);
}

interface OggPage {
  page: Uint8Array;
}
interface OpusEncoder {
  generateIdPage(): OggPage;
  generateCommentPage(): OggPage;
  encode(channels: Float32Array[]): OggPage[] | undefined;
  encodeFinalFrame(): OggPage[];
}

/** An Ogg Opus file (libopus, full band, 48 kHz). */
export async function encodeOpus(channels: Float32Array[], sampleRate: number): Promise<Uint8Array> {
  const module = require('opus-encdec/dist/libopus-encoder.wasm.js') as { isReady: boolean; onready?: () => void };
  await new Promise<void>((resolve) => {
    if (module.isReady) resolve();
    else module.onready = resolve;
  });
  const { OggOpusEncoder } = require('opus-encdec/src/oggOpusEncoder.js') as { OggOpusEncoder: new (config: object, module: object) => OpusEncoder };
  const encoder = new OggOpusEncoder({ numberOfChannels: channels.length, originalSampleRate: sampleRate, encoderSampleRate: 48_000, serial: 12345 }, module);
  const pages = [encoder.generateIdPage(), encoder.generateCommentPage()];
  const block = 4096;
  for (let at = 0; at < channels[0].length; at += block) pages.push(...(encoder.encode(channels.map((c) => c.subarray(at, at + block))) ?? []));
  pages.push(...encoder.encodeFinalFrame());
  return concat(pages.map((p) => new Uint8Array(p.page)));
}

/** A FLAC file (libFLAC through the CLI's writer). */
export async function writeFlac(path: string, channels: Float32Array[], sampleRate: number, encoding: SampleEncoding = 'pcm16'): Promise<void> {
  const handle = await open(path, 'w');
  try {
    const sink = await createAudioSink(fileSink(handle), { container: 'flac', encoding }, sampleRate, channels.length, channels[0].length);
    await sink.write(channels, channels[0].length);
    await sink.close();
  } finally {
    await handle.close();
  }
}

/** Writes one of the encoders' outputs to `path`. */
export async function writeEncoded(path: string, bytes: Promise<Uint8Array>): Promise<void> {
  await writeFile(path, await bytes);
}
