// First step of `npm test`: makes sure the tools the tests use outside node_modules are here, so that
// `npm ci && npm test` works on a fresh Debian or Ubuntu machine.
//   - Chromium (browser tests, the demo tests, the model's browser parity): Debian's `chromium` at
//     /usr/bin/chromium, or the binary that CHROMIUM_PATH names. No npm package may download a browser
//     of its own here, so the system's package is the one to use.
//   - Debian's python3 with numpy (the codec-coupling detector of the training chain is tested in Python).
// What is missing is installed with apt-get when this runs as root on a machine with apt-get; otherwise it
// stops with one line that says exactly what to run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const requirements = [
  {
    what: 'Chromium',
    present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
    aptPackage: 'chromium',
    otherwise: 'or set CHROMIUM_PATH to a Chromium or Chrome binary',
  },
  {
    what: "Debian's python3 with numpy",
    present: () => spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0,
    aptPackage: 'python3-numpy',
    otherwise: '',
  },
];

const missing = requirements.filter((requirement) => !requirement.present());
if (missing.length === 0) process.exit(0);

const packages = missing.map((requirement) => requirement.aptPackage);
const names = missing.map((requirement) => requirement.what).join(' and ');
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

if (!hasApt || !isRoot) {
  const hints = missing.map((requirement) => requirement.otherwise).filter(Boolean).join('; ');
  console.error(
    `npm test needs ${names}: run \`sudo apt-get install ${packages.join(' ')}\` (Debian/Ubuntu)${hints ? `, ${hints}` : ''}, then npm test again.`,
  );
  process.exit(1);
}

function apt(args) {
  const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) {
    console.error(`test set-up: \`apt-get ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}); install ${packages.join(' ')} by hand, then npm test again.`);
    process.exit(1);
  }
}

console.log(`test set-up: ${names} missing; installing Debian's ${packages.join(' ')} with apt-get (once, about a minute)`);
apt(['update', '-qq']);
apt(['install', '-y', '-qq', ...packages]);
const stillMissing = requirements.filter((requirement) => !requirement.present());
if (stillMissing.length > 0) {
  console.error(`test set-up: ${stillMissing.map((requirement) => requirement.what).join(' and ')} still missing after apt-get install ${packages.join(' ')}`);
  process.exit(1);
}
console.log('test set-up: done');
