/**
 * Runs in Node (loaded by web-test-runner.config.mjs through tsx): renders a parity case through the
 * engine, so the browser tests compare the worklet against the engine in another runtime, not in the page.
 */
import { Buffer } from 'node:buffer';
import { renderEngine } from '../../support/render.js';
import { paritySignal, PARITY_SAMPLE_RATE, type ParityCase } from './parity-signal.js';

/** The rendered channels as base64 of little-endian Float32Array bytes (exact, and compact over the socket). */
export interface EncodedStereo {
  readonly left: string;
  readonly right: string;
  readonly latency: number;
}

function encode(samples: Float32Array): string {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64');
}

export function renderReference(parityCase: ParityCase): EncodedStereo {
  const { left, right } = paritySignal(parityCase);
  const rendered = renderEngine(left, { sampleRate: PARITY_SAMPLE_RATE, mode: parityCase.mode }, right);
  return { left: encode(rendered.left), right: encode(rendered.right), latency: rendered.engine.latency };
}
