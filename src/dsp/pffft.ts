/**
 * A minimal synchronous loader of PFFFT's SIMD WebAssembly build (pffft-wasm-bytes.ts), one instance per
 * JavaScript realm, shared by every transform in it. Synchronous because the engine is built inside
 * AudioWorkletProcessor constructors (an AudioWorkletGlobalScope has no fetch, and off the main thread
 * `new WebAssembly.Module` may compile synchronously) and in Node; the module is 38 kB.
 *
 * Emscripten's glue is not used: the module imports three functions (an assertion, a memory copy and the
 * heap's growth), which are written here, and its exports are called directly. Where WebAssembly or its
 * SIMD instructions are missing, {@link pffft} returns null and the callers fall back to fft.js.
 * @packageDocumentation
 */
import { PFFFT_SIMD_WASM_BASE64 } from './pffft-wasm-bytes.js';

/** PFFFT's exports, by their C names (the module's minified export names mapped below). */
export interface Pffft {
  readonly memory: WebAssembly.Memory;
  /** `pffft_new_setup(n, transform)`: transform 0 real, 1 complex; returns 0 for a size it cannot do. */
  newSetup(size: number, transform: number): number;
  destroySetup(setup: number): void;
  /** `pffft_aligned_malloc(bytes)`: 16-byte aligned (as the transforms need); 0 when out of memory. */
  alignedMalloc(bytes: number): number;
  alignedFree(pointer: number): void;
  /**
   * `pffft_transform_ordered(setup, input, output, work, direction)`: direction 0 forward, 1 backward;
   * not scaled. Real spectra are (DC, Nyquist, re 1, im 1, re 2, ...); complex ones interleaved.
   */
  transformOrdered(setup: number, input: number, output: number, work: number, direction: number): void;
}

/** Real and complex transform kinds of `pffft_new_setup`. */
export const PFFFT_REAL = 0;
export const PFFFT_COMPLEX = 1;
export const PFFFT_FORWARD = 0;
export const PFFFT_BACKWARD = 1;

const WASM_PAGE = 65_536;

let loaded: Pffft | null | undefined;

/** The realm's PFFFT instance, instantiated on first use; null where it cannot run (then use fft.js). */
export function pffft(): Pffft | null {
  if (loaded === undefined) loaded = instantiate();
  return loaded;
}

function instantiate(): Pffft | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    const bytes = decodeBase64(PFFFT_SIMD_WASM_BASE64);
    if (!WebAssembly.validate(bytes)) return null; // no SIMD here
    let memory: WebAssembly.Memory | null = null;
    const imports = {
      a: {
        // __assert_fail
        a: (): never => {
          throw new Error('PFFFT: assertion failed');
        },
        // emscripten_resize_heap(requested bytes): grow the memory (1) or fail the allocation (0).
        b: (requested: number): number => {
          if (memory === null) return 0;
          // An unsigned size (as the package's glue reads it): a request past 2 GiB arrives negative, and
          // taken as such it read as already met, so malloc went on past the memory's end and trapped.
          const pages = Math.ceil(((requested >>> 0) - memory.buffer.byteLength) / WASM_PAGE);
          try {
            if (pages > 0) memory.grow(pages);
            return 1;
          } catch {
            return 0;
          }
        },
        // _emscripten_memcpy_js(destination, source, count)
        c: (destination: number, source: number, count: number): void => {
          if (memory !== null) new Uint8Array(memory.buffer).copyWithin(destination, source, source + count);
        },
      },
    };
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
    const e = instance.exports as Record<string, unknown>;
    memory = e.d as WebAssembly.Memory;
    (e.e as () => void)(); // the module's constructors
    return {
      memory,
      alignedMalloc: e.f as Pffft['alignedMalloc'],
      alignedFree: e.h as Pffft['alignedFree'],
      newSetup: e.k as Pffft['newSetup'],
      destroySetup: e.l as Pffft['destroySetup'],
      transformOrdered: e.p as Pffft['transformOrdered'],
    };
  } catch {
    return null;
  }
}

/** Base64 to bytes (an AudioWorkletGlobalScope has no atob); also the SIMD kernels' loader's. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const values = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
  const length = text.length;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((length / 4) * 3 - padding);
  let at = 0;
  for (let i = 0; i < length; i += 4) {
    const word = (values[text.charCodeAt(i)] << 18) | (values[text.charCodeAt(i + 1)] << 12) | (values[text.charCodeAt(i + 2)] << 6) | values[text.charCodeAt(i + 3)];
    if (at < bytes.length) bytes[at++] = word >> 16;
    if (at < bytes.length) bytes[at++] = (word >> 8) & 255;
    if (at < bytes.length) bytes[at++] = word & 255;
  }
  return bytes;
}
