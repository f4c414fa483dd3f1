import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinkNoise } from '../support/signals.js';
import { encodeMp3, writeEncoded, writeFlac } from './encoders.js';
import { CLI, filesIn, runCli, temporaryFolder, writeWav } from './support.js';
import { CHILD_NODE_FLAGS } from '../support/child-node.js';
import { pollUntil } from '../support/hang-guard.js';

const root = temporaryFolder();
const music = join(root, 'music');
const out = join(root, 'out');
mkdirSync(join(music, 'side b'), { recursive: true });
const RATE = 44_100;
await writeWav(join(music, 'a.wav'), [pinkNoise(RATE / 2, 1, 0.3)], RATE, 'pcm16');
await writeFlac(join(music, 'b.flac'), [pinkNoise(RATE / 2, 2, 0.3)], RATE);
await writeEncoded(join(music, 'side b', 'c.mp3'), encodeMp3([pinkNoise(RATE / 2, 3, 0.3)], RATE));
writeFileSync(join(music, 'notes.txt'), 'not audio, and not looked at');
writeFileSync(join(music, 'broken.wav'), 'RIFF but not really');

const SETTINGS = ['--no-model', '--jobs', '2'];

test('Batch: a folder with --out-dir and --jobs 2 upmixes each file to DIR/NAME.wav; a failure is listed in one line and exits 1', () => {
  const run = runCli([music, '--out-dir', out, ...SETTINGS]);
  assert.equal(run.status, 1, run.stderr);
  assert.deepEqual(filesIn(out), ['a.wav', 'b.wav']);
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 2, run.stderr);
  assert.match(lines[0], /^upmix: error: .*broken\.wav: not an audio format the upmixer reads/);
  assert.match(lines[1], /^upmix: 3 inputs: 2 upmixed, 1 failed; 0:01 of audio in [\d.]+ s \(\d+x real time\) with 2 jobs; fixed width profile; the ceiling (was not reached|reduced the gain by up to [\d.]+ dB); every file on the mono path \(input auto\)$/);
  // The same samples as a single-file run.
  const single = join(root, 'single-a.wav');
  assert.equal(runCli([join(music, 'a.wav'), single, '--no-model', '-q']).status, 0);
  assert.deepEqual(readFileSync(join(out, 'a.wav')), readFileSync(single));
  assert.ok(!filesIn(out).some((name) => name.startsWith('.')), 'no partial files');
});

test('Batch: --recursive mirrors sub-folders; existing outputs are skipped unless --force; exit 0 when every file worked', () => {
  rmSync(join(music, 'broken.wav'));
  const before = statSync(join(out, 'a.wav')).mtimeMs;
  const run = runCli([music, '--out-dir', out, '--recursive', ...SETTINGS]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /^upmix: 3 inputs: 1 upmixed, 2 skipped \(output exists; --force replaces\); /);
  assert.deepEqual(filesIn(join(out, 'side b')), ['c.wav']);
  assert.equal(statSync(join(out, 'a.wav')).mtimeMs, before);

  const forced = runCli([music, '--out-dir', out, '--recursive', '--force', ...SETTINGS]);
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(forced.stderr, /^upmix: 3 inputs: 3 upmixed; /);
  assert.deepEqual(filesIn(out), ['a.wav', 'b.wav', 'side b']);
});

test('Batch: several files as inputs, FLAC outputs with --format flac; a missing input is one failure among them', () => {
  const flacOut = join(root, 'flac-out');
  const run = runCli([join(music, 'a.wav'), join(music, 'side b', 'c.mp3'), join(music, 'missing.wav'), '--out-dir', flacOut, '--format', 'flac', ...SETTINGS]);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /^upmix: error: cannot read .*missing\.wav: no such file or directory; check the name\n/);
  assert.deepEqual(filesIn(flacOut), ['a.flac', 'c.flac']);
  assert.equal(readFileSync(join(flacOut, 'c.flac')).subarray(0, 4).toString('latin1'), 'fLaC');
  // A model that cannot be loaded: no file can be done; one line.
  const noModel = runCli([music, '--out-dir', join(root, 'never'), '--model', join(root, 'missing.onnx'), '--jobs', '2']);
  assert.equal(noModel.status, 1);
  assert.match(noModel.stderr, /^upmix: error: cannot read the model [^\n]*missing\.onnx: no such file; pass --no-model to use the fixed profile\n$/);
  // A folder with no audio: one line.
  const empty = join(root, 'empty');
  mkdirSync(empty);
  const none = runCli([empty, '--out-dir', flacOut, '--no-model']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /^upmix: error: [^\n]*empty: no audio files \([^)]*\) in this folder; add --recursive for its sub-folders\n$/);
});

test('Batch: the first Ctrl-C stops every job: exit 130, no partial file left, finished files kept', async () => {
  const long = join(root, 'long');
  const longOut = join(root, 'long-out');
  mkdirSync(long);
  for (const name of ['x', 'y']) await writeWav(join(long, `${name}.wav`), [pinkNoise(120 * RATE, 4, 0.3)], RATE, 'float32');
  const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', CLI, long, '--out-dir', longOut, ...SETTINGS]);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const partials = (): string[] => (readdirSync(root).includes('long-out') ? filesIn(longOut).filter((name) => name.startsWith('.upmix-')) : []);
  assert.ok(await pollUntil(() => partials().length > 0, 25), 'the jobs have started');
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /^upmix: error: interrupted: [0-2] of 2 files were finished; no partial file was left\n$/);
  assert.deepEqual(partials(), []);
});

test('Batch: a file named twice (a.wav and ./a.wav) is upmixed once, not refused as its own duplicate; --out-dir naming a file is one line, before any work', () => {
  const twiceOut = join(root, 'twice-out');
  const a = join(music, 'a.wav');
  const run = runCli([a, join(music, '.', 'a.wav'), join(music, 'b.flac'), '--out-dir', twiceOut, ...SETTINGS]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /^upmix: 2 inputs: 2 upmixed; /);
  assert.deepEqual(filesIn(twiceOut), ['a.wav', 'b.wav']);

  const notFolder = join(root, 'not-a-folder.wav');
  writeFileSync(notFolder, 'a file');
  const onFile = runCli([a, join(music, 'b.flac'), '--out-dir', notFolder, ...SETTINGS]);
  assert.equal(onFile.status, 1);
  assert.equal(onFile.stderr, `upmix: error: --out-dir ${notFolder} is a file, not a folder: give a folder for the outputs (it is created if it does not exist)\n`);
  assert.equal(readFileSync(notFolder, 'utf8'), 'a file');
});
