/**
 * Child process for the streaming test: reads every sample of argv[2] through the CLI's reader and prints
 * the frames read and the process's peak resident memory in bytes.
 */
import { openAudioSource } from '../../src/cli/audio-source.js';
import { peakResidentBytes } from '../support/peak-memory.js';

const source = await openAudioSource(process.argv[2]);
const block = [new Float32Array(8192), new Float32Array(8192)];
let frames = 0;
let sum = 0;
for (;;) {
  const got = await source.read(block, 8192);
  if (got === 0) break;
  frames += got;
  sum += block[0][0];
}
await source.close();
process.stdout.write(`${frames} ${peakResidentBytes()} ${sum}\n`);
