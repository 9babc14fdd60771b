import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IClientOptions } from 'mqtt';
import type { BrokerEndpoint } from '../common/resolve-brokers.ts';

/** Largest PEM file read for a broker's TLS settings: a certificate chain is kilobytes. */
export const maxPemFileBytes = 1024 * 1024;

/** What a broker's settings ask of MQTT.js, and what is insecure about them. */
export interface BrokerClientSettings {
  /** Protocol, credentials, session and TLS options; the connection adds its own timing, will and client id. */
  options: IClientOptions;
  /** What the user must be told about this connection (shown wherever the broker is). */
  warnings: string[];
}

/** The warning of a broker whose certificate is not checked. */
export const untrustedWarning = 'certificate not verified: anyone in the path can read and change the telemetry';

/** URL schemes MQTT.js reaches over TLS. */
const tlsSchemes = new Set(['mqtts', 'ssl', 'tls', 'wss', 'wxs', 'alis']);

/** The scheme of a broker URL, lower case ("mqtt", "wss" …); "" when it has none. */
export function urlScheme(url: string): string {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase() ?? '';
}

/** Whether a broker URL is reached over TLS. */
export function isTlsUrl(url: string): boolean {
  return tlsSchemes.has(urlScheme(url));
}

/** Whether a URL carries a password in its userinfo (`user:pass@`). */
function urlHasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    // Expected for a URL WHATWG cannot parse: MQTT.js refuses it with its own error when the connection starts.
    return false;
  }
}

/**
 * Reads one PEM file of a broker's `tls` block, bounded in size; the error names the broker and the
 * file, never its contents.
 */
function readPemFile(broker: BrokerEndpoint, field: 'ca' | 'cert' | 'key', file: string): Buffer {
  const path = resolve(broker.plantDirectory ?? process.cwd(), file);
  const name = `broker "${broker.id}": tls.${field} file ${path}`;
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r');
  } catch (error) {
    throw new Error(`${name} cannot be opened: ${(error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))}`);
  }
  try {
    const stat = fstatSync(descriptor);
    if (!stat.isFile()) throw new Error(`${name} is not a file`);
    if (stat.size > maxPemFileBytes) throw new Error(`${name} is ${stat.size} bytes; a PEM file may have at most ${maxPemFileBytes}`);
    // Read at most one byte past the limit, so a file that grows after the stat is still refused.
    const buffer = Buffer.alloc(maxPemFileBytes + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(descriptor, buffer, length, buffer.length - length, null);
    if (length > maxPemFileBytes) throw new Error(`${name} is larger than ${maxPemFileBytes} bytes, the most a PEM file may have`);
    const contents = buffer.subarray(0, length);
    if (!contents.includes('-----BEGIN ')) throw new Error(`${name} is not a PEM file (it has no "-----BEGIN" line)`);
    return Buffer.from(contents);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(name)) throw error;
    throw new Error(`${name} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))}`);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Turns a broker's protocol, credentials, session and TLS settings into MQTT.js options, reading
 * its PEM files (relative to the plant file's folder). Throws, naming the broker, when the settings
 * cannot work: a `tls` block on a URL that is not TLS, or a PEM file that cannot be read.
 */
export function brokerClientSettings(broker: BrokerEndpoint): BrokerClientSettings {
  const scheme = urlScheme(broker.url);
  const tls = isTlsUrl(broker.url);
  const warnings: string[] = [];
  const persistent = broker.session?.persistent ?? false;
  const options: IClientOptions = {
    protocolVersion: broker.protocol,
    username: broker.username,
    password: broker.password,
    // A persistent session keeps the host's subscriptions and queued QoS 1 messages while it is away.
    clean: !persistent,
  };
  if (broker.protocol === 5) {
    options.properties = {
      ...(persistent ? { sessionExpiryInterval: broker.session?.expiry ?? 3600 } : {}),
      // MQTT.js holds a whole packet before the payload limit can be checked: MQTT 5 lets the host say what it takes at most.
      ...(broker.maxPacketBytes === undefined ? {} : { maximumPacketSize: broker.maxPacketBytes }),
    };
  }
  if (broker.tls !== undefined) {
    if (!tls) {
      throw new Error(`broker "${broker.id}": its tls settings need a TLS URL (mqtts:// or wss://), but its URL is ${scheme === '' ? 'not one' : `${scheme}://`}: change the URL or remove the tls block`);
    }
    const settings = broker.tls;
    if (settings.ca !== undefined) options.ca = readPemFile(broker, 'ca', settings.ca);
    if (settings.cert !== undefined) options.cert = readPemFile(broker, 'cert', settings.cert);
    if (settings.key !== undefined) options.key = readPemFile(broker, 'key', settings.key);
    if (settings.servername !== undefined) options.servername = settings.servername;
    if (settings.allowUntrusted) {
      options.rejectUnauthorized = false;
      warnings.push(untrustedWarning);
    }
    if (scheme === 'wss' || scheme === 'wxs') {
      // MQTT.js hands the WebSocket only some TLS options; the server name is not among them.
      options.wsOptions = {
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        ...(options.cert === undefined ? {} : { cert: options.cert }),
        ...(options.key === undefined ? {} : { key: options.key }),
        ...(settings.servername === undefined ? {} : { servername: settings.servername }),
        rejectUnauthorized: !settings.allowUntrusted,
      };
    }
  }
  if (!tls && ((broker.password !== undefined && broker.password !== '') || urlHasPassword(broker.url))) {
    warnings.push(`password sent unencrypted over ${scheme === '' ? 'a plain connection' : `${scheme}://`}: anyone in the path can read it; use mqtts:// or wss://`);
  }
  return { options, warnings };
}
