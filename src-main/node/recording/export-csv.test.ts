import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { seededRandom as random } from '../../common/seeded-random.ts';
import type { RecordedHistory } from './recorded-history.ts';
import { csvTextField, exportCsv, parseCsvExport, type CsvSample } from './export-csv.ts';
import { Recorder } from './recorder.ts';
import { RecordingReader } from './recording-reader.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-export-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Exported line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - id: oven
    name: Oven
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: temperature, topic: t/oven, unit: °C, limits: { highAlarm: 90 } }
      - { id: humidity, topic: t/humidity, unit: "g/kg, dry air" }
  - id: pump
    name: Pump
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: pressure, topic: t/pump, unit: 'in "H2O"' }
      - { id: count, topic: t/count }
`;
const plant = parsePlantOrThrow(plantText);
const signalKeys = ['oven/temperature', 'oven/humidity', 'pump/pressure', 'pump/count'];
const units = ['°C', 'g/kg, dry air', 'in "H2O"', ''];

// Values that break naive formatting: not representable in thousandths, tiny, negative, beyond 2^53, extremes.
const awkwardValues = [0.1 + 0.2, 1e-9, -3.5, 123_456_789_012_345_680_000, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, -1e21, Math.PI, 12.345, 0, 1 / 3];

interface Recorded {
  file: string;
  samples: Array<{ time: number; code: number; value: number }>;
}

/** Records a few thousand samples over four signals, with ties in time, connection events and many chunks and parts. */
function recordSamples(): Recorded {
  const file = join(folder, 'exported.twinline');
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys, brokerIds: ['line'] }, { chunkMs: 2000 });
  const next = random(11);
  const samples: Recorded['samples'] = [];
  let time = Date.UTC(2024, 1, 29, 23, 59, 0, 7);
  recorder.recordConnection(0, true, time);
  for (let index = 0; index < 6000; index++) {
    if (next() < 0.7) time += Math.floor(next() * 40);
    const code = Math.floor(next() * signalKeys.length);
    const value = index % 7 === 0 ? awkwardValues[index % awkwardValues.length]! : Math.round((next() - 0.3) * 200_000) / 1000;
    recorder.recordSample(code, value, time);
    samples.push({ time, code, value });
    if (index % 500 === 250) recorder.recordConnection(0, index % 1000 !== 250, time);
    if (index % 337 === 0) recorder.commit();
  }
  recorder.close();
  return { file, samples };
}

const recorded = recordSamples();

function exportToText(reader: RecordingReader, keys: readonly string[], from: number, to: number): { text: string; rows: number } {
  const chunks: string[] = [];
  const rows = exportCsv(reader, keys, from, to, (chunk) => chunks.push(chunk));
  return { text: chunks.join(''), rows };
}

describe('CSV export', () => {
  it('writes exactly the chosen signals’ samples in the range, in order, and they read back to the same numbers', () => {
    const reader = new RecordingReader(recorded.file);
    const { samples } = recorded;
    // Bounds on actual sample times, inside chunks, so inclusiveness and mid-chunk starts are both tested.
    const chosen = ['pump/pressure', 'oven/humidity'];
    const chosenCodes = new Set(chosen.map((key) => signalKeys.indexOf(key)));
    const from = samples.slice(1234).find((sample) => chosenCodes.has(sample.code))!.time;
    const to = samples.slice(4321).find((sample) => chosenCodes.has(sample.code))!.time;
    const expected: CsvSample[] = samples
      .filter((sample) => sample.time >= from && sample.time <= to && chosenCodes.has(sample.code))
      .map((sample) => ({ time: sample.time, signal: signalKeys[sample.code]!, value: sample.value, unit: units[sample.code]! }));
    expect(expected.length).toBeGreaterThan(1000);
    expect(expected.some((sample) => sample.value === 0.1 + 0.2)).toBe(true);
    expect(expected[0]!.time).toBe(from);
    expect(expected.at(-1)!.time).toBe(to);

    const { text, rows } = exportToText(reader, chosen, from, to);
    expect(rows).toBe(expected.length);
    expect(parseCsvExport(text)).toEqual(expected);

    const lines = text.split('\r\n');
    expect(lines[0]).toBe('time,signal,value,unit');
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,/);
    reader.close();
  });

  it('quotes a unit with a comma or a quote, per RFC 4180', () => {
    const reader = new RecordingReader(recorded.file);
    const { text } = exportToText(reader, ['oven/humidity', 'pump/pressure'], recorded.samples[0]!.time, recorded.samples[200]!.time);
    expect(text).toContain(',oven/humidity,');
    expect(text).toMatch(/,oven\/humidity,[^,]+,"g\/kg, dry air"\r\n/);
    expect(text).toMatch(/,pump\/pressure,[^,]+,"in ""H2O"""\r\n/);
    reader.close();
  });

  it('refuses unknown signal keys, naming them', () => {
    const reader = new RecordingReader(recorded.file);
    const write = () => {
      throw new Error('nothing should be written');
    };
    expect(() => exportCsv(reader, ['oven/temperature', 'oven/speed', 'press/force'], 0, Date.now(), write)).toThrow(/"oven\/speed", "press\/force"/);
    reader.close();
  });

  it('writes only the header for a range without samples', () => {
    const reader = new RecordingReader(recorded.file);
    const before = recorded.samples[0]!.time - 10_000;
    const { text, rows } = exportToText(reader, signalKeys, before, before + 5000);
    expect(rows).toBe(0);
    expect(text).toBe('time,signal,value,unit\r\n');
    expect(parseCsvExport(text)).toEqual([]);
    reader.close();
  });

  describe('text a spreadsheet would run as a formula', () => {
    const formula = '=HYPERLINK("http://x","y")';
    // Each begins with a character that makes a spreadsheet read the cell as a formula; the last is the escape itself.
    const dangerousUnits = [formula, '+5 V', '-', '@SUM(A1)', '\tkPa', '\rbar', "'ft"];
    const dangerousPlantText = `name: Dangerous units
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - id: press
    name: Press
    area: A
    line: L
    primitive: { shape: box }
    signals:
