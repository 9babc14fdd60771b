import { describe, expect, it } from 'vitest';
import type { ConnectionStatus, ProblemKind } from '../common/contract.ts';
import { problemKinds } from '../common/contract.ts';
import { seededRandom } from '../common/seeded-random.ts';
import { LiveSource } from './live-source.ts';
import { encodeSparkplugPayload, type SparkplugMetricInput } from './sparkplug/sparkplug-payload-codec.ts';
import { sparkplugTopic } from './testing/sparkplug-edge-test.ts';
import { testPlant, unusedBroker } from './testing/test-plants.ts';

// 100,000 random and mutated payloads through the real decoders, by the path every broker message
// takes (`LiveSource.ingest`). The generator knows what most of its inputs must become — a sample of
// a known value, or a problem of a known kind — and the rest (bytes mutated at random, random JSON)
// must at least become exactly one of the two: nothing crashes, nothing is lost uncounted.

// 70,000 JSON and 30,000 Sparkplug B messages; TWINLINE_FUZZ_MESSAGES scales both.
const totalMessages = Number(process.env.TWINLINE_FUZZ_MESSAGES ?? 100_000);
const messageCount = Math.round(totalMessages * 0.7);
const sparkplugMessageCount = totalMessages - messageCount;
const maxPayloadBytes = 2048;
const maxClockSkewSeconds = 60;
const states = { RUNNING: 1, IDLE: 0, FAULT: 2, 'Out of service': 3 };

// One signal per topic, so that every message ends as exactly one sample or one problem.
const fuzzSettings = { maxPayloadBytes, maxClockSkew: maxClockSkewSeconds };
const plant = testPlant({
  name: 'Fuzzed line',
  settings: fuzzSettings,
  brokers: [unusedBroker],
  machines: [
    {
      id: 'press',
      signals: [
        { id: 'force', topic: 'f/plain', limits: { highWarn: 50, highAlarm: 100, onDelay: 1 } },
        { id: 'speed', topic: 'f/nested', path: 'data.values[1].x' },
        { id: 'mode', topic: 'f/mode', states },
        { id: 'pressure', topic: 'f/scaled', scale: 1000, offset: -10, limits: { lowAlarm: 0 } },
      ],
    },
  ],
});
type SignalName = 'plain' | 'nested' | 'mode' | 'scaled';
const signals: readonly SignalName[] = ['plain', 'nested', 'mode', 'scaled'];
const topicOf: Record<SignalName, string> = { plain: 'f/plain', nested: 'f/nested', mode: 'f/mode', scaled: 'f/scaled' };
const indexOf: Record<SignalName, number> = { plain: 0, nested: 1, mode: 2, scaled: 3 };

/** What a generated message must become. */
type Expected =
  | { outcome: 'sample'; signal: number; value: number; skewed: boolean }
  | { outcome: 'problem'; kind: ProblemKind }
  /** Mutated or random: a sample or a problem, whichever the decoder finds. */
  | { outcome: 'either' };

interface Message {
  topic: string;
  payload: Uint8Array;
  expected: Expected;
  /** What made it, for a failure's message. */
  family: string;
}

