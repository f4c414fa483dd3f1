/**
 * The channel check of old transfers (src/audio-file/channel-check.ts) on one minute of 48 kHz stereo,
 * added in 10 s slices as the demo page adds them: on fft.js (the page's FFT) and on PFFFT (the CLI's),
 * wall-clock ms, fastest of 5 rounds, and their ratio. Prints the warning lines' count as a check that
 * both found the same (none: the channels are a sound, partly correlated pair).
 *
 *     node --import tsx bench/channel-check-cost.ts
 */
import { CHANNEL_CHECK_FFT_SIZE, ChannelCheck, channelWarnings } from '../src/audio-file/channel-check.js';
import { ChannelCheck as CliChannelCheck } from '../src/cli/channel-check.js';
import { RealFft } from '../src/dsp/real-fft.js';
import { pinkNoise } from '../test/support/signals.js';

const SAMPLE_RATE = 48_000;
const FRAMES = 60 * SAMPLE_RATE;
const SLICE = 10 * SAMPLE_RATE;
const ROUNDS = 5;

const left = pinkNoise(FRAMES, 3);
const other = pinkNoise(FRAMES, 4);
const right = left.map((sample, i) => 0.7 * sample + 0.3 * other[i]);

/** Fastest round's ms for one minute, and the warning lines of the last round. */
function cost(make: () => ChannelCheck): { ms: number; lines: number } {
  let ms = Infinity;
  let lines = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    const check = make();
    for (let i = 0; i < FRAMES; i += SLICE) check.add(left.subarray(i, i + SLICE), right.subarray(i, i + SLICE), Math.min(SLICE, FRAMES - i));
    lines = channelWarnings(check.finish(), 'bench.wav', 1).length;
    ms = Math.min(ms, performance.now() - start);
  }
  return { ms, lines };
}

const page = cost(() => new ChannelCheck(SAMPLE_RATE, new RealFft(CHANNEL_CHECK_FFT_SIZE)));
const cli = cost(() => new CliChannelCheck(SAMPLE_RATE));
console.log(`channel check, one minute of 48 kHz stereo: fft.js (demo page) ${page.ms.toFixed(1)} ms, PFFFT (CLI) ${cli.ms.toFixed(1)} ms (${(page.ms / cli.ms).toFixed(1)}x); warning lines ${page.lines} and ${cli.lines}`);
