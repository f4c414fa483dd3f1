/**
 * What kind of context and page the upmixer runs in: native Web Audio or standardized-audio-context,
 * offline or real time, and whether memory can be shared with the audio thread and Workers. One
 * definition for the main-thread API, the Tone node, the element and the worklet's meter buffer.
 * Safe anywhere (no Web Audio object is created).
 * @packageDocumentation
 */

/** True for a native `BaseAudioContext` (not one of standardized-audio-context's, which wrap one). */
export function isNativeContext(context: unknown): context is BaseAudioContext {
  return typeof BaseAudioContext === 'function' && context instanceof BaseAudioContext;
}

/** True for an offline context of either library (it renders as fast as it can, on `startRendering()`). */
export function isOfflineContext(context: unknown): boolean {
  return typeof (context as { startRendering?: unknown } | null)?.startRendering === 'function';
}

/**
 * True where a SharedArrayBuffer can be shared with the audio thread and Workers: the page is
 * cross-origin isolated (COOP/COEP headers). Elsewhere the upmixer uses port messages.
 */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}
