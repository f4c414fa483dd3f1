/**
 * The deadline of a wait that ends on its own event (a page's state, a child's exit, a count the audio
 * thread reports) and exists only so that a hang fails instead of stalling CI. Generous on purpose: never a
 * measure of speed (timing assertions are not allowed in tests). On the shared 2-core machine at a load
 * average of 10-18, steps that take 1-2 s quietly (an offline render in the demo) passed 60 s, and a
 * 0.07 s Node script took 14 s. Usable in Node and in the browser (no Node imports).
 */
export const HANG_GUARD_MS = 300_000;

/**
 * Checks `condition` every `intervalMs` until it holds (true) or {@link HANG_GUARD_MS} passed (false): for
 * what has no event to wait on (a Worker's end as puppeteer sees it, a file a download writes).
 */
export async function pollUntil(condition: () => boolean | Promise<boolean>, intervalMs = 100): Promise<boolean> {
  const start = Date.now();
  for (;;) {
    if (await condition()) return true;
    if (Date.now() - start > HANG_GUARD_MS) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
