/**
 * Renders a signal through an upmixer in an OfflineAudioContext, native or standardized-audio-context's,
 * with the worklet module that `npm run build` put in dist/.
 */
import { OfflineAudioContext as StandardizedOfflineAudioContext } from 'standardized-audio-context';
import { createUpmixer, type UpmixerMembers, type UpmixerOptions } from '../../../src/index.js';

export const WORKLET_URL = '/dist/upmixer.worklet.js';

export type ContextKind = 'native' | 'standardized';
export const CONTEXT_KINDS: readonly ContextKind[] = ['native', 'standardized'];

/** What both libraries' AudioParams have in common, enough for the tests. */
export interface ParamLike {
  value: number;
  setValueAtTime(value: number, startTime: number): unknown;
}

export type TestUpmixer = UpmixerMembers<ParamLike>;

export interface RenderRequest {
  readonly kind: ContextKind;
  readonly sampleRate: number;
  /** Input; its length is the render length. */
  readonly left: Float32Array;
  /** Right input channel, or null for a mono source. */
  readonly right?: Float32Array | null;
  /** No source at all: the upmixer's input stays disconnected. */
  readonly disconnected?: boolean;
  readonly options?: UpmixerOptions;
  /** Native contexts only: the render quantum size to ask for (Chromium's `renderSizeHint`). */
  readonly renderSizeHint?: number;
  /** Sets params, schedules automation or sends messages before rendering starts (awaited). */
  readonly prepare?: (upmixer: TestUpmixer) => void | Promise<void>;
}

export interface Rendered {
  readonly left: Float32Array;
  readonly right: Float32Array;
  readonly upmixer: TestUpmixer;
}

export async function renderThroughUpmixer(request: RenderRequest): Promise<Rendered> {
  const { kind, sampleRate, left, right = null } = request;
  const length = left.length;
  const channels = right ? 2 : 1;
  // The engine tests compare with the Node engine on the fixed profile; the model has its own tests (test/model).
  const options: UpmixerOptions = { workletUrl: WORKLET_URL, model: false, ...request.options };
  if (kind === 'native') {
    const hint = request.renderSizeHint === undefined ? {} : { renderSizeHint: request.renderSizeHint };
    const context = new OfflineAudioContext({ numberOfChannels: 2, length, sampleRate, ...hint });
    if (request.renderSizeHint !== undefined && (context as { renderQuantumSize?: number }).renderQuantumSize !== request.renderSizeHint) {
      throw new Error(`this browser ignored renderSizeHint ${request.renderSizeHint}`);
    }
    const upmixer = await createUpmixer(context, options);
    if (!request.disconnected) {
      const buffer = context.createBuffer(channels, length, sampleRate);
      buffer.getChannelData(0).set(left);
      if (right) buffer.getChannelData(1).set(right);
      const source = new AudioBufferSourceNode(context, { buffer });
      source.connect(upmixer);
      source.start(0);
    }
    upmixer.connect(context.destination);
    await request.prepare?.(upmixer);
    const output = await context.startRendering();
    return { left: output.getChannelData(0), right: output.getChannelData(1), upmixer };
  }
  const context = new StandardizedOfflineAudioContext({ numberOfChannels: 2, length, sampleRate });
  const upmixer = await createUpmixer(context, options);
  if (!request.disconnected) {
    const buffer = context.createBuffer(channels, length, sampleRate);
    buffer.getChannelData(0).set(left);
    if (right) buffer.getChannelData(1).set(right);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(upmixer);
    source.start(0);
  }
  upmixer.connect(context.destination);
  await request.prepare?.(upmixer);
  const output = await context.startRendering();
  return { left: output.getChannelData(0), right: output.getChannelData(1), upmixer };
}

/** Largest |a[i] - b[i]| over the first `length` samples, and where it is (NaN counts as infinite). */
export function maxDifference(a: Float32Array, b: Float32Array, length = Math.min(a.length, b.length), from = 0): { error: number; index: number } {
  let error = 0;
  let index = -1;
  for (let i = from; i < length; i++) {
    const difference = Math.abs(a[i] - b[i]);
    if (!(difference <= error)) {
      error = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : difference;
      index = i;
    }
  }
  return { error, index };
}

/** `input` delayed by `delay` samples, same length. */
export function delayed(input: Float32Array, delay: number): Float32Array {
  const out = new Float32Array(input.length);
  out.set(input.subarray(0, Math.max(0, input.length - delay)), delay);
  return out;
}
