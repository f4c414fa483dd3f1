/**
 * Meters of the cues in use, shared between the processor and the main thread without a message per
 * update: a SharedArrayBuffer that the processor writes once per STFT frame and the main thread reads
 * whenever it draws, guarded by a sequence counter (a seqlock: odd while a write is in progress).
 *
 * Only available where `crossOriginIsolated` is true (SharedArrayBuffer needs COOP/COEP); elsewhere the
 * node falls back to `get-meters` port messages (see messages.ts).
 * @packageDocumentation
 */
import { canShareMemory } from '../audio-context-kind.js';

/** Int32 header slots before the float data: the sequence counter and the band count. */
const HEADER_INTS = 2;
const SEQUENCE = 0;
const BAND_COUNT = 1;

/** Something that can write the cues in use (the engine's `readCues`). */
export interface CueReadable {
  readCues(iccs: Float32Array, ildsDb: Float32Array): void;
}

/**
 * A new meter buffer for `bandCount` bands, or null where SharedArrayBuffer is not available (the page
 * is not cross-origin isolated). Main thread.
 */
export function createCueMeterBuffer(bandCount: number): SharedArrayBuffer | null {
  if (!canShareMemory()) return null;
  const buffer = new SharedArrayBuffer(4 * (HEADER_INTS + 2 * bandCount));
  new Int32Array(buffer, 0, HEADER_INTS)[BAND_COUNT] = bandCount;
  return buffer;
}

function views(buffer: SharedArrayBuffer): { header: Int32Array; iccs: Float32Array; ildsDb: Float32Array } {
  const header = new Int32Array(buffer, 0, HEADER_INTS);
  const bands = header[BAND_COUNT];
  return {
    header,
    iccs: new Float32Array(buffer, 4 * HEADER_INTS, bands),
    ildsDb: new Float32Array(buffer, 4 * (HEADER_INTS + bands), bands),
  };
}

/** The processor's side. Construct once (allocates views); {@link publish} is audio-thread safe. */
export class CueMeterWriter {
  private readonly header: Int32Array;
  private readonly iccs: Float32Array;
  private readonly ildsDb: Float32Array;

  constructor(buffer: SharedArrayBuffer) {
    ({ header: this.header, iccs: this.iccs, ildsDb: this.ildsDb } = views(buffer));
  }

  /** Band count the buffer was made for. */
  get bandCount(): number {
    return this.iccs.length;
  }

  /** Writes the current cues from `source` into the buffer. Audio-thread safe: allocates nothing, never waits. */
  publish(source: CueReadable): void {
    Atomics.add(this.header, SEQUENCE, 1); // odd: writing
    source.readCues(this.iccs, this.ildsDb);
    Atomics.add(this.header, SEQUENCE, 1); // even: done
  }
}

/** The main thread's side. Never blocks the writer: a read that overlaps a write is simply dropped. */
export class CueMeterReader {
  private readonly header: Int32Array;
  private readonly iccs: Float32Array;
  private readonly ildsDb: Float32Array;

  constructor(buffer: SharedArrayBuffer) {
    ({ header: this.header, iccs: this.iccs, ildsDb: this.ildsDb } = views(buffer));
  }

  /**
   * Copies the latest cues into `iccs` and `ildsDb` (at least `bandCount` long) and returns their
   * sequence number (it grows by 2 per write; 0 = nothing written yet), or -1 if a write was in
   * progress (try again on the next frame; nothing useful was copied).
   */
  read(iccs: Float32Array, ildsDb: Float32Array): number {
    const before = Atomics.load(this.header, SEQUENCE);
    if ((before & 1) === 1) return -1;
    iccs.set(this.iccs);
    ildsDb.set(this.ildsDb);
    return Atomics.load(this.header, SEQUENCE) === before ? before : -1;
  }
}
