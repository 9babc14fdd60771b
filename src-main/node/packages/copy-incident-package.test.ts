import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyIncidentPackage, savedIncidentPackage } from './copy-incident-package.ts';

/** Bytes the temporary name is made from when a test sets them (else random): to meet a name already taken. */
const chosenBytes = vi.hoisted(() => ({ bytes: undefined as Buffer | undefined }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, randomBytes: (size: number) => chosenBytes.bytes ?? actual.randomBytes(size) };
});

let folder: string | undefined;
afterEach(() => {
  chosenBytes.bytes = undefined;
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

describe('saving a copy of an incident package', () => {
  it('names only packages the host makes, inside the recordings folder', () => {
    const name = 'incident-2026-12-01T10-00-00-000Z-a1b2c3.twinline';
    expect(savedIncidentPackage('/data/recordings', `incidents/${name}`)).toBe(join('/data/recordings', 'incidents', name));
    for (const hostile of [name, `incidents/../${name}`, 'incidents/../../etc/passwd', `incidents/sub/${name}`, 'incidents/incident-x.txt', `/incidents/${name}`, 42, undefined, { name }]) {
      expect(savedIncidentPackage('/data/recordings', hostile), String(hostile)).toBeUndefined();
    }
  });

  it('copies the whole package to the chosen file, replacing one there, and leaves no partial file nor touches the user\'s other files', async () => {
    folder = mkdtempSync(join(tmpdir(), 'twinline-copy-package-'));
    const source = join(folder, 'incident.twinline');
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
    writeFileSync(source, bytes);
    const target = join(folder, 'chosen', 'Press 4 jam.twinline');
    mkdirSync(join(folder, 'chosen'));
    writeFileSync(target, 'an older file the user chose to replace');
    // A file of the user's with the name a temporary copy might take.
    writeFileSync(`${target}.partial`, 'the user keeps this');
    await copyIncidentPackage(source, target);
    expect(readFileSync(target).equals(bytes)).toBe(true);
    expect(readFileSync(`${target}.partial`, 'utf8')).toBe('the user keeps this');
    expect(readdirSync(join(folder, 'chosen')).sort()).toEqual(['Press 4 jam.twinline', 'Press 4 jam.twinline.partial']);
  });

  it('neither overwrites nor removes a file that already has the temporary name it drew, and says why', async () => {
    folder = mkdtempSync(join(tmpdir(), 'twinline-copy-package-'));
    const source = join(folder, 'incident.twinline');
    writeFileSync(source, Buffer.alloc(1024, 7));
    const target = join(folder, 'Press 4 jam.twinline');
    chosenBytes.bytes = Buffer.from('a1b2c3d4e5f6', 'hex');
    const taken = join(folder, '.Press 4 jam.twinline.a1b2c3d4e5f6.partial');
    writeFileSync(taken, 'the user keeps this');
    await expect(copyIncidentPackage(source, target)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(taken, 'utf8')).toBe('the user keeps this');
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a package that is gone or is a link put in its place, and writes nothing', async () => {
    folder = mkdtempSync(join(tmpdir(), 'twinline-copy-package-'));
    const target = join(folder, 'copy.twinline');
    await expect(copyIncidentPackage(join(folder, 'missing.twinline'), target)).rejects.toThrow(/no longer in the recordings folder/);
    writeFileSync(join(folder, 'secret.txt'), 'not a package');
    symlinkSync(join(folder, 'secret.txt'), join(folder, 'linked.twinline'));
    await expect(copyIncidentPackage(join(folder, 'linked.twinline'), target)).rejects.toThrow(/not a regular file/);
    expect(existsSync(target)).toBe(false);
  });

  it('leaves neither the target nor a partial file when the copy fails', async () => {
    folder = mkdtempSync(join(tmpdir(), 'twinline-copy-package-'));
    const source = join(folder, 'incident.twinline');
    writeFileSync(source, 'package bytes');
    // A folder of that name: the copy itself succeeds, putting it in place fails.
    const target = join(folder, 'copy.twinline');
    mkdirSync(target);
    writeFileSync(join(target, 'kept.txt'), 'the folder stays as it was');
    await expect(copyIncidentPackage(source, target)).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(folder).sort()).toEqual(['copy.twinline', 'incident.twinline']);
    expect(readdirSync(target)).toEqual(['kept.txt']);
  });
});
