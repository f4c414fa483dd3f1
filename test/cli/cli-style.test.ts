/**
 * The CLI's styles (design section 9): `--style NAME|FILE.json`, `--reference MIX`, `--list-styles`. A
 * reference reaches the engine (without the model its style is the fixed cues, so the output's image is
 * the reference's; with the model the output moves toward it), bad references and conflicting flags get
 * one line and write nothing, and a render with a style is deterministic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCliArguments } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/errors.js';
import { referenceStyle } from '../../src/cli/reference-style.js';
import { upmixFile } from '../../src/cli/upmix-file.js';
import { analyseStyle } from '../../src/style/analyse-style.js';
import { STYLE_PRESETS } from '../../src/style/presets.js';
import { pinkNoise } from '../support/signals.js';
import { scaleSide, wideMix } from '../support/stereo-mixes.js';
import { bandsCentredBetween, meanTileIcc } from '../support/tile-icc.js';
import { writeFlac } from './encoders.js';
import { filesIn, readmeShellBlocks, readWav, runCli, runReadmeScript, temporaryFolder, writeWav } from './support.js';

const SAMPLE_RATE = 44_100;
/** Bands the image is compared in (design section 5's low range, above the default bass mono). */
const BANDS = bandsCentredBetween(170, 6000);
/** From where the tiles are measured: past the first frames (the engine's start, the model's first cues). */
const MEASURE_FROM = 8192;

const folder = temporaryFolder();
const inPath = join(folder, 'in.wav');
await writeWav(inPath, [pinkNoise(4 * SAMPLE_RATE, 31, 0.3)], SAMPLE_RATE, 'float32');
// Two references far apart: a wide mix (ICC 0.3-0.55 by band) and the same mix with a quarter of its side (ICC 0.93-0.97).
const wide = wideMix(1 << 18, SAMPLE_RATE, 3);
const narrow = scaleSide(wide, 0.25);
const widePath = join(folder, 'wide.wav');
const narrowPath = join(folder, 'narrow.wav');
await writeWav(widePath, [wide.left, wide.right], SAMPLE_RATE, 'float32');
await writeWav(narrowPath, [narrow.left, narrow.right], SAMPLE_RATE, 'float32');

/** Per-band mean tile ICC of a stereo WAV (test/support/tile-icc.ts, independent of the style analysis). */
async function imageOf(path: string): Promise<Float64Array> {
  const { channels } = await readWav(path);
  return meanTileIcc(channels[0], channels[1], SAMPLE_RATE, MEASURE_FROM);
}

/** Upmixes in.wav to `name` (float) with `args`; checks the exit status and returns stderr. */
function upmix(name: string, ...args: string[]): string {
  const run = runCli([inPath, join(folder, name), '--format', 'float32', '--force', ...args]);
  assert.equal(run.status, 0, run.stderr);
  return run.stderr;
}

/** The bands among {@link BANDS} where `out` differs from `target` by more than `tolerance`, in words. */
function misses(out: Float64Array, target: Float64Array, tolerance: number): string[] {
  return BANDS.filter((b) => !(Math.abs(out[b] - target[b]) <= tolerance)).map((b) => `band ${b}: ${out[b].toFixed(3)} against ${target[b].toFixed(3)}`);
}

/** Mean over {@link BANDS} of |a - b|. */
function meanDistance(a: Float64Array, b: Float64Array): number {
  return BANDS.reduce((sum, band) => sum + Math.abs(a[band] - b[band]), 0) / BANDS.length;
}

test('CLI --reference --no-model: the reference\'s style is the fixed profile, so the output\'s image is the reference\'s, band by band', async (t) => {
  const wideRun = upmix('wide-fixed.wav', '--reference', widePath, '--no-model');
  assert.match(wideRun, /; mono path \(input auto\), quality mode, fixed cues, style: reference wide\.wav,/);
  upmix('narrow-fixed.wav', '--reference', narrowPath, '--no-model');
  const [wideIn, narrowIn, wideOut, narrowOut] = await Promise.all([widePath, narrowPath, join(folder, 'wide-fixed.wav'), join(folder, 'narrow-fixed.wav')].map(imageOf));
  const largest = (out: Float64Array, target: Float64Array): string => Math.max(...BANDS.map((b) => Math.abs(out[b] - target[b]))).toFixed(3);
  t.diagnostic(`largest |ICC out - ICC reference| over 170 Hz - 6 kHz: ${largest(wideOut, wideIn)} (wide), ${largest(narrowOut, narrowIn)} (narrow)`);
  assert.deepEqual(misses(wideOut, wideIn, 0.05), [], 'wide reference');
  assert.deepEqual(misses(narrowOut, narrowIn, 0.05), [], 'narrow reference');
  // The two outputs differ as the references do (by 0.4-0.65 per band).
  const outDifference = wideOut.map((x, b) => narrowOut[b] - x);
  const inDifference = wideIn.map((x, b) => narrowIn[b] - x);
  assert.deepEqual(misses(outDifference, inDifference, 0.05), [], 'narrow minus wide');
});

