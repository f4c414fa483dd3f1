/**
 * Many files at once: `upmix IN... --out-dir DIR [--recursive] [--jobs N]`. The inputs (files, and the
 * audio files in folders, mirrored under DIR) become `DIR/NAME.wav` (or `.flac`); existing outputs are
 * skipped unless --force. N worker threads (each with its own engine and model; the model in a thread of
 * its own when there are cores to spare) take the files in turn; the main thread shows one progress
 * display for the batch on stderr and prints a summary with every failure on its own line. The first
 * Ctrl-C stops every worker, which removes its partial file.
 * @packageDocumentation
 */
import { rmSync } from 'node:fs';
import { lstat, mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { parentPort, workerData, type Worker } from 'node:worker_threads';
import { asCliError, CliError, InputError, InterruptedError, OutputError, type CliErrorKind } from './errors.js';
import { removeTemporaryFilesNow, temporaryFilesNow } from './output-file.js';
import { formatDuration } from './progress.js';
import { startWorker } from './start-worker.js';
import { channelWarnings } from './channel-check.js';
import { describeCues, describeInputChoice, fileOptions, settingsModelReady, modelThreadPerJob, startSettingsModel, type RunModel, type RunSettings } from './settings.js';
import { describeInputPath, upmixFile, type UpmixFileResult } from './upmix-file.js';

/** File name endings a folder is searched for (the format itself is told by the file's first bytes). */
export const AUDIO_EXTENSIONS = ['.wav', '.wave', '.bwf', '.rf64', '.aif', '.aiff', '.aifc', '.flac', '.mp3', '.ogg', '.oga', '.opus'];

/** Typical bytes per second of audio by file type (CD-quality WAV and FLAC, common lossy bit rates). */
const TYPICAL_BYTES_PER_SECOND: Record<string, number> = {
  '.wav': 176_400,
  '.wave': 176_400,
  '.bwf': 176_400,
  '.rf64': 176_400,
  '.aif': 176_400,
  '.aiff': 176_400,
  '.aifc': 176_400,
  '.flac': 100_000,
  '.mp3': 20_000,
  '.ogg': 16_000,
  '.oga': 16_000,
  '.opus': 10_000,
};

/** One file of a batch. */
export interface BatchJob {
  readonly input: string;
  readonly output: string;
  /** Rough length of the input in seconds, from its size (to weigh the progress and the time left). */
  readonly weight: number;
}

/** What the inputs of a batch turn into: jobs, files skipped because their output exists, and problems. */
export interface BatchPlan {
  readonly jobs: BatchJob[];
  readonly skipped: BatchJob[];
  readonly failures: string[];
}

/** Audio files in `folder` (and its sub-folders when `recursive`), sorted; never follows folder symlinks. */
async function audioFilesIn(folder: string, recursive: boolean, exclude: string | undefined): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (recursive && (await realpath(path).catch(() => path)) !== exclude) files.push(...(await audioFilesIn(path, true, exclude)));
    } else if (AUDIO_EXTENSIONS.includes(extname(entry.name).toLowerCase()) && (entry.isFile() || entry.isSymbolicLink())) {
      files.push(path);
    }
  }
  return files;
}

/**
 * Plans a batch: which input goes to which output, what is skipped, and what cannot be done at all.
 * Throws an {@link OutputError} when DIR is a file.
 */
