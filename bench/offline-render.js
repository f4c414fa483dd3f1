// Page side of the Chromium benches: renders seeded noise through nodes in OfflineAudioContexts and
// times each render by the wall clock and by the CPU time of Chromium's render thread
// (window.benchThreadCpu, see bench/bench-page.ts; null where it cannot be read).

export const SAMPLE_RATE = 48_000;

function noiseBuffer(context, seconds) {
  const buffer = context.createBuffer(1, SAMPLE_RATE * seconds, SAMPLE_RATE);
  const data = buffer.getChannelData(0);
  let state = 1;
  for (let i = 0; i < data.length; i++) {
    state = (state * 16807) % 2147483647;
    data[i] = (state / 2147483647 - 0.5) * 0.5;
  }
  return buffer;
}

/**
 * Renders `seconds` of noise through `count` nodes from `makeNode(context)`, side by side; returns
 * `{ wall, cpu }` in seconds (cpu: the render thread's CPU time, or null).
 */
export async function render(makeNode, seconds, count = 1) {
  const context = new OfflineAudioContext(2, SAMPLE_RATE * seconds, SAMPLE_RATE);
  const source = context.createBufferSource();
  source.buffer = noiseBuffer(context, seconds);
  for (let i = 0; i < count; i++) {
    const node = await makeNode(context);
    source.connect(node).connect(context.destination);
  }
  source.start();
  await window.benchThreadCpu('start');
  const start = performance.now();
  await context.startRendering();
  const wall = (performance.now() - start) / 1000;
  return { wall, cpu: await window.benchThreadCpu('render') };
}

/**
 * Renders each variant `rounds` times, the variants in turn within each round (so that a burst of load
 * from other processes falls on all of them alike), after one unmeasured round (the page's first renders
 * also pay one-off costs); returns each variant's fastest wall and CPU time.
 */
export async function fastestRenders(variants, rounds) {
  const fastest = {};
  for (let round = -1; round < rounds; round++) {
    for (const [name, { makeNode, seconds, count }] of Object.entries(variants)) {
      const { wall, cpu } = await render(makeNode, seconds, count);
      if (round < 0) continue;
      const best = (fastest[name] ??= { wall: Infinity, cpu: cpu === null ? null : Infinity });
      best.wall = Math.min(best.wall, wall);
      if (cpu !== null && best.cpu !== null) best.cpu = Math.min(best.cpu, cpu);
    }
  }
  return fastest;
}

/** A node factory for a processor of a bench worklet module (two output channels). */
export function benchNode(moduleUrl, name, processorOptions = {}) {
  return async (context) => {
    await context.audioWorklet.addModule(moduleUrl);
    return new AudioWorkletNode(context, name, { outputChannelCount: [2], processorOptions });
  };
}
