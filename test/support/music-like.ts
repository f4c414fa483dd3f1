/**
 * A music-like test signal, synthesised from a seed: a sequence of chords of steady harmonic tones (the
 * hard case for a decorrelator: few steady partials per band, design section 3) over reverberant noise
 * (noise whose level jumps at each chord and decays like a room's tail).
 */
import { SeededRandom } from '../../src/dsp/pan-layout.js';

/** Options of {@link musicLike}. */
export interface MusicLikeOptions {
  sampleRate: number;
  seconds: number;
  seed?: number;
  /** Seconds per chord. */
  chordSeconds?: number;
  /** Notes per chord. */
  notes?: number;
  /** Level of the reverberant noise relative to the tones' (amplitude ratio). */
  noiseLevel?: number;
  /** Vibrato depth (share of the frequency, e.g. 0.005) at a rate drawn around 5 Hz per note. */
  vibrato?: number;
  /** Voices per note (an ensemble: strings, a choir, a chorus effect), detuned by up to `detuneCents`. */
  voices?: number;
  detuneCents?: number;
}

/** Adds one harmonic tone (partials up to 7 kHz, falling 6 dB per octave, random phases) to `out`. */
function addTone(out: Float64Array, start: number, end: number, f0: number, amplitude: number, vibrato: number, random: SeededRandom, sampleRate: number, chordSamples: number): void {
  const attack = 0.01 * sampleRate;
  const rate = (2 * Math.PI * (4 + 2 * random.next())) / sampleRate;
  const ratePhase = 2 * Math.PI * random.next();
  for (let h = 1; h * f0 < Math.min(7000, sampleRate / 2 - 1000); h++) {
    const w = (2 * Math.PI * h * f0) / sampleRate;
    // The phase of a frequency w (1 + vibrato sin(rate t + ratePhase)), integrated.
    const swing = (w * vibrato) / rate;
    const phase = 2 * Math.PI * random.next();
    const a = amplitude / h;
    for (let i = start; i < end; i++) {
      const t = i - start;
      const shape = Math.min(1, t / attack) * Math.exp(-t / (2 * chordSamples));
      out[i] += a * shape * Math.sin(w * t - swing * Math.cos(rate * t + ratePhase) + phase);
    }
  }
}

/**
 * Chords of `notes` harmonic tones (fundamentals drawn from a pentatonic scale from 98 Hz to 659 Hz,
 * partials up to 7 kHz falling 6 dB per octave, 10 ms attack, slight decay) and reverberant noise
 * (white noise, one-pole low-passed, whose envelope jumps at each chord and decays with RT60 ~0.8 s).
 * Peak around 0.5.
 */
export function musicLike(options: MusicLikeOptions): Float32Array {
  const { sampleRate, seconds } = options;
  const random = new SeededRandom(options.seed ?? 1);
  const chordSamples = Math.round((options.chordSeconds ?? 0.6) * sampleRate);
  const notes = options.notes ?? 4;
  const noiseLevel = options.noiseLevel ?? 0.3;
  const vibrato = options.vibrato ?? 0;
  const voices = options.voices ?? 1;
  const detuneCents = options.detuneCents ?? 0;
  const length = Math.round(seconds * sampleRate);
  const tones = new Float64Array(length);
  const noise = new Float64Array(length);
  const scale = [0, 2, 4, 7, 9];
  const noiseDecay = Math.exp(-6.9 / (0.8 * sampleRate));
  let envelope = 0;
  let lowPassed = 0;
  for (let start = 0; start < length; start += chordSamples) {
    const end = Math.min(length, start + chordSamples);
    for (let n = 0; n < notes; n++) {
      const step = Math.floor(random.next() * 15);
      const note = 98 * 2 ** ((12 * Math.floor(step / 5) + scale[step % 5]) / 12);
      const amplitude = (0.5 + 0.5 * random.next()) / Math.sqrt(voices);
      for (let v = 0; v < voices; v++) {
        const f0 = voices === 1 ? note : note * 2 ** ((detuneCents * (2 * random.next() - 1)) / 1200);
        addTone(tones, start, end, f0, amplitude, vibrato, random, sampleRate, chordSamples);
      }
    }
    envelope = 1;
    for (let i = start; i < end; i++) {
      lowPassed += 0.3 * (2 * random.next() - 1 - lowPassed);
      noise[i] = envelope * lowPassed;
      envelope *= noiseDecay;
    }
  }
  let tonePower = 0;
  let noisePower = 0;
  for (let i = 0; i < length; i++) {
    tonePower += tones[i] * tones[i];
    noisePower += noise[i] * noise[i];
  }
  const noiseGain = noisePower > 0 ? noiseLevel * Math.sqrt(tonePower / noisePower) : 0;
  let peak = 0;
  for (let i = 0; i < length; i++) {
    tones[i] += noiseGain * noise[i];
    peak = Math.max(peak, Math.abs(tones[i]));
  }
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (0.5 * tones[i]) / peak;
  return out;
}

/**
 * The music the realisation tests measure on: six-note chords of three-voice ensembles (+-10 cents,
 * 0.4 % vibrato) over reverberant noise.
 */
export function ensembleChords(sampleRate: number, seconds: number): Float32Array {
  return musicLike({ sampleRate, seconds, seed: 7, notes: 6, voices: 3, detuneCents: 10, vibrato: 0.004, noiseLevel: 0.6 });
}
