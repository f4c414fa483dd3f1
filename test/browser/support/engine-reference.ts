/**
 * Runs in Node (loaded by web-test-runner.config.mjs through tsx): renders a parity case through the
 * engine, so the browser tests compare the worklet against the engine in another runtime, not in the page.
 *
 * The engine comes from the built dist/dsp.js, not from src: it is then the same snapshot of the DSP code
 * as dist/upmixer.worklet.js, even while src/dsp is being edited. Its type is the source's.
 */
import { Buffer } from 'node:buffer';
import { paritySignal, PARITY_SAMPLE_RATE, type ParityCase } from './parity-signal.js';

type Dsp = typeof import('../../../src/dsp/index.js');

const builtDsp = new URL('../../../dist/dsp.js', import.meta.url).href;
let dsp: Promise<Dsp> | undefined;

/** The rendered channels as base64 of little-endian Float32Array bytes (exact, and compact over the socket). */
export interface EncodedStereo {
  readonly left: string;
  readonly right: string;
  readonly latency: number;
}

function encode(samples: Float32Array): string {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64');
}

/** Renders a case quantum by quantum, as the worklet does (the input padded to whole quanta). */
export async function renderReference(parityCase: ParityCase): Promise<EncodedStereo> {
  dsp ??= (import(builtDsp) as Promise<Dsp>).catch((error: unknown) => {
    throw new Error(`cannot load ${builtDsp}: run \`npm run build\` before the browser tests`, { cause: error });
  });
  const { UpmixEngine, RENDER_QUANTUM } = await dsp;
  const engine = new UpmixEngine({ sampleRate: PARITY_SAMPLE_RATE, mode: parityCase.mode, controls: parityCase.spread === undefined ? {} : { spread: parityCase.spread } });
  const signal = paritySignal(parityCase);
  const length = Math.ceil(signal.left.length / RENDER_QUANTUM) * RENDER_QUANTUM;
  const inputLeft = new Float32Array(length);
  inputLeft.set(signal.left);
  const inputRight = signal.right ? new Float32Array(length) : null;
  if (inputRight && signal.right) inputRight.set(signal.right);
  const left = new Float32Array(length);
  const right = new Float32Array(length);
  for (let offset = 0; offset < length; offset += RENDER_QUANTUM) {
    const end = offset + RENDER_QUANTUM;
    engine.process(inputLeft.subarray(offset, end), inputRight ? inputRight.subarray(offset, end) : null, left.subarray(offset, end), right.subarray(offset, end));
  }
  return { left: encode(left), right: encode(right), latency: engine.latency };
}
