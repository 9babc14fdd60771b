import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import { loadPlantFile } from './load-plant-file.ts';
import { plainTextPasswordWarnings, referencedVariables, SecretReferenceError, substituteSecrets } from './substitute-secrets.ts';

/** A one-machine plant with these broker lines (YAML flow mappings). */
function plantText(...brokers: string[]): string {
  return `name: Secret line
brokers:
${brokers.map((broker) => `  - ${broker}`).join('\n')}
machines:
  - id: press-1
    name: Press 1
    area: Body shop
    line: Line 2
    primitive: { shape: box }
    signals:
      - { id: temperature, topic: plant/press-1/temperature }
`;
}

const plantOf = (...brokers: string[]) => parsePlantOrThrow(plantText(...brokers), 'plant.yaml');

describe('substituteSecrets', () => {
  it('fills in ${NAME} in url, username, password and clientId, whole or inside a longer text', () => {
    const plant = plantOf(
      '{ id: line2, url: "mqtts://${LINE2_HOST}:8883", username: "${LINE2_USER}", password: "${LINE2_MQTT_PASSWORD}", clientId: "twinline-${SITE}" }',
      '{ id: utilities, url: "${UTILITIES_URL}" }',
    );
    const environment = { LINE2_HOST: 'broker.plant', LINE2_USER: 'viewer', LINE2_MQTT_PASSWORD: 'pa$$ ${w0rd}', SITE: 'berlin', UTILITIES_URL: 'mqtt://10.0.0.9:1883' };
    const filled = substituteSecrets(plant, { environment });
    expect(filled.brokers[0]).toMatchObject({ url: 'mqtts://broker.plant:8883', username: 'viewer', password: 'pa$$ ${w0rd}', clientId: 'twinline-berlin' });
    expect(filled.brokers[1]!.url).toBe('mqtt://10.0.0.9:1883');
    // The plant given is left as written: the recording embeds that.
    expect(plant.brokers[0]!.password).toBe('${LINE2_MQTT_PASSWORD}');
    expect(referencedVariables(plant).sort()).toEqual(['LINE2_HOST', 'LINE2_MQTT_PASSWORD', 'LINE2_USER', 'SITE', 'UTILITIES_URL']);
  });

  it('reads $${ as a literal ${ and substitutes nothing else', () => {
    const plant = plantOf('{ id: line2, url: "mqtt://10.0.0.5:1883", username: "$${NOT_A_VARIABLE}", password: "a$b" }');
    const filled = substituteSecrets(plant, { environment: { NOT_A_VARIABLE: 'wrong' } });
    expect(filled.brokers[0]).toMatchObject({ username: '${NOT_A_VARIABLE}', password: 'a$b' });
  });

  it('names every missing or empty variable and its broker, never a value', () => {
    const plant = plantOf(
      '{ id: line2, url: "mqtt://10.0.0.5:1883", username: "${LINE2_USER}", password: "${LINE2_MQTT_PASSWORD}" }',
      '{ id: utilities, url: "mqtt://10.0.0.9:1883", password: "${UTILITIES_PASSWORD}" }',
    );
    let error: unknown;
    try {
      substituteSecrets(plant, { environment: { LINE2_USER: 'viewer-account', UTILITIES_PASSWORD: '' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SecretReferenceError);
    expect((error as SecretReferenceError).problems).toEqual([
      'broker "line2" password: the environment variable LINE2_MQTT_PASSWORD is not set',
      'broker "utilities" password: the environment variable UTILITIES_PASSWORD is empty',
    ]);
    expect((error as Error).message).not.toContain('viewer-account');
  });

  it('refuses a malformed reference without repeating the text, and checks what a reference fills in', () => {
    const plant = plantOf('{ id: line2, url: "${LINE2_URL}", password: "hunter${2" , clientId: "${CLIENT}" }');
    expect(() => substituteSecrets(plant, { environment: { LINE2_URL: 'http://evil', CLIENT: 'x'.repeat(129) } })).toThrow(SecretReferenceError);
    try {
      substituteSecrets(plant, { environment: { LINE2_URL: 'http://evil', CLIENT: 'x'.repeat(129) } });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('broker "line2" url is not an mqtt://, mqtts://, ws:// or wss:// URL once filled in');
      expect(message).toContain('broker "line2" password: holds "${" that does not start a reference like ${NAME}');
      expect(message).toContain('broker "line2" clientId must be 1 to 128 characters once filled in');
      expect(message).not.toContain('hunter');
      expect(message).not.toContain('http://evil');
    }
  });

  it('bounds a filled-in value: longer than an MQTT string can be is refused', () => {
    const plant = plantOf('{ id: line2, url: "mqtt://10.0.0.5:1883", password: "${HUGE}" }');
    expect(() => substituteSecrets(plant, { environment: { HUGE: 'x'.repeat(70_000) } })).toThrow(/broker "line2" password is longer than 65535 bytes/);
  });

  it('lets --broker replace a URL, so its reference need not be set, and a stored password replace the file\'s', () => {
    const plant = plantOf('{ id: line2, url: "${LINE2_URL}", username: viewer, password: "${LINE2_MQTT_PASSWORD}" }', '{ id: utilities, url: "${UTILITIES_URL}" }');
    const filled = substituteSecrets(plant, { environment: {}, passwords: { line2: 'from-keychain', removed: 'unused' } }, { '': 'mqtt://10.0.0.5:1883', utilities: 'mqtt://10.0.0.9:1883' });
    expect(filled.brokers.map((broker) => [broker.url, broker.password])).toEqual([
      ['mqtt://10.0.0.5:1883', 'from-keychain'],
      ['mqtt://10.0.0.9:1883', undefined],
    ]);
  });
});

describe('plainTextPasswordWarnings', () => {
  it('warns about a password written in the file or in a URL, by broker, never showing it', () => {
    const plant = plantOf(
      '{ id: literal, url: "mqtt://10.0.0.5:1883", username: viewer, password: hunter2 }',
      '{ id: in-url, url: "mqtt://viewer:hunter3@10.0.0.6:1883" }',
      '{ id: referenced, url: "mqtt://viewer:${PASSWORD}@10.0.0.7:1883", password: "${PASSWORD}" }',
      '{ id: none, url: "mqtt://10.0.0.8:1883", username: viewer }',
    );
    const warnings = plainTextPasswordWarnings(plant);
    expect(warnings).toEqual([
      'Warning: broker "literal": the password is written in the plant file; use ${VARIABLE} or the keychain',
      'Warning: broker "in-url": the password is written in the plant file; use ${VARIABLE} or the keychain',
    ]);
    expect(warnings.join('\n')).not.toMatch(/hunter/);
  });
});

describe('loadPlantFile', () => {
  const folder = mkdtempSync(join(tmpdir(), 'twinline-secrets-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('fills in references after validation, and says which variable a start lacks', () => {
    const file = join(folder, 'plant.yaml');
    writeFileSync(file, plantText('{ id: line2, url: "${LINE2_URL}", username: viewer, password: "${LINE2_MQTT_PASSWORD}" }'));
    const loaded = loadPlantFile(file, { secrets: { environment: { LINE2_URL: 'mqtt://10.0.0.5:1883', LINE2_MQTT_PASSWORD: 's3cret' } } });
    expect(loaded.plant.brokers[0]).toMatchObject({ url: 'mqtt://10.0.0.5:1883', password: 's3cret' });
    expect(loaded.warnings).toEqual([]);
    expect(() => loadPlantFile(file, { secrets: { environment: { LINE2_URL: 'mqtt://10.0.0.5:1883' } } })).toThrow(
      'broker "line2" password: the environment variable LINE2_MQTT_PASSWORD is not set',
    );
  });

  it('still refuses a wrong plant file before any reference is filled in', () => {
    const file = join(folder, 'wrong.yaml');
    writeFileSync(file, plantText('{ id: line2, url: "http://10.0.0.5", password: "${UNSET}" }'));
    expect(() => loadPlantFile(file, { secrets: { environment: {} } })).toThrow(/brokers\[0\]\.url/);
  });
});
