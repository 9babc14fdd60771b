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
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devEngines: { runtime: { name: string; version: string; onFail: string } };
  scripts: Record<string, string>;
};
const require = createRequire(import.meta.url);
const { nodeVersionProblem } = require(checkScript) as { nodeVersionProblem: (version: string) => string | undefined };
// The version ranges npm checks engines and devEngines with (npm's own matching, as its checks call it).
const semver = require('semver') as { satisfies: (version: string, range: string, options?: { includePrerelease?: boolean }) => boolean };
/** Versions on both sides of every minimum, for comparing what npm accepts with what the check accepts. */
const versionsAround = ['18.20.4', '20.19.2', '20.20.2', '22.12.0', '22.13.0', '22.17.1', '22.18.0', '22.23.3', '23.5.0', '23.6.0', '23.11.1', '24.0.0', '24.11.1', '25.0.0', '25.2.1', '26.0.0'];

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
/** The version of the npm that runs beside the old Node, or undefined without one. */
function npmVersionBesideOldNode(): string | undefined {
  if (oldNode === undefined) return undefined;
  const result = spawnSync('npm', ['--version'], { env: oldNodeEnvironment, encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}
const oldNpmVersion = npmVersionBesideOldNode();
/** npm reads package.json's devEngines from 10.9 on: before installing anything, and before `npm run`. */
const oldNpmReadsDevEngines = oldNpmVersion !== undefined && semver.satisfies(oldNpmVersion, '>=10.9');
const devEnginesSkipReason =
  oldNode === undefined ? skipReason : oldNpmVersion === undefined ? `no npm beside ${oldNode}` : `the npm beside ${oldNode} is ${oldNpmVersion}, older than 10.9, which ignores devEngines`;
const preinstallSkipReason =
  oldNode === undefined ? skipReason : oldNpmVersion === undefined ? `no npm beside ${oldNode}` : `the npm beside ${oldNode} is ${oldNpmVersion}, which refuses by devEngines before any script runs`;

/** What npm 10.9 and newer print on the old Node, from package.json's devEngines: the Node wanted and the one found. */
function expectDevEnginesRefusal(output: string): void {
  expect(output).toContain(`Invalid semver version "${packageJson.devEngines.runtime.version}" does not match "v${oldNodeVersion}" for "runtime"`);
  expect(output).not.toMatch(/^\s+at /m);
}

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

  it('has npm refuse exactly the Node versions the check refuses, by devEngines (an error, not a warning) and engines', () => {
    expect(packageJson.devEngines).toEqual({ runtime: { name: 'node', version: packageJson.engines.node, onFail: 'error' } });
    for (const version of versionsAround) {
      expect(semver.satisfies(version, packageJson.devEngines.runtime.version), version).toBe(nodeVersionProblem(version) === undefined);
    }
  });

  it('leaves engine-strict off unless every locked dependency accepts every supported Node', () => {
    // engine-strict makes npm refuse on any package's engines, not just the project's: a dependency that
    // leaves out an odd line (vitest has wanted "^22.12.0 || ^24.0.0 || >=26.0.0") would refuse a supported Node.
    const npmrc = existsSync(join(root, '.npmrc')) ? readFileSync(join(root, '.npmrc'), 'utf8') : '';
    if (!/^\s*engine-strict\s*=\s*true\s*$/m.test(npmrc)) return;
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string }; optional?: boolean }> };
    const supported = versionsAround.filter((version) => nodeVersionProblem(version) === undefined);
    for (const [path, entry] of Object.entries(lock.packages)) {
      const wanted = entry.engines?.node;
      if (path === '' || entry.optional || typeof wanted !== 'string') continue;
      for (const version of supported) expect(semver.satisfies(version, wanted, { includePrerelease: true }), `${path} wants Node ${wanted}; engine-strict would refuse ${version}`).toBe(true);
    }
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

  it.skipIf(oldNode === undefined)(`stops npm start, serve, test and bench on an old Node, saying which Node is needed (${oldNode ?? skipReason})`, { timeout: 150_000 }, () => {
    for (const script of ['start', 'serve', 'test', 'bench']) {
      // An npm that reads devEngines refuses before the script runs (and --silent would hide why); an older one runs the check first.
      const result = spawnSync('npm', oldNpmReadsDevEngines ? ['run', script] : ['run', '--silent', script], { cwd: root, env: oldNodeEnvironment, encoding: 'utf8', timeout: 30_000 });
      expect(result.status, script).toBe(1);
      if (oldNpmReadsDevEngines) expectDevEnginesRefusal(result.stdout + result.stderr);
      else expectTheOneLine(result.stdout + result.stderr);
    }
  });

  it.skipIf(!oldNpmReadsDevEngines)(`makes npm ci and npm install refuse on an old Node before installing anything (${oldNpmReadsDevEngines ? `${oldNode}, npm ${oldNpmVersion}` : devEnginesSkipReason})`, { timeout: 120_000 }, () => {
    // The real manifest and lockfile (and .npmrc, if any) in a copy, so this checkout's node_modules is
    // left alone; offline with an empty cache, so that an npm that did not refuse could fetch nothing either.
    const project = join(folder, 'npm-ci-early');
    mkdirSync(project);
    for (const file of ['package.json', 'package-lock.json', '.npmrc']) if (existsSync(join(root, file))) copyFileSync(join(root, file), join(project, file));
    for (const command of [['ci'], ['install']]) {
      const result = spawnSync('npm', [...command, '--offline', '--no-audit', '--no-fund', '--cache', join(folder, `npm-cache-${command[0]}`)], { cwd: project, env: oldNodeEnvironment, encoding: 'utf8', timeout: 50_000 });
      expect(result.status, command.join(' ')).not.toBe(0);
      expect(result.stdout + result.stderr).toContain('EBADDEVENGINES');
      expectDevEnginesRefusal(result.stdout + result.stderr);
      expect(existsSync(join(project, 'node_modules')), `${command.join(' ')} left a node_modules`).toBe(false);
    }
  });

  it.skipIf(oldNode === undefined || oldNpmVersion === undefined)(`makes npm ci refuse with the one line where npm ignores devEngines (preinstall) (${oldNode === undefined || oldNpmVersion === undefined ? preinstallSkipReason : `${oldNode}, npm ${oldNpmVersion}`})`, { timeout: 90_000 }, () => {
    // An npm older than 10.9 (Node 20's own 10.8) knows no devEngines: the project's preinstall still
    // refuses, after the packages. A copy of the install-time parts with no dependencies and no devEngines
    // shows what such an npm does, with any npm, offline and leaving this checkout's node_modules alone.
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
