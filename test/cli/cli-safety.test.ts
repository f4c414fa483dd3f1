import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { asCliError, exitCodeOf, InputError, InterruptedError, OutputError, UsageError } from '../../src/cli/errors.js';
import { createTemporaryFile, discardTemporaryFile } from '../../src/cli/output-file.js';
import { whiteNoise } from '../support/signals.js';
import { CLI, filesIn, runCli, temporaryFolder, writeWav } from './support.js';
import { CHILD_NODE_FLAGS } from '../support/child-node.js';
import { HANG_GUARD_MS, pollUntil } from '../support/hang-guard.js';

const folder = temporaryFolder();
const input = join(folder, 'in.wav');
await writeWav(input, [whiteNoise(4_410, 5, 0.3)], 44_100, 'pcm16');
const ONE_LINE = /^upmix: error: [^\n]+\n$/;

function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  assert.equal(made.status, 0, `mkfifo: ${made.stderr}`);
}

test('Error classes map to exit codes by class, not by message; system errors become one line naming the file and the fix', () => {
  assert.equal(exitCodeOf(new InputError('x')), 1);
  assert.equal(exitCodeOf(new OutputError('interrupted: looks like one but is not')), 1);
  assert.equal(exitCodeOf(new UsageError('x')), 2);
  assert.equal(exitCodeOf(new InterruptedError()), 130);
  assert.equal(exitCodeOf(new Error('interrupted')), 1);
  const readOnly = asCliError(Object.assign(new Error("EROFS: read-only file system, open 'x/.upmix-0123.partial'"), { code: 'EROFS' }), 'output', 'x/out.wav');
  assert.ok(readOnly instanceof OutputError);
  assert.equal(readOnly.message, 'cannot write x/out.wav: the folder is on a read-only file system; choose an output folder you can write to');
  const multiLine = new InputError('first\nsecond');
  assert.equal(multiLine.message, 'first second');
});

test('Temporary files: exclusive, never following a planted symlink; a symlink at the output is refused and its target untouched', async () => {
  const target = join(folder, 'precious.txt');
  writeFileSync(target, 'keep me');
  // The old predictable name, planted: irrelevant now (the name is random), and never followed.
  symlinkSync(target, join(folder, `.out.wav.${process.pid}.partial`));
  const first = await createTemporaryFile(join(folder, 'out.wav'));
  const second = await createTemporaryFile(join(folder, 'out.wav'));
  assert.notEqual(first.path, second.path);
  assert.match(first.path, /\/\.upmix-[0-9a-f]{16}\.partial$/);
  for (const file of [first, second]) {
    await file.handle.close();
    await discardTemporaryFile(file.path);
  }
  // A symlink as the output: refused even with --force; the link and its target stay as they were.
  const link = join(folder, 'link.wav');
  symlinkSync(target, link);
  for (const force of [[], ['--force']]) {
    const run = runCli([input, link, '--no-model', ...force]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, ONE_LINE);
    assert.match(run.stderr, /link\.wav is a symbolic link, not a regular file: the upmixer only replaces regular files/);
  }
  assert.equal(readFileSync(target, 'utf8'), 'keep me');
  assert.equal(readlinkSync(link), target);
  // A run next to the planted link leaves it and its target alone.
  const run = runCli([input, join(folder, 'out.wav'), '--no-model', '-q']);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(readFileSync(target, 'utf8'), 'keep me');
  assert.ok(!filesIn(folder).some((name) => name.startsWith('.upmix-')));
});

test('--force onto a FIFO or a device is refused (one line); a FIFO input is refused at once', async () => {
  const fifo = join(folder, 'fifo.wav');
  mkfifo(fifo);
  const onFifo = runCli([input, fifo, '--force', '--no-model']);
  assert.equal(onFifo.status, 1);
  assert.match(onFifo.stderr, ONE_LINE);
  assert.match(onFifo.stderr, /fifo\.wav is a FIFO \(named pipe\), not a regular file/);
  assert.ok(statSync(fifo).isFIFO());
  const onDevice = runCli([input, '/dev/null', '--force', '--no-model']);
  assert.equal(onDevice.status, 1);
  assert.match(onDevice.stderr, /\/dev\/null is a device, not a regular file/);
  assert.ok(statSync('/dev/null').isCharacterDevice());
  // Reading a FIFO with no writer would hang: refused without waiting (a run that opened it would never
  // return; runCli's hang guard would end it with status null, not 1).
  const fromFifo = runCli([fifo, join(folder, 'from-fifo.wav'), '--no-model']);
  assert.equal(fromFifo.status, 1);
  assert.match(fromFifo.stderr, ONE_LINE);
  assert.match(fromFifo.stderr, /fifo\.wav is a FIFO \(named pipe\): pipe it to standard input instead/);
});

