/**
 * `upmix IN OUT [options]` and `upmix IN... --out-dir DIR [options]`: the command-line upmixer. Exit
 * codes by error class (errors.ts): 0 done, 1 an input or output could not be handled (one line on stderr
 * each; no partial file is left), 2 a wrong command line, 130 interrupted; a run stopped at once (a second
 * interrupt, or the first's grace period over) ends by the signal itself, which a shell reports as 130.
 * @packageDocumentation
 */
import { setFlagsFromString } from 'node:v8';
import { HELP, parseCliArguments, type CliArguments } from './cli/args.js';
import { describeOutputFormat } from './cli/audio-sink.js';
import { standardInputFileStream } from './cli/byte-stream.js';
import { isBatchWorker, planBatch, runBatch, runBatchWorker } from './cli/batch.js';
import { EXIT_CODES, exitCodeOf, InputError, InterruptedError, UsageError } from './cli/errors.js';
import { checkOutputTarget, removeTemporaryFilesNow } from './cli/output-file.js';
import { formatDuration, ProgressLine } from './cli/progress.js';
import type { InferenceThread } from './cli/inference-thread.js';
import { channelWarnings } from './cli/channel-check.js';
import { describeCues, describeInputChoice, fileOptions, modelThreadPerJob, settingsModelReady, settingsOf, startSettingsModel, type RunSettings } from './cli/settings.js';
import { listStyles } from './cli/style-choice.js';
import { checkInputFile, describeInputPath, upmixFile } from './cli/upmix-file.js';

declare const PACKAGE_VERSION: string | undefined;

// onnxruntime's 14 MB wasm: V8 compiles what runs with its baseline compiler (Liftoff), then recompiles
// hot functions with its optimising one in background threads. For the cue model's small kernels the
// optimised code is not measurably faster, and those compiles cost seconds of CPU in every process
// (`npm run bench`: the whole CLI run of a 60 s file takes about half the time with baseline code only).
// Process-wide, so batch worker threads get it too; set before the first wasm is compiled.
setFlagsFromString('--liftoff-only');

/**
 * How long an interrupted run (one file; a batch) may take to stop by itself before it is stopped at
 * once, as by a second interrupt.
 */
const INTERRUPT_GRACE_MS = { one: 1500, batch: 3000 };

/**
 * Ends the process by `signal` itself, at once, as a program stopped by Ctrl-C should: a calling shell
 * then knows it was interrupted (and reports 128 + the signal's number, 130 for SIGINT, as for exit code
 * 130). Unlike process.exit, which joins every thread first, this never waits: a thread blocked in a
 * file-system call that never returns (a network drive that does not answer) cannot keep the process alive.
 * Our listeners must be off: Node's own handler then restores the terminal and re-raises the signal.
 */
function endBySignal(signal: NodeJS.Signals): void {
  process.kill(process.pid, signal);
}

