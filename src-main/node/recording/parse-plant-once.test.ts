import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as parsePlant from '../../common/parse-plant.ts';
import { exportCsv } from './export-csv.ts';
import { RecordingManager } from './recording-manager.ts';
import { RecordingReader } from './recording-reader.ts';
import { RecordingSequence } from './recording-sequence.ts';

// Counts the parses every reader below makes, through the module they import it from.
const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../common/parse-plant.ts', async (importOriginal) => {
  const original = await importOriginal<typeof parsePlant>();
  return {
    ...original,
    parsePlantOrThrow: (...args: Parameters<typeof original.parsePlantOrThrow>) => {
      parses.count++;
      return original.parsePlantOrThrow(...args);
    },
  };
});

const folder = mkdtempSync(join(tmpdir(), 'twinline-parse-once-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = (name: string) => `name: ${name}
machines:
  - { id: m, name: M, area: A, line: L, primitive: { shape: box }, signals: [{ id: a, topic: t/a }] }
`;

/** Records three one-minute files of a plant named `name` in `directory`; returns them in order. */
function recordFiles(directory: string, name: string): string[] {
  let now = 1_700_000_000_000;
  const source = { plant: parsePlant.parsePlantOrThrow(plantText(name)), plantText: plantText(name), plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['m/a'], brokerIds: ['default'] };
  const manager = new RecordingManager(source, { directory, maxFileMs: 60_000, clock: () => now });
  manager.start();
  const files = new Set<string>();
  for (let step = 0; step < 300; step++) {
    now += 700;
    manager.onSample(0, step, now);
    manager.commit();
    files.add(manager.currentFile()!);
  }
  manager.stop();
  return [...files];
}

describe('the plant a recording embeds', () => {
  const files = recordFiles(join(folder, 'one'), 'Line one');
  const other = recordFiles(join(folder, 'two'), 'Line two');

  it('is parsed once for a sequence of files, its forks and their exports', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    parses.count = 0;
    const sequence = new RecordingSequence(files, () => false);
    const { start, end } = sequence.timeRange();
    sequence.stateAt(end);
    for (let round = 0; round < 3; round++) {
      // What a view's export does: a fork of its own, reading every file.
      const fork = sequence.fork();
      let text = '';
      expect(exportCsv(fork, ['m/a'], start, end, (chunk) => (text += chunk))).toBe(300);
      fork.close();
    }
    sequence.close();
    expect(parses.count).toBe(1);
  });

  it('is parsed anew from a file that embeds another text', () => {
    const first = new RecordingReader(files[0]!);
    const same = new RecordingReader(files[1]!, { parsedPlant: first.parsedPlant });
    const different = new RecordingReader(other[0]!, { parsedPlant: first.parsedPlant });
    try {
      expect(same.parsedPlant.plant).toBe(first.parsedPlant.plant);
      expect(different.parsedPlant.plant).not.toBe(first.parsedPlant.plant);
      expect(different.plant.name).toBe('Line two');
    } finally {
      for (const reader of [first, same, different]) reader.close();
    }
  });
});