export async function planBatch(inputs: readonly string[], outDir: string, recursive: boolean, outputExtension: string, overwrite: boolean): Promise<BatchPlan> {
  const jobs: BatchJob[] = [];
  const skipped: BatchJob[] = [];
  const failures: string[] = [];
  const outputsTaken = new Map<string, string>();
  const outDirInfo = await stat(outDir).catch(() => undefined);
  if (outDirInfo && !outDirInfo.isDirectory()) throw new OutputError(`--out-dir ${outDir} is a file, not a folder: give a folder for the outputs (it is created if it does not exist)`);
  const outDirReal = await realpath(outDir).catch(() => resolve(outDir));
  const add = async (input: string, relativeOutput: string): Promise<void> => {
    const output = join(outDir, dirname(relativeOutput), basename(relativeOutput, extname(relativeOutput)) + outputExtension);
    const key = resolve(output);
    const other = outputsTaken.get(key);
    // The same file named twice (a folder and a file in it, or a glob and a name) is upmixed once.
    if (other !== undefined && resolve(other) === resolve(input)) return;
    if (other !== undefined) {
      failures.push(`${input}: its output ${output} is also the output of ${other}; rename one of them`);
      return;
    }
    outputsTaken.set(key, input);
    const size = (await stat(input).catch(() => undefined))?.size ?? 0;
    const weight = Math.max(1e-3, size / (TYPICAL_BYTES_PER_SECOND[extname(input).toLowerCase()] ?? 100_000));
    const exists = await lstat(output).then(() => true, () => false);
    if (exists && !overwrite) skipped.push({ input, output, weight });
    else jobs.push({ input, output, weight });
  };
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      failures.push(asCliError(error, 'input', input).message);
      continue;
    }
    if (info.isDirectory()) {
      let files: string[];
      try {
        files = await audioFilesIn(input, recursive, outDirReal);
      } catch (error) {
        failures.push(asCliError(error, 'input', input).message);
        continue;
      }
      if (files.length === 0) failures.push(`${input}: no audio files (${AUDIO_EXTENSIONS.join(' ')}) in this folder${recursive ? ' or its sub-folders' : '; add --recursive for its sub-folders'}`);
      for (const file of files) await add(file, relative(input, file));
    } else {
      await add(input, basename(input));
    }
  }
  return { jobs, skipped, failures };
}

/** Messages between the main thread and a worker. */
type ToWorker = { type: 'job'; index: number; input: string; output: string } | { type: 'abort' } | { type: 'close' };
type FromWorker =
  | { type: 'ready' }
  | { type: 'fatal'; message: string; kind: CliErrorKind }
  | { type: 'progress'; index: number; framesDone: number; fraction: number | undefined; sampleRate: number; temporaryFiles: string[] }
  | { type: 'done'; index: number; result?: BatchFileResult; error?: { message: string; kind: CliErrorKind } };

/** What the summary needs of one file. */
interface BatchFileResult {
  readonly duration: number;
  readonly resampledFrom?: number;
  readonly sampleRate: number;
  readonly clippedSamples: number;
  readonly decodeErrors: number;
  readonly maxGainReductionDb?: number;
  /** Share of the input that took the stereo path. */
  readonly stereoShare: number;
  /** Whether the model has a style input (undefined without a model). */
  readonly modelTakesStyle?: boolean;
  /** The warnings about faults of the input's channels (channel-check.ts), a line each. */
  readonly channelWarnings?: string[];
}

/** Data a worker starts with. */
interface WorkerStart {
  readonly kind: 'upmix-batch-worker';
  readonly settings: RunSettings;
  /** Whether the worker runs its model in a thread of its own ({@link modelThreadPerJob}). */
  readonly modelThread: boolean;
}

/** True in a thread started by {@link runBatch}. */
export function isBatchWorker(): boolean {
  return parentPort !== null && (workerData as WorkerStart | undefined)?.kind === 'upmix-batch-worker';
}

function errorMessage(error: unknown): { message: string; kind: CliErrorKind } {
  if (error instanceof CliError) return { message: error.message, kind: error.kind };
  return { message: (error as Error)?.message ?? String(error), kind: 'input' };
}

