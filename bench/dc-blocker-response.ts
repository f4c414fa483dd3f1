/**
 * The DC blocker's frequency response (src/dsp/dc-blocker.ts): the blocker as built, measured with sines
 * through it, and the same design ("the signal minus its 5 Hz low-pass") with other dampings of the
 * low-pass, computed from its coefficients, to show what a flatter 4-12 Hz costs elsewhere: the boost
 * there is what the cut below 2 Hz gives back (Bode), and a more damped low-pass spreads it thinner only
 * by cutting less below 2 Hz and turning 40 Hz a little more (what the lowest cue bands feel).
 *
 *     node --import tsx bench/dc-blocker-response.ts [sampleRate]
 */
import { DC_BLOCKER_HZ, DcBlocker } from '../src/dsp/dc-blocker.js';

const sampleRate = Number(process.argv[2] ?? 48_000);
const frequencies = [0.5, 1, 2, 4, 12, 20, 40, 60];

/** Gain (dB) and phase (degrees) of the built blocker at `frequency`, over the last half of a long sine. */
function measured(frequency: number): [number, number] {
  const length = Math.max(4, Math.ceil(12 / frequency)) * sampleRate;
  const input = Float64Array.from({ length }, (_, i) => Math.sin((2 * Math.PI * frequency * i) / sampleRate));
  const output = new Float64Array(length);
  const blocker = new DcBlocker(sampleRate);
  for (let at = 0; at < length; at += 128) blocker.process(input.subarray(at, at + 128), output.subarray(at, at + 128), Math.min(128, length - at));
  const periods = Math.floor(((length / 2) * frequency) / sampleRate);
  const start = length - Math.floor((periods * sampleRate) / frequency);
  let [inRe, inIm, outRe, outIm] = [0, 0, 0, 0];
  for (let i = start; i < length; i++) {
    const c = Math.cos((2 * Math.PI * frequency * i) / sampleRate);
    const s = Math.sin((2 * Math.PI * frequency * i) / sampleRate);
    [inRe, inIm, outRe, outIm] = [inRe + input[i] * c, inIm + input[i] * s, outRe + output[i] * c, outIm + output[i] * s];
  }
  const degrees = (180 / Math.PI) * Math.atan2(outRe * inIm - outIm * inRe, outRe * inRe + outIm * inIm);
  return [20 * Math.log10(Math.hypot(outRe, outIm) / Math.hypot(inRe, inIm)), degrees];
}

/** Gain (dB) and phase (degrees) of 1 - LP at `frequency`, LP the cookbook low-pass at the cutoff with damping `zeta` (Q = 1 / (2 zeta)). */
function computed(zeta: number, frequency: number): [number, number] {
  const w0 = (2 * Math.PI * DC_BLOCKER_HZ) / sampleRate;
  const alpha = Math.sin(w0) * zeta;
  const a0 = 1 + alpha;
  const [b0, b1, b2] = [(1 - Math.cos(w0)) / 2 / a0, (1 - Math.cos(w0)) / a0, (1 - Math.cos(w0)) / 2 / a0];
  const [a1, a2] = [(-2 * Math.cos(w0)) / a0, (1 - alpha) / a0];
  const w = (2 * Math.PI * frequency) / sampleRate;
  // B(z) and A(z) at z = e^{jw}: sum of c_k e^{-jkw}.
  const at = (c0: number, c1: number, c2: number): [number, number] => [c0 + c1 * Math.cos(w) + c2 * Math.cos(2 * w), -c1 * Math.sin(w) - c2 * Math.sin(2 * w)];
  const [br, bi] = at(b0, b1, b2);
  const [ar, ai] = at(1, a1, a2);
  const denominator = ar * ar + ai * ai;
  const [lowRe, lowIm] = [(br * ar + bi * ai) / denominator, (bi * ar - br * ai) / denominator];
  const [re, im] = [1 - lowRe, -lowIm];
  return [20 * Math.log10(Math.hypot(re, im)), (180 / Math.PI) * Math.atan2(im, re)];
}

/** The largest gain between 2 and 30 Hz and where (half-hertz steps). */
function peak(response: (frequency: number) => [number, number]): string {
  let [best, where] = [-Infinity, 0];
  for (let f = 2; f <= 30; f += 0.5) {
    const db = response(f)[0];
    if (db > best) [best, where] = [db, f];
  }
  return `${best >= 0 ? '+' : ''}${best.toFixed(2)} dB at ${where} Hz`;
}

const cell = ([db, degrees]: [number, number]): string => `${db >= 0 ? '+' : ''}${db.toFixed(2)}/${degrees.toFixed(2)}`.padStart(14);
console.log(`DC blocker (the signal minus its ${DC_BLOCKER_HZ} Hz low-pass) at ${sampleRate} Hz: gain dB/phase degrees`);
console.log(`${'design'.padEnd(30)} ${'peak 2-30 Hz'.padEnd(20)} ${frequencies.map((f) => `${f} Hz`.padStart(14)).join('')}`);
console.log(`${'as built (measured)'.padEnd(30)} ${peak(measured).padEnd(20)} ${frequencies.map((f) => cell(measured(f))).join('')}`);
for (const zeta of [Math.SQRT1_2, 0.85, 1, 1.2]) {
  const response = (f: number): [number, number] => computed(zeta, f);
  const name = `damping ${zeta.toFixed(3)}${zeta === Math.SQRT1_2 ? ' (Butterworth)' : ''}`;
  console.log(`${name.padEnd(30)} ${peak(response).padEnd(20)} ${frequencies.map((f) => cell(response(f))).join('')}`);
}