test('CLI --style FILE.json --no-model is --profile FILE.json; a batch and the batch API\'s style option give the same file', async () => {
  const stylePath = join(folder, 'mine.json');
  const icc = Array.from({ length: 24 }, (_, b) => 0.9 - 0.02 * b);
  writeFileSync(stylePath, JSON.stringify({ icc, ildDb: new Array(24).fill(1.5) }));
  const run = upmix('style-file.wav', '--style', stylePath, '--no-model');
  assert.match(run, /fixed cues, style: file mine\.json,/);
  upmix('profile-file.wav', '--profile', stylePath);
  await upmixFile(inPath, join(folder, 'style-api.wav'), { style: { icc, ildDb: new Array(24).fill(1.5) }, outputEncoding: 'float32' });
  // A batch hands the style to its worker threads.
  const batch = runCli([inPath, '--out-dir', join(folder, 'style-batch'), '--format', 'float32', '--style', stylePath, '--no-model']);
  assert.equal(batch.status, 0, batch.stderr);
  assert.match(batch.stderr, /; fixed cues, style: file mine\.json;/);
  const bytes = readFileSync(join(folder, 'style-file.wav'));
  assert.deepEqual(readFileSync(join(folder, 'profile-file.wav')), bytes);
  assert.deepEqual(readFileSync(join(folder, 'style-api.wav')), bytes);
  assert.deepEqual(readFileSync(join(folder, 'style-batch', 'in.wav')), bytes);
  // And the cues are the file's: band 10's ICC is 0.7.
  const image = await imageOf(join(folder, 'style-file.wav'));
  assert.deepEqual(misses(image, Float64Array.from(icc), 0.05), []);
});

test('CLI --reference with the model: the output leaves the default render and moves toward each reference; two runs give identical bytes', async (t) => {
  upmix('default-model.wav');
  const wideRun = upmix('wide-model.wav', '--reference', widePath);
  assert.match(wideRun, /, learned cues, style: reference wide\.wav,/);
  upmix('narrow-model.wav', '--reference', narrowPath);
  const [wideIn, narrowIn, defaultOut, wideOut, narrowOut] = await Promise.all(
    [widePath, narrowPath, join(folder, 'default-model.wav'), join(folder, 'wide-model.wav'), join(folder, 'narrow-model.wav')].map(imageOf),
  );
  const report = `default ${meanDistance(defaultOut, wideIn).toFixed(3)} from wide, ${meanDistance(defaultOut, narrowIn).toFixed(3)} from narrow; ` +
    `with the wide reference ${meanDistance(wideOut, wideIn).toFixed(3)}, with the narrow one ${meanDistance(narrowOut, narrowIn).toFixed(3)}`;
  t.diagnostic(`mean |ICC - the reference's| over 170 Hz - 6 kHz: ${report}`);
  assert.ok(meanDistance(wideOut, wideIn) < meanDistance(defaultOut, wideIn), report);
  assert.ok(meanDistance(narrowOut, narrowIn) < meanDistance(defaultOut, narrowIn), report);
  // The two references pull the output apart: the narrow one's output is the more coherent.
  const meanIcc = (icc: Float64Array): number => BANDS.reduce((sum, b) => sum + icc[b], 0) / BANDS.length;
  assert.ok(meanIcc(narrowOut) - meanIcc(wideOut) > 0.1, `${report}; mean ICC ${meanIcc(wideOut).toFixed(3)} (wide), ${meanIcc(narrowOut).toFixed(3)} (narrow)`);

  upmix('wide-model-again.wav', '--reference', widePath);
  assert.deepEqual(readFileSync(join(folder, 'wide-model-again.wav')), readFileSync(join(folder, 'wide-model.wav')));
});

