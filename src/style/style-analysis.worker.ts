/**
 * The style analysis Worker: analyses one reference mix (two channels, transferred) with
 * {@link analyseStyle}, answers with its style or with why it has none, and is ended by its owner.
 * Off the main thread (a long file takes a moment) and never on the audio thread.
 * @packageDocumentation
 */
import { analyseStyle } from './analyse-style.js';
import { StyleError } from './presets.js';
import type { AnalyseReferenceMessage, StyleAnalysisReport } from './style-analysis-messages.js';

/** The part of DedicatedWorkerGlobalScope used here (the DOM lib has no worker scope type). */
const scope = globalThis as unknown as { postMessage(message: unknown): void; onmessage: ((event: MessageEvent) => void) | null };

/** Channels that differ by less than this (relative RMS, -90 dB) are one mono signal twice. */
const DUAL_MONO_RATIO = 10 ** (-90 / 20);

/** True if `right` is `left` within -90 dB (a mono mix in two channels: its style would be mono). */
function isDualMono(left: Float32Array, right: Float32Array): boolean {
  let power = 0;
  let difference = 0;
  for (let i = 0; i < left.length; i++) {
    power += left[i] * left[i] + right[i] * right[i];
    difference += (left[i] - right[i]) ** 2;
  }
  return power > 0 && difference <= DUAL_MONO_RATIO * DUAL_MONO_RATIO * 0.5 * power;
}

function analyse(message: AnalyseReferenceMessage): StyleAnalysisReport {
  try {
    if (isDualMono(message.left, message.right)) throw new StyleError('both channels of the reference are the same (a mono mix): a style comes from a stereo mix');
    return { type: 'style', style: analyseStyle(message.left, message.right, message.sampleRate) };
  } catch (error) {
    return { type: 'failed', message: error instanceof StyleError ? error.message : `the style analysis failed (${String(error)})` };
  }
}

scope.onmessage = (event: MessageEvent) => {
  const data = event.data as AnalyseReferenceMessage | undefined;
  if (data?.type === 'analyse' && data.left instanceof Float32Array && data.right instanceof Float32Array && typeof data.sampleRate === 'number') {
    scope.postMessage(analyse(data));
  }
};
