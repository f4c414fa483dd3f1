// Runs every Node test (test/**/*.test.ts outside test/browser, which web-test-runner runs) with
// node's own test runner. Node 20's --test does not expand globs itself, hence this list.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'browser' ? [] : findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = findTests('test').sort();
// --no-concurrent-recompilation (which each test file's process inherits): V8 optimises hot code on the
// main thread at once. A background compile that lags under load leaves hot code in a lower tier, which
// boxes numbers, during an allocation test's measured quanta (transient, so not what those tests measure):
// with V8's --concurrent-recompilation-delay=300 standing in for a loaded machine, the processor allocation
// test counts 15-23 MB over 40,000 quanta without this flag and 14 kB with it.
// The flag must be given at start-up: v8.setFlagsFromString cannot turn off the compiler thread once the
// isolate has made it.
const result = spawnSync(process.execPath, ['--no-concurrent-recompilation', '--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
