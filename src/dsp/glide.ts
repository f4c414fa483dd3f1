/** A glide this close to its target lands on it (-120 dB), so a control at its end (width 0) is reached exactly. */
export const GLIDE_SNAP = 1e-6;

/**
 * One step of a one-pole glide of each value of `current` towards `target`, `amount[0]` of the gap per
 * step (1 = straight there), landing on the target once the gap is under {@link GLIDE_SNAP}. Returns true
 * when every value has landed: then further steps change nothing, and a caller may skip them until the
 * target moves. Arrays only, the amount included: in V8 a double passed to a call that is not inlined is
 * boxed on the heap. Audio-thread safe.
 */
export function glideTowards(current: Float64Array, target: Float64Array, amount: Float64Array): boolean {
  const step = amount[0];
  let landed = true;
  for (let i = 0; i < current.length; i++) {
    const next = current[i] + step * (target[i] - current[i]);
    if (Math.abs(next - target[i]) < GLIDE_SNAP) {
      current[i] = target[i];
    } else {
      current[i] = next;
      landed = false;
    }
  }
  return landed;
}
