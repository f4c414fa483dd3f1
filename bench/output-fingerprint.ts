/**
 * A fingerprint of the engine's output: per configuration (rate, latency mode, mono, stereo or dual-mono
 * input, fixed cues or the model's over shared rings with a stand-in that answers four frames in five),
 * a hash of every output sample's bits and of every feature record sent to the model. For changes meant
 * to leave every sample as it was: run it on both trees and compare the lines (a minute).
 * The input: a music-like signal with clicks (onsets), a 2 % DC offset in its second half and a NaN
 * every 9,000 samples; the stereo one adds pink noise on the right; controls and variation move.
 * With `--save DIR` it also writes each configuration's output (float32, left then right) to DIR; with
 * `--compare DIR`, run on another tree, it says per configuration how many output samples differ from
 * those saved and by how much at most.
 *
 *     node --import tsx bench/output-fingerprint.ts [--save DIR | --compare DIR] > fingerprint.txt
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpmixEngine } from '../src/dsp/engine.js';
import { RENDER_QUANTUM, type LatencyMode } from '../src/dsp/frame-config.js';
import { FEATURE_COUNT } from '../src/model/features.js';
import { ModelCueSource } from '../src/model/model-cue-source.js';
import { createSharedCueBuffers, FEATURE_RECORD, readRecordFrame, SharedCueChannel, SharedCueEndpoint } from '../src/model/shared-cue-channel.js';
import { musicLike } from '../test/support/music-like.js';
import { pinkNoise, clickTrain } from '../test/support/signals.js';
type Input = 'mono' | 'stereo' | 'dual';

const [option, directory] = process.argv.slice(2);
if (option !== undefined && (!['--save', '--compare'].includes(option) || directory === undefined)) throw new Error('usage: output-fingerprint.ts [--save DIR | --compare DIR]');

/** How many samples of `output` differ from `saved`, and the largest difference. */
function difference(output: Float32Array, saved: Float32Array): string {
  let differing = 0;
  let largest = 0;
  for (let i = 0; i < output.length; i++) {
    const d = Math.abs(output[i] - saved[i]);
    if (d !== 0) differing++;
    if (d > largest) largest = d;
  }
  return ` | ${differing} of ${output.length} samples differ, by up to ${largest.toExponential(2)}`;
}

/** The hashes of one configuration's output and feature records, as one line. */
function fingerprint(sampleRate: number, mode: LatencyMode, input: Input, cues: 'fixed' | 'model'): string {
  const seconds = sampleRate === 192_000 ? 2 : 6;
  const n = Math.floor((seconds * sampleRate) / RENDER_QUANTUM) * RENDER_QUANTUM;
  const music = musicLike({ sampleRate, seconds, seed: 5 });
  const pink = pinkNoise(n, 9, 0.3);
  const clicks = clickTrain(n, Math.floor(sampleRate / 3), 1000, 0.8);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const dc = i > n / 2 ? 0.02 : 0;
    left[i] = music[i] + clicks[i] + dc + (i % 9000 === 77 ? NaN : 0);
    right[i] = input === 'stereo' ? 0.6 * music[i] + pink[i] : left[i];
  }
  const buffers = createSharedCueBuffers();
  const endpoint = new SharedCueEndpoint(buffers);
  const cueSource = cues === 'model' ? new ModelCueSource(new SharedCueChannel(buffers)) : undefined;
  const engine = new UpmixEngine({ sampleRate, mode, cueSource, ceiling: true });
  const outputHash = createHash('sha256');
  const featureHash = createHash('sha256');
  const output = new Float32Array(2 * n);
  const outL = new Float32Array(RENDER_QUANTUM);
  const outR = new Float32Array(RENDER_QUANTUM);
  const record = new Float32Array(FEATURE_RECORD);
  const iccs = new Float32Array(FEATURE_COUNT);
  const ilds = new Float32Array(FEATURE_COUNT);
  for (let q = 0; q * RENDER_QUANTUM < n; q++) {
    const s = q * RENDER_QUANTUM;
    if (q % 200 === 100) engine.setControl('width', 0.5 + (q % 3) * 0.5);
    if (q % 300 === 150) engine.setControl('bassMonoHz', q % 600 === 150 ? 0 : 120);
    if (q % 500 === 250) engine.setVariation(q % 7);
    engine.process(left.subarray(s, s + RENDER_QUANTUM), input === 'mono' ? null : right.subarray(s, s + RENDER_QUANTUM), outL, outR);
    outputHash.update(new Uint8Array(outL.buffer));
    outputHash.update(new Uint8Array(outR.buffer));
    output.set(outL, s);
    output.set(outR, n + s);
    while (endpoint.readFeatures(record)) {
      const frame = readRecordFrame(record);
      featureHash.update(new Uint8Array(record.buffer));
      for (let b = 0; b < FEATURE_COUNT; b++) {
        iccs[b] = 0.2 + (0.6 * ((frame * 7 + b) % 11)) / 10;
        ilds[b] = (frame + b) % 9;
      }
      if (frame % 5 !== 3) endpoint.writeCues(frame, iccs, ilds);
    }
  }
  const hex = (hash: ReturnType<typeof createHash>): string => hash.digest('hex').slice(0, 16);
  const name = `${sampleRate} ${mode} ${input} ${cues}`;
  const file = join(directory ?? '.', `${name.replaceAll(' ', '-')}.f32`);
  if (option === '--save') writeFileSync(file, output);
  const compared = option === '--compare' ? difference(output, new Float32Array(readFileSync(file).buffer.slice(0))) : '';
  return `${name} out ${hex(outputHash)} features ${hex(featureHash)} bad ${engine.badInputSamples}${compared}`;
}

if (option === '--save') mkdirSync(directory, { recursive: true });
for (const sampleRate of [44_100, 48_000, 22_050, 192_000]) {
  for (const mode of ['live', 'quality'] as const) {
    for (const input of ['mono', 'stereo', 'dual'] as const) {
      if (sampleRate === 192_000 && input === 'dual') continue;
      for (const cues of ['fixed', 'model'] as const) console.log(fingerprint(sampleRate, mode, input, cues));
    }
  }
}
