import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HANG_GUARD_MS } from '../support/hang-guard.js';

/**
 * The codec-coupling detector of the training chain (training/codec_coupling.py, numpy only) keeps
 * Vorbis point / intensity stereo bands out of the model's targets and the metrics. Its unit tests
 * (training/test_codec_coupling.py) run here with Debian's python3 and python3-numpy.
 */
const training = fileURLToPath(new URL('../../training/', import.meta.url));
const python = '/usr/bin/python3';

test('codec-coupling detector: flags a synthetic point-stereo band, leaves truly panned and decorrelated bands alone (python3 -m unittest)', () => {
  const result = spawnSync(python, ['-m', 'unittest', '-v', 'test_codec_coupling'], { cwd: training, encoding: 'utf8', timeout: HANG_GUARD_MS });
  if (result.error) {
    assert.fail(`could not run ${python} (${result.error.message}): the training tests need Debian's python3 with python3-numpy (apt-get install python3-numpy)`);
  }
  const output = `${result.stdout}${result.stderr}`;
  if (/No module named 'numpy'/.test(output)) {
    assert.fail(`${python} has no numpy: apt-get install python3-numpy\n${output}`);
  }
  assert.equal(result.status, 0, `training/test_codec_coupling.py failed (exit ${result.status}):\n${output}`);
  assert.match(output, /Ran [1-9]\d* tests?/, output);
});