test('CLI --reference: a bad reference gets one line naming it and saying what to do; nothing is written', async () => {
  const bad = join(folder, 'bad');
  mkdirSync(bad);
  const input = join(bad, 'in.wav');
  await writeWav(input, [pinkNoise(SAMPLE_RATE, 32, 0.3)], SAMPLE_RATE, 'pcm16');
  writeFileSync(join(bad, 'notes.txt'), 'not audio\n');
  await writeWav(join(bad, 'mono.wav'), [wide.left], SAMPLE_RATE, 'pcm16');
  await writeWav(join(bad, 'short.wav'), [wide.left.subarray(0, SAMPLE_RATE / 2), wide.right.subarray(0, SAMPLE_RATE / 2)], SAMPLE_RATE, 'pcm16');
  await writeWav(join(bad, 'dual-mono.wav'), [wide.left, wide.left], SAMPLE_RATE, 'pcm16');
  await writeWav(join(bad, 'silent.wav'), [new Float32Array(2 * SAMPLE_RATE), new Float32Array(2 * SAMPLE_RATE)], SAMPLE_RATE, 'pcm16');
  const before = filesIn(bad);
  const cases: [string, RegExp][] = [
    ['missing.wav', /the reference: cannot read \S*missing\.wav: no such file or directory; check the name/],
    ['notes.txt', /the reference: \S*notes\.txt: not an audio format the upmixer reads .*; convert it first/],
    ['mono.wav', /the reference \S*mono\.wav is mono: a reference is a stereo mix .*; give a stereo file/],
    ['short.wav', /the reference \S*short\.wav: the mix is too short for a style: 0\.50 s, at least 1\.00 s needed; give a stereo mix/],
    ['silent.wav', /the reference \S*silent\.wav: the mix is silent: .*; give a stereo mix/],
    ['dual-mono.wav', /the reference \S*dual-mono\.wav: both channels of the reference are the same \(a mono mix\): .*; give a stereo mix/],
  ];
  for (const [name, message] of cases) {
    for (const extra of [['--no-model'], [], ['--out-dir', join(bad, 'out')]]) {
      const args = extra[0] === '--out-dir' ? [input, ...extra] : [input, join(bad, 'out.wav'), ...extra];
      const run = runCli([...args, '--reference', join(bad, name)]);
      assert.equal(run.status, 1, `${name} ${extra.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /^upmix: error: [^\n]+\n$/, name);
      assert.match(run.stderr, message);
      assert.deepEqual(filesIn(bad), before, `${name} ${extra.join(' ')}: something was written`);
    }
  }
});

test('a reference longer than the analysis takes is measured on its start', async () => {
  // Narrow for 3 s, then wide: analysed up to 3 s, the style is the narrow part's alone.
  const seconds = 3 * SAMPLE_RATE;
  const join2 = (a: Float32Array, b: Float32Array): Float32Array => Float32Array.from([...a.subarray(0, seconds), ...b.subarray(0, seconds)]);
  const path = join(folder, 'narrow-then-wide.wav');
  await writeWav(path, [join2(narrow.left, wide.left), join2(narrow.right, wide.right)], SAMPLE_RATE, 'float32');
  const cut = await referenceStyle(path, 3);
  assert.equal(cut.analysedSeconds, 3);
  assert.deepEqual(cut.style, analyseStyle(narrow.left.subarray(0, seconds), narrow.right.subarray(0, seconds), SAMPLE_RATE));
  const whole = await referenceStyle(path);
  assert.equal(whole.analysedSeconds, undefined);
  assert.ok(whole.style.icc[10] < cut.style.icc[10] - 0.2, `band 10: ${whole.style.icc[10]} whole, ${cut.style.icc[10]} for the start`);
});

test('CLI --style and --reference: conflicts and unknown names are usage errors', async () => {
  const cases: [string[], RegExp][] = [
    [['a.wav', 'b.wav', '--style', 'x.json', '--reference', 'm.wav'], /--style and --reference exclude each other/],
    [['a.wav', 'b.wav', '--style', 'x.json', '--profile', 'p.json'], /--style and --profile exclude each other: --profile is fixed cues; for a style as fixed cues use --style with --no-model/],
    [['a.wav', 'b.wav', '--reference', 'm.wav', '--profile', 'p.json'], /--reference and --profile exclude each other/],
    [['a.wav', 'b.wav', '--reference', '-'], /--reference needs a file \(not standard input\)/],
    [['a.wav', 'b.wav', '--style', 'no-such-style'], /--style "no-such-style" is neither a preset \(.*\) nor a \.json file; upmix --list-styles lists them/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseCliArguments(args), (error: unknown) => error instanceof UsageError && message.test(error.message), args.join(' '));
  }
  const run = runCli(['a.wav', 'b.wav', '--style', 'x.json', '--reference', 'm.wav']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^upmix: --style and --reference exclude each other[^\n]*\(see upmix --help\)\n$/);
});

test('CLI with a model that has no style input: it cannot take a hint, so --reference and --style FILE are held (the summary says so); the output\'s image is the reference\'s, for one file and a batch', async (t) => {
  const noStyle = new URL('../fixtures/model-errors/unconditioned.onnx', import.meta.url).pathname;
  const wideRun = upmix('held-wide.wav', '--model', noStyle, '--reference', widePath);
  assert.match(wideRun, /, learned cues, style: reference wide\.wav \(held: the model has no style input\),/);
  upmix('held-narrow.wav', '--model', noStyle, '--reference', narrowPath);
  const [wideIn, narrowIn, wideOut, narrowOut] = await Promise.all([widePath, narrowPath, join(folder, 'held-wide.wav'), join(folder, 'held-narrow.wav')].map(imageOf));
  t.diagnostic(`mean |ICC out - ICC reference| over 170 Hz - 6 kHz: ${meanDistance(wideOut, wideIn).toFixed(3)} (wide), ${meanDistance(narrowOut, narrowIn).toFixed(3)} (narrow)`);
  assert.deepEqual(misses(wideOut, wideIn, 0.05), [], 'wide reference');
  assert.deepEqual(misses(narrowOut, narrowIn, 0.05), [], 'narrow reference');
  const stylePath = join(folder, 'held.json');
  writeFileSync(stylePath, JSON.stringify({ icc: new Array(24).fill(0.7), ildDb: new Array(24).fill(1.5) }));
  assert.match(upmix('held-file.wav', '--model', noStyle, '--style', stylePath), /style: file held\.json \(held: the model has no style input\),/);
  assert.deepEqual(misses(await imageOf(join(folder, 'held-file.wav')), new Float64Array(24).fill(0.7), 0.05), [], 'style file');
  // A batch's worker threads hold it too (the same bytes), and its summary says so.
  const batch = runCli([inPath, '--out-dir', join(folder, 'held-batch'), '--format', 'float32', '--model', noStyle, '--reference', widePath]);
  assert.equal(batch.status, 0, batch.stderr);
  assert.match(batch.stderr, /; learned cues, style: reference wide\.wav \(held: the model has no style input\);/);
  assert.deepEqual(readFileSync(join(folder, 'held-batch', 'in.wav')), readFileSync(join(folder, 'held-wide.wav')));
});

test('CLI --list-styles lists every preset with its line, and how to use them', () => {
  const run = runCli(['--list-styles']);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(STYLE_PRESETS.length > 0, 'presets.json has no presets');
  for (const preset of STYLE_PRESETS) assert.ok(run.stdout.includes(`  ${preset.name}`) && run.stdout.includes(preset.description), `${preset.name} missing:\n${run.stdout}`);
  assert.match(run.stdout, /--style NAME/);
  assert.match(run.stdout, /--reference MIX/);
  assert.match(run.stdout, /--style FILE\.json/);
  // A preset name in another case is the preset.
  for (const preset of STYLE_PRESETS) {
    const args = parseCliArguments(['a.wav', 'b.wav', '--style', preset.name.toUpperCase()]);
    assert.ok(typeof args === 'object' && args.style && 'preset' in args.style && args.style.preset === preset.name);
  }
});

test('README: the commands of "Styles and reference mixes" run as written, and the summaries name the styles', async () => {
  const blocks = readmeShellBlocks('## Styles and reference mixes (command line)');
  assert.equal(blocks.length, 1, 'one sh block of examples');
  const readme = temporaryFolder();
  const work = join(readme, 'work');
  mkdirSync(work);
  await writeWav(join(work, 'interview.wav'), [pinkNoise(2 * SAMPLE_RATE, 33, 0.3)], SAMPLE_RATE, 'pcm16');
  await writeFlac(join(work, 'album-track.flac'), [wide.left, wide.right], SAMPLE_RATE);
  writeFileSync(join(work, 'my-style.json'), JSON.stringify({ icc: new Array(24).fill(0.6), ildDb: new Array(24).fill(2) }));
  const run = runReadmeScript(blocks[0], readme, work);
  assert.equal(run.status, 0, run.stderr);
  for (const preset of STYLE_PRESETS) assert.ok(run.stdout.includes(preset.name), `--list-styles lacks ${preset.name}`);
  const summaries = run.stderr.split('\n').filter((line) => line.startsWith('upmix: wrote'));
  const styles = summaries.map((line) => /, ((learned|fixed) cues, style: [^,]+),/.exec(line)?.[1]);
  assert.deepEqual(styles.slice(1), ['learned cues, style: reference album-track.flac', 'fixed cues, style: reference album-track.flac', 'learned cues, style: file my-style.json']);
  assert.match(styles[0] ?? '', /^learned cues, style: [a-z -]+$/);
  assert.deepEqual(filesIn(work), ['album-track.flac', 'fixed-like-the-album.wav', 'interview-wide.wav', 'interview.wav', 'like-the-album.wav', 'mine.wav', 'my-style.json']);
});
