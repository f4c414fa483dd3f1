/** The style golden fixture's mixes (test/fixtures/style/style-golden.json, written by training/style_golden.py). */

/** One sinusoid of a golden mix: frequency, phase, its gain in each channel, and the samples it spans. */
export interface GoldenComponent {
  f: number;
  phase: number;
  left: number;
  right: number;
  start: number;
  end: number;
}

/** A golden mix: its sample rate, length and sinusoids. */
export interface GoldenMix {
  sampleRate: number;
  length: number;
  components: GoldenComponent[];
}

/** The fixture's mix: its sinusoids summed in float64 in list order, then stored as float32. */
export function synthesiseGoldenMix({ sampleRate, length, components }: GoldenMix): [Float32Array, Float32Array] {
  const left = new Float64Array(length);
  const right = new Float64Array(length);
  for (const c of components) {
    for (let n = c.start; n < c.end; n++) {
      const x = Math.sin((2 * Math.PI * c.f * n) / sampleRate + c.phase);
      left[n] += c.left * x;
      right[n] += c.right * x;
    }
  }
  return [Float32Array.from(left), Float32Array.from(right)];
}
