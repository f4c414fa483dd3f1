/**
 * Counts what a piece of audio-thread code allocates, garbage included, with V8's sampling heap
 * profiler (one sample about every 32 bytes). A heap-size difference would miss whatever a scavenge
 * collected meanwhile, and would count whatever else the process allocated (a flaky measure under load).
 */
import { Session } from 'node:inspector/promises';

interface SamplingNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children?: SamplingNode[];
}

/**
 * Bytes allocated while `run` runs (it must allocate nothing itself, and be warmed up so that its code
 * is optimised: unoptimised code boxes numbers), with the three biggest allocating functions. The
 * profiler's own messages are left out.
 */
export async function allocatedBytes(run: () => void): Promise<{ bytes: number; where: string }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 32, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
    run();
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: SamplingNode } };
    let bytes = 0;
    const sites = new Map<string, number>();
    const walk = (node: SamplingNode, inProfiler: boolean): void => {
      const here = inProfiler || node.callFrame.url === 'node:inspector';
      if (!here && node.selfSize > 0) {
        bytes += node.selfSize;
        const site = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}`;
        sites.set(site, (sites.get(site) ?? 0) + node.selfSize);
      }
      for (const child of node.children ?? []) walk(child, here);
    };
    walk(profile.head, false);
    const where = [...sites].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([site, size]) => `${size} B in ${site}`).join('; ');
    return { bytes, where };
  } finally {
    session.disconnect();
  }
}
