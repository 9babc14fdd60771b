import { describe, expect, it } from 'vitest';
import { parsePlantOrThrow, parsePlantText } from './parse-plant.ts';
import {
  brokerCredentials,
  maxRedactedTextLength,
  redactCredentials,
  redactedMarker,
  redactPlant,
  redactPlantText,
  redactUrl,
  withheldPlantText,
} from './redact-secrets.ts';
import { seededRandom } from './seeded-random.ts';

const password = 's3cret-Pa55';
const username = 'viewer';

// Every place a plant author might leave a credential: fields, URLs, a commented-out old URL, a flow
// mapping, an alias, a block scalar, an escaped "@" in a double-quoted URL.
const plantText = `# yaml-language-server: $schema=plant.schema.json
name: Secret line   # the name stays
brokers:
  - id: line
    name: Line network
    url: mqtt://${username}:${password}@127.0.0.1:1883   # was mqtt://old-user:old-pa55@10.0.0.9:1883
    username: &user ${username}
    password: ${password}
    clientId: twinline-line
  - { id: utilities, url: "mqtts://${username}:${password}\\x40gw:8883", username: *user, password: "${password}" }
  - id: spare
    password: |
      ${password}
    username: ${username}
machines:
  - id: press-1
    name: Press 1
    area: Body shop
    line: Line 2
    primitive: { shape: box }
    signals:
      - { id: temperature, topic: plant/press-1/temperature, broker: line }
`;