/** Makes the fuzz messages, each with what it must become; `now` is the host's clock when it is ingested. */
function messageGenerator(seed: number) {
  const random = seededRandom(seed);
  const below = (count: number) => Math.floor(random() * count);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
  const bytes = (text: string) => Buffer.from(text, 'utf8');

  const measuredNumber = () =>
    pick([() => below(2000) - 1000, () => (below(2_000_000) - 1_000_000) / 1000, () => random() * 1e6, () => -random() * 1e-6, () => 0, () => 2 ** 53 + 2, () => Number.MIN_VALUE])();

  /** A timestamp field that is used (near the clock), skewed (far from it) or ignored, and which it is. */
  const timestamp = (now: number): { field?: [string, unknown]; skewed: boolean } => {
    const name = pick(['timestamp', 'time', 'ts']);
    switch (below(7)) {
      case 0:
        return { field: [name, now - below(30_000)], skewed: false };
      case 1:
        return { field: [name, (now - below(30_000)) / 1000], skewed: false };
      case 2:
        return { field: [name, new Date(now - below(30_000)).toISOString()], skewed: false };
      case 3:
        return { field: [name, now - (maxClockSkewSeconds + 1 + below(1e6)) * 1000], skewed: true };
      case 4:
        return { field: [name, pick(['yesterday', '2026-11-25T06:00:00', '', 'NaN', -1, 0, null, [], {}])], skewed: false };
      default:
        return { skewed: false };
    }
  };

  /** A quality field and whether it leaves the value as it is (good, uncertain) or makes the sample bad. */
  const quality = (): { field?: [string, unknown]; bad: boolean } => {
    const name = pick(['quality', 'q']);
    switch (below(4)) {
      case 0:
        return { field: [name, pick(['good', 'OK', ' Good', 0, 192, 255, 0x0000_0400, true, null])], bad: false };
      case 1:
        return { field: [name, pick(['uncertain', 'UncertainLastUsableValue', 0x4000_0000, 0x4093_0000, 64, 86])], bad: false };
      case 2:
        return { field: [name, pick(['bad', 'Bad_NotConnected', 'stale', 'error', '', 0x8000_0000, 0x8034_0000, 0xc000_0000, 24, 128, 1.5, -4, false, {}, [1]])], bad: true };
      default:
        return { bad: false };
    }
  };

  /** A valid payload for a signal and the value it must give. */
  const valid = (signal: SignalName, now: number): { payload: string; value: number; skewed: boolean; family: string } => {
    // The reading itself: a measured number (scaled for the scaled signal), a boolean, a numeric text, or a state.
    let reading: unknown;
    let value: number;
    if (signal === 'mode') {
      const [name, code] = pick(Object.entries(states));
      // A state signal takes the state's text in any case, or a device's own number for it.
      reading = pick([name, name.toLowerCase(), name.toUpperCase(), ` ${name} `, code]);
      value = code;
    } else if (random() < 0.15) {
      reading = random() < 0.5;
      value = reading ? 1 : 0;
    } else {
      const number = measuredNumber();
      reading = random() < 0.15 ? String(number) : number;
      value = signal === 'scaled' ? number * 1000 - 10 : number;
    }
    const stamp = timestamp(now);
    const grade = quality();
    let wrapped: unknown = reading;
    let family = 'bare';
    // A bare reading cannot carry a timestamp or quality; a value object can.
    if (random() < 0.7 || grade.bad || stamp.field) {
      family = 'value object';
      const short = random() < 0.2 && !stamp.field;
      const object: Record<string, unknown> = short ? { v: reading } : { value: reading };
      if (grade.field) object[grade.field[0]] = grade.field[1];
      if (stamp.field) object[stamp.field[0]] = stamp.field[1];
      // A bad reading often comes with no value at all.
      if (grade.bad && random() < 0.3) object.value = pick([null, 'n/a', {}]);
      wrapped = object;
    }
    if (signal === 'nested') wrapped = { data: { values: [{ x: -1 }, { x: wrapped, y: 2 }] }, other: 'ignored' };
    return { payload: JSON.stringify(wrapped), value: grade.bad ? Number.NaN : value, skewed: stamp.skewed, family: `valid ${family}` };
  };

  /** A payload that is well-formed JSON but not a sample of this signal, and the kind of problem it is. */
  const wrong = (signal: SignalName): { payload: string; kind: ProblemKind; family: string } => {
    const at = (inner: unknown) => (signal === 'nested' ? { data: { values: [0, { x: inner }] } } : inner);
    const choice = below(6);
    if (choice === 0) {
      if (signal === 'nested') return { payload: pick(['{}', '{"data": {"values": [1]}}', '{"data": 5}', '[]', '"x"', '{"data": {"values": [0, {"y": 1}]}}']), kind: 'missingField', family: 'no field' };
      return { payload: JSON.stringify(pick([{}, { temperature: 5 }, { quality: 'good' }, { ts: 1 }])), kind: 'missingField', family: 'no value field' };
    }
    if (choice === 1 && signal === 'mode') {
      return { payload: JSON.stringify(at(pick(['zz-RUNNING', 'RUNNINGG', '1', 'unknown', '', 'x'.repeat(1500)]))), kind: 'unknownState', family: 'unknown state' };
    }
    if (choice === 2 && signal === 'scaled') return { payload: JSON.stringify(at(pick([1e306, -1e307, Number.MAX_VALUE]))), kind: 'wrongType', family: 'beyond the doubles once scaled' };
    if (choice === 3) {
      // Nesting as deep as the size limit allows.
      const depth = 1 + below(maxPayloadBytes / 2 - 20);
      const deep = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
      return { payload: signal === 'nested' ? `{"data": ${deep}}` : deep, kind: signal === 'nested' ? 'missingField' : 'wrongType', family: 'deep nesting' };
    }
    const wrongValue = pick([null, [1, 2], { a: 1 }, ...(signal === 'mode' ? [] : ['hot', 'NaN', 'Infinity', '0x10', ' 5', '1,5'])]);
    const payload = random() < 0.5 ? at(wrongValue) : at({ value: wrongValue, quality: pick(['good', 0, null]) });
    // A wrong value in an object is still a wrong value.
    return { payload: JSON.stringify(payload), kind: 'wrongType', family: 'wrong type' };
  };

  /** Bytes that are no JSON whatever follows them. */
  const malformed = (signal: SignalName, now: number): { payload: Uint8Array; family: string } => {
    switch (below(4)) {
      case 0: {
        // A proper prefix of an object is never JSON: its braces do not close.
        const whole = JSON.stringify({ value: measuredNumber(), quality: 'good', padding: 'p'.repeat(below(200)) });
        return { payload: bytes(whole.slice(0, 1 + below(whole.length - 1))), family: 'cut short' };
      }
      case 1: {
        // A control character is never JSON, whatever bytes follow it.
        const garbage = Buffer.alloc(1 + below(maxPayloadBytes));
        for (let index = 0; index < garbage.length; index++) garbage[index] = below(256);
        garbage[0] = below(9);
        return { payload: garbage, family: 'binary garbage' };
      }
      case 2:
        return { payload: new Uint8Array(0), family: 'empty' };
      default: {
        // Invalid UTF-8 in front of a valid payload: the replacement character is no JSON.
        const tail = bytes(valid(signal, now).payload);
        return { payload: Buffer.concat([Buffer.from([pick([0xff, 0xc0, 0x80, 0xfe])]), tail]), family: 'invalid UTF-8' };
      }
    }
  };

  /** A random JSON value, up to some depth. */
  const randomJson = (depth: number): unknown => {
    const choice = below(depth > 3 ? 6 : 9);
    switch (choice) {
      case 0:
        return measuredNumber();
      case 1:
        return random() < 0.5;
      case 2:
        return null;
      case 3:
        return pick(['RUNNING', 'idle', 'good', 'bad', '12.5', '', 'value', '2026-11-25T06:00:00Z']);
      case 4:
        return pick([0, 192, 0x8000_0000, 1.7e9, 1.7e12, -1]);
      case 5:
        return String.fromCharCode(...Array.from({ length: below(8) }, () => below(0x3000)));
      case 6:
      case 7: {
        const object: Record<string, unknown> = {};
        for (let count = below(5); count > 0; count--) object[pick(['value', 'v', 'q', 'quality', 'ts', 't', 'time', 'timestamp', 'data', 'values', 'x', '__proto__', 'constructor'])] = randomJson(depth + 1);
        return object;
      }
      default:
        return Array.from({ length: below(4) }, () => randomJson(depth + 1));
    }
  };

  /** Flips, inserts or deletes a few bytes of a payload, keeping it within the size limit. */
  const mutate = (payload: Uint8Array): Uint8Array => {
    const bytesList = [...payload];
    for (let count = 1 + below(4); count > 0; count--) {
      const position = below(bytesList.length + 1);
      const action = below(3);
      if (action === 0 && bytesList.length > 0) bytesList[Math.min(position, bytesList.length - 1)] = below(256);
      else if (action === 1 && bytesList.length < maxPayloadBytes) bytesList.splice(position, 0, pick([below(256), 0x22, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x30, 0x2e, 0x65]));
      else bytesList.splice(position, 1);
    }
    return Uint8Array.from(bytesList);
  };

  return (now: number): Message => {
    const roll = random();
    const signal = pick(signals);
    const topic = topicOf[signal];
    if (roll < 0.3) {
      const made = valid(signal, now);
      return { topic, payload: bytes(made.payload), expected: { outcome: 'sample', signal: indexOf[signal], value: made.value, skewed: made.skewed }, family: made.family };
    }
    if (roll < 0.45) {
      const made = wrong(signal);
      return { topic, payload: bytes(made.payload), expected: { outcome: 'problem', kind: made.kind }, family: made.family };
    }
    if (roll < 0.55) {
      const made = malformed(signal, now);
      return { topic, payload: made.payload, expected: { outcome: 'problem', kind: 'malformedPayload' }, family: made.family };
    }
    if (roll < 0.6) {
      // Over the limit, on any topic (the size is checked first), in any bytes.
      const size = maxPayloadBytes + 1 + below(maxPayloadBytes * 3);
      const payload = random() < 0.5 ? Buffer.alloc(size, pick([0x20, 0x31, 0xff])) : bytes(JSON.stringify({ value: 1, padding: 'x'.repeat(size) }));
      return { topic: random() < 0.8 ? topic : 'x/elsewhere', payload, expected: { outcome: 'problem', kind: 'oversizePayload' }, family: 'oversize' };
    }
    if (roll < 0.65) {
      const other = pick(['x/unknown', 'f/plain/extra', 'F/PLAIN', 'f/plain ', '', 'spBv1.0/G/NDATA/n', `f/${'deep/'.repeat(below(50))}`]);
      return { topic: other, payload: bytes(JSON.stringify(randomJson(0))), expected: { outcome: 'problem', kind: 'unknownTopic' }, family: 'unknown topic' };
    }
    if (roll < 0.85) return { topic, payload: mutate(bytes(valid(signal, now).payload)), expected: { outcome: 'either' }, family: 'mutated' };
    return { topic, payload: bytes(JSON.stringify(randomJson(0))), expected: { outcome: 'either' }, family: 'random JSON' };
  };
}

