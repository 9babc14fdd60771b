import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { PlantDescription, TwinlineSource } from '../common/contract.ts';
import { normaliseModelFile } from '../common/plant-model-files.ts';
import { signalOrder } from '../common/signal-order.ts';
import { ReplayWorkerClient } from './replay/replay-worker-client.ts';
import { ViewPlayer } from './replay/view-player.ts';

/** A recording opened on its own, for offline review: no broker, no plant file, no models folder. */
export interface OpenedRecording {
  description: PlantDescription;
  /** A private folder holding the models the recording carries. */
  modelsDirectory: string;
  createViewSource(): TwinlineSource;
  close(): void;
}

/**
 * Opens a recording for replay; rejects with a RecordingError's message naming the file when it
 * cannot. The file is read in a worker thread with bounded memory and time, as every replay is.
 */
export async function openRecording(file: string, log: (line: string) => void = console.error): Promise<OpenedRecording> {
  const path = resolve(file);
  // A worker with no session: it only reads the file's plant and models.
  const reader = new ReplayWorkerClient({ data: null, onUpdate: () => undefined, onFailure: () => undefined, timeoutMs: 60_000 });
  let recorded;
  try {
    recorded = await reader.request('describe', { file: path }, undefined);
  } finally {
    await reader.close();
  }
  const modelsDirectory = mkdtempSync(join(tmpdir(), 'twinline-models-'));
  try {
    for (const model of recorded.models) {
      // The name comes from the file's plant or a .gltf in it: checked again, so only a path inside the private folder is ever written.
      const relative = normaliseModelFile(model.file);
      if (relative === undefined || relative.split('/').some((step) => step.startsWith('.'))) {
        log(`The recording's model "${model.file.slice(0, 200)}" has a name that is not a file inside its models folder; it is not shown.`);
        continue;
      }
      const target = join(modelsDirectory, ...relative.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, model.bytes);
    }
  } catch (error) {
    rmSync(modelsDirectory, { recursive: true, force: true });
    throw error;
  }
  const description: PlantDescription = {
    plant: recorded.plant,
    signalKeys: recorded.signalKeys,
    signalMachine: signalOrder(recorded.plant).machineOf,
    modelsBaseUrl: 'models/',
    sourceLabel: `${recorded.plant.name} — ${basename(path)}`,
  };
  return {
    description,
    modelsDirectory,
    // The folder's other recordings of the same plant are offered too, and the file's session is replayed whole.
    createViewSource: () => new ViewPlayer({ description, recordingFile: () => path, recordingsDirectory: dirname(path), plantText: recorded.plantText, recordedMetadata: recorded.signalMetadata, log }),
    close: () => rmSync(modelsDirectory, { recursive: true, force: true }),
  };
}