/** One file: IN OUT. */
async function runOne(args: CliArguments, settings: RunSettings, modelThread: InferenceThread | undefined, signal: AbortSignal): Promise<void> {
  const inputPath = args.inputs[0];
  const outputPath = args.outputPath!;
  const started = performance.now();
  if (inputPath === '-' && process.stdin.isTTY) throw new UsageError('standard input is a terminal: pipe a file in, as in: upmix - OUT.wav < IN');
  if (outputPath === '-' && process.stdout.isTTY) throw new UsageError('standard output is a terminal: send it to a file or a program, as in: upmix IN - > OUT.wav');
  // A bad input or output is reported before a bad model (which may be loading meanwhile in its thread).
  // Standard input redirected from a file is read by position, so it is checked as a named file is (a
  // pipe's bytes would be used up).
  if (inputPath !== '-' || standardInputFileStream()) await checkInputFile(inputPath);
  if (outputPath !== '-') await checkOutputTarget(inputPath, outputPath, settings.overwrite);
  // A model thread may still be loading: the upmix reads and analyses the input meanwhile, and a model
  // that cannot be loaded fails it with the loader's one line, before any output is kept.
  const model = modelThread ?? (await settingsModelReady(settings, undefined));
  let progress: ProgressLine | undefined;
  try {
    const result = await upmixFile(inputPath, outputPath, {
      ...fileOptions(settings, model),
      signal,
      onProgress: (done, fraction, sampleRate) => {
        if (args.quiet) return;
        progress ??= new ProgressLine(process.stderr, sampleRate);
        progress.update(done, fraction);
      },
    });
    progress?.clear();
    if (args.quiet) return;
    const seconds = (performance.now() - started) / 1000;
    const from = result.resampledFrom !== undefined ? `, resampled from ${result.resampledFrom} Hz` : '';
    const ceiling = result.ceiling
      ? result.ceiling.maxGainReductionDb > 0
        ? `; ceiling ${result.ceiling.ceilingDb.toFixed(1)} dBFS reduced the gain by up to ${result.ceiling.maxGainReductionDb.toFixed(1)} dB`
        : `; ceiling ${result.ceiling.ceilingDb.toFixed(1)} dBFS not reached`
      : '';
    process.stderr.write(
      `upmix: wrote ${outputPath === '-' ? 'standard output' : outputPath} (stereo, ${result.sampleRate} Hz${from}, ${describeOutputFormat(result.output)}, ${formatDuration(result.duration)}) ` +
        `from ${result.inputFormat} in ${seconds.toFixed(1)} s (${(result.duration / Math.max(seconds, 1e-3)).toFixed(0)}x real time); ` +
        `${describeInputPath(result.stereoShare)} (${describeInputChoice(settings, result.inputChannels)}), ${settings.mode} mode, ${describeCues(settings, result.modelTakesStyle)}, latency of ${result.latency} samples compensated${ceiling}\n`,
    );
    if (result.clippedSamples > 0) {
      process.stderr.write(`upmix: warning: ${result.clippedSamples} samples clipped at full scale; lower --ceiling or use --format float32\n`);
    }
    if (result.badInputSamples > 0) {
      process.stderr.write(`upmix: warning: ${result.badInputSamples} input samples were NaN, infinite or over +60 dBFS and were replaced by silence\n`);
    }
    if (result.decodeErrors > 0) process.stderr.write(`upmix: warning: the decoder skipped ${result.decodeErrors} damaged frames\n`);
    const channels = result.channelReport ? channelWarnings(result.channelReport, inputPath === '-' ? 'standard input' : inputPath, result.stereoShare) : [];
    for (const line of channels) process.stderr.write(`upmix: warning: ${line}\n`);
  } finally {
    progress?.clear();
  }
}

/** Many files: IN... --out-dir DIR. Returns the exit code. */
async function runMany(args: CliArguments, settings: RunSettings, signal: AbortSignal, onInterrupt: (handler: (atOnce: boolean) => void) => void): Promise<number> {
  const extension = (args.container ?? 'wav') === 'flac' ? '.flac' : '.wav';
  const plan = await planBatch(args.inputs, args.outDir!, args.recursive, extension, args.force);
  if (plan.jobs.length === 0 && plan.skipped.length === 0 && plan.failures.length > 0 && args.inputs.length === 1) {
    // Nothing at all to do: one line, as for a single file.
    throw new InputError(plan.failures[0]);
  }
  return runBatch(plan, settings, { jobs: args.jobs, entry: new URL(import.meta.url), quiet: args.quiet, signal, onInterrupt });
}

