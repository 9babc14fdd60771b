import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import type { Annotation } from '../../common/annotations/annotation.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { writeIncidentPackage } from '../packages/write-incident-package.ts';
import { Recorder } from '../recording/recorder.ts';
import { RecordingReader } from '../recording/recording-reader.ts';
import { RecordingSequence } from '../recording/recording-sequence.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-annotations-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Annotated line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: oven, name: Oven, area: A, line: L, primitive: { shape: box }, signals: [{ id: temperature, topic: t/oven }] }
  - { id: pump, name: Pump, area: A, line: L, primitive: { shape: box }, signals: [{ id: pressure, topic: t/pump }] }
`;
const plant = parsePlantOrThrow(plantText);
const source = { plant, plantText, plantFileName: 'plant.yaml', models: new Map<string, Uint8Array>(), signalKeys: ['oven/temperature', 'pump/pressure'], brokerIds: ['line'] };
const t0 = 1_790_000_000_000;

const note = (id: string, time: number, machine: number | null, text: string, createdAt = time + 5000): Annotation => ({ id: `0000000${id}`, time, machine, author: 'Ana', text, createdAt });

/** A file with a sample a second from `start` for `seconds`, and the annotations given, written with its last commit. */
function writeFile(name: string, start: number, seconds: number, annotations: Annotation[], continues?: string): string {
  const file = join(folder, name);
  const recorder = new Recorder(file, source, { createdAt: start, continues });
  for (let second = 0; second < seconds; second++) recorder.recordSample(second % 2, 20 + second, start + second * 1000);
  recorder.commit();
  recorder.recordAnnotations(annotations);
  recorder.close();
  return file;
}

describe('recorded annotations', () => {
  it('are written with a commit and read back by time, in order, with forged rows passed over', () => {
    const file = writeFile('one.twinline', t0, 30, [note('2', t0 + 20_000, 1, 'Pump cavitating\nsee the pressure'), note('1', t0 + 5000, null, 'Shift change')]);
    const database = new DatabaseSync(file);
    const forge = database.prepare('INSERT INTO annotations (id, time, machine, author, text, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    forge.run('00000003', t0 + 6000, 7, 'Ana', 'a machine the plant lacks', t0);
    forge.run('00000004', t0 + 7000, null, 'Ana', 'x'.repeat(2001), t0);
    forge.run('00000005', t0 + 8000, null, 'Ana\u0007', 'a bell in the name', t0);
    forge.run('not an id!', t0 + 9000, null, 'Ana', 'a forged id', t0);
    forge.run('00000006', t0 + 10_000, null, '   ', 'no author', t0);
    database.close();
    const reader = new RecordingReader(file);
    try {
      expect(reader.annotations(0, Number.MAX_SAFE_INTEGER).map((annotation) => annotation.text)).toEqual(['Shift change', 'Pump cavitating\nsee the pressure']);
      expect(reader.annotations(t0 + 6000, t0 + 30_000)).toEqual([note('2', t0 + 20_000, 1, 'Pump cavitating\nsee the pressure')]);
      expect(reader.annotations(t0 + 20_001, t0 + 19_000)).toEqual([]);
    } finally {
      reader.close();
    }
  });

  it('are found across a session whichever file holds them, and a package carries those of its range only', () => {
    // A folder of its own: a package is cut from the session its file belongs to, and only these two form it.
    mkdirSync(join(folder, 'session'));
    const first = writeFile('session/session-1.twinline', t0, 20, []);
    // Written while the second file was being recorded, but pinned to a moment of the first.
    const second = writeFile('session/session-2.twinline', t0 + 20_000, 20, [note('a', t0 + 4000, 0, 'Oven door left open'), note('b', t0 + 25_000, null, 'Restarted the pump'), note('c', t0 + 39_000, null, 'After the package')]);
    const sequence = new RecordingSequence([first, second], () => true);
    try {
      expect(sequence.annotations(t0, t0 + 30_000).map((annotation) => annotation.text)).toEqual(['Oven door left open', 'Restarted the pump']);
    } finally {
      sequence.close();
    }
    const made = join(folder, 'incident.twinline');
    writeIncidentPackage(second, made, { from: t0 + 2000, to: t0 + 30_000 });
    const packaged = new RecordingReader(made);
    try {
      expect(packaged.annotations(0, Number.MAX_SAFE_INTEGER).map((annotation) => annotation.id)).toEqual(['0000000a', '0000000b']);
    } finally {
      packaged.close();
    }
  });

  it('a format 3 recording, written before annotations, opens without them; one claiming format 3 with the table is refused', () => {
    const old = writeFile('format-3.twinline', t0, 5, []);
    const database = new DatabaseSync(old);
    database.exec('DROP TABLE annotations; PRAGMA user_version = 3;');
    database.close();
    const reader = new RecordingReader(old);
    try {
      expect(reader.annotations(0, Number.MAX_SAFE_INTEGER)).toEqual([]);
      expect(reader.stateAt(t0 + 4000).signals[0]?.value).toBe(24);
    } finally {
      reader.close();
    }
    const mixed = writeFile('format-3-with-annotations.twinline', t0, 5, [note('d', t0, null, 'too new for format 3')]);
    const mixedDatabase = new DatabaseSync(mixed);
    mixedDatabase.exec('PRAGMA user_version = 3;');
    mixedDatabase.close();
    expect(() => new RecordingReader(mixed)).toThrow(/unexpected (table|index) "annotations/);
    const forged = writeFile('format-4-without-annotations.twinline', t0, 5, []);
    const forgedDatabase = new DatabaseSync(forged);
    forgedDatabase.exec('DROP TABLE annotations;');
    forgedDatabase.close();
    expect(() => new RecordingReader(forged)).toThrow(/lacks "annotations/);
  });
});
