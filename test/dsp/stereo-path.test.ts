/**
 * The stereo path (design section 8) on synthesised mixes with known answers: transparent at neutral
 * settings, mono-compatible for any settings, `spread` moves sources from u to spread*u, bass mono
 * centres the bass, a nearly mono mix opens up while a wide one is left alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandEdges } from '../../src/dsp/bands.js';
import { CONTROL_SPECS } from '../../src/dsp/controls.js';
import { RENDER_QUANTUM, type LatencyMode } from '../../src/dsp/frame-config.js';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { INPUT_KINDS } from '../../src/dsp/input-kind.js';
import { SeededRandom } from '../../src/dsp/pan-layout.js';
import { renderEngine } from '../support/render.js';
import { pinkNoise, whiteNoise } from '../support/signals.js';
import { measureBands } from '../support/stereo-metrics.js';
import { bandNoise, delayedBy, harmonicTone, largestSecondDifference, measurePan, mix, ownedBins, pan, scaleSide, steadySines, wideMix, type StereoSignal } from '../support/stereo-mixes.js';

const NEUTRAL = { spread: 1, width: 0, bassMonoHz: 0 };

function render(signal: StereoSignal, options: ConstructorParameters<typeof UpmixEngine>[0]): StereoSignal & { latency: number } {
  const { left, right, engine } = renderEngine(signal.left, options, signal.right);
  return { ...delayedBy({ left, right }, engine.latency), latency: engine.latency };
}

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  for (const sampleRate of [22_050, 44_100, 48_000, 96_000, 192_000]) {
    test(`stereo path, ${mode}, ${sampleRate} Hz: spread 1, width 0, bass mono off give the input back, delayed by the latency, within 1e-6`, (t) => {
      const length = Math.round(0.6 * sampleRate);
      const input = { left: whiteNoise(length, 1), right: pinkNoise(length, 2) };
      const out = render(input, { sampleRate, mode, controls: NEUTRAL });
      let worst = 0;
      for (let i = 0; i < length - out.latency; i++) {
        worst = Math.max(worst, Math.abs(out.left[i] - input.left[i]), Math.abs(out.right[i] - input.right[i]));
      }
      t.diagnostic(`worst |output - delayed input| = ${worst.toExponential(2)} (latency ${out.latency} samples)`);
      assert.ok(worst < 1e-6, `worst identity error ${worst}`);
    });
  }

  test(`stereo path, ${mode}: (L+R)/2 equals the input's within 1e-5 under random spread, controls and input kinds`, (t) => {
    const random = new SeededRandom(mode === 'live' ? 5 : 6);
    const sampleRate = 44_100;
    // Whole quanta (2 s would end in a block of 8 samples, which engine.process refuses).
    const length = Math.floor((2 * sampleRate) / RENDER_QUANTUM) * RENDER_QUANTUM;
    const mixIn = wideMix(131_072, sampleRate, 3);
    const engine = new UpmixEngine({ sampleRate, mode, variation: 2 });
    const outLeft = new Float32Array(length);
    const outRight = new Float32Array(length);
    const inLeft = new Float32Array(length);
    const inRight = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      inLeft[i] = mixIn.left[i % mixIn.left.length];
      inRight[i] = mixIn.right[i % mixIn.right.length];
    }
    for (let offset = 0; offset < length; offset += RENDER_QUANTUM) {
      if (random.next() < 0.1) {
        for (const spec of CONTROL_SPECS) engine.setControl(spec.name, spec.min + (spec.max - spec.min) * random.next());
        engine.setControl('bypass', 0);
        engine.setControl('mix', 1);
        engine.setInputKind(INPUT_KINDS[Math.floor(3 * random.next())]);
      }
      const end = offset + RENDER_QUANTUM;
      engine.process(inLeft.subarray(offset, end), inRight.subarray(offset, end), outLeft.subarray(offset, end), outRight.subarray(offset, end));
    }
    let worst = 0;
    const latency = engine.latency;
    for (let i = latency; i < length; i++) {
      worst = Math.max(worst, Math.abs(0.5 * (outLeft[i] + outRight[i]) - 0.5 * (inLeft[i - latency] + inRight[i - latency])));
    }
    t.diagnostic(`worst mono-sum error ${worst.toExponential(2)}`);
    assert.ok(worst < 1e-5, `worst mono-sum error ${worst}`);
  });
}

const POSITIONS = [-1, -0.5, 0, 0.7, 1];
/** Where each noise source lies (Hz): apart by more than a live-mode bin (172 Hz at 44.1 kHz). */
const NOISE_REGIONS = [
  [250, 450],
  [650, 900],
  [1200, 1800],
  [2500, 3500],
  [5000, 7000],
];
/** STFT size of the pan measurement (independent of the engine's). */
const MEASURE_SIZE = 4096;

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`spread 0.5 (${mode}): noise bands at u = ${POSITIONS.join(', ')}, all at once, come out at 0.5 u within 0.05`, (t) => {
    const sampleRate = 44_100;
    const length = 131_072;
    const sources = NOISE_REGIONS.map(([low, high], i) => bandNoise(length, sampleRate, low, high, 40 + i));
    const input = mix(...sources.map((source, i) => pan(source, POSITIONS[i])));
    const out = render(input, { sampleRate, mode, controls: { spread: 0.5, width: 0, bassMonoHz: 120 } });
    const start = sampleRate / 2;
    const end = length - out.latency;
    const owned = ownedBins(sources, MEASURE_SIZE, start, end);
    const pans = POSITIONS.map((_, i) => measurePan(out, MEASURE_SIZE, owned[i], start, end));
    t.diagnostic(`output pans ${pans.map((p) => p.toFixed(3)).join(', ')} (want ${POSITIONS.map((u) => (0.5 * u).toFixed(2)).join(', ')})`);
    POSITIONS.forEach((u, i) => assert.ok(Math.abs(pans[i] - 0.5 * u) <= 0.05, `source at u=${u}: pan ${pans[i]}, want ${0.5 * u}`));
  });

  // Live frames are 256 samples: at 44.1 kHz a bin spans 172 Hz, so bass mono cannot cut sharply at
  // 120 Hz (a 40-100 Hz bass leaks into the 172 Hz bin, which passes at weight 0.89); the mono path's
  // bass mono has the same resolution. The bound there is what that resolution gives.
  const bassBound = mode === 'quality' ? 0.05 : 0.35;
  test(`bass mono 120 Hz (${mode}): a hard-left bass (40-100 Hz) under sources at u = ${POSITIONS.join(', ')} comes out centred (|pan| <= ${bassBound})`, (t) => {
    const sampleRate = 44_100;
    const length = 131_072;
    const sources = NOISE_REGIONS.map(([low, high], i) => bandNoise(length, sampleRate, low, high, 40 + i));
    const bass = bandNoise(length, sampleRate, 40, 100, 50);
    const input = mix(...sources.map((source, i) => pan(source, POSITIONS[i])), pan(bass, 1));
    const out = render(input, { sampleRate, mode, controls: { spread: 0.5, width: 0, bassMonoHz: 120 } });
    const start = sampleRate / 2;
    const end = length - out.latency;
    const owned = ownedBins([...sources, bass], MEASURE_SIZE, start, end);
    const bassPan = measurePan(out, MEASURE_SIZE, owned[sources.length], start, end);
    const inputBassPan = measurePan(input, MEASURE_SIZE, owned[sources.length], start, end);
    t.diagnostic(`bass pan ${bassPan.toFixed(4)} (input ${inputBassPan.toFixed(3)})`);
    assert.ok(inputBassPan > 0.95, `the bass really is hard left in the input (${inputBassPan})`);
    assert.ok(Math.abs(bassPan) <= bassBound, `bass pan ${bassPan}`);
  });

  test(`spread 0.5 (${mode}): harmonic tones at u = ${POSITIONS.join(', ')}, one after another, come out at 0.5 u within 0.05`, (t) => {
    const sampleRate = 44_100;
    const seconds = 1;
    const span = seconds * sampleRate;
    const length = span * POSITIONS.length;
    const f0s = [196, 262, 330, 392, 523];
    const input: StereoSignal = { left: new Float32Array(length), right: new Float32Array(length) };
    const tones = f0s.map((f0, i) => harmonicTone(span, sampleRate, f0, 60 + i, 0.1));
    tones.forEach((tone, i) => {
      const panned = pan(tone, POSITIONS[i]);
      input.left.set(panned.left, i * span);
      input.right.set(panned.right, i * span);
    });
    const out = render(input, { sampleRate, mode, controls: { spread: 0.5, width: 0, bassMonoHz: 120 } });
    const size = 4096;
    const pans = POSITIONS.map((_, i) => {
      // The middle of each tone (clear of the glide at its start), over the bins above the bass-mono fade.
      const weights = new Float64Array(size / 2 + 1).map((_, k) => ((k * sampleRate) / size > 200 ? 1 : 0));
      return measurePan(out, size, weights, i * span + 0.3 * span, (i + 1) * span - 0.1 * span);
    });
    t.diagnostic(`output pans ${pans.map((p) => p.toFixed(3)).join(', ')} (want ${POSITIONS.map((u) => (0.5 * u).toFixed(2)).join(', ')})`);
    POSITIONS.forEach((u, i) => assert.ok(Math.abs(pans[i] - 0.5 * u) <= 0.05, `tone at u=${u}: pan ${pans[i]}, want ${0.5 * u}`));
  });
}

