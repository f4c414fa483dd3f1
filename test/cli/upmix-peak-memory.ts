/**
 * Child process for the streaming test: upmixes argv[2] to argv[3] and prints the process's peak
 * resident memory in bytes, so the test can compare a long file with a short one.
 */
import { upmixFile } from '../../src/cli/upmix-file.js';
import { peakResidentBytes } from '../support/peak-memory.js';

await upmixFile(process.argv[2], process.argv[3], { overwrite: true });
process.stdout.write(`${peakResidentBytes()}\n`);
