/**
 * The cue channel over shared memory, for cross-origin isolated pages: two wait-free single-producer
 * single-consumer rings (ringbuf.js), features from the audio thread to the model Worker and cues back,
 * plus a small control block (a feature counter the Worker waits on, and a ready flag the Worker sets
 * when its model is loaded). No messages, no allocation on the audio thread.
 * @packageDocumentation
 */
import { RingBuffer } from 'ringbuf.js';
import type { ArrivedCues, CueChannel } from './cue-channel.js';
import { FEATURE_COUNT } from './features.js';

/**
 * Floats a frame index takes in a record: its low and high 16 bits, each exact in a float32 (a single
 * float32 holds integers exactly only up to 2^24, about 50 hours of frames at 48 kHz).
 */
const INDEX_FLOATS = 2;
const INDEX_SPLIT = 0x10000;
/** Where a feature record's style id is (an integer below 2^24: exact in a float32; see style-history.ts). */
export const STYLE_ID_AT = INDEX_FLOATS;
/** Floats per feature record: frame index, style id, then the features (from {@link FEATURES_AT}). */
export const FEATURE_RECORD = INDEX_FLOATS + 1 + FEATURE_COUNT;
/** Where a feature record's features start. */
export const FEATURES_AT = INDEX_FLOATS + 1;
/** Floats per cue record: frame index, ICCs, |ILD|s in dB. */
export const CUE_RECORD = INDEX_FLOATS + 2 * FEATURE_COUNT;
const ICCS_AT = INDEX_FLOATS;
const ILD_MAGNITUDES_AT = INDEX_FLOATS + FEATURE_COUNT;

/** Writes a frame index (0 to 2^32 - 1) into the first floats of a record. Allocation-free. */
export function writeRecordFrame(record: Float32Array, frameIndex: number): void {
  record[0] = frameIndex % INDEX_SPLIT;
  record[1] = Math.floor(frameIndex / INDEX_SPLIT);
}

/** Reads the frame index that {@link writeRecordFrame} wrote. Allocation-free. */
export function readRecordFrame(record: Float32Array): number {
  return record[1] * INDEX_SPLIT + record[0];
}
/** Records each ring holds (about 0.7 s of frames at 48 kHz: far more than a healthy Worker lags). */
const RING_RECORDS = 64;
/** Control block: [features written (the Worker waits on it), model ready (0/1)]. */
const FEATURES_WRITTEN = 0;
const MODEL_READY = 1;

/** `Atomics.waitAsync` (ES2024; in Chromium and Node 20, not yet in this project's ES2022 lib). */
type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs: number) => { async: boolean; value: unknown };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** The shared memory of one channel; it crosses to the worklet in processorOptions and to the Worker in a message. */
export interface SharedCueBuffers {
  readonly features: SharedArrayBuffer;
  readonly cues: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

/** Allocates the shared memory of a channel (main thread). */
export function createSharedCueBuffers(): SharedCueBuffers {
  return {
    features: RingBuffer.getStorageForCapacity(RING_RECORDS * FEATURE_RECORD, Float32Array),
    cues: RingBuffer.getStorageForCapacity(RING_RECORDS * CUE_RECORD, Float32Array),
    control: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
  };
}

/** The audio thread's end. */
export class SharedCueChannel implements CueChannel {
  /** Feature frames dropped because the ring was full (the Worker stalled). */
  droppedFrames = 0;
  /**
   * Offline rendering: true once {@link waitForCues} timed out. It never waits again (a Worker that
   * missed one deadline has most likely died, and waiting for every remaining frame would take ages).
   */
  degraded = false;
  private readonly featureRing: RingBuffer;
  private readonly cueRing: RingBuffer;
  private readonly control: Int32Array;
  private readonly featureRecord = new Float32Array(FEATURE_RECORD);
  private readonly cueRecord = new Float32Array(CUE_RECORD);

  /**
   * @param waitTimeoutMs - how long {@link waitForCues} spins for an answer; 0 (real time) never waits.
   */
  constructor(buffers: SharedCueBuffers, private readonly waitTimeoutMs = 0) {
    this.featureRing = new RingBuffer(buffers.features, Float32Array);
    this.cueRing = new RingBuffer(buffers.cues, Float32Array);
    this.control = new Int32Array(buffers.control);
  }

