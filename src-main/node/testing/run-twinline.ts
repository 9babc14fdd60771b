import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI as users run it. */
export const twinlineCli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));

/** Runs `twinline ARGS` to its end (killed after 60 s); returns its exit code and output. */
export function runTwinline(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [twinlineCli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
