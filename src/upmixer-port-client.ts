/**
 * The main thread's one client for an upmixer node's port: every request (stats, meters) gets an id, a
 * time-out and an answer or a rejection; reports are validated on receipt (a malformed one is counted
 * and ignored); when the node is disposed or its processor fails, every pending request is rejected with
 * the reason and later ones fail at once. Main thread only.
 * @packageDocumentation
 */
import type { InputPath } from './dsp/input-kind.js';
import { isUpmixerReport, type UpmixerCommand, type UpmixerReport } from './worklet/messages.js';

/** Counters read from the processor with `getStats()`: the `stats` report without its envelope. */
export type UpmixerStats = Omit<Extract<UpmixerReport, { type: 'stats' }>, 'type' | 'requestId'>;

/** The processor's answer to `get-meters`. */
export type MetersReport = Extract<UpmixerReport, { type: 'meters' }>;

/** How long a request waits for the processor before it is rejected (the context may be suspended). */
export const REQUEST_TIMEOUT_MS = 10_000;

interface Pending {
  readonly type: UpmixerReport['type'];
  resolve(report: UpmixerReport): void;
  reject(error: Error): void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class UpmixerPortClient {
  /** Reports from the processor that were not valid (ignored). */
  malformedReports = 0;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 0;
  /** Called with each `input-path` report (the path the input takes changed). */
  onInputPath: ((path: InputPath) => void) | null = null;
  private closedBy: Error | null = null;
  private readonly onMessage = (event: MessageEvent): void => this.receive(event.data);

  constructor(
    private readonly port: MessagePort,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    port.addEventListener('message', this.onMessage);
    // addEventListener (unlike onmessage) leaves the port closed until started; the user may still set onmessage.
    port.start();
  }

  /** Why the client was closed (disposed, or the processor failed), or null while it is open. */
  get closedReason(): Error | null {
    return this.closedBy;
  }

  /** Posts a command that needs no answer; does nothing once closed. */
  send(command: UpmixerCommand): void {
    if (this.closedBy === null) this.port.postMessage(command);
  }

  /** Asks for the processor's counters. Rejects on time-out, on dispose and on a processor error. */
  async getStats(): Promise<UpmixerStats> {
    const report = await this.request('get-stats', 'stats');
    if (report.type !== 'stats') throw new Error('unreachable: a stats request answered with another report');
    const { type: _type, requestId: _requestId, ...stats } = report;
    return stats;
  }

  /** Asks for the cues in use (meters over messages). Rejects like {@link getStats}. */
  async getMeters(): Promise<MetersReport> {
    const report = await this.request('get-meters', 'meters');
    if (report.type !== 'meters') throw new Error('unreachable: a meters request answered with another report');
    return report;
  }

  /**
   * Ends the client: rejects every pending request with `reason` (and every later one), stops listening.
   * The first reason wins; calling it again does nothing.
   */
  close(reason: Error): void {
    if (this.closedBy !== null) return;
    this.closedBy = reason;
    this.port.removeEventListener('message', this.onMessage);
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(reason);
    }
    this.pending.clear();
  }

  private request(command: 'get-stats' | 'get-meters', answer: UpmixerReport['type']): Promise<UpmixerReport> {
    if (this.closedBy !== null) return Promise.reject(this.closedBy);
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`the upmixer's processor did not answer ${command} within ${this.timeoutMs / 1000} s: is its context running?`));
      }, this.timeoutMs);
      this.pending.set(requestId, { type: answer, resolve, reject, timer });
      this.port.postMessage({ type: command, requestId } satisfies UpmixerCommand);
    });
  }

  private receive(data: unknown): void {
    if (!isUpmixerReport(data)) {
      this.malformedReports++;
      return;
    }
    if (data.type === 'input-path') {
      this.onInputPath?.(data.path);
      return;
    }
    const pending = this.pending.get(data.requestId);
    if (pending === undefined || pending.type !== data.type) return; // timed out, or not ours
    this.pending.delete(data.requestId);
    clearTimeout(pending.timer);
    pending.resolve(data);
  }
}
