/**
 * Standard input redirected from a regular file (`upmix - OUT < IN`) and standard output redirected to
 * one (`upmix IN - > OUT`) behave as the files given by name: the input is read by position (its size
 * known; an AIFF whose sound comes before its format needs no memory for the sound), the output's header
 * is completed at the end. Real pipes, and a file appended to (`>>`), keep a stream's behaviour.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { whiteNoise } from '../support/signals.js';
import { bigEndianPcm16, writeSoundFirstAiff } from '../support/sound-first-aiff.js';
import { CLI, readWav, runCli, runCliBytes, temporaryFolder } from './support.js';
import { CHILD_NODE_FLAGS } from '../support/child-node.js';

const folder = temporaryFolder();

/** --width 0 and no ceiling: both channels are the decoded input. */
const TRANSPARENT = ['--width', '0', '--no-model', '--ceiling', 'off', '--format', 'float32', '--quiet'];

/** A seeded noise on the 16-bit grid. */
function signal(length: number, seed: number): Float32Array {
  return whiteNoise(length, seed, 0.3).map((v) => Math.round(v * 32768) / 32768);
}

/**
 * Runs `upmix` with `args` and its standard input redirected from `path` (as `< path` does), from byte
 * `from` on (where a script before it left the file's offset); stdout as bytes, stderr as text.
 */
function runCliFromFile(args: string[], path: string, from = 0): { status: number | null; stdout: Buffer; stderr: string } {
  const fd = openSync(path, 'r');
  try {
    if (from > 0) readSync(fd, Buffer.alloc(from), 0, from, null);
    const run = spawnSync(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', CLI, ...args], { stdio: [fd, 'pipe', 'pipe'], maxBuffer: 256 * 2 ** 20 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr.toString() };
  } finally {
    closeSync(fd);
  }
}

test('Standard input redirected from a file (upmix - OUT < IN) is read as that file: a sound-first AIFF over 64 MB is upmixed as by name, from where the offset stands; IN as OUT is refused', async () => {
  // Sound first, a 65 MB SSND chunk (a sparse file: all but its first samples are a hole of zeros), of
  // which COMM declares the first 20,000 frames: a pipe would have to hold all of it before COMM.
  const frames = 20_000;
  const [left, right] = [signal(frames, 32), signal(frames, 33)];
  const block = bigEndianPcm16(left, right);
  const soundBytes = 65 * 2 ** 20;
  const path = join(folder, 'sound-first-65-mb.aiff');
  writeSoundFirstAiff(path, frames, block, { soundBytes });
  // One channel, as mono (--width 0: the output's channels are it): the sound was read, not the hole.
  const oneChannel = [...TRANSPARENT, '--channel', 'right'];
  const byName = join(folder, 'sound-first-65-mb.wav');
  const named = runCli([path, byName, ...oneChannel, '-f']);
  assert.equal(named.status, 0, named.stderr);
  const expected = readFileSync(byName);
  assert.deepEqual((await readWav(byName)).channels, [right, right]);
  const redirected = runCliFromFile(['-', '-', ...oneChannel], path);
  assert.equal(redirected.status, 0, redirected.stderr);
  assert.equal(redirected.stderr, '');
  assert.ok(redirected.stdout.equals(expected), 'standard input redirected from the file gives the named file\'s output, byte for byte');
  // Where a script before left the offset: the bytes from there on are the input, as from a pipe.
  const junk = join(folder, 'junk-then-aiff.aiff');
  writeSoundFirstAiff(junk, frames, block, { soundBytes, prefix: Buffer.from('header of a script\n') });
  const fromOffset = runCliFromFile(['-', '-', ...oneChannel], junk, 19);
  assert.equal(fromOffset.status, 0, fromOffset.stderr);
  assert.ok(fromOffset.stdout.equals(expected), 'read from where the offset stood');
  // The file standard input comes from is the input: never overwritten, even with --force.
  const copy = join(folder, 'redirected-input.aiff');
  writeSoundFirstAiff(copy, frames, block);
  const original = readFileSync(copy);
  const onItself = runCliFromFile(['-', copy, '--no-model', '--force'], copy);
  assert.equal(onItself.status, 1);
  assert.equal(onItself.stderr, `upmix: error: ${copy} is the input file (standard input is redirected from it): choose another output name (the input is never overwritten)\n`);
  assert.ok(readFileSync(copy).equals(original));
});

/**
 * Runs `upmix` with `args` and its standard output redirected to `path` (`> path`; `append`: `>> path`),
 * after `before` (what a script wrote there first); stderr as text.
 */
function runCliToFile(args: string[], path: string, options: { append?: boolean; before?: string } = {}): { status: number | null; stderr: string } {
  const fd = openSync(path, options.append ? 'a' : 'w');
  try {
    if (options.before) writeSync(fd, options.before);
    const run = spawnSync(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', CLI, ...args], { stdio: ['ignore', fd, 'pipe'] });
    return { status: run.status, stderr: run.stderr.toString() };
  } finally {
    closeSync(fd);
  }
}

test('Standard output redirected to a file (upmix IN - > OUT) is the named output, byte for byte: a WAV and a FLAC of an input of unknown length get their header completed; appended to (>>), it is what a pipe gets', () => {
  // An MP2 stream: its length is known only at its end.
  const input = new URL('../fixtures/audio/tone-440-mp2.mp2', import.meta.url).pathname;
  for (const [extension, format] of [['wav', []], ['flac', ['--format', 'flac']]] as const) {
    const named = join(folder, `named.${extension}`);
    assert.equal(runCli([input, named, '--no-model', '-q']).status, 0);
    const redirected = join(folder, `redirected.${extension}`);
    const run = runCliToFile([input, '-', '--no-model', '-q', ...format], redirected);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(readFileSync(redirected).equals(readFileSync(named)), `${extension}: the named file's bytes`);
    // After what a script wrote first: from where the offset stood.
    const after = runCliToFile([input, '-', '--no-model', '-q', ...format], redirected, { before: 'header\n' });
    assert.equal(after.status, 0, after.stderr);
    assert.ok(readFileSync(redirected).equals(Buffer.concat([Buffer.from('header\n'), readFileSync(named)])), `${extension}: after what was written first`);
    // A pipe cannot be rewritten: its header says "length unknown" (WAV), its STREAMINFO lacks the length (FLAC).
    const piped = runCliBytes([input, '-', '--no-model', '-q', ...format]);
    assert.equal(piped.status, 0, piped.stderr);
    assert.ok(!piped.stdout.equals(readFileSync(named)), `${extension}: a pipe's header differs`);
    // Appended to a file: every write goes to the end, so nothing is rewritten: the pipe's bytes after what was there.
    const appended = join(folder, `appended.${extension}`);
    writeFileSync(appended, 'log line\n');
    const append = runCliToFile([input, '-', '--no-model', '-q', ...format], appended, { append: true });
    assert.equal(append.status, 0, append.stderr);
    assert.ok(readFileSync(appended).equals(Buffer.concat([Buffer.from('log line\n'), piped.stdout])), `${extension}: appended as piped`);
  }
});
