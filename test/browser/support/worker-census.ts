/**
 * Counts the Workers a page starts and ends, with a counting subclass in place of `window.Worker`, so
 * that a test can check that every Worker started was ended.
 */
export interface WorkerCensus {
  /** Workers counted that were started, and those of them ended (`terminate()`). */
  readonly started: number;
  readonly ended: number;
  /** Puts the browser's own `Worker` back. */
  restore(): void;
}

export interface WorkerCensusOptions {
  /** Which Workers count, by script URL (default: all). */
  readonly counts?: (url: string) => boolean;
  /** Where a Worker's script is really loaded from (e.g. the built one instead of a source path). */
  readonly redirect?: (url: string) => string;
}

/** Starts counting; call `restore()` when done. */
export function countWorkers(options: WorkerCensusOptions = {}): WorkerCensus {
  const NativeWorker = window.Worker;
  const counts = { started: 0, ended: 0 };
  window.Worker = class CountingWorker extends NativeWorker {
    private ended: boolean;
    constructor(url: string | URL, workerOptions?: WorkerOptions) {
      super(options.redirect?.(String(url)) ?? url, workerOptions);
      this.ended = !(options.counts?.(String(url)) ?? true);
      if (!this.ended) counts.started++;
    }
    override terminate(): void {
      if (!this.ended) counts.ended++;
      this.ended = true;
      super.terminate();
    }
  };
  return {
    get started() {
      return counts.started;
    },
    get ended() {
      return counts.ended;
    },
    restore() {
      window.Worker = NativeWorker;
    },
  };
}
