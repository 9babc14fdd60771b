import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { McapIndexedReader } from '@mcap/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { seededRandom } from '../../common/seeded-random.ts';
import { Recorder } from '../recording/recorder.ts';
import { RecordingReader } from '../recording/recording-reader.ts';
import { mcapDecompressHandlers } from './export-mcap.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-mcap-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: MCAP line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: oven, name: Oven, area: A, line: L, primitive: { shape: box }, signals: [{ id: temperature, topic: t/oven }, { id: fan, topic: t/fan }] }
  - { id: pump, name: Pump, area: A, line: L, primitive: { shape: box }, signals: [{ id: pressure, topic: t/pump }] }
`;

describe('MCAP export', () => {
  it('twinline export --mcap writes a range whose messages, read back with the MCAP reader, are the recording\'s samples: one channel per signal, value and quality', { timeout: 60_000 }, async () => {
    const plant = parsePlantOrThrow(plantText);
    const file = join(folder, 'source.twinline');
    const start = 1_780_000_000_000;
    const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['oven/temperature', 'oven/fan', 'pump/pressure'], brokerIds: ['line'] }, { createdAt: start });
    const random = seededRandom(5);
    recorder.recordConnection(0, true, start);
    for (let step = 0; step < 3000; step++) {
      const time = start + step * 20;
      const signal = Math.floor(random() * 3);
      const roll = random();
      // Bad quality (NaN) and a lost source (+Infinity) now and then, as decoders record them.
      recorder.recordSample(signal, roll < 0.03 ? Number.NaN : roll < 0.05 ? Number.POSITIVE_INFINITY : Math.round(random() * 100_000) / 1000 + (roll < 0.1 ? 1e-7 : 0), time);
      if (step % 500 === 250) recorder.recordConnection(0, step % 1000 === 250 ? false : true, time);
      if (step % 100 === 0) recorder.commit();
    }
    recorder.close();
    const from = start + 10_000;
    const to = start + 45_000;
    const out = join(folder, 'range.mcap');
    const { stderr } = await promisify(execFile)(process.execPath, [cli, 'export', file, '--mcap', out, '--from', new Date(from).toISOString(), '--to', String(to)]);
    expect(stderr).toMatch(/wrote \d+ messages on 3 channels/);

    const bytes = readFileSync(out);
    const reader = await McapIndexedReader.Initialize({
      readable: { size: async () => BigInt(bytes.byteLength), read: async (offset, length) => bytes.subarray(Number(offset), Number(offset + length)) },
      decompressHandlers: mcapDecompressHandlers,
    });
    const topics = [...reader.channelsById.values()].map((channel) => channel.topic);
    expect(topics).toEqual(['oven/temperature', 'oven/fan', 'pump/pressure']);
    const schema = reader.schemasById.get([...reader.channelsById.values()][0]!.schemaId)!;
    expect(schema.encoding).toBe('jsonschema');
    const decoder = new TextDecoder();
    const read: Array<{ topic: string; time: number; sample: unknown }> = [];
    for await (const message of reader.readMessages()) {
      read.push({ topic: reader.channelsById.get(message.channelId)!.topic, time: Number(message.logTime / 1_000_000n), sample: JSON.parse(decoder.decode(message.data)) });
    }
    const recording = new RecordingReader(file);
    try {
      const expected = [...recording.eventsBetween(from, to)].filter((event) => event.code >= 0).map((event) => ({ topic: recording.signalKeys[event.code]!, time: event.time, sample: Number.isFinite(event.value) ? { value: event.value, quality: 'good' } : { value: null, quality: Number.isNaN(event.value) ? 'bad' : 'sourceLost' } }));
      expect(expected.length).toBeGreaterThan(1500);
      expect(expected.some((entry) => entry.sample.quality === 'bad')).toBe(true);
      expect(expected.some((entry) => entry.sample.quality === 'sourceLost')).toBe(true);
      // The reader gives messages in log time order; samples of one millisecond keep the recording's order.
      expect(read).toEqual(expected);
    } finally {
      recording.close();
    }
    // Never over an existing file.
    await expect(promisify(execFile)(process.execPath, [cli, 'export', file, '--mcap', out])).rejects.toThrow(/exists/);
    expect(existsSync(out)).toBe(true);
  });
});
