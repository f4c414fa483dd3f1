/**
 * The command line of `upmix`: flags, their checks and the help text. Every check says what was wrong
 * and what to do, in one line.
 * @packageDocumentation
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { CONTROL_SPECS, SETTING_SPECS, type ControlValues } from '../dsp/controls.js';
import { LATENCY_MODES, type LatencyMode } from '../dsp/frame-config.js';
import { INPUT_KINDS, type InputKind } from '../dsp/input-kind.js';
import { findStylePreset, STYLE_PRESETS } from '../style/presets.js';
import { UsageError } from './errors.js';
import type { InputChannel } from './upmix-file.js';
import type { SampleEncoding } from './wav-format.js';

export { UsageError };

/** The values --format takes: a WAV encoding, or FLAC (at the input's depth, or 16/24 bits). */
export const OUTPUT_FORMATS = ['pcm16', 'pcm24', 'float32', 'flac', 'flac16', 'flac24'] as const;

/**
 * Where the style comes from: a preset by name, a JSON file (the `--profile` format), or a stereo mix to
 * analyse.
 */
export type StyleChoice = { readonly preset: string } | { readonly file: string } | { readonly reference: string };

/** What the command line asks for. */
export interface CliArguments {
  /** Input files or folders (`-`: standard input). */
  readonly inputs: readonly string[];
  /** The output file (`-`: standard output), for one input without --out-dir. */
  readonly outputPath?: string;
  /** The folder outputs go to, for a batch. */
  readonly outDir?: string;
  readonly recursive: boolean;
  /** Files upmixed at once in a batch. */
  readonly jobs: number;
  readonly mode: LatencyMode;
  /** What the input is taken for (`auto`: stereo files keep their image, dual mono is upmixed). */
  readonly input: InputKind;
  /** One channel of a stereo input, upmixed as mono (`--channel`); undefined: both. */
  readonly channel?: InputChannel;
  readonly variation: number;
  readonly controls: Partial<ControlValues>;
  /** Output container; undefined: by the output's name (.flac) or WAV. */
  readonly container?: 'wav' | 'flac';
  readonly outputEncoding?: SampleEncoding;
  /** Ceiling in dBFS or 'off'; undefined: the default (-1 dBFS for PCM, off for float). */
  readonly ceilingDb?: number | 'off';
  readonly profilePath?: string;
  /** The target stereo image (`--style NAME|FILE.json`, `--reference MIX`); undefined: the default. */
  readonly style?: StyleChoice;
  /** The learned model's file, the bundled one (`bundled`), or none (`off`: fixed cues). */
  readonly model: 'bundled' | 'off' | { readonly path: string };
  readonly force: boolean;
  readonly quiet: boolean;
}

export const HELP = `Usage: upmix IN OUT [options]
       upmix IN... --out-dir DIR [--recursive] [--jobs N] [options]

Turns a mono recording into a wide, mono-compatible stereo WAV or FLAC file, or re-spreads a stereo one.
The output lines up with the input sample for sample and has its length.
IN is a WAV (PCM of 1-32 bits, float, G.711 or MPEG audio), AIFF, FLAC, MP3, Ogg Vorbis or Ogg Opus
file, or - for standard input (a pipe; or a file, - < FILE, read as that file);
OUT is a .wav or .flac file, or - for standard output (a WAV; FLAC with --format flac).

Options:
  --width N        0 = mono, 1 = natural (default), up to 2 = extra wide
  --bass-mono HZ   keep everything below HZ in the centre (default 120, 0 = off, max 500)
  --mix N          dry/wet, 0 = input only .. 1 = fully upmixed (default 1)
  --input KIND     auto (default: stereo files keep their own image, dual mono is upmixed), mono
                   (downmix and upmix) or stereo
  --channel C      left or right: upmix only that channel of a stereo file, as mono (for a transfer
                   with a dead, polarity-inverted or delayed channel); mono files are upmixed as they are
  --spread S       stereo input: 0 = the mix's panned sources to the centre .. 1 = where they are
                   (default 1); a source at pan u moves to S*u, ambience is kept
  --mode MODE      quality (default; bigger frames) or live (the real-time monitoring framing)
  --variation N    pan-layout seed, an integer (default 1): which side each band leans to
  --no-model       fixed width profile instead of the learned model's cues
  --model FILE     another ONNX cue model (default: the one shipped with the package)
  --profile FILE   fixed per-band cues from JSON {"icc": [24 numbers], "ildDb": [24 numbers]} (no model)
  --style S        the stereo image to aim for: a preset (see --list-styles) or a JSON file as for
                   --profile; the model follows it (with --no-model, it is the fixed profile)
  --reference MIX  aim for the image of a stereo mix (any file upmix reads, at least 1 s): its style
                   is measured and used as --style is
  --list-styles    the presets, with what each sounds like
  --format F       pcm16, pcm24 or float32 (WAV), or flac, flac16, flac24 (default: by OUT's name, at
                   the input's bit depth; 24-bit for lossy inputs)
  --ceiling DBFS   peak ceiling of a linked limiter (default -1 for PCM output, off for float32), or off
  --out-dir DIR    upmix every IN (files, or the audio files in folders) to DIR/NAME.wav (or .flac)
  -r, --recursive  with --out-dir: also the sub-folders of a folder (mirrored under DIR)
  -j, --jobs N     with --out-dir: files upmixed at once (default: the number of cores)
  -f, --force      replace existing output files (regular files only; the input is never overwritten)
  -q, --quiet      no progress display and no summary
  -h, --help       this text
      --version    the version

Rates outside 22,050-192,000 Hz are resampled: lower ones to 44,100 Hz (rates dividing it) or 48,000 Hz,
higher ones to 176,400 or 192,000 Hz. Exit codes: 0 done, 1 an input or output failed, 2 a wrong command
line, 130 interrupted (a run that does not stop within moments of Ctrl-C, or a second Ctrl-C, is stopped
at once and ends the process by SIGINT, which a shell reports as 130 too).`;