test('A folder given as a file: one line that points to --out-dir; a folder as the output: one line', () => {
  const sub = join(folder, 'a-folder');
  mkdirSync(sub, { recursive: true });
  const run = runCli([sub, join(folder, 'x.wav'), '--no-model']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, ONE_LINE);
  assert.match(run.stderr, /a-folder is a folder, not an audio file: give --out-dir DIR to upmix every file in it/);
  const onFolder = runCli([input, sub, '--no-model', '--force']);
  assert.equal(onFolder.status, 1);
  assert.match(onFolder.stderr, /a-folder is a folder: give a file name for the output/);
});

test('Long output names work (255 bytes, the most a name may have); a name too long gets one line', () => {
  const longest = join(folder, `${'n'.repeat(251)}.wav`);
  const run = runCli([input, longest, '--no-model', '-q']);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(statSync(longest).size > 44);
  const tooLong = runCli([input, join(folder, `${'n'.repeat(300)}.wav`), '--no-model']);
  assert.equal(tooLong.status, 1);
  assert.match(tooLong.stderr, ONE_LINE);
  assert.match(tooLong.stderr, /cannot write .*n{300}\.wav: the name is too long for the file system; choose a shorter name/);
});

test('A folder the CLI may not write to: one line naming the output, not the temporary file', () => {
  // /sys refuses new files even to root (EACCES); a chmod'ed folder would not stop root.
  const out = '/sys/upmix-test-output.wav';
  const run = runCli([input, out, '--no-model']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, ONE_LINE);
  assert.match(run.stderr, /^upmix: error: cannot write \/sys\/upmix-test-output\.wav: (permission denied|the folder is on a read-only file system|its folder does not exist)/);
  assert.doesNotMatch(run.stderr, /partial|upmix-[0-9a-f]{16}/);
});

/**
 * Watches `child` from now on: the function returned resolves with its exit code (or signal), or with
 * 'still running' (and kills it) if it has not ended within `boundMs` of the call (a hang guard: the
 * tests give HANG_GUARD_MS, since a loaded machine stretches an exit to seconds). Watching from the
 * spawn on means an exit before the call (the first Ctrl-C may end a run within the wait before the
 * second) is not missed.
 */