${dangerousUnits.map((unit, index) => `      - { id: s${index}, topic: t/s${index}, unit: ${JSON.stringify(unit)} }`).join('\n')}
`;
    const dangerousPlant = parsePlantOrThrow(dangerousPlantText);
    const dangerousKeys = dangerousUnits.map((_, index) => `press/s${index}`);

    it('neutralises such units with a single quote and quotes them, keeps negative values numbers, and reads back the same', () => {
      const file = join(folder, 'dangerous-units.twinline');
      const recorder = new Recorder(file, { plant: dangerousPlant, plantText: dangerousPlantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: dangerousKeys, brokerIds: ['line'] });
      const start = Date.UTC(2026, 10, 25, 6, 0, 0);
      const expected: CsvSample[] = dangerousUnits.map((unit, index) => ({ time: start + index, signal: dangerousKeys[index]!, value: -3.5 - index, unit }));
      for (const [index, sample] of expected.entries()) recorder.recordSample(index, sample.value, sample.time);
      recorder.close();

      const reader = new RecordingReader(file);
      const { text, rows } = exportToText(reader, dangerousKeys, start, start + 1000);
      reader.close();
      expect(rows).toBe(dangerousUnits.length);
      const lines = text.split('\r\n');
      expect(lines[1]).toBe(`2026-11-25T06:00:00.000Z,press/s0,-3.5,"'=HYPERLINK(""http://x"",""y"")"`);
      expect(lines[2]).toBe(`2026-11-25T06:00:00.001Z,press/s1,-4.5,"'+5 V"`);
      expect(lines[3]).toBe(`2026-11-25T06:00:00.002Z,press/s2,-5.5,"'-"`);
      expect(lines[4]).toBe(`2026-11-25T06:00:00.003Z,press/s3,-6.5,"'@SUM(A1)"`);
      expect(lines[5]).toBe(`2026-11-25T06:00:00.004Z,press/s4,-7.5,"'\tkPa"`);
      expect(lines[7]).toBe(`2026-11-25T06:00:00.006Z,press/s6,-9.5,"''ft"`);
      // No field of any record begins with a formula character once its quotes are taken off.
      for (const line of lines.slice(1).filter(Boolean)) {
        const unitField = line.slice(line.indexOf(',"') + 2);
        expect(unitField.startsWith("'"), line).toBe(true);
      }
      expect(parseCsvExport(text)).toEqual(expected);
    });

    it('neutralises a signal id that a crafted recording made a formula', () => {
      const signal = formula;
      const history = {
        plant: dangerousPlant,
        signalKeys: [signal, '-3.5', 'press/s1'],
        brokerIds: ['line'],
        name: 'crafted.twinline',
        eventSlicesBetween: () => [{ events: { times: Float64Array.of(1000, 1001, 1002), codes: Int32Array.of(0, 1, 2), values: Float64Array.of(-3.5, 2, -0.25), length: 3 }, first: 0, end: 3 }],
      } as Partial<RecordedHistory> as RecordedHistory;
      const chunks: string[] = [];
      exportCsv(history, history.signalKeys, 0, 2000, (chunk) => chunks.push(chunk));
      const text = chunks.join('');
      const lines = text.split('\r\n');
      expect(lines[1]).toBe(`1970-01-01T00:00:01.000Z,"'=HYPERLINK(""http://x"",""y"")",-3.5,`);
      expect(lines[2]).toBe(`1970-01-01T00:00:01.001Z,"'-3.5",2,`);
      expect(lines[3]).toBe(`1970-01-01T00:00:01.002Z,press/s1,-0.25,"'+5 V"`);
      expect(parseCsvExport(text)).toEqual([
        { time: 1000, signal, value: -3.5, unit: '' },
        { time: 1001, signal: '-3.5', value: 2, unit: '' },
        { time: 1002, signal: 'press/s1', value: -0.25, unit: '+5 V' },
      ]);
    });

    it('leaves ordinary text as it was', () => {
      expect(csvTextField('°C')).toBe('°C');
      expect(csvTextField('oven/temperature')).toBe('oven/temperature');
      expect(csvTextField('g/kg, dry air')).toBe('"g/kg, dry air"');
      expect(csvTextField('kg=m')).toBe('kg=m');
      expect(csvTextField('')).toBe('');
    });
  });
});