const FLAG_OF_CONTROL: Record<string, keyof ControlValues> = { width: 'width', 'bass-mono': 'bassMonoHz', mix: 'mix', spread: 'spread' };

function numberFlag(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} needs a number, not "${text}"`);
  return value;
}

/**
 * What `--style VALUE` names: a preset (case-insensitive) or, failing that, a JSON file; a word that is
 * neither a preset nor looks like a file name is a usage error listing the presets.
 */
function styleChoiceOf(value: string): StyleChoice {
  const preset = findStylePreset(value);
  if (preset) return { preset: preset.name };
  if (/\.json$/i.test(value) || /[/\\]/.test(value)) return { file: value };
  const names = STYLE_PRESETS.map((p) => p.name).join(', ');
  throw new UsageError(`--style "${value}" is neither a preset (${names || 'none'}) nor a .json file; upmix --list-styles lists them`);
}

/** Parses `argv` (without node and the script); returns 'help', 'version' or 'list-styles' when those were asked for. */
export function parseCliArguments(argv: readonly string[]): CliArguments | 'help' | 'version' | 'list-styles' {
  // `--ceiling -1` (or -.5): a negative number is the option's value, not an option (parseArgs would refuse it).
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (/^--(ceiling|width|bass-mono|mix|spread|variation)$/.test(argv[i]) && /^-\.?\d/.test(argv[i + 1] ?? '')) args.push(`${argv[i]}=${argv[++i]}`);
    else args.push(argv[i]);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        width: { type: 'string' },
        'bass-mono': { type: 'string' },
        mix: { type: 'string' },
        spread: { type: 'string' },
        input: { type: 'string' },
        channel: { type: 'string' },
        mode: { type: 'string' },
        variation: { type: 'string' },
        profile: { type: 'string' },
        model: { type: 'string' },
        'no-model': { type: 'boolean' },
        style: { type: 'string' },
        reference: { type: 'string' },
        'list-styles': { type: 'boolean' },
        format: { type: 'string' },
        ceiling: { type: 'string' },
        'out-dir': { type: 'string' },
        recursive: { type: 'boolean', short: 'r' },
        jobs: { type: 'string', short: 'j' },
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
  if (values['list-styles']) return 'list-styles';
  const outDir = values['out-dir'];
  if (outDir !== undefined) {
    if (outDir === '') throw new UsageError('--out-dir needs a folder name');
    if (positionals.length === 0) throw new UsageError('give the files or folders to upmix: upmix IN... --out-dir DIR');
    if (positionals.includes('-')) throw new UsageError('standard input (-) cannot be part of a batch: upmix - OUT.wav < IN');
  } else {
    if (values.recursive) throw new UsageError('--recursive needs --out-dir DIR (where the outputs go)');
    if (values.jobs !== undefined) throw new UsageError('--jobs needs --out-dir DIR (a batch)');
    if (positionals.length !== 2) {
      throw new UsageError(
        positionals.length < 2 ? 'give an input and an output file: upmix IN OUT, or upmix IN... --out-dir DIR' : `${positionals.length} file names: for several inputs give --out-dir DIR, as in upmix ${positionals[0]} ... --out-dir DIR`,
      );
    }
  }
  let jobs = availableParallelism();
  if (values.jobs !== undefined) {
    jobs = numberFlag('jobs', values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) throw new UsageError(`--jobs ${values.jobs} is not a count of files at once: use 1 to 256`);
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
  const mode = values.mode ?? SETTING_SPECS.mode.defaultValue;
  if (!LATENCY_MODES.includes(mode as LatencyMode)) throw new UsageError(`--mode "${mode}" is not known: use ${LATENCY_MODES.join(' or ')}`);
  const input = values.input ?? SETTING_SPECS.input.defaultValue;
  if (!INPUT_KINDS.includes(input as InputKind)) throw new UsageError(`--input "${input}" is not known: use ${INPUT_KINDS.join(', ')}`);
  const channel = values.channel;
  if (channel !== undefined) {
    if (channel !== 'left' && channel !== 'right') throw new UsageError(`--channel "${channel}" is not known: use left or right`);
    if (input === 'stereo') throw new UsageError('--channel and --input stereo exclude each other: --channel upmixes one channel as mono');
  }
  let variation = 1;
  if (values.variation !== undefined) {
    variation = numberFlag('variation', values.variation);
    if (!Number.isInteger(variation)) throw new UsageError(`--variation needs an integer, not "${values.variation}"`);
  }
  const format = values.format;
  if (format !== undefined && !(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format "${format}" is not known: use ${OUTPUT_FORMATS.join(', ')}`);
  }
  let container: CliArguments['container'];
  let outputEncoding: SampleEncoding | undefined;
  if (format?.startsWith('flac')) {
    container = 'flac';
    outputEncoding = format === 'flac16' ? 'pcm16' : format === 'flac24' ? 'pcm24' : undefined;
  } else if (format !== undefined) {
    outputEncoding = format as SampleEncoding;
    if (values['out-dir'] === undefined && /\.flac$/i.test(positionals[1])) {
      if (format === 'float32') throw new UsageError(`FLAC holds 16- or 24-bit samples: --format float32 needs a .wav output, not ${positionals[1]}`);
      container = 'flac';
    } else {
      container = 'wav';
    }
  }
  if (values['out-dir'] === undefined && positionals[1] === '-' && container === undefined) container = 'wav';
  let ceilingDb: CliArguments['ceilingDb'];
  if (values.ceiling !== undefined) {
    if (values.ceiling === 'off') ceilingDb = 'off';
    else {
      ceilingDb = numberFlag('ceiling', values.ceiling);
      const { min, max } = CONTROL_SPECS.find((s) => s.name === 'ceilingDb')!;
      if (ceilingDb > max || ceilingDb < min) throw new UsageError(`--ceiling ${values.ceiling} is out of range: use ${min} to ${max} dBFS, or off`);
    }
  }
  const modelChoices = [values.model !== undefined && '--model', values['no-model'] && '--no-model', values.profile !== undefined && '--profile'].filter(Boolean);
  if (modelChoices.length > 1) throw new UsageError(`${modelChoices.join(' and ')} exclude each other: pick one`);
  if (values.style !== undefined && values.reference !== undefined) throw new UsageError('--style and --reference exclude each other: pick one (a preset or file, or a mix to match)');
  const styleFlag = values.style !== undefined ? '--style' : values.reference !== undefined ? '--reference' : undefined;
  if (styleFlag && values.profile !== undefined) throw new UsageError(`${styleFlag} and --profile exclude each other: --profile is fixed cues; for a style as fixed cues use ${styleFlag} with --no-model`);
  if (values.reference === '' || values.reference === '-') throw new UsageError('--reference needs a file (not standard input): a stereo mix to match');
  const style: StyleChoice | undefined = values.style !== undefined ? styleChoiceOf(values.style) : values.reference !== undefined ? { reference: values.reference } : undefined;
  let model: CliArguments['model'] = 'bundled';
  if (values.model !== undefined) model = { path: values.model };
  else if (values['no-model'] || values.profile !== undefined) model = 'off';
  return {
    inputs: outDir === undefined ? [positionals[0]] : positionals,
    outputPath: outDir === undefined ? positionals[1] : undefined,
    outDir,
    recursive: values.recursive ?? false,
    jobs,
    mode: mode as LatencyMode,
    input: input as InputKind,
    channel,
    variation,
    controls,
    container,
    outputEncoding,
    ceilingDb,
    profilePath: values.profile,
    style,
    model,
    force: values.force ?? false,
    quiet: values.quiet ?? false,
  };
}
