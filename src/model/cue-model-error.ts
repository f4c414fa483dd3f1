/**
 * The error of a model file that cannot be used, apart from the model itself so that code that only
 * reports it (the CLI's main thread) does not load onnxruntime.
 * @packageDocumentation
 */

/** A model file that cannot be used; the message says why and what to do. */
export class CueModelError extends Error {
  override name = 'CueModelError';
}
