/**
 * Makes the bundled examples: `examples/mono-clip.wav`, 8 s of a small mono band (kick, snare, hi-hat,
 * bass, pad chords and a plucked melody), and with `--stereo`, `examples/hard-panned-stereo.wav`, the
 * same band mixed the 1960s way: drums and bass hard left, pad and melody hard right. 44.1 kHz 16-bit.
 * Synthesised from a fixed seed, so the clips are ours to ship and the same on every run:
 * `node --import tsx examples/make-example-clip.ts [--stereo] [OUT.wav]`.
 */
import { WavWriter } from '../src/cli/wav-writer.js';
import { SeededRandom } from '../src/dsp/pan-layout.js';

const SAMPLE_RATE = 44_100;
const SECONDS = 8;
const BPM = 120;
const length = SAMPLE_RATE * SECONDS;
const beat = (60 / BPM) * SAMPLE_RATE;
const random = new SeededRandom(2026);
const noise = (): number => 2 * random.next() - 1;
const mix = new Float32Array(length);
/** The hard-panned mix: each instrument in one channel only. */
const hardLeft = new Float32Array(length);
const hardRight = new Float32Array(length);
const midiHz = (note: number): number => 440 * 2 ** ((note - 69) / 12);

function add(start: number, samples: Float32Array | number[], gain: number, side: 'left' | 'right'): void {
  const channel = side === 'left' ? hardLeft : hardRight;
  for (let i = 0; i < samples.length && start + i < length; i++) {
    mix[start + i] += gain * samples[i];
    channel[start + i] += gain * samples[i];
  }
}

function kick(): Float32Array {
  const out = new Float32Array(Math.round(0.35 * SAMPLE_RATE));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / SAMPLE_RATE;
    phase += (2 * Math.PI * (45 + 90 * Math.exp(-t * 30))) / SAMPLE_RATE;
    out[i] = Math.sin(phase) * Math.exp(-t * 9);
  }
  return out;
}

function snare(): Float32Array {
  const out = new Float32Array(Math.round(0.25 * SAMPLE_RATE));
  for (let i = 0; i < out.length; i++) {
    const t = i / SAMPLE_RATE;
    out[i] = (0.7 * noise() + 0.5 * Math.sin(2 * Math.PI * 190 * t)) * Math.exp(-t * 18);
  }
  return out;
}

function hat(): Float32Array {
  const out = new Float32Array(Math.round(0.06 * SAMPLE_RATE));
  let previous = 0;
  for (let i = 0; i < out.length; i++) {
    const white = noise();
    out[i] = (white - previous) * Math.exp((-i / SAMPLE_RATE) * 60); // first difference: a bright hiss
    previous = white;
  }
  return out;
}

/** Karplus-Strong plucked string. */
function pluck(frequency: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  const delay = new Float32Array(Math.round(SAMPLE_RATE / frequency)).map(() => noise());
  for (let i = 0, at = 0; i < out.length; i++, at = (at + 1) % delay.length) {
    const next = delay[(at + 1) % delay.length];
    out[i] = delay[at];
    delay[at] = 0.497 * (delay[at] + next);
  }
  return out;
}

function pad(notes: number[], seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  for (const note of notes) {
    for (const detune of [-0.08, 0.08]) {
      const f = midiHz(note + detune);
      for (let i = 0; i < out.length; i++) {
        const t = i / SAMPLE_RATE;
        const envelope = Math.min(1, t / 0.3) * Math.min(1, (seconds - t) / 0.3);
        out[i] += envelope * (Math.sin(2 * Math.PI * f * t) + 0.3 * Math.sin(4 * Math.PI * f * t));
      }
    }
  }
  return out;
}

const chords = [[57, 60, 64], [53, 57, 60], [48, 52, 55], [55, 59, 62]]; // Am F C G
const bassNotes = [33, 29, 36, 31];
const melody = [76, 74, 72, 69, 72, 74, 76, 79, 77, 76, 74, 72, 71, 72, 74, 71];
const kickSound = kick();
const snareSound = snare();
const hatSound = hat();
for (let bar = 0; bar < SECONDS / 2; bar++) {
  const barStart = Math.round(bar * 4 * beat);
  add(barStart, pad(chords[bar], (4 * beat) / SAMPLE_RATE), 0.035, 'right');
  for (let b = 0; b < 4; b++) {
    const at = Math.round(barStart + b * beat);
    add(at, kickSound, b % 2 === 0 ? 0.5 : 0.3, 'left');
    if (b % 2 === 1) add(at, snareSound, 0.3, 'left');
    add(at, pluck(midiHz(bassNotes[bar]), 0.45), 0.35, 'left');
    for (let eighth = 0; eighth < 2; eighth++) add(Math.round(at + (eighth * beat) / 2), hatSound, 0.12, 'left');
    for (let half = 0; half < 2; half++) {
      const note = melody[(bar * 8 + b * 2 + half) % melody.length];
      add(Math.round(at + (half * beat) / 2), pluck(midiHz(note), 0.6), 0.22, 'right');
    }
  }
}

/** Scales channels together to a -6 dBFS peak: room for the side signal. */
function normalise(channels: Float32Array[]): void {
  let peak = 0;
  for (const channel of channels) for (const sample of channel) peak = Math.max(peak, Math.abs(sample));
  for (const channel of channels) for (let i = 0; i < length; i++) channel[i] *= 0.5 / peak;
}

const stereo = process.argv.includes('--stereo');
const channels = stereo ? [hardLeft, hardRight] : [mix];
normalise(channels);
const path = process.argv.slice(2).find((arg) => arg !== '--stereo') ?? new URL(stereo ? 'hard-panned-stereo.wav' : 'mono-clip.wav', import.meta.url).pathname;
const writer = await WavWriter.create(path, SAMPLE_RATE, channels.length, 'pcm16', length);
await writer.write(channels, length);
await writer.close();
console.log(`wrote ${path}: ${SECONDS} s ${stereo ? 'stereo (drums and bass hard left, pad and melody hard right)' : 'mono'}, ${SAMPLE_RATE} Hz, 16-bit`);
