import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Certificates for TLS tests, made with `openssl` in a temporary folder: a private CA, a server
 * certificate it signs for 127.0.0.1 and localhost, a client certificate it signs, a self-signed
 * server certificate no one trusts, and one it signs for another host name only.
 */

/** A PEM certificate and its private key (paths). */
export interface CertificateFiles {
  certFile: string;
  keyFile: string;
}

/** Every file the TLS tests need (paths to PEM files). */
export interface TestCertificates {
  folder: string;
  /** The private CA's certificate: what a client gives as `tls.ca`. */
  caFile: string;
  /** Signed by the CA for IP 127.0.0.1 and DNS localhost. */
  server: CertificateFiles;
  /** Signed by the CA, for a broker that requires client certificates. */
  client: CertificateFiles;
  /** Self-signed, for 127.0.0.1 and localhost: signed by no CA the client knows. */
  untrustedServer: CertificateFiles;
  /** Signed by the CA, but for the host name `elsewhere.example` only. */
  otherHostServer: CertificateFiles;
  /** Removes the folder. */
  remove(): void;
}

/** Whether `openssl` can be run here. */
export const opensslAvailable: boolean = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;

function openssl(args: string[], folder: string): void {
  const result = spawnSync('openssl', args, { cwd: folder, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr || result.error?.message}`);
}

/** Elliptic-curve keys: much quicker to make than RSA on a busy machine, and every TLS stack here takes them. */
const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes a key and a certificate signed by the CA, with the given extensions. */
function signed(folder: string, name: string, subject: string, extensions: string): CertificateFiles {
  const keyFile = join(folder, `${name}.key`);
  const requestFile = join(folder, `${name}.csr`);
  const certFile = join(folder, `${name}.crt`);
  const extensionsFile = join(folder, `${name}.ext`);
  writeFileSync(extensionsFile, extensions);
  openssl(['req', '-new', ...newKey, '-keyout', keyFile, '-out', requestFile, '-subj', subject], folder);
  openssl(['x509', '-req', '-in', requestFile, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', certFile, '-extfile', extensionsFile], folder);
  return { certFile, keyFile };
}

/** Generates the CA and certificates into a new temporary folder; throws when openssl fails. */
export function createTestCertificates(): TestCertificates {
  const folder = mkdtempSync(join(tmpdir(), 'twinline-certificates-'));
  try {
    openssl(['req', '-x509', ...newKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Twinline test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], folder);
    const serverExtensions = 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n';
    const server = signed(folder, 'server', '/CN=localhost', serverExtensions);
    const client = signed(folder, 'client', '/CN=twinline-test-client', 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n');
    const otherHostServer = signed(folder, 'other-host', '/CN=elsewhere.example', serverExtensions.replace('IP:127.0.0.1,DNS:localhost', 'DNS:elsewhere.example'));
    const untrustedServer = { certFile: join(folder, 'untrusted.crt'), keyFile: join(folder, 'untrusted.key') };
    openssl(['req', '-x509', ...newKey, '-keyout', untrustedServer.keyFile, '-out', untrustedServer.certFile, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], folder);
    return { folder, caFile: join(folder, 'ca.crt'), server, client, untrustedServer, otherHostServer, remove: () => rmSync(folder, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}