/** The body of a worker thread: loads the model once, then upmixes the files it is sent. */
export async function runBatchWorker(): Promise<void> {
  const port = parentPort!;
  const { settings, modelThread: modelThreadOwn } = workerData as WorkerStart;
  const post = (message: FromWorker): void => port.postMessage(message);
  const aborter = new AbortController();
  let busy: Promise<void> = Promise.resolve();
  // The model in a thread of its own when the batch leaves a core for it (its work then overlaps this
  // worker's engine, as for a single file), else in this thread.
  const modelThread = startSettingsModel(settings, modelThreadOwn);
  let model: RunModel | undefined;
  try {
    model = await settingsModelReady(settings, modelThread);
  } catch (error) {
    post({ type: 'fatal', ...errorMessage(error) });
    return;
  }
  port.on('message', (message: ToWorker) => {
    if (message.type === 'abort') aborter.abort();
    else if (message.type === 'close') void busy.then(() => modelThread?.close()).then(() => port.close());
    else {
      busy = busy.then(async () => {
        let lastPost = 0;
        try {
          if (aborter.signal.aborted) throw new InterruptedError();
          const result: UpmixFileResult = await upmixFile(message.input, message.output, {
            ...fileOptions(settings, model),
            signal: aborter.signal,
            onProgress: (framesDone, fraction, sampleRate) => {
              const now = performance.now();
              if (now - lastPost < 100) return;
              lastPost = now;
              post({ type: 'progress', index: message.index, framesDone, fraction, sampleRate, temporaryFiles: temporaryFilesNow() });
            },
          });
          post({
            type: 'done',
            index: message.index,
            result: {
              duration: result.duration,
              resampledFrom: result.resampledFrom,
              sampleRate: result.sampleRate,
              clippedSamples: result.clippedSamples,
              decodeErrors: result.decodeErrors,
              maxGainReductionDb: result.ceiling?.maxGainReductionDb,
              stereoShare: result.stereoShare,
              modelTakesStyle: result.modelTakesStyle,
              channelWarnings: result.channelReport && channelWarnings(result.channelReport, message.input, result.stereoShare),
            },
          });
        } catch (error) {
          post({ type: 'done', index: message.index, error: errorMessage(error) });
        }
      });
    }
  });
  post({ type: 'ready' });
}

