/**
 * The input of the parity tests, built by the same code in the browser and in Node (seeded, so both
 * sides get the same samples): white noise plus a click train, and a different pair for the right
 * channel of the stereo case.
 */
import type { LatencyMode } from '../../../src/dsp/frame-config.js';
import { clickTrain, whiteNoise } from '../../support/signals.js';

export const PARITY_SAMPLE_RATE = 48_000;
/** 0.5 s at 48 kHz. */
export const PARITY_LENGTH = 24_000;

/** One parity render; the payload of the `render-reference` server command. */
export interface ParityCase {
  readonly mode: LatencyMode;
  readonly stereo: boolean;
  /** The `spread` control (stereo input), default 1. */
  readonly spread?: number;
}

export interface ParitySignal {
  readonly left: Float32Array;
  /** null for mono input. */
  readonly right: Float32Array | null;
}

function noiseAndClicks(noiseSeed: number, clickPeriod: number, firstClick: number, clickAmplitude: number): Float32Array {
  const noise = whiteNoise(PARITY_LENGTH, noiseSeed, 0.3);
  const clicks = clickTrain(PARITY_LENGTH, clickPeriod, firstClick, clickAmplitude);
  const sum = new Float32Array(PARITY_LENGTH);
  for (let i = 0; i < PARITY_LENGTH; i++) sum[i] = noise[i] + clicks[i];
  return sum;
}

/** The input for a case. */
export function paritySignal(parityCase: ParityCase): ParitySignal {
  return {
    left: noiseAndClicks(7, 4_801, 300, 0.6),
    right: parityCase.stereo ? noiseAndClicks(11, 3_001, 1_000, -0.5) : null,
  };
}
