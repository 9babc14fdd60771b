import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { Recorder } from '../recording/recorder.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-annotation-bounds-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Annotated line
machines:
  - { id: oven, name: Oven, area: A, line: L, primitive: { shape: box }, signals: [{ id: temperature, topic: t/oven }] }
`;
const plant = parsePlantOrThrow(plantText);
const source = { plant, plantText, plantFileName: 'plant.yaml', models: new Map<string, Uint8Array>(), signalKeys: ['oven/temperature'], brokerIds: ['line'] };
const t0 = 1_790_000_000_000;

/** A real recording with one genuine note, and 12 forged ones whose machine and creation time are 8 MiB of text each. */
function forgedRecording(): string {
  const file = join(folder, 'forged.twinline');
  const recorder = new Recorder(file, source, { createdAt: t0 });
  recorder.recordSample(0, 20, t0);
  recorder.recordSample(0, 21, t0 + 1000);
  recorder.commit();
  recorder.recordAnnotations([{ id: '00000001', time: t0 + 500, machine: 0, author: 'Ana', text: 'Door opened', createdAt: t0 + 600 }]);
  recorder.close();
  const database = new DatabaseSync(file);
  const huge = 'x'.repeat(8 * 1024 * 1024);
  const forge = database.prepare('INSERT INTO annotations (id, time, machine, author, text, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  for (let row = 0; row < 12; row++) forge.run(`0000010${row.toString(16)}`, t0 + 700, huge, 'Ana', 'forged', huge);
  database.close();
  return file;
}

// Reads the notes as a view, the journal and a package do, in a worker whose heap is too small for the forged columns.
const readNotes = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.reader).then(({ RecordingReader }) => {
  const reader = new RecordingReader(workerData.file, { verify: false });
  try {
    parentPort.postMessage(reader.annotations(0, Number.MAX_SAFE_INTEGER).map((note) => note.text));
  } finally {
    reader.close();
  }
});
`;

describe('notes read back from a forged recording', () => {
  it('are cut to their types in SQL: 12 notes with 8 MiB machine and creation columns are passed over in a 48 MB heap', { timeout: 60_000 }, async () => {
    const file = forgedRecording();
    const worker = new Worker(readNotes, { eval: true, workerData: { file, reader: new URL('../recording/recording-reader.ts', import.meta.url).href }, resourceLimits: { maxOldGenerationSizeMb: 48 } });
    const texts = await new Promise<string[]>((resolve, reject) => {
      worker.on('message', resolve);
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the worker exited with ${code} before answering`)));
    });
    await worker.terminate();
    expect(texts).toEqual(['Door opened']);
  });
});