async function main(argv: readonly string[]): Promise<{ exitCode: number; forcedBy?: NodeJS.Signals }> {
  let args;
  try {
    args = parseCliArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`upmix: ${error.message} (see upmix --help)\n`);
    return { exitCode: error.exitCode };
  }
  if (args === 'help') {
    process.stdout.write(`${HELP}\n`);
    return { exitCode: 0 };
  }
  if (args === 'list-styles') {
    process.stdout.write(`${listStyles()}\n`);
    return { exitCode: 0 };
  }
  if (args === 'version') {
    process.stdout.write(`${typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : 'development'}\n`);
    return { exitCode: 0 };
  }
  const aborter = new AbortController();
  let batchInterrupt: ((atOnce: boolean) => void) | undefined;
  /** Whether the error that ends the run was printed (once is enough). */
  let reported = false;
  /** The signal of an interrupt that stopped the run at once: the process ends by that signal. */
  let forcedBy: NodeJS.Signals | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  /**
   * A second interrupt, or the first's grace period over: stops the run at once. One file: the partial
   * file is removed, the line printed, and the process ended by `signal` here (main may be waiting on a
   * call that never returns). A batch stops its workers; main then returns and ends the process so.
   */
  const stopNow = (signal: NodeJS.Signals): void => {
    forcedBy = signal;
    clearTimeout(graceTimer);
    if (batchInterrupt) {
      batchInterrupt(true);
      return;
    }
    removeTemporaryFilesNow();
    if (!reported) process.stderr.write(`upmix: error: ${new InterruptedError().message}\n`);
    reported = true;
    // From here on a further Ctrl-C gets Node's own handling (the process ends at once).
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    endBySignal(signal);
  };
  const interrupt = (signal: NodeJS.Signals): void => {
    if (aborter.signal.aborted) {
      stopNow(signal);
      return;
    }
    aborter.abort();
    // The run stops after its current chunk (a batch's workers after theirs). One that cannot (waiting on
    // a pipe, or on a file-system call that never returns) is stopped at once when the grace period is
    // over, as by a second interrupt: process.exit would wait for ever for a thread stuck in such a call.
    batchInterrupt?.(false);
    graceTimer = setTimeout(() => stopNow(signal), batchInterrupt ? INTERRUPT_GRACE_MS.batch : INTERRUPT_GRACE_MS.one);
    graceTimer.unref();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  // One file: the model starts loading in its own thread now (if there is a core for it), while the main
  // thread reads the settings (a reference mix is analysed) and checks the files. A batch's workers
  // start their own.
  const modelThread = args.outDir === undefined ? startSettingsModel(args, modelThreadPerJob(1)) : undefined;
  try {
    const settings = await settingsOf(args);
    if (args.outDir !== undefined) {
      const exitCode = await runMany(args, settings, aborter.signal, (handler) => (batchInterrupt = handler));
      return { exitCode, forcedBy };
    }
    await runOne(args, settings, modelThread, aborter.signal);
    return { exitCode: 0 };
  } catch (error) {
    const message = aborter.signal.aborted && !(error instanceof InterruptedError) ? new InterruptedError().message : (error as Error).message ?? String(error);
    if (!reported) process.stderr.write(`upmix: error: ${message.split('\n')[0]}\n`);
    reported = true;
    return aborter.signal.aborted ? { exitCode: 130, forcedBy } : { exitCode: exitCodeOf(error) };
  } finally {
    // Done: nothing left to stop. A thread stuck in a system call would keep the model thread from
    // closing: not waited for after a forced stop.
    clearTimeout(graceTimer);
    if (!forcedBy) await modelThread?.close();
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

if (isBatchWorker()) await runBatchWorker();
else {
  const { exitCode, forcedBy } = await main(process.argv.slice(2));
  process.exitCode = exitCode;
  // Interrupted: end now, even if something the run started never returns (a read of a pipe that stays
  // open): once main has reported, nothing is left to wait for. Stopped at once (a second interrupt, or
  // the first's grace period over; a thread may be stuck in a system call that never returns): end by
  // that signal.
  if (forcedBy) endBySignal(forcedBy);
  else if (exitCode === EXIT_CODES.interrupted) process.exit();
}
