/**
 * Where the upmixer's render time in Chromium goes (`node --import tsx bench/worklet-cost.ts` after
 * `npm run build`): CPU time of Chromium's render thread (Linux) for 60 s at 48 kHz through processors
 * that do less and less of the upmixer's work, the engine alone on the page's main thread and on the
 * worklet's thread, and the upmixer against the copy-only worklet over renders of 10 to 240 s.
 *
 * For comparisons: `CHROMIUM_JS_FLAGS='--no-maglev'` starts Chromium with those V8 flags;
 * `WORKLET_BUNDLE=minified` renders a worklet bundled from src/worklet/upmixer.worklet.ts by esbuild,
 * minified, instead of dist/upmixer.worklet.js.
 */
import { readFile } from 'node:fs/promises';
import { bundleRoute, JS, runBenchPage, type Route } from './bench-page.js';
import type { RenderTime } from './browser-render.js';

interface WorkletCost {
  /** CPU seconds of one yardstick FFT on the page's main thread. */
  yardstickSeconds: number | null;
  seconds: number;
  loopQuanta: number;
  lengths: number[];
  breakdown: Record<string, Record<string, RenderTime>>;
  loops: Record<string, { main: number | null; worklet: number | null }>;
  byLength: Record<string, RenderTime>;
}

/** The upmixer's worklet module: the built one, or bundled here as `variant` says. */
async function upmixerWorklet(variant: string | undefined): Promise<Route> {
  const entry = 'src/worklet/upmixer.worklet.ts';
  if (variant === 'minified') return bundleRoute(entry, { minify: true });
  if (variant !== undefined) throw new Error(`WORKLET_BUNDLE=${variant}: only minified is known`);
  return { type: JS, body: await readFile('dist/upmixer.worklet.js') };
}

console.log(`Chromium V8 flags: ${process.env.CHROMIUM_JS_FLAGS || 'none'}; upmixer worklet: ${process.env.WORKLET_BUNDLE ?? 'dist/upmixer.worklet.js'}`);
const cost = await runBenchPage<WorkletCost>(
  {
    '/page.js': await bundleRoute('bench/worklet-cost.page.js'),
    '/upmixer.worklet.js': await upmixerWorklet(process.env.WORKLET_BUNDLE),
    '/copy.worklet.js': await bundleRoute('bench/copy.worklet.ts'),
    '/engine-only.worklet.js': await bundleRoute('bench/engine-only.worklet.ts'),
  },
  600_000,
  process.env.CHROMIUM_JS_FLAGS ? [`--js-flags=${process.env.CHROMIUM_JS_FLAGS}`] : [],
);
if (cost.breakdown.live.copy.cpu === null) throw new Error("this bench needs the render thread's CPU time (Linux /proc)");

const perQuantumUs = (seconds: number, audioSeconds: number): string => ((1e6 * seconds) / ((audioSeconds * 48_000) / 128)).toFixed(1).padStart(6);
const LABELS: Record<string, string> = {
  copy: 'copy-only worklet',
  'copy-with-params': 'copy-only worklet + the upmixer\'s AudioParams',
  'engine-only': 'engine.process() alone in process()',
  'engine-only-params': 'engine.process() alone + the AudioParams',
  upmixer: 'the upmixer\'s processor',
};
console.log(`Render thread CPU per 128-sample quantum, ${cost.seconds} s of noise at 48 kHz through one node (fastest of 3 renders), us:`);
console.log(`${'processor'.padEnd(52)}   live   quality`);
for (const name of Object.keys(LABELS)) {
  const us = (mode: string): string => perQuantumUs(cost.breakdown[mode][name].cpu!, cost.seconds);
  console.log(`${LABELS[name].padEnd(52)} ${us('live')}   ${us('quality')}`);
}
console.log('');
const yardstickUs = 1e6 * cost.yardstickSeconds!;
console.log(`The engine alone, ${cost.loopQuanta.toLocaleString('en')} quanta in a plain loop (fresh engine, fastest of 2), CPU us per quantum (yardstick: one 1024-point real FFT of fft.js on the main thread, ${yardstickUs.toFixed(2)} us):`);
for (const mode of ['live', 'quality']) {
  const { main, worklet } = cost.loops[mode];
  const loopSeconds = (cost.loopQuanta * 128) / 48_000;
  console.log(
    `${mode.padEnd(8)} page main thread ${perQuantumUs(main!, loopSeconds)} (${((1e6 * main!) / cost.loopQuanta / yardstickUs).toFixed(2)} yardsticks)   inside one process() call of a worklet ${perQuantumUs(worklet!, loopSeconds)}`,
  );
}
console.log('');
console.log('Quality mode against the copy-only worklet by render length (fastest of 2 renders; render thread CPU):');
for (const seconds of cost.lengths) {
  const upmix = cost.byLength[`quality-${seconds}`];
  const copy = cost.byLength[`copy-${seconds}`];
  console.log(
    `${String(seconds).padStart(4)} s: upmixer ${upmix.cpu!.toFixed(3)} s (${perQuantumUs(upmix.cpu!, seconds).trim()} us per quantum), copy-only ${copy.cpu!.toFixed(3)} s (${perQuantumUs(copy.cpu!, seconds).trim()} us), ratio ${(upmix.cpu! / copy.cpu!).toFixed(1)}x (wall ${(upmix.wall / copy.wall).toFixed(1)}x)`,
  );
}
