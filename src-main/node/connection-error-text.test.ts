import { describe, expect, it } from 'vitest';
import type { BrokerEndpoint } from '../common/resolve-brokers.ts';
import { connectionErrorText } from './connection-error-text.ts';

const broker = (change: Partial<BrokerEndpoint> = {}): BrokerEndpoint => ({ id: 'line', protocol: 4, url: 'mqtts://10.0.0.5:8883', ...change });
const failure = (code: string | number, message = 'raw') => Object.assign(new Error(message), { code });

// Errors a test broker cannot easily be made to raise; the common ones are tested against a real mosquitto (broker-tls.test.ts).
describe('connectionErrorText', () => {
  it('names certificate problems a generated certificate cannot show: expired, not yet valid, refused by the broker', () => {
    expect(connectionErrorText(failure('CERT_HAS_EXPIRED'), broker())).toBe("the broker's certificate has expired: the broker needs a new one (or, insecure, tls.allowUntrusted)");
    expect(connectionErrorText(failure('CERT_NOT_YET_VALID'), broker())).toContain('not valid yet');
    expect(connectionErrorText(failure('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), broker())).toContain('it may require a client certificate: give tls.cert and tls.key');
    expect(connectionErrorText(failure('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED'), broker())).toBe('the broker says our client certificate (tls.cert) has expired');
    expect(connectionErrorText(failure('ERR_SSL_WRONG_VERSION_NUMBER'), broker())).toBe('the broker did not answer in TLS: is this port a plain mqtt:// one?');
  });

  it('tells a refusal for missing credentials from wrong ones, and names an MQTT version the broker does not speak', () => {
    expect(connectionErrorText(failure(5), broker())).toContain('it wants a username and password, and none is given');
    expect(connectionErrorText(failure(4), broker({ username: 'viewer' }))).toBe('the broker refused the username or password');
    expect(connectionErrorText(failure(134, 'Connection refused: Bad User Name or Password'), broker({ protocol: 5, username: 'viewer' }))).toBe('the broker refused the username or password');
    expect(connectionErrorText(failure(132), broker({ protocol: 5 }))).toBe('the broker does not speak this MQTT version (protocol: 5; try protocol: 4 for MQTT 3.1.1)');
    expect(connectionErrorText(failure(151, 'Connection refused: Quota exceeded'), broker())).toBe('the broker refused the connection: Quota exceeded');
  });

  it('names the address without the credentials of the URL, and keeps an unknown error as it is', () => {
    const text = connectionErrorText(failure('EHOSTUNREACH'), broker({ url: 'mqtt://viewer:secret@10.0.0.5:1883' }));
    expect(text).toBe('10.0.0.5:1883 cannot be reached from this computer (no route to the host)');
    expect(connectionErrorText(new Error('Unexpected server response: 404'), broker({ url: 'wss://h/mqtt' }))).toBe('Unexpected server response: 404');
  });
});
