/**
 * Finds and loads the cue model for the CLI: the one shipped with the package (beside the built CLI, or
 * in `src/model/` when run from source), or a file the user names.
 * @packageDocumentation
 */
import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CueModel, CueModelError } from '../model/cue-model.js';

/** Where the bundled model may be, relative to this module: built (`dist/`) or source (`src/cli/`). */
const BUNDLED_CANDIDATES = ['./cue-model.onnx', '../model/cue-model.onnx'];

/** Path of the model shipped with the package. */
export async function bundledModelPath(): Promise<string> {
  for (const candidate of BUNDLED_CANDIDATES) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (await access(path).then(() => true, () => false)) return path;
  }
  throw new CueModelError('the bundled model (cue-model.onnx) is missing from the package: reinstall it, or pass --no-model');
}

/** Loads the model at `path` (default: the bundled one); errors name the file and the way out. */
export async function loadModelFile(path?: string): Promise<{ model: CueModel; path: string }> {
  const modelPath = path ?? (await bundledModelPath());
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(modelPath));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CueModelError(`cannot read the model ${modelPath}: ${code === 'ENOENT' ? 'no such file' : String(error)}; pass --no-model to use the fixed profile`);
  }
  try {
    return { model: await CueModel.load(bytes), path: modelPath };
  } catch (error) {
    throw new CueModelError(`model ${modelPath}: ${(error as Error).message}; pass --no-model to use the fixed profile`);
  }
}
