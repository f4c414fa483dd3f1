/**
 * Child process for the streaming test: measures the style of the reference argv[2] as `--reference`
 * does and prints the process's peak resident memory in bytes and the analysed seconds.
 */
import { referenceStyle } from '../../src/cli/reference-style.js';
import { peakResidentBytes } from '../support/peak-memory.js';

const { analysedSeconds } = await referenceStyle(process.argv[2]);
process.stdout.write(`${peakResidentBytes()} ${analysedSeconds ?? 'whole'}\n`);
