/**
 * CPU time of Chromium's threads, read from Linux's /proc: how long a thread actually ran, which other
 * processes on a shared machine cannot add to (wall-clock render times here wander by 2x from run to run
 * under load, the render thread's CPU time by a few percent). Elsewhere than Linux every reading is null.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The threads a bench page asks about: its render thread, or its renderer's main thread. */
export type BenchThread = 'render' | 'main';

/**
 * Prefix of the name (as /proc's `comm` cuts it to 15 characters) of the thread on which Chromium runs
 * an OfflineAudioContext's graph and its AudioWorklet processors.
 */
const RENDER_THREAD_PREFIX = 'Offline AudioWo';

interface ThreadSample {
  /** Nanoseconds the thread has run (schedstat's first field). */
  ranNs: number;
  kind: BenchThread | 'other';
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // The process or thread ended meanwhile.
  }
}

/** The parent's pid, from /proc/PID/stat (the name field may hold spaces and parentheses: read after the last ')'). */
function parentPid(pid: number): number {
  const stat = readText(`/proc/${pid}/stat`);
  return stat === null ? 0 : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function descendsFrom(pid: number, ancestor: number): boolean {
  for (let current = pid, depth = 0; current > 1 && depth < 8; depth++) {
    current = parentPid(current);
    if (current === ancestor) return true;
  }
  return false;
}

/** Every thread of `browserPid`'s renderer processes, by `pid/tid`. */
function sampleThreads(browserPid: number): Map<string, ThreadSample> {
  const threads = new Map<string, ThreadSample>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || !(readText(`/proc/${pid}/cmdline`) ?? '').includes('--type=renderer') || !descendsFrom(pid, browserPid)) continue;
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const schedstat = readText(`/proc/${pid}/task/${tid}/schedstat`);
      const name = readText(`/proc/${pid}/task/${tid}/comm`);
      if (schedstat === null || name === null) continue;
      const kind = Number(tid) === pid ? 'main' : name.startsWith(RENDER_THREAD_PREFIX) ? 'render' : 'other';
      threads.set(`${pid}/${tid}`, { ranNs: Number(schedstat.split(' ')[0]), kind });
    }
  }
  return threads;
}

/** Measures the CPU time threads of one browser's renderers use between {@link start} and {@link read}. */
export class ThreadCpuMeter {
  private readonly available = readText('/proc/self/schedstat') !== null;
  private before = new Map<string, ThreadSample>();

  constructor(private readonly browserPid: number) {}

  /** Notes every thread's CPU time so far. */
  start(): void {
    if (this.available) this.before = sampleThreads(this.browserPid);
  }

  /**
   * CPU seconds the threads of `kind` used since {@link start}: the render threads together (one per
   * OfflineAudioContext with a worklet; one runs at a time in a bench), or the busiest renderer main
   * thread. Null where /proc has no schedstat, or no such thread lives (its time went with it).
   */
  read(kind: BenchThread): number | null {
    if (!this.available) return null;
    let total = 0;
    let found = false;
    for (const [key, sample] of sampleThreads(this.browserPid)) {
      if (sample.kind !== kind) continue;
      const ranNs = sample.ranNs - (this.before.get(key)?.ranNs ?? 0);
      total = kind === 'render' ? total + ranNs : Math.max(total, ranNs);
      found = true;
    }
    return found ? total / 1e9 : null;
  }
}
