/**
 * The command line of `upmix`: flags, their checks and the help text. Every check says what was wrong
 * and what to do, in one line.
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { CONTROL_SPECS, type ControlValues } from '../dsp/controls.js';
import { LATENCY_MODES, type LatencyMode } from '../dsp/frame-config.js';
import { SAMPLE_ENCODINGS, type SampleEncoding } from './wav-format.js';

/** A wrong command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What the command line asks for. */
export interface CliArguments {
  readonly inputPath: string;
  readonly outputPath: string;
  readonly mode: LatencyMode;
  readonly variation: number;
  readonly controls: Partial<ControlValues>;
  readonly outputEncoding?: SampleEncoding;
  readonly profilePath?: string;
  /** The learned model's file, the bundled one (`bundled`), or none (`off`: fixed cues). */
  readonly model: 'bundled' | 'off' | { readonly path: string };
  readonly force: boolean;
  readonly quiet: boolean;
}

export const HELP = `Usage: upmix IN.wav OUT.wav [options]

Turns a mono (or stereo, downmixed) WAV file into a wide, mono-compatible stereo WAV.
The output has the input's sample rate and length and lines up with it sample for sample.

Options:
  --width N        0 = mono, 1 = natural (default), up to 2 = extra wide
  --bass-mono HZ   keep everything below HZ in the centre (default 120, 0 = off, max 500)
  --mix N          dry/wet, 0 = input only .. 1 = fully upmixed (default 1)
  --mode MODE      quality (default; bigger frames) or live (the real-time monitoring framing)
  --variation N    pan-layout seed, an integer (default 1): which side each band leans to
  --no-model       fixed width profile instead of the learned model's cues
  --model FILE     another ONNX cue model (default: the one shipped with the package)
  --profile FILE   fixed per-band cues from JSON {"icc": [24 numbers], "ildDb": [24 numbers]} (no model)
  --format F       output encoding: pcm16, pcm24 or float32 (default: the input's)
  -f, --force      replace OUT.wav if it exists (the input is never overwritten)
  -q, --quiet      no progress line and no summary
  -h, --help       this text
      --version    the version

Reads 16/24-bit PCM and 32-bit float WAV at 22,050-192,000 Hz.`;

const FLAG_OF_CONTROL: Record<string, keyof ControlValues> = { width: 'width', 'bass-mono': 'bassMonoHz', mix: 'mix' };

function numberFlag(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} needs a number, not "${text}"`);
  return value;
}

/** Parses `argv` (without node and the script); returns 'help' or 'version' when those were asked for. */
export function parseCliArguments(argv: readonly string[]): CliArguments | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        width: { type: 'string' },
        'bass-mono': { type: 'string' },
        mix: { type: 'string' },
        mode: { type: 'string' },
        variation: { type: 'string' },
        profile: { type: 'string' },
        model: { type: 'string' },
        'no-model': { type: 'boolean' },
        format: { type: 'string' },
        force: { type: 'boolean', short: 'f' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (values.version) return 'version';
  if (positionals.length !== 2) {
    throw new UsageError(positionals.length < 2 ? 'give an input and an output file: upmix IN.wav OUT.wav' : `too many file names (${positionals.length}): give one input and one output`);
  }
  const controls: Partial<ControlValues> = {};
  for (const [flag, name] of Object.entries(FLAG_OF_CONTROL)) {
    const text = values[flag as keyof typeof values];
    if (typeof text !== 'string') continue;
    const spec = CONTROL_SPECS.find((s) => s.name === name)!;
    const value = numberFlag(flag, text);
    if (value < spec.min || value > spec.max) throw new UsageError(`--${flag} ${text} is out of range: use ${spec.min} to ${spec.max}`);
    controls[name] = value;
  }
  const mode = values.mode ?? 'quality';
  if (!LATENCY_MODES.includes(mode as LatencyMode)) throw new UsageError(`--mode "${mode}" is not known: use ${LATENCY_MODES.join(' or ')}`);
  let variation = 1;
  if (values.variation !== undefined) {
    variation = numberFlag('variation', values.variation);
    if (!Number.isInteger(variation)) throw new UsageError(`--variation needs an integer, not "${values.variation}"`);
  }
  const format = values.format;
  if (format !== undefined && !SAMPLE_ENCODINGS.includes(format as SampleEncoding)) {
    throw new UsageError(`--format "${format}" is not known: use ${SAMPLE_ENCODINGS.join(', ')}`);
  }
  const modelChoices = [values.model !== undefined && '--model', values['no-model'] && '--no-model', values.profile !== undefined && '--profile'].filter(Boolean);
  if (modelChoices.length > 1) throw new UsageError(`${modelChoices.join(' and ')} exclude each other: pick one`);
  let model: CliArguments['model'] = 'bundled';
  if (values.model !== undefined) model = { path: values.model };
  else if (values['no-model'] || values.profile !== undefined) model = 'off';
  return {
    inputPath: positionals[0],
    outputPath: positionals[1],
    mode: mode as LatencyMode,
    variation,
    controls,
    outputEncoding: format as SampleEncoding | undefined,
    profilePath: values.profile,
    model,
    force: values.force ?? false,
    quiet: values.quiet ?? false,
  };
}