  /** True once the Worker has loaded its model. Audio-thread safe (one atomic load). */
  get modelReady(): boolean {
    return Atomics.load(this.control, MODEL_READY) === 1;
  }

  sendFeatures(frameIndex: number, features: Float32Array, styleId: number): void {
    if (this.featureRing.availableWrite() < FEATURE_RECORD) {
      this.droppedFrames++;
      return;
    }
    writeRecordFrame(this.featureRecord, frameIndex);
    this.featureRecord[STYLE_ID_AT] = styleId;
    this.featureRecord.set(features, FEATURES_AT);
    this.featureRing.push(this.featureRecord);
    Atomics.add(this.control, FEATURES_WRITTEN, 1);
    Atomics.notify(this.control, FEATURES_WRITTEN);
  }

  receiveCues(into: ArrivedCues): boolean {
    if (this.cueRing.availableRead() < CUE_RECORD) return false;
    this.cueRing.pop(this.cueRecord);
    const record = this.cueRecord;
    into.frameIndex = readRecordFrame(record);
    // Plain loops: a subarray() view would allocate on the audio thread.
    for (let b = 0; b < FEATURE_COUNT; b++) {
      into.iccs[b] = record[ICCS_AT + b];
      into.ildMagnitudesDb[b] = record[ILD_MAGNITUDES_AT + b];
    }
    return true;
  }

  /**
   * Offline rendering only: spins until a cue record is waiting or the timeout passes (Atomics.wait is
   * not allowed in AudioWorkletGlobalScope, and an offline render has no deadline to miss). After the
   * first timeout it gives up for good ({@link degraded}).
   */
  waitForCues(): boolean {
    if (this.waitTimeoutMs <= 0 || this.degraded) return false;
    const deadline = Date.now() + this.waitTimeoutMs;
    while (this.cueRing.availableRead() < CUE_RECORD) {
      if (Date.now() > deadline) {
        this.degraded = true;
        return false;
      }
    }
    return true;
  }
}

/** The model Worker's end. */
export class SharedCueEndpoint {
  private readonly featureRing: RingBuffer;
  private readonly cueRing: RingBuffer;
  private readonly control: Int32Array;
  private readonly cueRecord = new Float32Array(CUE_RECORD);
  private featuresSeen = 0;

  constructor(buffers: SharedCueBuffers) {
    this.featureRing = new RingBuffer(buffers.features, Float32Array);
    this.cueRing = new RingBuffer(buffers.cues, Float32Array);
    this.control = new Int32Array(buffers.control);
  }

  /** Tells the audio thread that the model is loaded (it starts sending features). */
  announceReady(): void {
    Atomics.store(this.control, MODEL_READY, 1);
  }

  /** Resolves when feature records may be waiting (without blocking the Worker's event loop). */
  async featuresArrived(): Promise<void> {
    const written = Atomics.load(this.control, FEATURES_WRITTEN);
    if (written !== this.featuresSeen || this.featureRing.availableRead() >= FEATURE_RECORD) {
      this.featuresSeen = written;
      return;
    }
    const waiter = waitAsync(this.control, FEATURES_WRITTEN, written, 1000);
    if (waiter.async) await waiter.value;
    this.featuresSeen = Atomics.load(this.control, FEATURES_WRITTEN);
  }

  /** Pops one feature record into `record` (read it with {@link readRecordFrame}, {@link STYLE_ID_AT} and {@link FEATURES_AT}); false if none. */
  readFeatures(record: Float32Array): boolean {
    if (this.featureRing.availableRead() < FEATURE_RECORD) return false;
    this.featureRing.pop(record);
    return true;
  }

  /** Pushes one frame's cues (drops them if the audio thread stopped reading). */
  writeCues(frameIndex: number, iccs: Float32Array, ildMagnitudesDb: Float32Array): void {
    if (this.cueRing.availableWrite() < CUE_RECORD) return;
    writeRecordFrame(this.cueRecord, frameIndex);
    this.cueRecord.set(iccs, ICCS_AT);
    this.cueRecord.set(ildMagnitudesDb, ILD_MAGNITUDES_AT);
    this.cueRing.push(this.cueRecord);
  }
}