/** One progress display for the whole batch: files done, current speed, time left (a terminal only). */
class BatchProgress {
  private lastDraw = 0;
  private drawn = false;
  private readonly history: { time: number; audio: number }[] = [];

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly started: number,
  ) {}

  update(filesDone: number, filesTotal: number, failed: number, audioSeconds: number, fractionDone: number): void {
    if (!this.stream.isTTY) return;
    const now = performance.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    this.history.push({ time: now, audio: audioSeconds });
    while (this.history.length > 2 && now - this.history[0].time > 5000) this.history.shift();
    const first = this.history[0];
    const speed = (audioSeconds - first.audio) / Math.max(1e-3, (now - first.time) / 1000);
    const elapsed = (now - this.started) / 1000;
    const left = fractionDone > 0.01 ? (elapsed * (1 - fractionDone)) / fractionDone : undefined;
    const line =
      `upmix: ${filesDone}/${filesTotal} files${failed > 0 ? ` (${failed} failed)` : ''}  ${speed.toFixed(0)}x real time` +
      `  ${left === undefined ? 'estimating time left' : `about ${formatDuration(left)} left`}`;
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

/**
 * Runs a batch with `jobs` worker threads started from `entry` (the CLI's own module, which calls
 * {@link runBatchWorker} in a worker). Prints failures and a summary on stderr; returns the exit code.
 * `onInterrupt` gets the function to call on an interrupt: with `atOnce` false the workers stop after
 * their current chunk; with true (a second interrupt, or the first's grace period over) the partial files
 * are removed and the workers ended without waiting for them.
 */
export async function runBatch(
  plan: BatchPlan,
  settings: RunSettings,
  options: { jobs: number; entry: URL; quiet: boolean; signal: AbortSignal; onInterrupt: (handler: (atOnce: boolean) => void) => void },
): Promise<number> {
  const started = performance.now();
  const stderr = process.stderr;
  const failures = [...plan.failures];
  const { jobs } = plan;
  const results: (BatchFileResult | undefined)[] = new Array(jobs.length);
  const progressOf = new Map<number, { seconds: number; fraction: number }>();
  const temporaryOf = new Map<Worker, string[]>();
  const totalWeight = jobs.reduce((sum, job) => sum + job.weight, 0);
  let doneWeight = 0;
  let finishedAudio = 0;
  let done = 0;
  let failed = 0;
  let interrupted = false;
  let next = 0;
  const finishedIndices: number[] = [];
  let workerFailure: string | undefined;
  let fatal: { message: string; kind: CliErrorKind } | undefined;
  const progress = options.quiet ? undefined : new BatchProgress(stderr, started);
  const redraw = (): void => {
    let audio = finishedAudio;
    let weight = doneWeight;
    for (const [index, p] of progressOf) {
      audio += p.seconds;
      weight += p.fraction * jobs[index].weight;
    }
    progress?.update(done, jobs.length, failed, audio, weight / totalWeight);
  };

  const workerCount = Math.min(options.jobs, jobs.length);
  const workers: Worker[] = [];
  await new Promise<void>((resolveAll) => {
    const live = new Set<Worker>();
    if (workerCount === 0) resolveAll();
    /** A worker is done (no more work, failed, or exited): the batch ends with the last one. */
    const retire = (worker: Worker): void => {
      if (!live.delete(worker)) return;
      worker.postMessage({ type: 'close' } satisfies ToWorker);
      void worker.terminate();
      if (live.size === 0) resolveAll();
    };
    const giveWork = (worker: Worker): void => {
      if (interrupted || next >= jobs.length) {
        retire(worker);
        return;
      }
      const index = next++;
      // The output's folder is made here, not in the worker: a system call that never returns (Node 20's
      // recursive mkdir loops on /proc) would keep a worker from ever ending, and the process with it.
      const folder = dirname(jobs[index].output);
      mkdir(folder, { recursive: true }).then(
        () => worker.postMessage({ type: 'job', index, input: jobs[index].input, output: jobs[index].output } satisfies ToWorker),
        (error: unknown) => jobDone(worker, { type: 'done', index, error: errorMessage(asCliError(error, 'output', folder)) }),
      );
    };
    /** A job is finished, upmixed or failed: count it, and give its worker the next one. */
    const jobDone = (worker: Worker, message: Extract<FromWorker, { type: 'done' }>): void => {
      progressOf.delete(message.index);
      temporaryOf.delete(worker);
      finishedIndices.push(message.index);
      doneWeight += jobs[message.index].weight;
      done++;
      if (message.result) {
        results[message.index] = message.result;
        finishedAudio += message.result.duration;
      } else if (message.error?.kind === 'interrupted') {
        interrupted = true;
      } else {
        failed++;
        failures.push(message.error?.message ?? `${jobs[message.index].input}: failed`);
      }
      redraw();
      giveWork(worker);
    };
    for (let w = 0; w < workerCount; w++) {
      const start = { workerData: { kind: 'upmix-batch-worker', settings, modelThread: modelThreadPerJob(workerCount) } satisfies WorkerStart };
      const worker = startWorker(options.entry, start);
      workers.push(worker);
      live.add(worker);
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') giveWork(worker);
        else if (message.type === 'fatal') {
          // The model could not be loaded: no file can be done; one line says why.
          fatal ??= message;
          next = jobs.length;
          for (const other of workers) retire(other);
        } else if (message.type === 'progress') {
          progressOf.set(message.index, { seconds: message.framesDone / message.sampleRate, fraction: message.fraction ?? 0 });
          temporaryOf.set(worker, message.temporaryFiles);
          redraw();
        } else jobDone(worker, message);
      });
      worker.on('error', (error) => {
        workerFailure ??= error.message.split('\n')[0];
        retire(worker);
      });
      worker.on('exit', () => retire(worker));
    }
    /** Removes the partial files, ends the workers and ends the batch, without waiting for them. */
    const stopNow = (): void => {
      for (const files of temporaryOf.values()) for (const file of files) removeTemporaryFile(file);
      removeTemporaryFilesNow();
      for (const worker of workers) void worker.terminate();
      resolveAll();
    };
    options.onInterrupt((atOnce) => {
      interrupted = true;
      if (atOnce) stopNow();
      // Workers stop after their current chunk; if one cannot, the caller stops the batch at once.
      else for (const worker of workers) worker.postMessage({ type: 'abort' } satisfies ToWorker);
    });
  });
  progress?.clear();
  if (fatal) throw fatal.kind === 'output' ? new OutputError(fatal.message) : new InputError(fatal.message);
  if (interrupted) {
    for (const files of temporaryOf.values()) for (const file of files) removeTemporaryFile(file);
    const finished = results.filter((r) => r !== undefined).length;
    throw new InterruptedError(`interrupted: ${finished} of ${jobs.length} files were finished; no partial file was left`);
  }
  const finishedFiles = new Set(finishedIndices);
  for (let index = 0; index < jobs.length; index++) {
    if (!finishedFiles.has(index)) failures.push(`${jobs[index].input}: not upmixed (a worker thread failed: ${workerFailure ?? 'it stopped'}); run again`);
  }
  for (const failure of failures) stderr.write(`upmix: error: ${failure}\n`);
  if (!options.quiet) {
    const seconds = (performance.now() - started) / 1000;
    const upmixed = results.filter((r): r is BatchFileResult => r !== undefined);
    const resampled = upmixed.filter((r) => r.resampledFrom !== undefined).length;
    const clipped = upmixed.reduce((sum, r) => sum + r.clippedSamples, 0);
    const damaged = upmixed.reduce((sum, r) => sum + r.decodeErrors, 0);
    const reduction = upmixed.reduce((max, r) => Math.max(max, r.maxGainReductionDb ?? 0), 0);
    const limited = upmixed.some((r) => r.maxGainReductionDb !== undefined);
    const parts = [
      `${upmixed.length} upmixed`,
      plan.skipped.length > 0 ? `${plan.skipped.length} skipped (output exists; --force replaces)` : '',
      failures.length > 0 ? `${failures.length} failed` : '',
    ].filter(Boolean);
    stderr.write(
      `upmix: ${jobs.length + plan.skipped.length + plan.failures.length} inputs: ${parts.join(', ')}; ${formatDuration(finishedAudio)} of audio in ${seconds.toFixed(1)} s ` +
        `(${(finishedAudio / Math.max(seconds, 1e-3)).toFixed(0)}x real time) with ${workerCount} job${workerCount === 1 ? '' : 's'}; ${describeCues(settings, upmixed[0]?.modelTakesStyle)}` +
        (resampled > 0 ? `; ${resampled} resampled into 22,050-192,000 Hz` : '') +
        (limited ? (reduction > 0 ? `; the ceiling reduced the gain by up to ${reduction.toFixed(1)} dB` : '; the ceiling was not reached') : '') +
        (upmixed.length > 0 ? `; ${describePaths(jobs, results)} (${describeInputChoice(settings)})` : '') +
        '\n',
    );
    if (clipped > 0) stderr.write(`upmix: warning: ${clipped} samples clipped at full scale; use --ceiling or --format float32\n`);
    if (damaged > 0) stderr.write(`upmix: warning: ${damaged} damaged frames were skipped by the decoders\n`);
    for (const result of upmixed) for (const line of result.channelWarnings ?? []) stderr.write(`upmix: warning: ${line}\n`);
  }
  return failures.length > 0 ? 1 : 0;
}

/**
 * Which path each upmixed file took: `every file on the mono path`, or grouped by path when they differ
 * (`stereo path: a.wav, b.flac; mono path: c.wav`).
 */
function describePaths(jobs: readonly { readonly input: string }[], results: readonly (BatchFileResult | undefined)[]): string {
  const byPath = new Map<string, string[]>();
  results.forEach((result, index) => {
    if (result === undefined) return;
    const path = describeInputPath(result.stereoShare);
    byPath.set(path, [...(byPath.get(path) ?? []), basename(jobs[index].input)]);
  });
  if (byPath.size === 1) return `every file on the ${[...byPath.keys()][0]}`;
  return [...byPath].map(([path, files]) => `${path}: ${files.join(', ')}`).join('; ');
}

/** Removes a worker's temporary file (only a name of the form this CLI makes). */
function removeTemporaryFile(path: string): void {
  if (!/^\.upmix-[0-9a-f]{16}\.partial$/.test(basename(path))) return;
  try {
    rmSync(path, { force: true });
  } catch {
    // Gone already.
  }
}
