import { modelUploadChunkBytes } from '../../src-main/common/model-upload.ts';
import { currentHost } from '../host-link.ts';
import { selectMachine, useViewStore } from '../state/view-store.ts';
import { floorPointInView } from './edit-scene.ts';
import { modelDropOf } from './model-drop.ts';
import { machineNameOf } from './model-node-names.ts';
import { applyPlantEdit, usePlantEditor } from './plant-editor-store.ts';

/** Bytes as base64, a piece at a time (a whole chunk as one argument list could overflow the stack). */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 8192) binary += String.fromCharCode(...bytes.subarray(offset, offset + 8192));
  return btoa(binary);
}

function say(text: string, refused = false): void {
  usePlantEditor.setState({ message: { text, refused } });
}

/** The bytes of the model file and then of each file beside it, in that order: the upload's one stream of chunks. */
async function bytesOf(model: File, companions: readonly File[]): Promise<Uint8Array> {
  const parts = await Promise.all([model, ...companions].map(async (file) => new Uint8Array(await file.arrayBuffer())));
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/**
 * Uploads a model dropped on the view into the plant's models folder (in chunks, through the contract)
 * and adds a machine of the whole file where the camera looks: a .glb, or a .gltf with the buffers and
 * images it refers to, dropped together. A drop that cannot be one model, or too large, is refused before
 * anything is sent; the host checks the files again.
 */
export async function addMachineFromDroppedFiles(files: readonly File[]): Promise<void> {
  const host = currentHost();
  if (!host) return;
  const drop = modelDropOf(files);
  if ('problem' in drop) return say(drop.problem, true);
  const { model: file, companions } = drop;
  let uploadId: string | undefined;
  try {
    const bytes = await bytesOf(file, companions);
    const begun = await host.request('uploadModelFile', {
      step: 'begin',
      name: file.name,
      size: file.size,
      ...(companions.length > 0 ? { files: companions.map((companion) => ({ name: companion.name, size: companion.size })) } : {}),
    });
    if (!('uploadId' in begun)) throw new Error('the host did not start the upload');
    uploadId = begun.uploadId;
    for (let offset = 0; offset < bytes.length; offset += modelUploadChunkBytes) {
      say(`Uploading ${file.name}: ${Math.round((offset / bytes.length) * 100)} %`);
      await host.request('uploadModelFile', { step: 'chunk', uploadId, offset, data: toBase64(bytes.subarray(offset, offset + modelUploadChunkBytes)) });
    }
    const finished = await host.request('uploadModelFile', { step: 'finish', uploadId });
    uploadId = undefined;
    if (!('file' in finished)) throw new Error('the host did not write the file');
    const machines = useViewStore.getState().description?.plant.machines ?? [];
    const plant = usePlantEditor.getState().plant;
    const like = plant?.machines[useViewStore.getState().selectedMachine ?? -1] ?? plant?.machines[plant.machines.length - 1] ?? machines[0];
    const before = new Set((plant?.machines ?? []).map((machine) => machine.id));
    const reply = await applyPlantEdit({
      type: 'addMachine',
      machine: { name: machineNameOf(finished.file), area: like?.area ?? 'Area 1', line: like?.line ?? 'Line 1', model: { file: finished.file }, position: floorPointInView(), rotation: 0 },
    });
    if (reply?.ok) {
      say(`${finished.file} was added to the models folder`);
      const added = reply.plant.machines.findIndex((machine) => !before.has(machine.id));
      if (added >= 0) selectMachine(added);
    }
  } catch (error) {
    say(`${file.name} could not be uploaded: ${error instanceof Error ? error.message : String(error)}`, true);
    if (uploadId !== undefined) host.request('uploadModelFile', { step: 'cancel', uploadId }).catch((reason: unknown) => say(`Cancelling the upload failed: ${reason instanceof Error ? reason.message : String(reason)}`, true));
  }
}
