// Broker passwords the user typed into the desktop app, kept encrypted by the OS keychain (Electron
// safeStorage) in one file of the app's user-data folder, readable by the user alone.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The part of Electron's `safeStorage` the store uses. */
export interface EncryptionBackend {
  isEncryptionAvailable(): boolean;
  /** Linux only: which keychain encrypts; `basic_text` means none (a key written in the source code). */
  getSelectedStorageBackend?(): string;
  encryptString(text: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Longest password accepted: MQTT allows 65,535 bytes, a person types far fewer. */
export const maxBrokerPasswordLength = 1024;

/** Largest store file read; a few hundred passwords take a few tens of KiB. */
const maxStoreBytes = 1024 * 1024;

/** Most passwords kept; beyond this the oldest are dropped. */
const maxEntries = 1000;

/** A broker id as the plant file allows it. */
const brokerIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** One stored password: which plant file and broker it is for, and its encrypted bytes (base64). */
interface StoredPassword {
  plantFile: string;
  brokerId: string;
  encrypted: string;
}

/** A request to store a password, as checked: the broker id and the password. */
export interface BrokerPasswordRequest {
  brokerId: string;
  password: string;
}

/** Checks what a window sent before anything is stored; returns the request or why it is refused (never echoing the password). */
export function validateBrokerPasswordRequest(brokerId: unknown, password: unknown): BrokerPasswordRequest | { error: string } {
  if (typeof brokerId !== 'string' || !brokerIdPattern.test(brokerId)) return { error: 'The broker id is not one a plant file can have.' };
  if (typeof password !== 'string' || password.length === 0) return { error: 'The password is empty.' };
  if (password.length > maxBrokerPasswordLength) return { error: `The password is longer than ${maxBrokerPasswordLength} characters.` };
  if (password.includes('\u0000')) return { error: 'The password holds a character MQTT does not allow (NUL).' };
  return { brokerId, password };
}

/** Passwords by plant file and broker id, encrypted with the OS keychain, in a file only the user can read. */
export class BrokerPasswordStore {
  private readonly file: string;
  private readonly encryption: EncryptionBackend;
  private readonly platform: NodeJS.Platform;
  private readonly log: (line: string) => void;

  constructor(options: { file: string; encryption: EncryptionBackend; platform?: NodeJS.Platform; log?: (line: string) => void }) {
    this.file = options.file;
    this.encryption = options.encryption;
    this.platform = options.platform ?? process.platform;
    this.log = options.log ?? (() => undefined);
  }

  /** Why passwords cannot be kept safely here, in words a user understands; undefined when they can. */
  unavailableReason(): string | undefined {
    if (!this.encryption.isEncryptionAvailable()) {
      return 'The passwords cannot be kept safely: this system offers Twinline no keychain to encrypt them with. Give the password as ${VARIABLE} in the plant file instead.';
    }
    if (this.platform === 'linux' && this.encryption.getSelectedStorageBackend?.() === 'basic_text') {
      return 'The passwords cannot be kept safely: no keyring (such as GNOME Keyring or KWallet) is running, so they would be stored in a form anyone with the file can read. Start a keyring, or give the password as ${VARIABLE} in the plant file.';
    }
    return undefined;
  }

  /** Encrypts and keeps a password for one broker of one plant file, replacing an earlier one; throws with the user-facing reason when it cannot. */
  store(plantFile: string, brokerId: string, password: string): void {
    const checked = validateBrokerPasswordRequest(brokerId, password);
    if ('error' in checked) throw new Error(checked.error);
    const reason = this.unavailableReason();
    if (reason !== undefined) throw new Error(reason);
    const key = resolve(plantFile);
    const encrypted = this.encryption.encryptString(password).toString('base64');
    const entries = this.read().filter((entry) => !(entry.plantFile === key && entry.brokerId === brokerId));
    entries.push({ plantFile: key, brokerId, encrypted });
    this.write(entries.slice(-maxEntries));
  }

  /** The decrypted passwords of one plant file's brokers, by broker id; an entry that cannot be decrypted is logged and left out. */
  passwordsFor(plantFile: string): Record<string, string> {
    const key = resolve(plantFile);
    const passwords: Record<string, string> = {};
    if (this.unavailableReason() !== undefined) return passwords;
    for (const entry of this.read()) {
      if (entry.plantFile !== key) continue;
      try {
        passwords[entry.brokerId] = this.encryption.decryptString(Buffer.from(entry.encrypted, 'base64'));
      } catch (error) {
        // A keychain reset or another user's file: the broker then asks for its password again.
        this.log(`the stored password of broker "${entry.brokerId}" cannot be decrypted: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return passwords;
  }

  /** The stored entries; a missing file is none, a damaged or oversized one is logged and read as none. */
  private read(): StoredPassword[] {
    if (!existsSync(this.file)) return [];
    try {
      const size = statSync(this.file).size;
      if (size > maxStoreBytes) throw new Error(`it is ${size} bytes, more than ${maxStoreBytes}`);
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      const list = (parsed as { passwords?: unknown } | null)?.passwords;
      if (!Array.isArray(list)) throw new Error('it holds no list of passwords');
      return list.filter(isStoredPassword).slice(-maxEntries);
    } catch (error) {
      this.log(`the stored broker passwords (${this.file}) cannot be read and are ignored: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  /** Writes the entries whole under a temporary name, readable by the user alone, then renames it into place. */
  private write(entries: StoredPassword[]): void {
    const partial = `${this.file}.partial`;
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    writeFileSync(partial, `${JSON.stringify({ version: 1, passwords: entries })}\n`, { mode: 0o600 });
    // The mode given at creation is masked by the umask, and an old leftover keeps its own: set it.
    chmodSync(partial, 0o600);
    renameSync(partial, this.file);
  }
}

function isStoredPassword(value: unknown): value is StoredPassword {
  const entry = value as Partial<StoredPassword> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.plantFile === 'string' &&
    typeof entry.brokerId === 'string' &&
    brokerIdPattern.test(entry.brokerId) &&
    typeof entry.encrypted === 'string' &&
    entry.encrypted.length <= 4 * maxBrokerPasswordLength + 1024
  );
}
