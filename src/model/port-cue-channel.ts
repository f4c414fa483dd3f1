/**
 * The cue channel over a MessagePort, for pages without cross-origin isolation (a plugin cannot make its
 * host page isolated). The audio thread posts one reused message per frame (the browser copies it: the
 * one allocation of this path, once per hop) and files arriving cues into a preallocated ring.
 * @packageDocumentation
 */
import type { ArrivedCues, CueChannel } from './cue-channel.js';
import { FEATURE_COUNT } from './features.js';
import { isCuesMessage, type FeaturesMessage } from './model-messages.js';

const SLOTS = 64;

export class PortCueChannel implements CueChannel {
  private readonly message: FeaturesMessage = { type: 'features', frameIndex: 0, styleId: 0, features: new Float32Array(FEATURE_COUNT) };
  private readonly frames = new Int32Array(SLOTS);
  private readonly iccs = new Float32Array(SLOTS * FEATURE_COUNT);
  private readonly ilds = new Float32Array(SLOTS * FEATURE_COUNT);
  private readIndex = 0;
  private writeIndex = 0;

  constructor(private readonly port: MessagePort) {
    // Messages are delivered between render quanta, on the audio thread.
    port.onmessage = (event: MessageEvent) => {
      const data: unknown = event.data;
      if (!isCuesMessage(data) || this.writeIndex - this.readIndex >= SLOTS) return;
      const slot = this.writeIndex % SLOTS;
      this.frames[slot] = data.frameIndex;
      this.iccs.set(data.iccs, slot * FEATURE_COUNT);
      this.ilds.set(data.ildMagnitudesDb, slot * FEATURE_COUNT);
      this.writeIndex++;
    };
  }

  sendFeatures(frameIndex: number, features: Float32Array, styleId: number): void {
    this.message.frameIndex = frameIndex;
    this.message.styleId = styleId;
    this.message.features.set(features);
    this.port.postMessage(this.message);
  }

  receiveCues(into: ArrivedCues): boolean {
    if (this.readIndex === this.writeIndex) return false;
    const slot = this.readIndex % SLOTS;
    into.frameIndex = this.frames[slot];
    const base = slot * FEATURE_COUNT;
    for (let b = 0; b < FEATURE_COUNT; b++) {
      into.iccs[b] = this.iccs[base + b];
      into.ildMagnitudesDb[b] = this.ilds[base + b];
    }
    this.readIndex++;
    return true;
  }

  /** Stops listening. */
  close(): void {
    this.port.onmessage = null;
    this.port.close();
  }
}