describe('decoder fuzz', () => {
  it(`${messageCount.toLocaleString('en')} random and mutated JSON payloads: no crash, every message a sample or a counted problem of the expected kind`, { timeout: 120_000 }, () => {
    let now = 1_800_000_000_000;
    const logged: string[] = [];
    const samples: Array<{ signal: number; value: number; time: number }> = [];
    const live = new LiveSource({
      plant,
      clock: () => now,
      staleCheckIntervalMs: 0,
      log: (line) => logged.push(line),
      observer: { onSample: (signal, value, time) => samples.push({ signal, value, time }), onConnection: () => {}, onMachineHealth: () => {} },
    });
    const status: ConnectionStatus = { brokerId: 'line', url: '', state: 'connected', since: now, reconnectAttempts: 0, protocol: 4, subscriptions: 0, warnings: [] };
    live.applyBrokerStatus(0, status);
    let frames = 0;
    live.subscribe('frame', () => frames++);

    const next = messageGenerator(20_261_201);
    const expectedProblems = Object.fromEntries(problemKinds.map((kind) => [kind, 0])) as Record<ProblemKind, number>;
    const families = new Map<string, number>();
    let expectedSamples = 0;
    let expectedSkewed = 0;
    let eitherMessages = 0;
    let eitherSamples = 0;
    let lastTime = 0;
    const started = performance.now();
    for (let index = 0; index < messageCount; index++) {
      now += 1 + (index % 3);
      const message = next(now);
      families.set(message.family, (families.get(message.family) ?? 0) + 1);
      const before = samples.length;
      live.ingest(0, message.topic, message.payload);
      const made = samples.slice(before);
      const label = () => `message ${index} (${message.family}) on "${message.topic}": ${Buffer.from(message.payload).toString('utf8').slice(0, 300)}`;
      for (const sample of made) {
        // Infinity means "source lost", which no payload may claim; sample times never run backwards.
        if (sample.value === Number.POSITIVE_INFINITY || sample.value === Number.NEGATIVE_INFINITY || sample.time < lastTime) expect.fail(`${label()} gave ${JSON.stringify(sample)}`);
        lastTime = sample.time;
      }
      const { expected } = message;
      if (expected.outcome === 'sample') {
        expectedSamples++;
        if (expected.skewed) expectedSkewed++;
        if (made.length !== 1 || made[0]!.signal !== expected.signal || !Object.is(made[0]!.value, expected.value)) {
          expect.fail(`${label()} should give ${expected.value} on signal ${expected.signal}, gave ${JSON.stringify(made.map((sample) => [sample.signal, String(sample.value)]))}`);
        }
      } else if (expected.outcome === 'problem') {
        expectedProblems[expected.kind]++;
        if (made.length !== 0) expect.fail(`${label()} should be refused as ${expected.kind}, gave a sample ${String(made[0]!.value)}`);
      } else {
        eitherMessages++;
        if (made.length > 1) expect.fail(`${label()} gave ${made.length} samples`);
        eitherSamples += made.length;
      }
      // Frames are cut as the host cuts them, so health, staleness and on-delays run on what was fed.
      if (index % 500 === 0) live.flush();
    }
    live.flush();
    const elapsedMs = performance.now() - started;

    const diagnostics = live.diagnostics();
    const problems = Object.values(diagnostics.problemCounts).reduce((sum, count) => sum + count, 0);
    // Every message is counted, and ends as exactly one sample or one problem.
    expect(diagnostics.messagesReceived).toBe(messageCount);
    expect(diagnostics.samplesAccepted + problems).toBe(messageCount);
    expect(diagnostics.samplesAccepted).toBe(samples.length);
    expect(diagnostics.samplesAccepted).toBe(expectedSamples + eitherSamples);
    // Each kind holds at least the messages made to be of it; what is beyond them came from the mutated and random ones.
    const beyond = problemKinds.map((kind) => diagnostics.problemCounts[kind] - expectedProblems[kind]);
    expect(beyond.every((count) => count >= 0), JSON.stringify({ counted: diagnostics.problemCounts, expected: expectedProblems })).toBe(true);
    expect(beyond.reduce((sum, count) => sum + count, 0)).toBe(eitherMessages - eitherSamples);
    // Mutations keep the topic and the size, and nothing here is Sparkplug.
    for (const kind of ['oversizePayload', 'unknownTopic', 'unknownAlias', 'dataBeforeBirth'] as const) expect(diagnostics.problemCounts[kind], kind).toBe(expectedProblems[kind]);
    expect(diagnostics.brokers[0]!.clockSkewed).toBeGreaterThanOrEqual(expectedSkewed);
    expect(diagnostics.brokers[0]).toMatchObject({ messagesReceived: messageCount, samplesAccepted: diagnostics.samplesAccepted, problemCounts: diagnostics.problemCounts });
    // The generator made a fair share of every kind, bad-quality samples among them.
    for (const kind of ['malformedPayload', 'wrongType', 'missingField', 'unknownTopic', 'oversizePayload', 'unknownState'] as const) {
      expect(expectedProblems[kind], kind).toBeGreaterThan(messageCount / 200);
    }
    expect(samples.filter((sample) => Number.isNaN(sample.value)).length).toBeGreaterThan(messageCount / 50);
    expect(eitherMessages).toBeGreaterThan(messageCount / 10);
    expect(eitherSamples).toBeGreaterThan(0);
    expect(eitherSamples).toBeLessThan(eitherMessages);
    expect(frames).toBeGreaterThan(0);
    expect(logged).toEqual([]);
    console.log(
      `decoder fuzz: ${messageCount} messages in ${Math.round(elapsedMs)} ms; ${diagnostics.samplesAccepted} samples, problems ${JSON.stringify(diagnostics.problemCounts)}, ` +
        `${eitherMessages} mutated or random (${eitherSamples} of them samples); families ${JSON.stringify(Object.fromEntries(families))}`,
    );
  });
});

