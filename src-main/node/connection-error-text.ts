import type { BrokerEndpoint } from '../common/resolve-brokers.ts';
import { isTlsUrl } from './broker-client-options.ts';

/** An error as MQTT.js, Node's sockets and TLS raise them: a CONNACK reason code (a number) or a Node error code (text). */
type ConnectionError = Error & { code?: unknown; hostname?: unknown; reason?: unknown };

const refusedCredentials = 'the broker refused the username or password';
const untrustedCertificate = "the broker's certificate is not signed by a trusted CA: give the CA in tls.ca (or, insecure, tls.allowUntrusted)";

/** What a broker's CONNACK refusal means to the user, by MQTT 3.1.1 return code and MQTT 5 reason code. */
function refusalText(code: number, broker: BrokerEndpoint): string | undefined {
  switch (code) {
    case 4:
    case 134:
      return refusedCredentials;
    case 5:
    case 135:
      // Mosquitto answers a wrong password with "not authorized" too.
      return broker.username === undefined && !/^[a-z]+:\/\/[^/@]*@/i.test(broker.url)
        ? 'the broker refused the connection: not authorized (it wants a username and password, and none is given)'
        : `${refusedCredentials} (not authorized)`;
    case 1:
    case 132:
      return `the broker does not speak this MQTT version (protocol: ${broker.protocol}${broker.protocol === 5 ? '; try protocol: 4 for MQTT 3.1.1' : ''})`;
    case 2:
    case 133:
      return 'the broker refused the client id (clientId)';
    case 3:
    case 136:
      return 'the broker is unavailable (it refused the connection: server unavailable)';
    case 137:
      return 'the broker is busy and refused the connection';
    case 138:
      return 'the broker has banned this client';
    case 140:
      return 'the broker refused the authentication method';
    case 156:
    case 157:
      return 'the broker refused the connection and asks to use another server';
    default:
      return undefined;
  }
}

/** What a TLS failure means to the user, by Node's error code; undefined when the code is not a TLS one this knows. */
function tlsText(code: string, error: ConnectionError, broker: BrokerEndpoint): string | undefined {
  switch (code) {
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_UNTRUSTED':
    case 'CERT_SIGNATURE_FAILURE':
      return untrustedCertificate;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return "the broker's certificate is self-signed, not signed by a trusted CA: give it (or its CA) in tls.ca (or, insecure, tls.allowUntrusted)";
    case 'CERT_HAS_EXPIRED':
      return "the broker's certificate has expired: the broker needs a new one (or, insecure, tls.allowUntrusted)";
    case 'CERT_NOT_YET_VALID':
      return "the broker's certificate is not valid yet: check this computer's clock and the broker's";
    case 'ERR_TLS_CERT_ALTNAME_INVALID': {
      const reason = typeof error.reason === 'string' ? ` (${error.reason.slice(0, 300)})` : '';
      return `the broker's certificate is made out for another host name${reason}: reach it by a name the certificate carries, or set tls.servername`;
    }
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
      return 'the broker requires a client certificate: give tls.cert and tls.key';
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
      return broker.tls?.cert === undefined
        ? 'the broker refused the TLS handshake; it may require a client certificate: give tls.cert and tls.key'
        : 'the broker refused the TLS handshake (a client certificate it does not accept, or no cipher in common)';
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA':
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE':
    case 'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE':
    case 'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED':
      return 'the broker does not accept our client certificate (tls.cert): it is not signed by a CA the broker trusts';
    case 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED':
      return 'the broker says our client certificate (tls.cert) has expired';
    case 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED':
      return 'the broker says our client certificate (tls.cert) is revoked';
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      return 'the broker did not answer in TLS: is this port a plain mqtt:// one?';
    default:
      return code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') ? `the TLS connection failed (${code})` : undefined;
  }
}

/** The host and port a URL points at, as people write them. */
function address(url: string): string {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1] ?? url;
  return authority.slice(authority.lastIndexOf('@') + 1);
}

/**
 * A connection failure in words a plant engineer can act on: refused credentials, which certificate
 * problem, a missing client certificate, a refused or timed-out connection, a host name that does
 * not resolve. Unknown errors keep MQTT.js's message. The caller still removes credentials from it.
 */
export function connectionErrorText(error: ConnectionError, broker: BrokerEndpoint): string {
  const code = error.code;
  if (typeof code === 'number') return refusalText(code, broker) ?? `the broker refused the connection: ${error.message.replace(/^Connection refused: /, '')}`;
  const where = address(broker.url);
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused at ${where}: is the broker running, and is the port right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return `the host name of ${where} cannot be resolved (DNS${code === 'ENOTFOUND' ? '' : `: ${code}`})`;
    case 'ETIMEDOUT':
      return `connecting to ${where} timed out: no answer from the broker (a firewall, or the wrong address?)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached from this computer (${code === 'EHOSTUNREACH' ? 'no route to the host' : 'network unreachable'})`;
    case 'ECONNRESET':
    case 'EPIPE':
      return isTlsUrl(broker.url)
        ? `the broker closed the connection (${code})`
        : `the broker closed the connection (${code}); if its port expects TLS, use mqtts://`;
    default:
      break;
  }
  if (typeof code === 'string') {
    const tls = tlsText(code, error, broker);
    if (tls !== undefined) return tls;
  }
  if (error.message === 'connack timeout') return `the broker at ${where} did not answer the connection request in time (timeout)`;
  return error.message;
}
