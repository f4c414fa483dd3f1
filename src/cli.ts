/**
 * `upmix IN.wav OUT.wav [options]`: the command-line upmixer. Exit codes: 0 done, 1 the input or the
 * output could not be handled (one line on stderr says why; no output file is left), 2 a wrong command
 * line, 130 interrupted.
 * @packageDocumentation
 */
import { HELP, parseCliArguments, UsageError, type CliArguments } from './cli/args.js';
import { loadModelFile } from './cli/model-file.js';
import { bandProfileCueSource, readBandProfile } from './cli/profile-file.js';
import { formatDuration, ProgressLine } from './cli/progress.js';
import { checkInputFile, upmixFile } from './cli/upmix-file.js';
import { describeEncoding } from './cli/wav-format.js';

declare const PACKAGE_VERSION: string | undefined;

/** One line for an error: ours carry their own words, system errors get the path and what happened. */
function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' && e.path) return `cannot open ${e.path}: no such file or directory`;
  if (e.code === 'EACCES' && e.path) return `cannot open ${e.path}: permission denied`;
  if (e.code === 'EISDIR' && e.path) return `${e.path} is a directory, not a WAV file`;
  if (e.code === 'ENOSPC') return 'the disk is full: no output was written';
  if (error instanceof RangeError) return error.message;
  return e.message ?? String(error);
}

async function run(args: CliArguments): Promise<void> {
  const aborter = new AbortController();
  const interrupt = (): void => aborter.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let progress: ProgressLine | undefined;
  const started = performance.now();
  try {
    const cueSource = args.profilePath ? bandProfileCueSource(await readBandProfile(args.profilePath)) : undefined;
    // A bad input fails before the model (a second or so to load) is loaded.
    await checkInputFile(args.inputPath);
    const loaded = args.model === 'off' ? undefined : await loadModelFile(args.model === 'bundled' ? undefined : args.model.path);
    const result = await upmixFile(args.inputPath, args.outputPath, {
      model: loaded?.model,
      mode: args.mode,
      variation: args.variation,
      controls: args.controls,
      cueSource,
      outputEncoding: args.outputEncoding,
      overwrite: args.force,
      signal: aborter.signal,
      onProgress: (done, total, sampleRate) => {
        if (args.quiet) return;
        progress ??= new ProgressLine(process.stderr, sampleRate);
        progress.update(done, total);
      },
    });
    progress?.clear();
    if (args.quiet) return;
    const seconds = (performance.now() - started) / 1000;
    const { input } = result;
    process.stderr.write(
      `upmix: wrote ${args.outputPath} (stereo, ${input.sampleRate} Hz, ${describeEncoding(result.outputEncoding)}, ${formatDuration(result.duration)}) ` +
        `in ${seconds.toFixed(1)} s (${(result.duration / Math.max(seconds, 1e-3)).toFixed(0)}x real time); ` +
        `${args.mode} mode, ${loaded ? 'learned cues' : args.profilePath ? 'cue profile' : 'fixed width profile'}, latency of ${result.latency} samples compensated\n`,
    );
    if (result.clippedSamples > 0) {
      process.stderr.write(`upmix: warning: ${result.clippedSamples} samples clipped at full scale; lower the input level or use --format float32\n`);
    }
    if (result.badInputSamples > 0) {
      process.stderr.write(`upmix: warning: ${result.badInputSamples} input samples were NaN, infinite or over +60 dBFS and were replaced by silence\n`);
    }
  } finally {
    progress?.clear();
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseCliArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`upmix: ${error.message} (see upmix --help)\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (args === 'version') {
    process.stdout.write(`${typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : 'development'}\n`);
    return 0;
  }
  try {
    await run(args);
    return 0;
  } catch (error) {
    process.stderr.write(`upmix: error: ${describeError(error)}\n`);
    return (error as Error).message.startsWith('interrupted') ? 130 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
