/**
 * The engine's first step on every block of input, shared with whatever must see the same mono signal
 * before the engine does (the CLI's feature lookahead for batched inference): corrupt samples become
 * silence and the channels are downmixed to M = (L + R) / 2.
 * @packageDocumentation
 */

/** Input samples beyond this magnitude (+60 dBFS) are treated as corrupt, like NaN and Inf. */
export const MAX_INPUT_MAGNITUDE = 1000;

/**
 * Copies `count` samples of the input into `left` and `right` with NaN, infinite and absurdly large
 * samples replaced by 0, and writes their mono downmix (L + R) / 2 into `mono`. `inputRight` is null for
 * mono input (then `right` is a copy of `left` and `mono` equals it). Returns how many samples were
 * replaced. Audio-thread safe: allocates nothing.
 */
export function conditionInput(
  inputLeft: Float32Array,
  inputRight: Float32Array | null,
  left: Float64Array,
  right: Float64Array,
  mono: Float64Array,
  count: number,
): number {
  let bad = 0;
  if (inputRight === null) {
    for (let i = 0; i < count; i++) {
      const l = inputLeft[i];
      // One test on the magnitude (false for NaN too).
      if (Math.abs(l) <= MAX_INPUT_MAGNITUDE) {
        left[i] = l;
      } else {
        left[i] = 0;
        bad++;
      }
    }
    // (l + l) / 2 is l exactly: the two copies in the native copy where the blocks are whole.
    if (count === left.length && count === right.length && count === mono.length) {
      right.set(left);
      mono.set(left);
    } else {
      for (let i = 0; i < count; i++) right[i] = mono[i] = left[i];
    }
    return bad;
  }
  for (let i = 0; i < count; i++) {
    let l = inputLeft[i];
    if (!(Math.abs(l) <= MAX_INPUT_MAGNITUDE)) {
      l = 0;
      bad++;
    }
    let r = inputRight[i];
    if (!(Math.abs(r) <= MAX_INPUT_MAGNITUDE)) {
      r = 0;
      bad++;
    }
    left[i] = l;
    right[i] = r;
    mono[i] = 0.5 * (l + r);
  }
  return bad;
}
