import { readFileSync } from 'node:fs';
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
