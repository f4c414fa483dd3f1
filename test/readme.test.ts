import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { frameConfigFor } from '../src/dsp/frame-config.js';
import { CHILD_NODE_FLAGS } from './support/child-node.js';

const readme = readFileSync('README.md', 'utf8');

test('README: every TypeScript example compiles against the package API (strict)', () => {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  assert.ok(blocks.length >= 2, 'the README has TypeScript examples');
  const dir = join('test-artifacts', 'readme');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  blocks.forEach((code, i) => writeFileSync(join(dir, `example-${i}.ts`), code));
  // The examples import the package by name; map the names onto the sources they are built from.
  const config = {
    extends: '../../tsconfig.json',
    compilerOptions: {
      noEmit: true,
      baseUrl: '../..',
      paths: {
        'mono-upmix': ['src/index.ts'],
        'mono-upmix/dsp': ['src/dsp/index.ts'],
        'mono-upmix/ui': ['src/ui/index.ts'],
        'mono-upmix/tone': ['src/tone.ts'],
        'mono-upmix/wam': ['src/wam.ts'],
      },
    },
    include: ['./*.ts'],
    exclude: [],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  try {
    execFileSync(process.execPath, [...CHILD_NODE_FLAGS, 'node_modules/typescript/bin/tsc', '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  } catch (error) {
    assert.fail(`README examples do not compile:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
  }
});

test('README: the latency table states what frameConfigFor computes', () => {
  for (const mode of ['live', 'quality'] as const) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${mode}\``));
    assert.ok(row, `a row for ${mode}`);
    for (const rate of [48_000, 44_100]) {
      const { latency } = frameConfigFor(rate, mode);
      const ms = (1000 * latency) / rate;
      const stated = `${latency} samples (${ms.toFixed(ms >= 10 ? 1 : 2)} ms)`;
      assert.ok(row.includes(stated), `${mode} at ${rate} Hz: "${stated}" in "${row}"`);
    }
  }
});
