import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fatalErrorExitCode } from './fatal-errors.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-fatal-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const fatalErrors = new URL('./fatal-errors.ts', import.meta.url).href;
const rotatingLog = new URL('./rotating-log.ts', import.meta.url).href;

/** Runs `body` in a real Node process with the handlers installed, logging to `logFile`; resolves with how it ended. */
function runProcess(logFile: string, body: string, log = 'log.write'): Promise<{ code: number | null; stderr: string }> {
  const script = `
    import { installFatalErrorHandlers } from ${JSON.stringify(fatalErrors)};
    import { RotatingLog } from ${JSON.stringify(rotatingLog)};
    const log = new RotatingLog({ file: ${JSON.stringify(logFile)} });
    installFatalErrorHandlers(${log});
    ${body}
  `;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('installFatalErrorHandlers', () => {
  it('logs an exception thrown from a timer with its stack, then exits non-zero so a supervisor restarts the process', async () => {
    const logFile = join(folder, 'timer.log');
    const result = await runProcess(logFile, `setTimeout(function commitFromTimer() { throw new Error('disk full at rollover'); }, 10); setInterval(() => undefined, 1000);`);
    expect(result.code).toBe(fatalErrorExitCode);
    const logged = readFileSync(logFile, 'utf8');
    expect(logged).toMatch(/Fatal: an exception nothing caught in process \d+/);
    expect(logged).toContain('Error: disk full at rollover');
    expect(logged).toContain('commitFromTimer');
  });

  it('does the same for a promise rejection nobody handles, whatever was rejected', async () => {
    const logFile = join(folder, 'rejection.log');
    const result = await runProcess(logFile, `setTimeout(() => Promise.reject({ reason: 'nothing has been recorded yet' }), 10); setInterval(() => undefined, 1000);`);
    expect(result.code).toBe(fatalErrorExitCode);
    expect(readFileSync(logFile, 'utf8')).toMatch(/Fatal: a promise rejection nobody handled in process \d+ .*reason: 'nothing has been recorded yet'/);
  });

  it('still exits, saying why on stderr, when the log itself throws', async () => {
    const logFile = join(folder, 'unused.log');
    const result = await runProcess(logFile, `setTimeout(() => { throw new Error('first failure'); }, 10); setInterval(() => undefined, 1000);`, `() => { throw new Error('log is broken'); }`);
    expect(result.code).toBe(fatalErrorExitCode);
    expect(result.stderr).toContain('Error: first failure');
    expect(result.stderr).toContain('writing it to the log failed too: Error: log is broken');
  });
});
