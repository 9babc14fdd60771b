import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

/**
 * A new folder in the system's temporary folder, removed when this process exits as well as by the
 * spec's own afterAll. Playwright loads a spec file in its runner process too, not only in the worker
 * that runs its tests: a folder made as the file loads was left behind by the runner on every run.
 */
export function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  if (made.size === 0) process.once('exit', removeMade);
  made.add(folder);
  return folder;
}

function removeMade(): void {
  for (const folder of made) {
    try {
      rmSync(folder, { recursive: true, force: true });
    } catch (error) {
      process.stderr.write(`could not remove the test folder ${folder}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}
