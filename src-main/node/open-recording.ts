import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { PlantDescription, TwinlineSource } from '../common/contract.ts';
import { RecordingReader } from './recording/recording-reader.ts';
import { ViewPlayer } from './replay/view-player.ts';

/** A recording opened on its own, for offline review: no broker, no plant file, no models folder. */
export interface OpenedRecording {
  description: PlantDescription;
  /** A private folder holding the models the recording carries. */
  modelsDirectory: string;
  createViewSource(): TwinlineSource;
  close(): void;
}

/** Opens a recording for replay; throws a RecordingError naming the file when it cannot. */
export function openRecording(file: string): OpenedRecording {
  const path = resolve(file);
  const reader = new RecordingReader(path);
  const plantText = reader.plantText;
  const modelsDirectory = mkdtempSync(join(tmpdir(), 'twinline-models-'));
  try {
    for (const machine of reader.plant.machines) {
      const bytes = machine.model ? reader.model(machine.model.file) : undefined;
      if (machine.model && bytes) writeFileSync(join(modelsDirectory, machine.model.file), bytes);
    }
  } finally {
    reader.close();
  }
  const description: PlantDescription = {
    plant: reader.plant,
    signalKeys: reader.signalKeys,
    signalMachine: reader.plant.machines.flatMap((machine, index) => machine.signals.map(() => index)),
    modelsBaseUrl: 'models/',
    sourceLabel: `${reader.plant.name} — ${basename(path)}`,
  };
  return {
    description,
    modelsDirectory,
    // The folder's other recordings of the same plant are offered too, and the file's session is replayed whole.
    createViewSource: () => new ViewPlayer({ description, recordingFile: () => path, recordingsDirectory: dirname(path), plantText }),
    close: () => rmSync(modelsDirectory, { recursive: true, force: true }),
  };
}
