import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The import rules of the README, checked on every source file.
const root = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|tsx)$/.test(file) && !/\.test\.tsx?$/.test(file))
    .map((file) => join(folder, file));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map((match) => match[1] ?? match[2]!);
}

function violations(folder: string, isAllowed: (specifier: string, file: string) => boolean): string[] {
  return sourceFiles(folder).flatMap((file) => importsOf(file).filter((specifier) => !isAllowed(specifier, file)).map((specifier) => `${file} imports ${specifier}`));
}

const resolvesInto = (file: string, specifier: string, folder: string) => relative(root, join(root, file, '..', specifier)).startsWith(folder);

describe('import rules', () => {
  it('src-main/common imports only itself, zod and yaml', () => {
    expect(violations('src-main/common', (specifier, file) => specifier === 'zod' || specifier === 'yaml' || (specifier.startsWith('.') && resolvesInto(file, specifier, 'src-main/common')))).toEqual([]);
  });

  it('src-main/node never imports electron or the renderer', () => {
    expect(violations('src-main/node', (specifier, file) => specifier !== 'electron' && !(specifier.startsWith('.') && !resolvesInto(file, specifier, 'src-main')))).toEqual([]);
  });

  it('src-renderer imports src-main/common only, and no Node or Electron modules', () => {
    expect(
      violations('src-renderer', (specifier, file) => {
        if (specifier.startsWith('.')) return resolvesInto(file, specifier, 'src-renderer') || resolvesInto(file, specifier, 'src-main/common');
        return specifier !== 'electron' && !specifier.startsWith('node:');
      }),
    ).toEqual([]);
  });
});
