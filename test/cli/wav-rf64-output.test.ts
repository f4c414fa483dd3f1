/**
 * WAV outputs past a RIFF's 4 GB: RF64 (EBU Tech 3306). The RIFF limit is made small here, so that a few
 * kilobytes take the path a 4 GB output takes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAudioSink, fileSink, type ByteSink } from '../../src/cli/audio-sink.js';
import { openAudioSource } from '../../src/cli/audio-source.js';
import { asCliError } from '../../src/cli/errors.js';
import { BYTES_PER_SAMPLE, type SampleEncoding } from '../../src/cli/wav-format.js';
import { whiteNoise } from '../support/signals.js';
import { temporaryFolder } from './support.js';

const folder = temporaryFolder();
const SAMPLE_RATE = 48_000;
const BLOCK_FRAMES = 1_000;
const BLOCKS = 3;
/** A RIFF limit the test's 3,000 stereo frames outgrow at any encoding. */
const SMALL_LIMIT = 4_000;

const channels = [whiteNoise(BLOCK_FRAMES * BLOCKS, 1, 0.9), whiteNoise(BLOCK_FRAMES * BLOCKS, 2, 0.9)];

/** Bytes kept in memory; `seekable`: with `patch`, as a file; without, as a pipe. */
function memorySink(seekable: boolean): ByteSink & { bytes(): Uint8Array } {
  let bytes = new Uint8Array(0);
  const write = async (more: Uint8Array): Promise<void> => {
    const grown = new Uint8Array(bytes.byteLength + more.byteLength);
    grown.set(bytes);
    grown.set(more, bytes.byteLength);
    bytes = grown;
  };
  return {
    write,
    patch: seekable ? async (at, patch) => void bytes.set(patch, at) : undefined,
    finish: async () => undefined,
    bytes: () => bytes,
  };
}

/** Writes the test's audio, a block at a time, as a WAV of `encoding` on `sink`. */
async function writeAudio(sink: ByteSink, encoding: SampleEncoding, frameCount: number | undefined, maxRiffDataBytes?: number): Promise<void> {
  const output = await createAudioSink(sink, { container: 'wav', encoding }, SAMPLE_RATE, 2, frameCount, maxRiffDataBytes);
  for (let block = 0; block < BLOCKS; block++) {
    const start = block * BLOCK_FRAMES;
    await output.write(channels.map((channel) => channel.subarray(start, start + BLOCK_FRAMES)), BLOCK_FRAMES);
  }
  await output.close();
}

const text = (bytes: Uint8Array, at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
const uint32 = (bytes: Uint8Array, at: number): number => new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);
const uint64 = (bytes: Uint8Array, at: number): number => uint32(bytes, at) + uint32(bytes, at + 4) * 2 ** 32;

for (const encoding of ['pcm24', 'float32'] as const) {
  const frameBytes = 2 * BYTES_PER_SAMPLE[encoding];
  const dataBytes = BLOCKS * BLOCK_FRAMES * frameBytes;

  test(`WAV ${encoding} of unknown length under the RIFF limit: a plain RIFF with a JUNK chunk, and otherwise the bytes of before`, async () => {
    const file = memorySink(true);
    await writeAudio(file, encoding, undefined);
    // A length known in advance writes the canonical header, as before.
    const canonical = memorySink(false);
    await writeAudio(canonical, encoding, BLOCKS * BLOCK_FRAMES);
    const bytes = file.bytes();
    assert.equal(text(bytes, 0), 'RIFF');
    assert.equal(uint32(bytes, 4), bytes.byteLength - 8);
    assert.equal(text(bytes, 12), 'JUNK');
    assert.equal(uint32(bytes, 16), 28);
    assert.deepEqual(bytes.subarray(20, 48), new Uint8Array(28));
    assert.deepEqual(bytes.subarray(48), canonical.bytes().subarray(12));
  });

  test(`WAV ${encoding} of unknown length past the RIFF limit becomes RF64 at close, and the CLI reads it back`, async () => {
    const path = join(folder, `past-limit-${encoding}.wav`);
    const handle = await open(path, 'w');
    await writeAudio(fileSink(handle), encoding, undefined, SMALL_LIMIT);
    await handle.close();
    const bytes = new Uint8Array(await readFile(path));
    assert.equal(text(bytes, 0), 'RF64');
    assert.equal(uint32(bytes, 4), 0xffffffff);
    assert.equal(text(bytes, 12), 'ds64');
    assert.equal(uint32(bytes, 16), 28);
    assert.equal(uint64(bytes, 20), bytes.byteLength - 8);
    assert.equal(uint64(bytes, 28), dataBytes);
    assert.equal(uint64(bytes, 36), BLOCKS * BLOCK_FRAMES);
    assert.equal(uint32(bytes, bytes.byteLength - dataBytes - 4), 0xffffffff, 'the data chunk\'s 32-bit size');

    // The same bytes as a RIFF apart from the header's sizes.
    const riff = memorySink(true);
    await writeAudio(riff, encoding, undefined);
    assert.equal(bytes.byteLength, riff.bytes().byteLength);
    assert.deepEqual(bytes.subarray(bytes.byteLength - dataBytes), riff.bytes().subarray(bytes.byteLength - dataBytes));

    const source = await openAudioSource(path);
    assert.equal(source.frameCount, BLOCKS * BLOCK_FRAMES);
    const back = [new Float32Array(BLOCKS * BLOCK_FRAMES + 1), new Float32Array(BLOCKS * BLOCK_FRAMES + 1)];
    let frames = 0;
    for (let read; (read = await source.read(back.map((channel) => channel.subarray(frames)), back[0].length - frames)) > 0; ) frames += read;
    await source.close();
    assert.equal(frames, BLOCKS * BLOCK_FRAMES);
    const step = encoding === 'pcm24' ? 1 / 8388608 : 0;
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < frames; i++) assert.ok(Math.abs(back[c][i] - channels[c][i]) <= step, `channel ${c}, frame ${i}: ${back[c][i]} for ${channels[c][i]}`);
    }
  });

  test(`WAV ${encoding} of a known length past the RIFF limit is RF64 from the start, even on a pipe`, async () => {
    const pipe = memorySink(false);
    await writeAudio(pipe, encoding, BLOCKS * BLOCK_FRAMES, SMALL_LIMIT);
    const file = memorySink(true);
    await writeAudio(file, encoding, undefined, SMALL_LIMIT);
    assert.equal(text(pipe.bytes(), 0), 'RF64');
    assert.deepEqual(pipe.bytes(), file.bytes());
  });
}

test('a WAV of unknown length on a pipe past the RIFF limit: an error that, as the CLI reports it, names the output and says what to do', async () => {
  const pipe = memorySink(false);
  const error = await writeAudio(pipe, 'pcm24', undefined, SMALL_LIMIT).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  assert.ok(error, 'the write past the limit fails');
  assert.match(asCliError(error, 'output', 'standard output').message, /^cannot write standard output: .*4 GB.*--format flac, or write to a file/);
  // Nothing past the limit was written.
  assert.ok(pipe.bytes().byteLength <= 44 + SMALL_LIMIT);
});