// Sparkplug B: one edge node with a metric of its own and a device, driven through births, data,
// deaths and every kind of damage. A Sparkplug message may carry any number of metrics, so the count
// is per message and exact: each known message must give exactly its samples, lost sources and
// problems; a mutated one whatever it gives, after which a new birth brings the node back in step.

const sparkplugPlant = testPlant({
  name: 'Fuzzed edge',
  settings: fuzzSettings,
  brokers: [{ ...unusedBroker, id: 'edge', sparkplug: { hostId: 'fuzz' } }],
  machines: [
    {
      id: 'mill',
      signals: [
        { id: 'speed', sparkplug: { group: 'G', node: 'N', metric: 'Drive/Speed' }, scale: 2, limits: { highAlarm: 1000 } },
        { id: 'mode', sparkplug: { group: 'G', node: 'N', device: 'D', metric: 'Mode' }, states: { RUNNING: 1, IDLE: 0, FAULT: 2 } },
      ],
    },
  ],
});
const speedSignal = 0;
const modeSignal = 1;
const speedAlias = 1;
const modeAlias = 2;

/** What a Sparkplug message must give: its samples (signal, value), lost signals and problems, or anything (mutated). */
type SparkplugExpected = { samples: Array<[number, number]>; lost: number[]; problems: Partial<Record<ProblemKind, number>> } | 'either';

