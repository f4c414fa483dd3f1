/**
 * An engine with the model's cue source over shared rings, with the Worker's part done in the same
 * thread between quanta: every feature frame answered with fixed cues, without allocating (for the
 * allocation tests: the same every run, unlike a Worker in a thread of its own).
 */
import { UpmixEngine } from '../../src/dsp/engine.js';
import { RENDER_QUANTUM, type LatencyMode } from '../../src/dsp/frame-config.js';
import { FEATURE_COUNT } from '../../src/model/features.js';
import { ModelCueSource } from '../../src/model/model-cue-source.js';
import { createSharedCueBuffers, FEATURE_RECORD, readRecordFrame, SharedCueChannel, SharedCueEndpoint } from '../../src/model/shared-cue-channel.js';

export interface AnsweredModel {
  engine: UpmixEngine;
  cues: ModelCueSource;
  /** Runs `quanta` quanta of the input (repeated), answering the frames; allocates nothing itself. */
  run: (quanta: number) => void;
}

/**
 * @param input - mono input, a whole number of quanta, played in a loop
 * @param answerLag - the stand-in answers frame `f` with the cues of frame `f - answerLag`
 */
export function answeredModel(mode: LatencyMode, input: Float32Array, answerLag = 0): AnsweredModel {
  const buffers = createSharedCueBuffers();
  const endpoint = new SharedCueEndpoint(buffers);
  const cues = new ModelCueSource(new SharedCueChannel(buffers));
  const engine = new UpmixEngine({ sampleRate: 48_000, mode, cueSource: cues });
  const count = input.length / RENDER_QUANTUM;
  const blocks = Array.from({ length: count }, (_, i) => input.slice(i * RENDER_QUANTUM, (i + 1) * RENDER_QUANTUM));
  const left = new Float32Array(RENDER_QUANTUM);
  const right = new Float32Array(RENDER_QUANTUM);
  const record = new Float32Array(FEATURE_RECORD);
  const iccs = new Float32Array(FEATURE_COUNT).fill(0.4);
  const ilds = new Float32Array(FEATURE_COUNT).fill(3);
  const run = (quanta: number): void => {
    for (let q = 0; q < quanta; q++) {
      engine.process(blocks[q % count], null, left, right);
      while (endpoint.readFeatures(record)) {
        const frame = readRecordFrame(record);
        if (frame >= answerLag) endpoint.writeCues(frame - answerLag, iccs, ilds);
      }
    }
  };
  return { engine, cues, run };
}
