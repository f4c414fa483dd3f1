/**
 * The main thread's side of the cue meters: reads the cues in use (per band ICC and signed ILD) from the
 * processor, over shared memory where the page is cross-origin isolated, over port messages elsewhere.
 * Everything here runs on the main thread.
 * @packageDocumentation
 */
import { BAND_COUNT } from './dsp/bands.js';
import { CueMeterReader } from './worklet/cue-meter-buffer.js';
import type { MetersReport } from './upmixer-port-client.js';

/** How an upmixer node's meters reach the main thread. */
export type MeterTransport = 'shared-memory' | 'messages';

/** Where {@link CueMeterClient.read} copies the cues in use; make one with {@link createCueMeterReading} and reuse it. */
export interface CueMeterReading {
  /** Per band (low to high), the output's coherence: 1 = mono, 0 = fully decorrelated, below 0 out of phase. */
  readonly iccs: Float32Array;
  /** Per band, the output's level difference in dB: positive = left louder, negative = right louder. */
  readonly ildsDb: Float32Array;
}

/** A reading for the engine's cue bands ({@link BAND_COUNT}, 24). */
export function createCueMeterReading(bandCount: number = BAND_COUNT): CueMeterReading {
  return { iccs: new Float32Array(bandCount).fill(1), ildsDb: new Float32Array(bandCount) };
}

/** Shortest interval between two `get-meters` messages: each answer costs the audio thread a structured clone. */
export const METER_MESSAGE_INTERVAL_MS = 1000 / 30;

/** One node's meter reader; {@link read} is what the node's `readCueMeters` does. */
export class CueMeterClient {
  readonly transport: MeterTransport;
  private readonly reader: CueMeterReader | null;
  private readonly requestMeters: () => Promise<MetersReport>;
  private lastSequence = 0;
  private inFlight = false;
  private lastRequest = Number.NEGATIVE_INFINITY;

  /**
   * @param buffer - the node's shared meter buffer, or null to use messages.
   * @param requestMeters - asks the processor for the cues in use (the node's port client).
   */
  constructor(buffer: SharedArrayBuffer | null, requestMeters: () => Promise<MetersReport>) {
    this.reader = buffer === null ? null : new CueMeterReader(buffer);
    this.transport = buffer === null ? 'messages' : 'shared-memory';
    this.requestMeters = requestMeters;
  }

  /**
   * Copies the cues in use into `out`; resolves true if they are new since the last read. Over shared
   * memory this reads at once. Over messages it asks the processor and resolves on its answer, at most
   * ~30 times a second ({@link METER_MESSAGE_INTERVAL_MS}): a call sooner, or while a request is in
   * flight, resolves false without asking (so a caller drawing every frame cannot flood the audio
   * thread), and so does a request that fails (node disposed, processor failed).
   */
  read(out: CueMeterReading): Promise<boolean> {
    if (this.reader !== null) {
      const sequence = this.reader.read(out.iccs, out.ildsDb);
      const fresh = sequence > 0 && sequence !== this.lastSequence;
      if (fresh) this.lastSequence = sequence;
      return Promise.resolve(fresh);
    }
    const now = performance.now();
    if (this.inFlight || now - this.lastRequest < METER_MESSAGE_INTERVAL_MS) return Promise.resolve(false);
    this.inFlight = true;
    this.lastRequest = now;
    return this.requestMeters().then(
      (report) => {
        this.inFlight = false;
        out.iccs.set(report.iccs.subarray(0, out.iccs.length));
        out.ildsDb.set(report.ildsDb.subarray(0, out.ildsDb.length));
        return true;
      },
      () => {
        this.inFlight = false;
        return false;
      },
    );
  }
}
