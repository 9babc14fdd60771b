import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// electron-builder cannot package here (no Electron binary), but its own schema check can run.
const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util/out/DebugLogger.js') as { DebugLogger: new (enabled: boolean) => unknown };

const config = parse(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as Record<string, unknown>;
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { main: string };

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema", async () => {
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is checked for real: an unknown option is refused', async () => {
    await expect(validateConfiguration({ ...structuredClone(config), unknownOption: true }, new DebugLogger(false))).rejects.toThrow(/unknown property/);
  });

  it('targets Windows NSIS, macOS DMG and Linux AppImage', () => {
    const targets = (platform: string) => ((config[platform] as { target: Array<{ target: string }> }).target ?? []).map((entry) => entry.target);
    expect(targets('win')).toContain('nsis');
    expect(targets('mac')).toContain('dmg');
    expect(targets('linux')).toContain('AppImage');
  });

  it('packs the entry point, the renderer, the demo and its models, with the security fuses flipped', () => {
    const files = config.files as string[];
    expect(packageJson.main.startsWith('out/')).toBe(true);
    expect(files).toEqual(expect.arrayContaining(['out/**', 'dist/renderer/**', 'assets/demo-plant.yaml', 'models/*.glb']));
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true, enableEmbeddedAsarIntegrityValidation: true });
  });
});

describe('the Electron build', () => {
  it('bundles every process and worker entry the shell and the host start, each from the file that is that entry', () => {
    const viteConfig = readFileSync(new URL('../../electron.vite.config.ts', import.meta.url), 'utf8');
    const inputs = new Map([...viteConfig.matchAll(/'([a-z-]+)': '(src-main\/[^']+\.ts)'/g)].map((match) => [match[1]!, match[2]!]));
    const main = readFileSync(new URL('./main.ts', import.meta.url), 'utf8');
    // Utility processes the shell forks, by their bundled names.
    const forked = [...main.matchAll(/utilityProcess\.fork\(join\(here, '([a-z-]+)\.mjs'\)/g)].map((match) => match[1]!);
    expect(forked).toEqual(['host-process', 'replay-process']);
    for (const name of forked) expect(inputs.get(name)).toBe(`src-main/electron/${name}.ts`);
    // Worker threads, started by name beside the module that starts them: each name an entry made of that file.
    const sources = readdirSync(new URL('../node/', import.meta.url), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    const started = sources.flatMap((file) =>
      [...readFileSync(new URL(`../node/${file}`, import.meta.url), 'utf8').matchAll(/workerScript\(import\.meta\.url, '([a-z-]+)'\)/g)].map((match) => ({ name: match[1]!, beside: dirname(`src-main/node/${file}`) })),
    );
    expect(started.map((entry) => entry.name).sort()).toEqual(['recording-worker', 'replay-launcher', 'replay-process', 'replay-worker', 'standing-alarms-worker', 'topic-explorer-worker']);
    // The Node host forks its replay process itself; the Electron host asks the shell for its own (above).
    for (const { name, beside } of started.filter((entry) => entry.name !== 'replay-process')) expect(inputs.get(name)).toBe(`${beside}/${name}.ts`);
  });
});