function watchExit(child: ChildProcess): (boundMs: number) => Promise<number | string | null> {
  const closed = new Promise<number | string | null>((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
  return async (boundMs) => {
    // Unref'd: a bound of HANG_GUARD_MS must not keep this file's process alive after the child has closed.
    const result = await Promise.race([closed, sleep(boundMs, undefined, { ref: false }).then(() => 'still running')]);
    if (result === 'still running') child.kill('SIGKILL');
    return result;
  };
}

/**
 * Starts `upmix - SUB/out.wav` with a WAV of unknown length on standard input, a little audio and then
 * nothing more, so that it waits for the rest; resolves once its temporary file exists.
 */
async function startRunStuckOnStandardInput(sub: string): Promise<{ child: ChildProcess; stderr: () => string; exitCodeWithin: (boundMs: number) => Promise<number | string | null> }> {
  mkdirSync(sub);
  const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', CLI, '-', join(sub, 'out.wav'), '--no-model', '-q'], { stdio: ['pipe', 'ignore', 'pipe'] });
  const exitCodeWithin = watchExit(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const wav = readFileSync(input);
  const header = Buffer.from(wav.subarray(0, 44));
  header.writeUInt32LE(0xffffffff, 4);
  header.writeUInt32LE(0xffffffff, 40);
  child.stdin!.write(Buffer.concat([header, wav.subarray(44, 44 + 1_000)]));
  await pollUntil(() => filesIn(sub).length > 0, 25);
  assert.equal(filesIn(sub).length, 1, 'the temporary file exists');
  return { child, stderr: () => stderr, exitCodeWithin };
}

test('The first Ctrl-C ends a run stuck on standard input when its grace period is over: by SIGINT itself (a shell reports 130), nothing left behind', async () => {
  const sub = join(folder, 'stuck');
  const { child, stderr, exitCodeWithin } = await startRunStuckOnStandardInput(sub);
  child.kill('SIGINT');
  // The read of the pipe never returns, so the run cannot stop after its chunk: it is stopped as by a
  // second Ctrl-C.
  assert.equal(await exitCodeWithin(HANG_GUARD_MS), 'SIGINT', stderr());
  assert.match(stderr(), /^upmix: error: interrupted: no output was written\n$/);
  assert.deepEqual(filesIn(sub), []);
});

test('A second Ctrl-C ends a stuck run at once, by SIGINT itself (a shell reports 130): nothing left behind', async () => {
  const sub = join(folder, 'stuck-twice');
  const { child, stderr, exitCodeWithin } = await startRunStuckOnStandardInput(sub);
  child.kill('SIGINT');
  await sleep(50);
  child.kill('SIGINT');
  // The second ends it by the signal; a first that ended it within the 50 ms between (it may, when the
  // run was still busy with the audio it had) leaves exit code 130. Either way it ends, with one line.
  const ended = await exitCodeWithin(HANG_GUARD_MS);
  assert.ok(ended === 'SIGINT' || ended === 130, `${ended}: ${stderr()}`);
  assert.match(stderr(), /^upmix: error: interrupted: no output was written\n$/);
  assert.deepEqual(filesIn(sub), []);
});

test('An interrupt ends a batch stuck in a system call that never returns (an output folder under /proc) when its grace period is over: by SIGINT', { skip: process.platform !== 'linux' && 'needs /proc' }, async (t) => {
  const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', CLI, input, '--out-dir', '/proc/upmix-test-nope', '--no-model', '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exitCodeWithin = watchExit(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let ended = false;
  child.on('close', () => (ended = true));
  // Node 20's recursive mkdir loops forever on /proc; a Node whose mkdir fails there ends by itself.
  await sleep(3_000);
  if (ended) {
    t.skip(`this Node does not hang on /proc (${stderr.trim()})`);
    return;
  }
  child.kill('SIGINT');
  assert.equal(await exitCodeWithin(HANG_GUARD_MS), 'SIGINT', stderr);
  assert.match(stderr, /^upmix: error: interrupted: 0 of 1 files were finished; no partial file was left\n$/);
});

/**
 * Starts the CLI with `args` where opening the input `stuck.wav` (a real WAV) blocks for good in a system
 * call (hang-open.mjs: a FIFO no one writes); resolves once that call is under way.
 */
async function startRunStuckInOpen(sub: string, args: (input: string) => string[]): Promise<{ child: ChildProcess; stderr: () => string; exitWithin: (boundMs: number) => Promise<number | string | null> }> {
  mkdirSync(sub);
  const stuck = join(sub, 'stuck.wav');
  writeFileSync(stuck, readFileSync(input));
  const fifo = join(sub, 'never-written.fifo');
  mkfifo(fifo);
  const mark = join(sub, 'open-under-way');
  const env = { ...process.env, UPMIX_TEST_HANG_NAME: 'stuck.wav', UPMIX_TEST_HANG_FIFO: fifo, UPMIX_TEST_HANG_MARK: mark };
  const preload = new URL('hang-open.mjs', import.meta.url).pathname;
  const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', '--import', preload, CLI, ...args(stuck)], { stdio: ['ignore', 'ignore', 'pipe'], env });
  const exitWithin = watchExit(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await pollUntil(() => existsSync(mark), 25);
  assert.ok(existsSync(mark), `the open is under way (${stderr})`);
  return { child, stderr: () => stderr, exitWithin };
}

for (const { name, args, message } of [
  { name: 'one file', args: (stuck: string) => [stuck, join(dirname(stuck), 'out.wav'), '--no-model', '-q'], message: 'interrupted: no output was written' },
  { name: 'a batch (the worker stuck)', args: (stuck: string) => [stuck, '--out-dir', join(dirname(stuck), 'out'), '--no-model', '-q'], message: 'interrupted: 0 of 1 files were finished; no partial file was left' },
]) {
  test(`A second Ctrl-C ends ${name} stuck in a file-system call that never returns (a network drive that does not answer): ended by SIGINT, one line, nothing left`, async () => {
    const sub = join(folder, `stuck-in-open-${name.split(' ')[1]}`);
    const { child, stderr, exitWithin } = await startRunStuckInOpen(sub, args);
    child.kill('SIGINT');
    await sleep(50);
    child.kill('SIGINT');
    // A process that cannot exit in order (Node waits for the blocked thread) ends by the signal itself,
    // as the convention for Ctrl-C has it: a shell reports 130 for it as for exit code 130.
    assert.equal(await exitWithin(HANG_GUARD_MS), 'SIGINT', stderr());
    assert.equal(stderr(), `upmix: error: ${message}\n`);
    assert.deepEqual(filesIn(sub).filter((file) => file !== 'out'), ['never-written.fifo', 'open-under-way', 'stuck.wav']);
    if (existsSync(join(sub, 'out'))) assert.deepEqual(filesIn(join(sub, 'out')), []);
  });

  test(`One Ctrl-C ends ${name} stuck in a file-system call that never returns once its grace period is over, as a second would: ended by SIGINT, one line, nothing left`, async () => {
    const sub = join(folder, `stuck-in-open-once-${name.split(' ')[1]}`);
    const { child, stderr, exitWithin } = await startRunStuckInOpen(sub, args);
    child.kill('SIGINT');
    // The run cannot stop by itself (its thread never comes back); after the grace period (1.5 s for one
    // file, 3 s for a batch) it is stopped as by a second Ctrl-C. Before, it waited for one for ever.
    assert.equal(await exitWithin(HANG_GUARD_MS), 'SIGINT', stderr());
    assert.equal(stderr(), `upmix: error: ${message}\n`);
    assert.deepEqual(filesIn(sub).filter((file) => file !== 'out'), ['never-written.fifo', 'open-under-way', 'stuck.wav']);
    if (existsSync(join(sub, 'out'))) assert.deepEqual(filesIn(join(sub, 'out')), []);
  });
}