describe('redactPlantText', () => {
  const redacted = redactPlantText(plantText);

  it('takes out every credential: fields, URL userinfo, aliases and old URLs in comments', () => {
    expect(plantText).toContain(password);
    expect(redacted).not.toContain(password);
    expect(redacted).not.toContain(username);
    expect(redacted).not.toContain('old-pa55');
    expect(redacted).not.toContain('old-user');
    expect(redacted).not.toMatch(/:\/\/[^\s/]*@/);
  });

  it('keeps the plant, its comments and its layout', () => {
    const lines = redacted.split('\n');
    expect(lines).toHaveLength(plantText.split('\n').length - 1); // the block scalar's line folds into one
    expect(lines[0]).toBe('# yaml-language-server: $schema=plant.schema.json');
    expect(lines[1]).toBe('name: Secret line   # the name stays');
    expect(lines[5]).toBe('    url: "mqtt://127.0.0.1:1883"   # was mqtt://10.0.0.9:1883');
    expect(lines[6]).toBe(`    username: &user "${redactedMarker}"`);
    expect(lines[7]).toBe(`    password: "${redactedMarker}"`);
    expect(lines[8]).toBe('    clientId: twinline-line');
    expect(redacted.split('\n').slice(-9).join('\n')).toBe(plantText.split('\n').slice(-9).join('\n'));
    const original = parsePlantOrThrow(plantText);
    const after = parsePlantOrThrow(redacted);
    expect(after.brokers.map((broker) => broker.url)).toEqual(['mqtt://127.0.0.1:1883', 'mqtts://gw:8883', undefined]);
    expect(after.brokers.map((broker) => [broker.username, broker.password])).toEqual([
      [redactedMarker, redactedMarker],
      [redactedMarker, redactedMarker],
      [redactedMarker, redactedMarker],
    ]);
    expect(after.machines).toEqual(original.machines);
    expect(after.name).toBe(original.name);
  });

  it('changes nothing in a redacted text, so a recording from before the fix matches one from after', () => {
    expect(redactPlantText(redacted)).toBe(redacted);
  });

  it('leaves a text with nothing secret as it is, byte for byte', () => {
    const plain = plantText
      .split('\n')
      .filter((line) => !/password|username|@|url/.test(line))
      .join('\n');
    expect(redactPlantText(plain)).toBe(plain);
  });

  it('redacts any key named like a secret, anywhere, and a secret mapping whole', () => {
    const text = `name: x\nextra:\n  apiToken: t0ken-value\n  deploy:\n    client_secret: {a: 1, nested-value: shh}\n    passphrase: [one, two]\n`;
    const result = redactPlantText(text);
    for (const secret of ['t0ken-value', 'shh', 'one', 'two']) expect(result).not.toContain(secret);
    expect(result).toContain('deploy:');
    expect(redactPlantText(result)).toBe(result);
  });

  it('takes credentials out of prose in comments too, wherever they are repeated', () => {
    const text = `# Watched with the ${username} account (ask ops for ${password}); old gateway mqtt://gw-user:gw-pa55@10.0.0.9\nname: x # gw-user is retired\nbrokers: [{ id: b, username: ${username}, password: ${password} }]\n`;
    const result = redactPlantText(text);
    for (const secret of [username, password, 'gw-user', 'gw-pa55']) expect(result).not.toContain(secret);
    expect(result).toContain(`# Watched with the ${redactedMarker} account`);
    expect(result).toContain(`name: x # ${redactedMarker} is retired`);
    expect(redactPlantText(result)).toBe(result);
  });

  it('redacts JSON plant texts too', () => {
    const json = JSON.stringify({ name: 'x', brokers: [{ id: 'b', url: `mqtt://${username}:${password}@h:1`, password }], machines: [] });
    const result = redactPlantText(json);
    expect(result).not.toContain(password);
    expect(JSON.parse(result)).toEqual({ name: 'x', brokers: [{ id: 'b', url: 'mqtt://h:1', password: redactedMarker }], machines: [] });
  });

  it('withholds a text that is not YAML whole, since its credentials cannot be told apart', () => {
    for (const broken of [
      `brokers:\n  - password: "${password}\n  unclosed: [`,
      `{password: "abc\n${password}"`,
      `? password\n: ${password}\n  - : :`,
      `a: b\na: ${password} # password`,
    ]) {
      expect(redactPlantText(broken)).toBe(withheldPlantText);
    }
    // What a reader then reports says why, rather than pointing into a text it never sees.
    const result = parsePlantText(withheldPlantText);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toContain('Withheld');
  });

  it('withholds a text over the length limit, and survives nesting deep enough to exhaust a recursive parser', () => {
    expect(redactPlantText(`password: x\n${' '.repeat(maxRedactedTextLength)}`)).toBe(withheldPlantText);
    const deep = `password: ${'['.repeat(100_000)}${password}${']'.repeat(100_000)}`;
    expect(redactPlantText(deep)).not.toContain(password);
    const deepMaps = `token:\n${Array.from({ length: 3000 }, (_, depth) => `${' '.repeat(depth + 1)}k${depth}:`).join('\n')} ${password}`;
    expect(redactPlantText(deepMaps)).not.toContain(password);
  });

  it('never throws on mangled plant texts, always leaves them with no URL userinfo, and is stable when run again', () => {
    const random = seededRandom(7);
    const alphabet = ['@', ':', '/', '#', '"', "'", '\n', ' ', '-', '[', ']', '{', '}', ',', '&a', '*a', '|', '\\', 'password: ', '://', 'x'];
    for (let round = 0; round < 400; round++) {
      let text = plantText;
      const edits = 1 + Math.floor(random() * 6);
      for (let edit = 0; edit < edits; edit++) {
        const at = Math.floor(random() * text.length);
        const cut = Math.floor(random() * 4);
        const insert = random() < 0.7 ? alphabet[Math.floor(random() * alphabet.length)]! : '';
        text = text.slice(0, at) + insert + text.slice(at + cut);
      }
      const result = redactPlantText(text);
      expect(result, text).not.toMatch(/:\/\/[^\s/?#\\"']*@/);
      expect(redactPlantText(result), text).toBe(result);
      // Where the mangled text is still a plant, no field and no URL of it holds a credential.
      if (readsAsPlant(text)) {
        for (const broker of parsePlantOrThrow(result).brokers) {
          expect([undefined, redactedMarker], text).toContain(broker.username);
          expect([undefined, redactedMarker], text).toContain(broker.password);
          if (broker.url !== undefined) expect(redactUrl(broker.url), text).toBe(broker.url);
        }
      }
    }
    // 400 parses and redactions: a second or two on a quiet machine, near the default limit on a loaded one.
  }, 60_000);
});

/** Whether a text is a valid plant; the parser itself throws on some texts (an alias before its anchor). */
function readsAsPlant(text: string): boolean {
  try {
    return parsePlantText(text).ok;
  } catch {
    // Thrown rather than reported: not a plant either way.
    return false;
  }
}

describe('redactPlant', () => {
  it('drops usernames and passwords and strips URL userinfo, the same as reading a redacted text does', () => {
    const plant = parsePlantOrThrow(plantText);
    const redacted = redactPlant(plant);
    expect(JSON.stringify(redacted)).not.toContain(password);
    expect(JSON.stringify(redacted)).not.toContain(username);
    expect(redacted.brokers).toEqual([
      { id: 'line', protocol: 4, name: 'Line network', url: 'mqtt://127.0.0.1:1883', clientId: 'twinline-line' },
      { id: 'utilities', protocol: 4, url: 'mqtts://gw:8883' },
      { id: 'spare', protocol: 4 },
    ]);
    expect(redacted.machines).toEqual(plant.machines);
    // A view shown a recording sees the very plant a view shown live sees.
    expect(redactPlant(parsePlantOrThrow(redactPlantText(plantText)))).toEqual(redacted);
    // The plant the host connects with keeps its credentials.
    expect(plant.brokers[0]!.password).toBe(password);
  });
});

describe('redactUrl', () => {
  it.each([
    ['mqtt://viewer:s3cret@10.0.0.5:1883', 'mqtt://10.0.0.5:1883'],
    ['mqtt://viewer@10.0.0.5', 'mqtt://10.0.0.5'],
    ['mqtt://viewer:p@ss:w@rd@10.0.0.5:1883/path@x?q=a@b#f@g', 'mqtt://10.0.0.5:1883/path@x?q=a@b#f@g'],
    ['wss://us%40er:p%3Ass@gw/mqtt', 'wss://gw/mqtt'],
    ['mqtt://10.0.0.5:1883', 'mqtt://10.0.0.5:1883'],
    ['not a url', 'not a url'],
    ['connect to mqtt://a:b@one:1 failed, then ws://c:d@two/x', 'connect to mqtt://one:1 failed, then ws://two/x'],
    ['mqtt://a://b@c/', 'mqtt://a://c/'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
    expect(redactUrl(expected)).toBe(expected);
  });

  it('takes time linear in the text, even for one built to make it backtrack', () => {
    const hostile = '://'.repeat(200_000) + ':@'.repeat(200_000);
    const started = performance.now();
    expect(redactUrl(hostile)).not.toContain('@');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('redactCredentials', () => {
  it("replaces a broker's credentials wherever an error text echoes them, as written and percent-decoded", () => {
    const credentials = brokerCredentials({ url: 'mqtt://us%40er:p%3Ass@gw:1883', username: 'viewer', password: 's3cret' });
    expect(credentials).toEqual(expect.arrayContaining(['us%40er', 'us@er', 'p%3Ass', 'p:ss', 'viewer', 's3cret']));
    const message = redactCredentials('auth failed for viewer/s3cret (us@er, p:ss) at mqtt://x:y@gw:1883', credentials);
    expect(message).toBe(`auth failed for ${redactedMarker}/${redactedMarker} (${redactedMarker}, ${redactedMarker}) at mqtt://gw:1883`);
  });

  it('ignores empty credentials', () => {
    expect(redactCredentials('unchanged', ['', ...brokerCredentials({ url: 'mqtt://:@h', username: '' })])).toBe('unchanged');
  });
});
