import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BrokerPasswordStore, validateBrokerPasswordRequest, type EncryptionBackend } from './broker-password-store.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-password-store-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A stand-in for Electron's safeStorage: reversible, never the plain text, with a chosen availability and backend. */
function keychain(options: { available?: boolean; backend?: string } = {}): EncryptionBackend & { encrypted: number } {
  const fake = {
    encrypted: 0,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString: (text: string) => {
      fake.encrypted++;
      return Buffer.concat([Buffer.from('v11'), Buffer.from(text, 'utf8').map((byte) => byte ^ 0x3c)]);
    },
    decryptString: (encrypted: Buffer) => {
      if (!encrypted.subarray(0, 3).equals(Buffer.from('v11'))) throw new Error('not encrypted by this keychain');
      return Buffer.from(encrypted.subarray(3).map((byte) => byte ^ 0x3c)).toString('utf8');
    },
  };
  return fake;
}

let files = 0;
const nextFile = () => join(folder, `store-${files++}`, 'broker-passwords.json');

describe('BrokerPasswordStore', () => {
  const password = 'Stored-s3cret-0b9e';

  it('keeps passwords encrypted, in a file only the user can read, by plant file and broker', () => {
    const file = nextFile();
    const encryption = keychain();
    const store = new BrokerPasswordStore({ file, encryption, platform: 'linux' });
    store.store(join(folder, 'line2.yaml'), 'line', password);
    store.store(join(folder, 'line2.yaml'), 'utilities', 'other-pass');
    store.store(join(folder, 'line3.yaml'), 'line', 'line3-pass');
    expect(encryption.encrypted).toBe(3);
    const bytes = readFileSync(file);
    for (const secret of [password, 'other-pass', 'line3-pass']) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(store.passwordsFor(join(folder, 'line2.yaml'))).toEqual({ line: password, utilities: 'other-pass' });
    // A later password for the same broker replaces the earlier one; the key is the resolved path.
    store.store(join(folder, 'sub', '..', 'line2.yaml'), 'line', 'new-pass');
    expect(new BrokerPasswordStore({ file, encryption, platform: 'linux' }).passwordsFor(join(folder, 'line2.yaml'))).toEqual({ line: 'new-pass', utilities: 'other-pass' });
  });

  it('refuses on Linux with only the plain-text backend, and without encryption, saying why and writing nothing', () => {
    const file = nextFile();
    const basic = new BrokerPasswordStore({ file, encryption: keychain({ backend: 'basic_text' }), platform: 'linux' });
    expect(basic.unavailableReason()).toMatch(/no keyring \(such as GNOME Keyring or KWallet\) is running, so they would be stored in a form anyone with the file can read/);
    expect(() => basic.store(join(folder, 'plant.yaml'), 'line', password)).toThrow(/no keyring/);
    const none = new BrokerPasswordStore({ file, encryption: keychain({ available: false }), platform: 'darwin' });
    expect(() => none.store(join(folder, 'plant.yaml'), 'line', password)).toThrow(/this system offers Twinline no keychain/);
    expect(() => statSync(file)).toThrow();
    // The plain-text backend is a Linux notion: elsewhere the OS keychain is always there.
    expect(new BrokerPasswordStore({ file, encryption: keychain({ backend: 'basic_text' }), platform: 'win32' }).unavailableReason()).toBeUndefined();
  });

  it('reads a damaged, foreign or oversized file as empty and says so, and skips what it cannot decrypt', () => {
    const file = nextFile();
    const lines: string[] = [];
    const store = new BrokerPasswordStore({ file, encryption: keychain(), platform: 'linux', log: (line) => lines.push(line) });
    store.store(join(folder, 'plant.yaml'), 'line', password);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { passwords: Array<Record<string, string>> };
    stored.passwords.push({ plantFile: join(folder, 'plant.yaml'), brokerId: 'other', encrypted: Buffer.from('plain').toString('base64') });
    stored.passwords.push({ plantFile: join(folder, 'plant.yaml'), brokerId: '../bad', encrypted: '' });
    writeFileSync(file, JSON.stringify(stored));
    expect(store.passwordsFor(join(folder, 'plant.yaml'))).toEqual({ line: password });
    expect(lines.join('\n')).toContain('the stored password of broker "other" cannot be decrypted');
    writeFileSync(file, '{ not json');
    expect(store.passwordsFor(join(folder, 'plant.yaml'))).toEqual({});
    writeFileSync(file, 'x'.repeat(1024 * 1024 + 1));
    expect(store.passwordsFor(join(folder, 'plant.yaml'))).toEqual({});
    expect(lines.filter((line) => line.includes('cannot be read and are ignored'))).toHaveLength(2);
    expect(lines.join('\n')).not.toContain(password);
  });
});

describe('validateBrokerPasswordRequest', () => {
  it('takes a plant file broker id and a bounded password, and never echoes the password', () => {
    expect(validateBrokerPasswordRequest('line-2', 'p@ss w0rd')).toEqual({ brokerId: 'line-2', password: 'p@ss w0rd' });
    expect(validateBrokerPasswordRequest('../../etc', 'x')).toEqual({ error: 'The broker id is not one a plant file can have.' });
    expect(validateBrokerPasswordRequest('line', '')).toEqual({ error: 'The password is empty.' });
    expect(validateBrokerPasswordRequest('line', 'y'.repeat(1025))).toEqual({ error: 'The password is longer than 1024 characters.' });
    expect(validateBrokerPasswordRequest('line', 'a\u0000b')).toMatchObject({ error: expect.stringContaining('NUL') });
    expect(validateBrokerPasswordRequest({}, 'x')).toMatchObject({ error: expect.any(String) });
    expect(validateBrokerPasswordRequest('line', ['x'])).toMatchObject({ error: expect.any(String) });
  });
});
