/**
 * Render speed of the upmixer worklet in Chromium's OfflineAudioContext, against copy-only worklets
 * rendered in the same browser session, one node and many side by side (bench/browser-render.page.js).
 * Each figure is the fastest of a few renders, by the wall clock and by the CPU time of Chromium's render
 * thread, which other processes on a shared machine cannot inflate.
 */
import { readFile } from 'node:fs/promises';
import { bundleRoute, JS, runBenchPage } from './bench-page.js';

/** Seconds one variant's fastest render took: wall clock, and the render thread's CPU time (null where it cannot be read). */
export interface RenderTime {
  wall: number;
  cpu: number | null;
}

export interface RenderSpeed {
  /** Audio rendered through one node, seconds. */
  seconds: number;
  /** Audio rendered through {@link RenderSpeed.instances} nodes side by side in one context, seconds. */
  manySeconds: number;
  instances: number;
  /** Renders per variant (each figure is the fastest). */
  rounds: number;
  /**
   * Per variant: one node (`live`, `quality`, `copy`, `copy-with-params`: a copy-only worklet with the
   * upmixer's AudioParams), and the instances side by side (`many-quality`, `many-copy`).
   */
  results: Record<string, RenderTime>;
}

export async function measureRenderSpeed(): Promise<RenderSpeed> {
  return runBenchPage<RenderSpeed>({
    '/page.js': await bundleRoute('bench/browser-render.page.js'),
    '/upmixer.worklet.js': { type: JS, body: await readFile('dist/upmixer.worklet.js') },
    '/copy.worklet.js': await bundleRoute('bench/copy.worklet.ts'),
  });
}