interface SparkplugMessage {
  topic: string;
  payload: Uint8Array;
  expected: SparkplugExpected;
  family: string;
}

/** Makes Sparkplug messages that follow one edge node's life, each with what it must give. */
function sparkplugGenerator(seed: number) {
  const random = seededRandom(seed);
  const below = (count: number) => Math.floor(random() * count);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
  const topic = (type: string, device?: string) => sparkplugTopic(type, { group: 'G', node: 'N', device });
  const encode = (payload: { timestamp?: number; seq?: number; metrics: SparkplugMetricInput[] }) => encodeSparkplugPayload(payload);
  const nothing = (): SparkplugExpected => ({ samples: [], lost: [], problems: {} });

  let nodeBorn = false;
  let deviceBorn = false;
  let seq = 0;
  let bdSeq = 0;
  // After a mutated message the node's state is unknown until its next birth.
  let inStep = true;

  const nextSeq = () => {
    const current = seq;
    seq = (seq + 1) % 256;
    return current;
  };
  /** A speed reading: a number, or (with its expected value NaN) bad quality or a null value. */
  const speedMetric = (named: boolean): { metric: SparkplugMetricInput; value: number } => {
    const reading = pick([() => below(100_000) / 100, () => -random() * 1e6, () => 0, () => 2 ** 53])();
    const base = named ? { name: 'Drive/Speed', alias: speedAlias } : { alias: speedAlias };
    switch (below(5)) {
      case 0:
        return { metric: { ...base, type: 'Double', value: reading, properties: { Quality: { type: 'Int32', value: pick([0, 500, 64]) } } } as SparkplugMetricInput, value: Number.NaN };
      case 1:
        return { metric: { ...base, type: 'Double', value: null, isNull: true } as unknown as SparkplugMetricInput, value: Number.NaN };
      case 2:
        return { metric: { ...base, type: 'Double', value: reading, properties: { Quality: { type: 'Int32', value: 192 } } } as SparkplugMetricInput, value: reading * 2 };
      default:
        return { metric: { ...base, type: 'Double', value: reading } as SparkplugMetricInput, value: reading * 2 };
    }
  };
  const nodeBirth = (now: number): SparkplugMessage => {
    bdSeq = (bdSeq + 1) % 256;
    seq = 0;
    nodeBorn = true;
    deviceBorn = false;
    inStep = true;
    const speed = speedMetric(true);
    const payload = encode({ timestamp: now, seq: nextSeq(), metrics: [{ name: 'bdSeq', type: 'Int64', value: bdSeq } as SparkplugMetricInput, speed.metric] });
    return { topic: topic('NBIRTH'), payload, expected: { samples: [[speedSignal, speed.value]], lost: [], problems: {} }, family: 'NBIRTH' };
  };
  const modeReading = (): { value: string; expected: SparkplugExpected } => {
    const state = pick([['RUNNING', 1], ['IDLE', 0], ['FAULT', 2], ['running', 1], [' Idle ', 0], ['STOPPED', undefined]] as const);
    return {
      value: state[0],
      expected: state[1] === undefined ? { samples: [], lost: [], problems: { unknownState: 1 } } : { samples: [[modeSignal, state[1]]], lost: [], problems: {} },
    };
  };
  /** Valid data of the node in its current state. */
  const known = (now: number): SparkplugMessage => {
    const roll = random();
    if (!nodeBorn) {
      if (roll < 0.75) return nodeBirth(now);
      return { topic: topic('NDATA'), payload: encode({ timestamp: now, seq: below(256), metrics: [speedMetric(false).metric] }), expected: { samples: [], lost: [], problems: { dataBeforeBirth: 1 } }, family: 'NDATA before NBIRTH' };
    }
    if (roll < 0.4) {
      const speed = speedMetric(random() < 0.2);
      return { topic: topic('NDATA'), payload: encode({ timestamp: now, seq: nextSeq(), metrics: [speed.metric] }), expected: { samples: [[speedSignal, speed.value]], lost: [], problems: {} }, family: 'NDATA' };
    }
    if (roll < 0.6) {
      if (!deviceBorn) {
        return { topic: topic('DDATA', 'D'), payload: encode({ timestamp: now, seq: nextSeq(), metrics: [{ alias: modeAlias, type: 'String', value: 'IDLE' } as SparkplugMetricInput] }), expected: { samples: [], lost: [], problems: { dataBeforeBirth: 1 } }, family: 'DDATA before DBIRTH' };
      }
      const mode = modeReading();
      return { topic: topic('DDATA', 'D'), payload: encode({ timestamp: now, seq: nextSeq(), metrics: [{ alias: modeAlias, type: 'String', value: mode.value } as SparkplugMetricInput] }), expected: mode.expected, family: 'DDATA' };
    }
    if (roll < 0.7) {
      deviceBorn = true;
      const mode = modeReading();
      return { topic: topic('DBIRTH', 'D'), payload: encode({ timestamp: now, seq: nextSeq(), metrics: [{ name: 'Mode', alias: modeAlias, type: 'String', value: mode.value } as SparkplugMetricInput] }), expected: mode.expected, family: 'DBIRTH' };
    }
    if (roll < 0.75) {
      return { topic: topic('NDATA'), payload: encode({ timestamp: now, seq: nextSeq(), metrics: [{ alias: 99, type: 'Double', value: 1 } as SparkplugMetricInput] }), expected: { samples: [], lost: [], problems: { unknownAlias: 1 } }, family: 'unknown alias' };
    }
    if (roll < 0.78) {
      // A death with another bdSeq is an older connection's will: nothing happens.
      const matching = random() < 0.7;
      const payload = encode({ timestamp: now, metrics: [{ name: 'bdSeq', type: 'Int64', value: matching ? bdSeq : (bdSeq + 1) % 256 } as SparkplugMetricInput] });
      if (!matching) return { topic: topic('NDEATH'), payload, expected: nothing(), family: 'NDEATH of another birth' };
      nodeBorn = false;
      deviceBorn = false;
      return { topic: topic('NDEATH'), payload, expected: { samples: [], lost: [speedSignal, modeSignal], problems: {} }, family: 'NDEATH' };
    }
    if (roll < 0.8) {
      const wasBorn = deviceBorn;
      deviceBorn = false;
      return { topic: topic('DDEATH', 'D'), payload: encode({ timestamp: now, seq: nextSeq(), metrics: [] }), expected: { samples: [], lost: wasBorn ? [modeSignal] : [], problems: {} }, family: 'DDEATH' };
    }
    if (roll < 0.82) return nodeBirth(now);
    // Messages that are not this node's data: commands, another host's STATE, a node the plant does not bind.
    const other = pick([
      { topic: topic('NCMD'), payload: encode({ timestamp: now, metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true } as SparkplugMetricInput] }) },
      { topic: 'spBv1.0/STATE/other-host', payload: Buffer.from(JSON.stringify({ online: true, timestamp: now })) },
      { topic: 'spBv1.0/G/NDATA/Unbound', payload: encode({ timestamp: now, seq: below(256), metrics: [{ alias: 1, type: 'Double', value: 1 } as SparkplugMetricInput] }) },
    ]);
    return { ...other, expected: nothing(), family: 'not ours' };
  };

  return (now: number): SparkplugMessage => {
    if (!inStep) return nodeBirth(now);
    const roll = random();
    if (roll < 0.6) return known(now);
    if (roll < 0.68) {
      // Wire types 6 and 7 do not exist: protobuf refuses such a payload at its first byte.
      const garbage = Buffer.alloc(1 + below(maxPayloadBytes));
      for (let index = 0; index < garbage.length; index++) garbage[index] = below(256);
      garbage[0] = pick([0x06, 0x07, 0x7e, 0x7f]);
      return { topic: topic(pick(['NBIRTH', 'NDATA', 'NDEATH'])), payload: garbage, expected: { samples: [], lost: [], problems: { malformedPayload: 1 } }, family: 'binary garbage' };
    }
    if (roll < 0.72) {
      const payload = Buffer.alloc(maxPayloadBytes + 1 + below(maxPayloadBytes * 3), pick([0x00, 0x0a, 0xff]));
      return { topic: topic(pick(['NBIRTH', 'NDATA'])), payload, expected: { samples: [], lost: [], problems: { oversizePayload: 1 } }, family: 'oversize' };
    }
    if (roll < 0.76) {
      const bad = pick(['spBv1.0/G/NDATA', 'spBv1.0/G/XDATA/N', 'spBv1.0/G/NDATA/N/D', 'spBv1.0/G/DDATA/N', 'spBv1.0//NDATA/N', 'spBv1.0/STATE/', 'spBv1.0/G/NDATA/N/D/E']);
      return { topic: bad, payload: encode({ seq: 1, metrics: [] }), expected: { samples: [], lost: [], problems: { unknownTopic: 1 } }, family: 'not a Sparkplug topic' };
    }
    // Valid data with a few bytes flipped, inserted or dropped: anything may come of it, and the node's state is unknown after it.
    const made = known(now);
    inStep = false;
    const bytes = [...made.payload];
    for (let count = 1 + below(3); count > 0; count--) {
      const position = below(bytes.length + 1);
      const action = below(3);
      if (action === 0 && bytes.length > 0) bytes[Math.min(position, bytes.length - 1)] = below(256);
      else if (action === 1) bytes.splice(position, 0, below(256));
      else bytes.splice(position, 1);
    }
    return { topic: made.topic, payload: Uint8Array.from(bytes), expected: 'either', family: `mutated ${made.family}` };
  };
}

