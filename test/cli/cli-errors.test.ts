import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCliArguments, type CliArguments } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/errors.js';
import { wavHeader } from '../../src/cli/wav-format.js';
import { whiteNoise } from '../support/signals.js';
import { encodeMp3, writeFlac } from './encoders.js';
import { filesIn, runCli, temporaryFolder, writeWav } from './support.js';

/** A WAV header with any fmt fields (for encodings and layouts the writer refuses to make). */
function rawWav(formatTag: number, channelCount: number, sampleRate: number, bits: number, dataBytes: number, declaredDataBytes = dataBytes): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + declaredDataBytes, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(formatTag, 20);
  header.writeUInt16LE(channelCount, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE((sampleRate * channelCount * bits) / 8, 28);
  header.writeUInt16LE((channelCount * bits) / 8, 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(declaredDataBytes, 40);
  return Buffer.concat([header, Buffer.alloc(dataBytes)]);
}

const cases: { name: string; make: (path: string) => void | Promise<void>; message: RegExp }[] = [
  { name: 'a missing file', make: () => undefined, message: /cannot read .*in\.wav: no such file or directory; check the name/ },
  { name: 'a text file', make: (path) => writeFileSync(path, 'hello, this is not audio\n'), message: /in\.wav: not an audio format the upmixer reads \(WAV, AIFF, FLAC, MP3, Ogg Vorbis, Ogg Opus\)/ },
  { name: 'an empty file', make: (path) => writeFileSync(path, ''), message: /empty/ },
  {
    name: 'a truncated file',
    make: (path) => writeFileSync(path, rawWav(1, 1, 44_100, 16, 1000, 88_200)),
    message: /truncated: the data chunk declares 88200 bytes but only 1000/,
  },
  {
    name: 'a file cut inside its header',
    make: (path) => writeFileSync(path, rawWav(1, 1, 44_100, 16, 0).subarray(0, 30)),
    message: /truncated/,
  },
  { name: '64-bit PCM', make: (path) => writeFileSync(path, rawWav(1, 1, 44_100, 64, 800)), message: /64-bit PCM samples are not supported/ },
  { name: '16-bit float', make: (path) => writeFileSync(path, rawWav(3, 1, 44_100, 16, 200)), message: /16-bit float samples are not supported/ },
  { name: 'compressed (GSM 6.10)', make: (path) => writeFileSync(path, rawWav(0x31, 1, 8_000, 8, 100)), message: /GSM 6\.10 compressed \(format tag 0x31\) samples are not supported: convert to 16\/24-bit PCM/ },
  { name: 'compressed (IMA ADPCM)', make: (path) => writeFileSync(path, rawWav(0x11, 1, 8_000, 8, 100)), message: /IMA ADPCM compressed \(format tag 0x11\) samples are not supported/ },
  { name: '0 channels', make: (path) => writeFileSync(path, rawWav(1, 0, 44_100, 16, 0)), message: /0 channels/ },
  { name: '6 channels', make: (path) => writeFileSync(path, rawWav(1, 6, 44_100, 16, 1200)), message: /6 channels: the upmixer takes mono or stereo/ },
  {
    name: 'a truncated FLAC file',
    make: async (path) => {
      await writeFlac(path, [whiteNoise(44_100, 3, 0.5)], 44_100);
      writeFileSync(path, readFileSync(path).subarray(0, 20_000));
    },
    message: /truncated: its header declares 44100 samples but it ends after \d+; check the file/,
  },
  { name: 'an AIFF file cut before its sound', make: (path) => writeFileSync(path, Buffer.concat([Buffer.from('FORM\0\0\0\x40AIFF', 'latin1'), Buffer.alloc(64)])), message: /truncated: the file ends before its SSND chunk/ },
];

for (const { name, make, message } of cases) {
  test(`CLI refuses ${name}: one-line error, exit code 1, no output file`, async () => {
    const folder = temporaryFolder();
    const inPath = join(folder, 'in.wav');
    await make(inPath);
    const before = filesIn(folder);
    const run = runCli([inPath, join(folder, 'out.wav')]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^upmix: error: [^\n]+\n$/);
    assert.match(run.stderr, message);
    assert.deepEqual(filesIn(folder), before);
  });
}

test('CLI never writes onto its input, nor onto an existing file without --force', async () => {
  const folder = temporaryFolder();
  const inPath = join(folder, 'in.wav');
  const outPath = join(folder, 'out.wav');
  await writeWav(inPath, [whiteNoise(4_410)], 44_100, 'pcm16');
  const original = readFileSync(inPath);
  const sameFile = runCli([inPath, join(folder, '.', 'in.wav'), '--force']);
  assert.equal(sameFile.status, 1);
  assert.match(sameFile.stderr, /in\.wav is the input file: choose another output name/);
  assert.deepEqual(readFileSync(inPath), original);

  writeFileSync(outPath, 'keep me');
  const exists = runCli([inPath, outPath]);
  assert.equal(exists.status, 1);
  assert.match(exists.stderr, /out\.wav exists: pass --force to replace it/);
  assert.equal(readFileSync(outPath, 'utf8'), 'keep me');

  const forced = runCli([inPath, outPath, '--force', '--quiet', '--no-model']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.equal(readFileSync(outPath).subarray(0, 4).toString('latin1'), 'RIFF');
  assert.deepEqual(filesIn(folder), ['in.wav', 'out.wav']);
});

test('CLI: wrong command lines get a usage message and exit code 2', () => {
  const cases: [string[], RegExp][] = [
    [[], /give an input and an output file/],
    [['a.wav'], /give an input and an output file/],
    [['a.wav', 'b.wav', 'c.wav'], /3 file names: for several inputs give --out-dir DIR/],
    [['a.wav', 'b.wav', '--recursive'], /--recursive needs --out-dir DIR/],
    [['a.wav', 'b.wav', '--jobs', '2'], /--jobs needs --out-dir DIR/],
    [['a.wav', '--out-dir', 'o', '--jobs', '0'], /--jobs 0 is not a count of files at once: use 1 to 256/],
    [['-', '--out-dir', 'o'], /standard input \(-\) cannot be part of a batch/],
    [['a.wav', 'b.wav', '--ceiling', '3'], /--ceiling 3 is out of range: use -40 to 0 dBFS, or off/],
    [['a.wav', 'b.flac', '--format', 'float32'], /FLAC holds 16- or 24-bit samples/],
    [['a.wav', 'b.wav', '--width', '3'], /--width 3 is out of range: use 0 to 2/],
    [['a.wav', 'b.wav', '--width', '-.5'], /--width -\.5 is out of range: use 0 to 2/],
    [['a.wav', 'b.wav', '--width', 'wide'], /--width needs a number, not "wide"/],
    [['a.wav', 'b.wav', '--mode', 'fast'], /--mode "fast" is not known: use live or quality/],
    [['a.wav', 'b.wav', '--variation', '1.5'], /--variation needs an integer/],
    [['a.wav', 'b.wav', '--format', 'mp3'], /--format "mp3" is not known/],
    [['a.wav', 'b.wav', '--loud'], /Unknown option '--loud'/],
  ];
  // Checked in-process (a process each would take seconds); the CLI prints the same message.
  for (const [args, message] of cases) {
    assert.throws(() => parseCliArguments(args), (error: unknown) => error instanceof UsageError && error.exitCode === 2 && message.test(error.message), args.join(' '));
  }
  for (const [args, message] of [cases[2], cases[cases.length - 1]]) {
    const run = runCli(args);
    assert.equal(run.status, 2, args.join(' '));
    assert.match(run.stderr, /^upmix: [^\n]+ \(see upmix --help\)\n$/);
    assert.match(run.stderr, message);
  }
  // A negative value written without its leading zero is a value, not an option.
  assert.equal((parseCliArguments(['a.wav', 'b.wav', '--ceiling', '-.5']) as CliArguments).ceilingDb, -0.5);
  const help = runCli(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: upmix IN OUT \[options\]\n +upmix IN\.\.\. --out-dir DIR/);
});

test('CLI --profile: bad profile files are refused with the reason', async () => {
  const folder = temporaryFolder();
  const inPath = join(folder, 'in.wav');
  await writeWav(inPath, [whiteNoise(4_410)], 44_100, 'pcm16');
  const profile = join(folder, 'profile.json');
  writeFileSync(profile, JSON.stringify({ icc: [0.5], ildDb: [] }));
  const run = runCli([inPath, join(folder, 'out.wav'), '--profile', profile]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /"icc" must be an array of 24 numbers/);
  assert.deepEqual(filesIn(folder), ['in.wav', 'profile.json']);
});

test('wavHeader writes outputs beyond what a RIFF file can hold as RF64, with the sizes in ds64', () => {
  const header = wavHeader(48_000, 2, 'float32', 2 ** 30);
  const view = new DataView(header.buffer);
  assert.equal(String.fromCharCode(...header.subarray(0, 4)), 'RF64');
  assert.equal(String.fromCharCode(...header.subarray(12, 16)), 'ds64');
  // The data size, 8 GiB, in ds64's 64-bit field.
  assert.deepEqual([view.getUint32(28, true), view.getUint32(32, true)], [0, 2]);
});

test('CLI: a damaged MP3 is upmixed with one warning line counting the skipped frames (no decoder chatter)', async () => {
  const folder = temporaryFolder();
  const inPath = join(folder, 'damaged.mp3');
  const mp3 = Buffer.from(await encodeMp3([whiteNoise(44_100, 4, 0.3)], 44_100));
  // Garbage over a stretch in the middle.
  for (let i = 3_000; i < 3_600; i++) mp3[i] = (i * 7919) & 0xff;
  writeFileSync(inPath, mp3);
  const run = runCli([inPath, join(folder, 'out.wav'), '--no-model']);
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stderr.trimEnd().split('\n');
  assert.match(lines[0], /^upmix: wrote /);
  assert.ok(lines.length <= 2, run.stderr);
  if (lines.length === 2) assert.match(lines[1], /^upmix: warning: the decoder skipped \d+ damaged frames$/);
});
