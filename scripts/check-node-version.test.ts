import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const checkScript = fileURLToPath(new URL('./check-node-version.cjs', import.meta.url));
const cli = fileURLToPath(new URL('../bin/twinline.js', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };
const { nodeVersionProblem } = createRequire(import.meta.url)(checkScript) as { nodeVersionProblem: (version: string) => string | undefined };

const folder = mkdtempSync(join(tmpdir(), 'twinline-node-version-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * A Node older than Twinline needs, found where Debian and CI machines keep the system's Node (CI's
 * machine has Debian's Node 20 there before it installs 22), or undefined when this machine has none.
 */
function findOldNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node', '/bin/node']) {
    if (!existsSync(candidate)) continue;
    try {
      const version = execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10_000 }).trim();
      if (nodeVersionProblem(version) !== undefined) return candidate;
    } catch (error) {
      // A broken or foreign binary at that path is no Node to test with; the next candidate may be one.
      console.warn(`${candidate} does not run as Node: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return undefined;
}

const oldNode = findOldNode();
const oldNodeVersion = oldNode === undefined ? '' : execFileSync(oldNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
/** An environment whose `node` (and `npm`, when there is one beside it) is the old Node. */
const oldNodeEnvironment = oldNode === undefined ? {} : { ...process.env, PATH: `${dirname(oldNode)}${delimiter}${process.env.PATH ?? ''}` };
const skipReason = 'no Node older than 22.18 on this machine (looked in /usr/bin, /usr/local/bin, /bin)';

/** What every entry point must print on the old Node: exactly one line, naming what is needed, this version and how to get it. */
function expectTheOneLine(output: string): void {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const message = lines.filter((line) => line.startsWith('Twinline needs Node.js'));
  expect(message).toEqual([`Twinline needs Node.js 22.18 or newer (this is ${oldNodeVersion}): install it from https://nodejs.org or with your package manager (e.g. \`nvm install 22\`).`]);
  // No stack trace, and none of the error that the version check exists to replace.
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
}

describe('the Node version check', () => {
  it('accepts the Node versions that strip types and have node:sqlite', () => {
    for (const version of ['22.18.0', '22.23.3', 'v22.18.0', '23.6.0', '24.0.0', '25.2.1', '26.0.0']) expect(nodeVersionProblem(version), version).toBeUndefined();
    expect(nodeVersionProblem(process.versions.node)).toBeUndefined();
  });

  it('refuses older versions in one line saying what is needed, what this is and how to get it', () => {
    for (const version of ['20.19.2', '22.13.0', '22.17.1', '18.20.4', '12.22.9', 'not a version']) {
      const message = nodeVersionProblem(version);
      expect(message, version).toBe(`Twinline needs Node.js 22.18 or newer (this is ${version}): install it from https://nodejs.org or with your package manager (e.g. \`nvm install 22\`).`);
    }
    // Node 23 stripped types only from 23.6: a user on 23 hears that line's own minimum.
    expect(nodeVersionProblem('v23.5.0')).toBe('Twinline needs Node.js 22.18 or newer, or 23.6 or newer on Node.js 23 (this is 23.5.0): install it from https://nodejs.org or with your package manager (e.g. `nvm install 22`).');
  });

  it('is in front of every npm entry point, and npm ci runs it (preinstall); engines agrees', () => {
    for (const script of ['start', 'serve', 'test', 'bench']) expect(packageJson.scripts[script], script).toMatch(/^node scripts\/check-node-version\.cjs && /);
    expect(packageJson.scripts.preinstall).toBe('node scripts/check-node-version.cjs');
    expect(packageJson.engines.node).toBe('^22.18 || >=23.6');
  });

  it.skipIf(oldNode === undefined)(`stops twinline on an old Node with the one line and exit code 1 (${oldNode ?? skipReason})`, { timeout: 90_000 }, () => {
    for (const args of [[], ['serve'], ['export', join(folder, 'none.twinline')]]) {
      const result = spawnSync(oldNode!, [cli, ...args], { encoding: 'utf8', timeout: 15_000 });
      expect(result.status, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expectTheOneLine(result.stderr);
    }
    const script = spawnSync(oldNode!, [checkScript], { encoding: 'utf8', timeout: 15_000 });
    expect(script.status).toBe(1);
    expectTheOneLine(script.stderr);
  });

  it.skipIf(oldNode === undefined)(`stops npm start, serve, test and bench on an old Node with the one line (${oldNode ?? skipReason})`, { timeout: 150_000 }, () => {
    for (const script of ['start', 'serve', 'test', 'bench']) {
      const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, env: oldNodeEnvironment, encoding: 'utf8', timeout: 30_000 });
      expect(result.status, script).toBe(1);
      expectTheOneLine(result.stdout + result.stderr);
    }
  });

  it.skipIf(oldNode === undefined)(`makes npm ci refuse on an old Node with the one line (${oldNode ?? skipReason})`, { timeout: 90_000 }, () => {
    // A copy of the project's install-time parts with no dependencies, so npm ci runs offline and
    // leaves this checkout's node_modules alone.
    const project = join(folder, 'npm-ci');
    mkdirSync(join(project, 'scripts'), { recursive: true });
    copyFileSync(checkScript, join(project, 'scripts', 'check-node-version.cjs'));
    const manifest = { name: 'twinline', version: '0.0.0', private: true, type: 'module', engines: packageJson.engines, scripts: { preinstall: packageJson.scripts.preinstall } };
    writeFileSync(join(project, 'package.json'), JSON.stringify(manifest));
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify({ name: 'twinline', version: '0.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'twinline', version: '0.0.0', engines: packageJson.engines } } }));
    const result = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--cache', join(folder, 'npm-cache')], { cwd: project, env: oldNodeEnvironment, encoding: 'utf8', timeout: 50_000 });
    expect(result.status).not.toBe(0);
    expectTheOneLine(result.stdout + result.stderr);
  });
});
