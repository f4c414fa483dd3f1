/**
 * Child process for the reference file memory test and bench: analyses the reference file argv[2] as the
 * style analysis Worker does for a dropped File (analyseReferenceFile on a Blob backed by the file, read a
 * slice at a time) and prints its peak resident memory in bytes and the answer's type and analysed seconds.
 */
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { analyseReferenceFile } from '../../src/style/analyse-reference-file.js';
import { MAX_REFERENCE_SECONDS } from '../../src/style/style.js';
import { peakResidentBytes } from '../support/peak-memory.js';

const path = process.argv[2];
const report = await analyseReferenceFile(await openAsBlob(path), basename(path), MAX_REFERENCE_SECONDS);
const analysed = report.type === 'style' ? (report.analysedSeconds ?? 'whole') : report.type === 'failed' ? report.message : report.type === 'unsupported' ? report.reason : report.type;
process.stdout.write(`${peakResidentBytes()} ${report.type} ${analysed}\n`);
