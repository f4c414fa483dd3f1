/**
 * Waiting on the audio thread instead of the wall clock: on a loaded machine a running context can render
 * nothing for a while, so a fixed sleep after `resume()` or a control change does not mean the processor
 * has run (a 100 ms sleep once left the cue meters at their "no frame yet" reading).
 */
import type { UpmixerNode } from '../../../src/index.js';

/**
 * Resolves once `node`'s processor has rendered more than `quanta` render quanta, by its own count (asked
 * over the port; a hang ends at the test's timeout).
 */
export async function untilRenderedPast(node: Pick<UpmixerNode, 'getStats'>, quanta: number): Promise<void> {
  while ((await node.getStats()).quanta <= quanta) await new Promise((resolve) => setTimeout(resolve, 10));
}
