import { useEffect, useState } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { currentHost } from '../host-link.ts';
import { loadModel } from '../scene/model-loader.ts';
import { selectMachine, useViewStore } from '../state/view-store.ts';
import { floorPointInView, sceneRenderer } from './edit-scene.ts';
import { machineNameOf, modelNodeNames } from './model-node-names.ts';
import { applyPlantEdit, usePlantEditor } from './plant-editor-store.ts';
import { modelFileChoiceProblem } from './model-file-choice.ts';

/** The node names of a model file, once loaded: undefined while loading, with the reason when it cannot be read. */
type NodeList = { state: 'loading' } | { state: 'loaded'; names: string[] } | { state: 'failed'; reason: string };

/** The node names of the chosen file, loaded with the scene's own loader (so the file is fetched once for the machine too). */
function useNodeNames(description: PlantDescription, file: string | undefined): NodeList | undefined {
  const [nodes, setNodes] = useState<NodeList | undefined>(undefined);
  useEffect(() => {
    const renderer = sceneRenderer();
    if (file === undefined || !renderer) return setNodes(undefined);
    let current = true;
    setNodes({ state: 'loading' });
    loadModel(`${description.modelsBaseUrl}${file}`, renderer).then(
      (gltf) => current && setNodes({ state: 'loaded', names: modelNodeNames(gltf.scene) }),
      (error: unknown) => current && setNodes({ state: 'failed', reason: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [description.modelsBaseUrl, file]);
  return nodes;
}

/**
 * Adds a machine from a model file of the plant's models folder (the host lists them): the whole file or
 * one of its nodes, with name, area and line; it is put on the floor where the camera looks, and selected.
 */
export function AddMachinePanel({ description }: { description: PlantDescription }) {
  const open = usePlantEditor((state) => state.editing && state.addingMachine);
  const [files, setFiles] = useState<{ files: string[]; more: number } | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [file, setFile] = useState<string | undefined>(undefined);
  const [node, setNode] = useState('');
  const [name, setName] = useState('');
  const [area, setArea] = useState('');
  const [line, setLine] = useState('');
  const nodes = useNodeNames(description, open ? file : undefined);

  useEffect(() => {
    if (!open) return;
    // New machines go with the selected machine (or the last one) unless told otherwise.
    const selected = useViewStore.getState().selectedMachine;
    const machines = description.plant.machines;
    const like = (selected === null ? undefined : machines[selected]) ?? machines[machines.length - 1];
    setArea((current) => current || like?.area || 'Area 1');
    setLine((current) => current || like?.line || 'Line 1');
    currentHost()
      ?.request('listModelFiles', {})
      .then(
        (listed) => {
          setFiles(listed);
          setError(undefined);
        },
        (reason: unknown) => setError(`The models folder could not be listed: ${reason instanceof Error ? reason.message : String(reason)}`),
      );
  }, [open, description]);

  if (!open) return null;
  const choose = (chosen: string) => {
    setFile(chosen);
    setNode('');
    setName(machineNameOf(chosen));
  };
  const add = async () => {
    if (file === undefined) return;
    const before = new Set(description.plant.machines.map((machine) => machine.id));
    const reply = await applyPlantEdit({
      type: 'addMachine',
      machine: { name: name.trim() || machineNameOf(file), area: area.trim() || 'Area 1', line: line.trim() || 'Line 1', model: node === '' ? { file } : { file, node }, position: floorPointInView(), rotation: 0 },
    });
    if (!reply?.ok) return;
    const added = reply.plant.machines.findIndex((machine) => !before.has(machine.id));
    if (added >= 0) selectMachine(added);
    usePlantEditor.setState({ addingMachine: false });
    setFile(undefined);
  };
  return (
    <section className="edit-panel" aria-label="Add a machine">
      <h2>Add a machine</h2>
      {error ? <p className="edit-refused">{error}</p> : null}
      {files === undefined ? <p>Listing the models folder…</p> : files.files.length === 0 ? <p>The models folder has no .glb or .gltf files: copy some into it.</p> : null}
      <ul className="edit-model-list" aria-label="Model files">
        {files?.files.map((entry) => {
          // A file the plant cannot name is listed (so the user sees why it is not offered), but not chosen.
          const problem = modelFileChoiceProblem(entry);
          return (
            <li key={entry}>
              <button type="button" aria-pressed={entry === file} onClick={() => choose(entry)} data-model-file={entry} disabled={problem !== undefined} title={problem}>
                {entry}
              </button>
            </li>
          );
        })}
        {files && files.more > 0 ? <li>… {files.more} more not listed</li> : null}
      </ul>
      {file !== undefined ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void add();
          }}
        >
          <label>
            Part
            <select value={node} onChange={(event) => setNode(event.target.value)} aria-label="Model part">
              <option value="">The whole file</option>
              {nodes?.state === 'loaded' ? nodes.names.map((entry) => <option key={entry} value={entry}>{entry}</option>) : null}
            </select>
          </label>
          {nodes?.state === 'loading' ? <p>Reading the file's parts…</p> : nodes?.state === 'failed' ? <p className="edit-refused">The file cannot be read: {nodes.reason}</p> : null}
          <label>
            Name
            <input value={name} onChange={(event) => setName(event.target.value)} maxLength={256} aria-label="New machine name" />
          </label>
          <label>
            Area
            <input value={area} onChange={(event) => setArea(event.target.value)} maxLength={256} aria-label="New machine area" />
          </label>
          <label>
            Line
            <input value={line} onChange={(event) => setLine(event.target.value)} maxLength={256} aria-label="New machine line" />
          </label>
          <div className="edit-actions">
            <button type="submit">Add</button>
            <button type="button" onClick={() => usePlantEditor.setState({ addingMachine: false })}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