/** Mean ICC over the bands from 200 Hz to 6 kHz (design section 5's bands), after the first second. */
function meanIcc(signal: StereoSignal, sampleRate: number): number {
  const edges = bandEdges();
  const { icc } = measureBands(signal.left, signal.right, sampleRate, edges, sampleRate);
  let sum = 0;
  let count = 0;
  for (let b = 0; b < icc.length; b++) {
    if (edges[b] < 200 || edges[b + 1] > 6000) continue;
    sum += icc[b];
    count++;
  }
  return sum / count;
}

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`default controls (${mode}): a nearly mono mix (side x0.1) opens up to a mean ICC of at most 0.85 (200 Hz - 6 kHz); a wide mix, and one with half its side, are not widened by more than 0.05`, (t) => {
    const sampleRate = 44_100;
    const wide = wideMix(262_144, sampleRate, 1);
    const narrow = scaleSide(wide, 0.1);
    const narrowIn = meanIcc(narrow, sampleRate);
    const narrowOut = meanIcc(render(narrow, { sampleRate, mode }), sampleRate);
    const wideIn = meanIcc(wide, sampleRate);
    const wideOut = meanIcc(render(wide, { sampleRate, mode }), sampleRate);
    // Half the side: a moderately wide mix (as many real mixes are), also left nearly alone.
    const moderate = scaleSide(wide, 0.5);
    const moderateIn = meanIcc(moderate, sampleRate);
    const moderateOut = meanIcc(render(moderate, { sampleRate, mode }), sampleRate);
    t.diagnostic(`nearly mono: mean ICC ${narrowIn.toFixed(3)} in, ${narrowOut.toFixed(3)} out; wide: ${wideIn.toFixed(3)} in, ${wideOut.toFixed(3)} out; moderate: ${moderateIn.toFixed(3)} in, ${moderateOut.toFixed(3)} out`);
    assert.ok(moderateOut >= moderateIn - 0.05, `moderately wide mix widened from ICC ${moderateIn} to ${moderateOut}`);
    assert.ok(narrowIn > 0.95, `the narrow mix really is nearly mono (${narrowIn})`);
    assert.ok(narrowOut <= 0.85, `nearly mono mix: mean ICC out ${narrowOut}`);
    assert.ok(wideOut >= wideIn - 0.05, `wide mix widened from ICC ${wideIn} to ${wideOut}`);
  });
}

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`spread and width jumping while a stereo mix plays (${mode}): no click`, (t) => {
    const sampleRate = 48_000;
    const length = 2 * sampleRate;
    // Steady tones hard left and hard right: a click would stand out in the second difference.
    const input = mix(pan(steadySines(length, sampleRate, [110, 220]), 1), pan(steadySines(length, sampleRate, [147, 294]), -1));
    const steps = [
      { at: 0.5, spread: 0, width: 1.5 },
      { at: 1, spread: 1, width: 0 },
      { at: 1.5, spread: 0.3, width: 2 },
    ];
    const renderWith = (jump: boolean, controls: { spread: number; width: number }): StereoSignal => {
      const engine = new UpmixEngine({ sampleRate, mode, controls });
      const left = new Float32Array(length);
      const right = new Float32Array(length);
      for (let offset = 0; offset < length; offset += RENDER_QUANTUM) {
        for (const step of steps) {
          if (jump && offset === Math.round((step.at * sampleRate) / RENDER_QUANTUM) * RENDER_QUANTUM) {
            engine.setControl('spread', step.spread);
            engine.setControl('width', step.width);
          }
        }
        const end = offset + RENDER_QUANTUM;
        engine.process(input.left.subarray(offset, end), input.right.subarray(offset, end), left.subarray(offset, end), right.subarray(offset, end));
      }
      return { left, right };
    };
    const jumping = renderWith(true, { spread: 1, width: 1 });
    // The same mix at each setting held still: how rough the output is anyway.
    const held = [{ spread: 1, width: 1 }, ...steps].map(({ spread, width }) => renderWith(false, { spread, width }));
    const start = sampleRate / 4;
    const roughness = (signal: StereoSignal): number => Math.max(largestSecondDifference(signal.left, start, length), largestSecondDifference(signal.right, start, length));
    const bound = Math.max(...held.map(roughness));
    t.diagnostic(`${mode}: largest second difference ${roughness(jumping).toExponential(2)} with the jumps, ${bound.toExponential(2)} at the roughest held setting`);
    assert.ok(roughness(jumping) <= 1.25 * bound, `jumps: ${roughness(jumping)} against ${bound} held`);
  });
}
