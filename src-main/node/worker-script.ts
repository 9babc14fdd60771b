import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The file of a worker thread's entry module beside the calling module: `NAME.ts` when running from
 * source, `NAME.mjs` in the Electron build, where each entry is bundled next to the host's.
 * The path is built at run time so bundlers leave it alone.
 */
export function workerScript(callerUrl: string, name: string): string {
  const folder = dirname(fileURLToPath(callerUrl));
  // From source; bundled beside the host; bundled into a shared chunk one folder below it.
  const candidates = [join(folder, `${name}.ts`), join(folder, `${name}.mjs`), join(folder, '..', `${name}.mjs`)];
  return candidates.find((file) => existsSync(file)) ?? candidates[0]!;
}

/**
 * Node options of Twinline's worker threads: node:sqlite announces itself as experimental on
 * Node 22 as it loads (before any code of the worker runs), and that notice is noise to a user.
 */
export const workerExecArgv = ['--disable-warning=ExperimentalWarning'];