describe('decoder fuzz, Sparkplug B', () => {
  it(`${sparkplugMessageCount.toLocaleString('en')} births, data, deaths, garbage and mutated protobuf: no crash, each message gives exactly its samples, lost sources and counted problems`, { timeout: 120_000 }, async () => {
    let now = 1_800_000_000_000;
    const logged: string[] = [];
    const observed: Array<{ signal: number; value: number }> = [];
    const live = new LiveSource({
      plant: sparkplugPlant,
      clock: () => now,
      staleCheckIntervalMs: 0,
      log: (line) => logged.push(line),
      observer: { onSample: (signal, value) => observed.push({ signal, value }), onConnection: () => {}, onMachineHealth: () => {} },
    });
    live.applyBrokerStatus(0, { brokerId: 'edge', url: '', state: 'connected', since: now, reconnectAttempts: 0, protocol: 4, subscriptions: 0, warnings: [] });
    const next = sparkplugGenerator(20_261_202);
    const families = new Map<string, number>();
    const knownProblems = Object.fromEntries(problemKinds.map((kind) => [kind, 0])) as Record<ProblemKind, number>;
    let mutated = 0;
    let lostSignals = 0;
    let counts = live.diagnostics().problemCounts;
    try {
      for (let index = 0; index < sparkplugMessageCount; index++) {
        now += 1 + (index % 5);
        const message = next(now);
        families.set(message.family, (families.get(message.family) ?? 0) + 1);
        const before = observed.length;
        live.ingest(0, message.topic, message.payload);
        const made = observed.slice(before);
        const after = live.diagnostics().problemCounts;
        const problems = Object.fromEntries(problemKinds.filter((kind) => after[kind] !== counts[kind]).map((kind) => [kind, after[kind] - counts[kind]]));
        counts = after;
        for (const sample of made) if (sample.value === Number.NEGATIVE_INFINITY) expect.fail(`message ${index} (${message.family}) gave -Infinity`);
        if (message.expected === 'either') {
          mutated++;
          continue;
        }
        const samples = made.filter((sample) => sample.value !== Number.POSITIVE_INFINITY).map((sample): [number, number] => [sample.signal, sample.value]);
        const lost = made.filter((sample) => sample.value === Number.POSITIVE_INFINITY).map((sample) => sample.signal);
        lostSignals += lost.length;
        for (const [kind, count] of Object.entries(message.expected.problems)) knownProblems[kind as ProblemKind] += count;
        // toEqual takes NaN as equal to NaN: bad quality must come as bad quality.
        expect({ samples, lost, problems }, `message ${index} (${message.family}) on ${message.topic}`).toEqual(message.expected);
      }
    } finally {
      await live.stop();
    }
    const diagnostics = live.diagnostics();
    const problemTotal = Object.values(diagnostics.problemCounts).reduce((sum, count) => sum + count, 0);
    expect(diagnostics.messagesReceived).toBe(sparkplugMessageCount);
    // Every sample the decoder accepted reached the live source; a lost source is no accepted sample.
    expect(diagnostics.samplesAccepted).toBe(observed.filter((sample) => sample.value !== Number.POSITIVE_INFINITY).length);
    expect(observed.filter((sample) => sample.value === Number.POSITIVE_INFINITY).length).toBeGreaterThanOrEqual(lostSignals);
    for (const kind of problemKinds) expect(diagnostics.problemCounts[kind], kind).toBeGreaterThanOrEqual(knownProblems[kind]);
    expect(problemTotal).toBeGreaterThan(0);
    for (const kind of ['malformedPayload', 'unknownTopic', 'oversizePayload', 'unknownState', 'unknownAlias', 'dataBeforeBirth'] as const) {
      expect(knownProblems[kind], kind).toBeGreaterThan(sparkplugMessageCount / 300);
    }
    expect(lostSignals).toBeGreaterThan(sparkplugMessageCount / 300);
    expect(mutated).toBeGreaterThan(sparkplugMessageCount / 10);
    expect(observed.filter((sample) => Number.isNaN(sample.value)).length).toBeGreaterThan(sparkplugMessageCount / 50);
    // Rebirth requests are off for a non-primary host and nothing else may be logged.
    expect(logged).toEqual([]);
    console.log(`decoder fuzz, Sparkplug B: ${sparkplugMessageCount} messages; ${diagnostics.samplesAccepted} samples, ${lostSignals} lost, problems ${JSON.stringify(diagnostics.problemCounts)}; families ${JSON.stringify(Object.fromEntries(families))}`);
  });
});
